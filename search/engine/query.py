"""From what a user typed to a Whoosh query.

Whoosh's syntax works (AND/OR/NOT, "phrases", field:value). Words combine with AND. A query that does not
parse, or that names a field the index does not have, falls back to a plain-words search, with a note saying so.

On top of the parse, three German-reader rules (see `analysis` for the terms they use):
- synonyms: a name from `search/data/synonyms.toml` becomes the group of its names, before parsing
  ("OSZE" -> `(OSZE OR OSCE OR "Organisation für Sicherheit und Zusammenarbeit in Europa")`); not inside quotes.
- parts: every word also searches its part term (`#minister`, inside a compound) with boost `PART_BOOST`, so
  "Minister" finds "Außenminister" ranked below "Minister" itself. Phrases stay exact: no parts, no synonyms.
- proximity: when the query has several words, releases where they occur within `PROXIMITY_SLOP` words of each
  other (in any order, in one field) score a bonus on top.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from whoosh import qparser
from whoosh.query import And, AndMaybe, NullQuery, Or, Query, Term
from whoosh.query.spans import SpanNear2, SpanOr

from .. import request
from ..german.synonyms import DEFAULT_PATH as SYNONYMS_PATH
from ..german.synonyms import Synonyms, read_groups
from .analysis import PART_MARK, german_analyzer
from .schema import FIELD_BOOSTS, TEXT_FIELDS

PART_BOOST = 0.3  # a word inside a compound counts this much of the word itself
PROXIMITY_SLOP = 8  # words this close count as near
PROXIMITY_BOOST = 0.5
MAX_PROXIMITY_WORDS = 6
MIN_PART_TERM = 3  # shorter query terms do not search inside compounds
QUERY_TOKEN = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
PLAIN_WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")


def make_parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)  # "*" in a pasted text must not expand to every term
    return parser


def parse(parser: qparser.QueryParser, text: str) -> tuple[Query | None, str | None]:
    """The query for `text` and a note for the user, or (None, None) when there is nothing to search for."""
    text, note = request.prepare(text)
    if text is None:
        return None, note
    analyzer = parser.schema["body"].analyzer if parser.schema and "body" in parser.schema else None
    expanded = with_synonyms(text, analyzer) if analyzer is not None else text
    try:
        query = parser.parse(expanded)
    except Exception:  # Whoosh's parser raises assorted errors on odd syntax; the user gets a plain search
        query, note = parser.parse(request.plain_words(text)), "Die Suchanfrage war nicht lesbar: es wurde nach den Wörtern gesucht."
    if query is None or query is NullQuery or not list(query.leaves()):
        return None, note
    return with_proximity(with_parts(query)), note


# -- synonyms ---------------------------------------------------------------------------------------------


def word_key(analyzer, word: str) -> tuple[str, ...]:
    """The terms a query word searches for: what the synonym table matches names by."""
    return tuple(token.text for token in analyzer(word, mode="query"))


@lru_cache(maxsize=2)
def _synonyms(path: str, mtime: float) -> Synonyms:
    analyzer = german_analyzer()
    return Synonyms(read_groups(path), key=lambda name: word_key(analyzer, name))


def synonyms_table() -> Synonyms:
    """The synonym table, reread when the file changes."""
    return _synonyms(str(SYNONYMS_PATH), os.path.getmtime(SYNONYMS_PATH))


def _alternative(name: str) -> str:
    return f'"{name}"' if " " in name else name


def with_synonyms(text: str, analyzer) -> str:
    """`text` with each synonym name among its plain words replaced by the OR of its group's names."""
    tokens = QUERY_TOKEN.findall(text)
    plain = [PLAIN_WORD.fullmatch(t) is not None and t not in request.OPERATORS for t in tokens]
    if not any(plain):
        return text
    table = synonyms_table()
    out, i = [], 0
    while i < len(tokens):
        if not plain[i]:
            out.append(tokens[i])
            i += 1
            continue
        end = i
        while end < len(tokens) and plain[end]:
            end += 1
        run = tokens[i:end]
        keys = [word_key(analyzer, word) for word in run]
        at = 0
        for match in table.match(keys):
            out.extend(run[at : match.start])
            out.append("(" + " OR ".join(_alternative(n) for n in match.names) + ")")
            at = match.end
        out.extend(run[at:])
        i = end
    return " ".join(out)


# -- parts and proximity ----------------------------------------------------------------------------------


def _searches_parts(term: Term) -> bool:
    text = term.text
    return (
        term.fieldname in TEXT_FIELDS
        and isinstance(text, str)
        and text.isalpha()
        and len(text) >= MIN_PART_TERM
        and not text.startswith(PART_MARK)
    )


def with_parts(query: Query) -> Query:
    """Each text-field term ORed with its part term at `PART_BOOST`; phrases untouched."""

    def expand(node):
        if type(node) is Term and _searches_parts(node):
            return Or([node, Term(node.fieldname, PART_MARK + node.text, boost=node.boost * PART_BOOST)])
        return node

    return query.accept(expand)


def _terms_by_field(node) -> dict[str, set[str]]:
    """The plain terms under `node` through ORs only (not phrases, not NOTs), by field."""
    found: dict[str, set[str]] = {}
    stack = [node]
    while stack:
        q = stack.pop()
        if type(q) is Term and q.fieldname in TEXT_FIELDS:
            found.setdefault(q.fieldname, set()).add(q.text)
        elif type(q) is Or:
            stack.extend(q.subqueries)
    return found


class SizedSpanOr(SpanOr):
    """Whoosh's SpanOr without the missing `estimate_size`: Whoosh calls it when it plans a search over more than
    a few thousand documents, and the proximity clause would otherwise make every such search raise."""

    def estimate_size(self, ixreader):
        return self.q.estimate_size(ixreader)


def with_proximity(query: Query) -> Query:
    """`query`, plus a bonus for releases where its words occur near each other (unordered, one field)."""
    if type(query) is not And:
        return query
    words = [w for w in (_terms_by_field(q) for q in query.subqueries) if w][:MAX_PROXIMITY_WORDS]
    if len(words) < 2:
        return query
    near = []
    for field in TEXT_FIELDS:
        if all(field in w for w in words):
            boost = FIELD_BOOSTS[field] * PROXIMITY_BOOST
            spans = [
                SizedSpanOr([Term(field, t, boost=boost * (PART_BOOST if t.startswith(PART_MARK) else 1)) for t in sorted(w[field])])
                for w in words
            ]
            near.append(SpanNear2(spans, slop=PROXIMITY_SLOP, ordered=False))
    return AndMaybe(query, Or(near)) if near else query


def query_words(query: Query | None) -> set[str]:
    """The analysed terms of a query's text fields, for highlighting."""
    if query is None:
        return set()
    words = set()
    for field, text in query.iter_all_terms():
        if field in TEXT_FIELDS:
            words.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return words
