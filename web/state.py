"""The search page's state, which lives entirely in the query string.

Vocabulary:
- args: the request's query string (a werkzeug MultiDict): ``q``; one repeatable key per facet (``actor``,
  ``year`` ...); ``from``/``to`` (YYYY-MM-DD); ``sort``; ``page``; ``per_page``; ``more`` (facets shown in full,
  repeatable); ``<facet>_q`` (search inside one facet's values); ``fassungen=alle`` (every version of a release
  listed and counted, not one entry a near-duplicate group).
- pairs: the same state as an ordered list of (key, value), the form every link is built from.
- href(base, pairs): a URL. Every link and form the page offers is ``href`` of some change to the current pairs,
  so every state is a URL, and a change of filter always goes back to page 1.

Pure functions, no Flask: they take a MultiDict and return data.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlencode

from search import BadQuery, SearchParams
from search.model import FACETS, SORTS
from search.params import day, number, validate

FACET_LIMIT = 10  # values shown per facet before "mehr anzeigen"
EVERY_VERSION = ("fassungen", "alle")  # the query-string switch: count and list every version (web/similar.py)
SEARCH_KEYS = ("q", *FACETS, "from", "to", "sort", "per_page", EVERY_VERSION[0])  # what defines a result set
FACET_SEARCH_SUFFIX = "_q"

Pairs = list[tuple[str, str]]


def expanded_facets(args) -> tuple[str, ...]:
    """The facets the user asked to see in full (``more=actor``); BadQuery for an unknown facet name."""
    names = tuple(dict.fromkeys(v for v in args.getlist("more") if v))
    unknown = [name for name in names if name not in FACETS]
    if unknown:
        raise BadQuery(f"Unbekannte Facette {unknown[0]!r}. Möglich sind: {', '.join(FACETS)}.")
    return names


def params_from_args(args, *, facet_limit: int | None = None) -> SearchParams:
    """SearchParams from a query string, through the one validation layer (`search.params`); BadQuery with a
    German message for a value that cannot be used.

    ``facet_limit`` None reads it from the args (the API's ``facet_limit``, default 10, 0 = all).
    """
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise BadQuery(f"Unbekannte Sortierung {sort!r}. Möglich sind: Relevanz (relevance), Neueste (newest), Älteste (oldest).")
    if facet_limit is None:
        facet_limit = number(args.get("facet_limit"), "facet_limit", FACET_LIMIT)
    date_from, date_to = day(args.get("from"), "Von"), day(args.get("to"), "Bis")
    return validate(SearchParams(
        query=(args.get("q") or "").strip(),
        filters={facet: tuple(dict.fromkeys(v for v in args.getlist(facet) if v)) for facet in FACETS if any(args.getlist(facet))},
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=number(args.get("page"), "Die Seitenzahl", 1),
        per_page=number(args.get("per_page"), "Treffer pro Seite", 10),
        facet_limit=facet_limit,
        facet_filter={
            facet: args.get(facet + FACET_SEARCH_SUFFIX).strip()
            for facet in FACETS
            if (args.get(facet + FACET_SEARCH_SUFFIX) or "").strip()
        },
        every_version=args.get(EVERY_VERSION[0]) == EVERY_VERSION[1],  # near-duplicates each listed and counted
    ))


def search_pairs(args, *, keep: Iterable[str] = ()) -> Pairs:
    """The pairs that define the result set (no page, no view options), plus the keys in ``keep``."""
    wanted = set(SEARCH_KEYS) | set(keep)
    return [(key, value) for key, value in args.items(multi=True) if key in wanted and value != ""]


def href(base: str, pairs: Pairs) -> str:
    return f"{base}?{urlencode(pairs)}" if pairs else base


def toggled(args, facet: str, value: str) -> Pairs:
    """The state with ``value`` added to or removed from ``facet``; page 1; expanded facets kept."""
    pairs = search_pairs(args, keep=("more",))
    if (facet, value) in pairs:
        return [pair for pair in pairs if pair != (facet, value)]
    return pairs + [(facet, value)]


def replaced(args, keep: Iterable[str] = ("more",), **changes: str | list[str] | None) -> Pairs:
    """The state with some keys replaced (a list of values, one value, or None to drop); page 1 unless given."""
    pairs = [(key, value) for key, value in search_pairs(args, keep=keep) if key not in changes]
    for key, value in changes.items():
        if value is None:
            continue
        pairs += [(key, v) for v in ([value] if isinstance(value, str) else value)]
    return pairs
