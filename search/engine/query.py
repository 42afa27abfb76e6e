"""From the engine-neutral query tree (`search.querytree`) to Whoosh query objects.

The tree says what to search; this module only says how Whoosh spells it:
- a term of a kind is the term with the kind's mark in the same field (`#minister` is a part, `=ministerin` the
  exact form, `~wahl` the word family, `%saidov` a name key; see `analysis.MARKS`);
- Any is Or, All is And (its Not clauses exclude), Bonus is AndMaybe, a phrase is Phrase (Whoosh counts slop
  from 1 = adjacent), Near is an unordered SpanNear2 over a SpanOr per word;
- AtLeast is `AtLeastQuery`, an Or with `minmatch` that the ranker scores with its coordination bonus.
"""

from __future__ import annotations

from whoosh import query as wq
from whoosh.query.spans import SpanNear2, SpanOr

from .. import queries
from .. import querytree as qt
from .analysis import MARKS


class AtLeastQuery(wq.Or):
    """At least `minmatch` of the subqueries; each one matched adds `coord` to the score (see `scoring`)."""

    def __init__(self, subqueries, minmatch: int, coord: float):
        super().__init__(subqueries, minmatch=minmatch)
        self.coord = coord

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "coord", None) == self.coord

    __hash__ = wq.Or.__hash__


class SizedSpanOr(SpanOr):
    """Whoosh's SpanOr without the missing `estimate_size`: Whoosh calls it when it plans a search over more than
    a few thousand documents, and the proximity clause would otherwise make every such search raise."""

    def estimate_size(self, ixreader):
        return self.q.estimate_size(ixreader)


def to_whoosh(node) -> wq.Query:
    kind = type(node)
    if kind is qt.Term:
        return wq.Term(node.field, MARKS[node.kind] + node.text, boost=node.boost)
    if kind is qt.Keyword:
        return wq.Term(node.field, node.value)
    if kind is qt.Phrase:
        return wq.Phrase(node.field, list(node.terms), slop=node.slop + 1, boost=node.boost)
    if kind is qt.Any:
        return wq.Or([to_whoosh(c) for c in node.clauses], boost=node.boost)
    if kind is qt.All:
        return wq.And([to_whoosh(c) for c in node.clauses], boost=node.boost)
    if kind is qt.Not:
        return wq.Not(to_whoosh(node.clause))
    if kind is qt.AtLeast:
        return AtLeastQuery([to_whoosh(c) for c in node.clauses], node.minimum, node.coord)
    if kind is qt.Bonus:
        return wq.AndMaybe(to_whoosh(node.required), to_whoosh(node.bonus))
    if kind is qt.Near:
        spans = [SizedSpanOr([to_whoosh(t) for t in group]) for group in node.groups]
        return SpanNear2(spans, slop=node.slop, ordered=False)
    if kind is qt.Everything:
        return wq.Every()
    raise TypeError(f"no Whoosh query for {node!r}")


def parse(text: str) -> tuple[wq.Query | None, str | None]:
    """The Whoosh query for every word of `text` (not relaxed) and the note for the user."""
    found = queries.plan(text)
    return (to_whoosh(found.tree) if found.tree is not None else None), found.note
