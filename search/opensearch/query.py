"""From SearchParams to an OpenSearch search body; building is separate from running, so it is testable alone.

The user's text becomes a `query_string` over title^3, lead^1.8 and body, words joined with AND, as the Whoosh
engine's parser does: AND/OR/NOT, "phrases", (groups) and field:value work; wildcards, fuzzy and regular
expressions do not (their characters are escaped, as Whoosh's parser has no wildcard plugin). A name of a field the
index does not have makes it a plain-words search with a note, as in the Whoosh engine.

Facets follow the Whoosh engine's semantics: OR within a facet, AND across facets, and a facet's counts ignore its
own selection. The query scores; the facet selections and the date range filter the hits through `post_filter`
(so they do not change scores); each facet is counted in a `filter` aggregation of every *other* selection.
"""

from __future__ import annotations

import re

from .. import request
from ..model import FACETS, SearchParams
from .mapping import FIELD_BOOSTS, TEXT_FIELDS

FACET_BUCKETS = 5000  # values counted per facet; exact below this many distinct values
_ESCAPE = re.compile(r'([\\/~*?!&|<>=])')
SNIPPET_FRAGMENT_CHARS = 220
SNIPPET_FRAGMENTS = 2
MARK = {"pre_tags": ["<mark>"], "post_tags": ["</mark>"], "encoder": "html"}


def prepare(text: str) -> tuple[str | None, str | None]:
    """(query_string text, note), or (None, None) when there is nothing to search for (see `search.request`)."""
    text, note = request.prepare(text)
    return (_ESCAPE.sub(r"\\\1", text) if text else None), note


def text_query(text: str) -> dict:
    return {
        "query_string": {
            "query": text,
            "fields": [f"{name}^{FIELD_BOOSTS[name]}" for name in TEXT_FIELDS],
            "default_operator": "AND",
            # each word may match in any of the fields, as in the Whoosh engine (the default, best_fields, wants
            # every word in one field); the three fields share one analyzer, which cross_fields needs
            "type": "cross_fields",
            "allow_leading_wildcard": False,
            "analyze_wildcard": False,
            "fuzzy_max_expansions": 1,
            "auto_generate_synonyms_phrase_query": False,
        }
    }


def filters(params: SearchParams) -> dict[str, dict]:
    """Facet name or "date" -> the filter clause it adds."""
    clauses = {facet: {"terms": {facet: list(params.selected(facet))}} for facet in FACETS if params.selected(facet)}
    dates = request.date_range(params)
    if dates:
        low, high, partial = dates
        clauses["date"] = {
            "bool": {
                "should": [
                    {"range": {"datekey": {"gte": low, "lte": high}}},
                    {"terms": {"datekey": [key for key in partial if key > 0]}},
                ],
                "minimum_should_match": 1,
            }
        }
    return clauses


def _all(clauses) -> dict:
    clauses = list(clauses)
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def search_body(params: SearchParams, text: str | None) -> dict:
    """The whole request: one page of hits, the total, every facet's counts and the timeline."""
    active = filters(params)
    start = (params.page - 1) * params.per_page
    sort = params.sort if text is not None else ("newest" if params.sort == "relevance" else params.sort)
    if sort == "relevance":
        order = ["_score", {"seq": "asc"}]
    else:
        order = [{"datekey": {"order": "desc" if sort == "newest" else "asc", "missing": "_last"}}, {"seq": "asc"}]
    aggs = {}
    for facet in FACETS:
        others = [clause for name, clause in active.items() if name != facet]
        aggs[f"facet_{facet}"] = {
            "filter": _all(others),
            "aggs": {"values": {"terms": {"field": facet, "size": FACET_BUCKETS, "shard_size": FACET_BUCKETS}}},
        }
    years = params.selected("year")
    if len(years) == 1 and years[0].isdigit():
        year = int(years[0])
        aggs["timeline_months"] = {
            "filter": _all([*active.values(), {"range": {"datekey": {"gte": year * 10000 + 100, "lt": year * 10000 + 1300}}}]),
            "aggs": {"months": {"histogram": {"field": "datekey", "interval": 100, "min_doc_count": 1}}},
        }
    else:
        others = [clause for name, clause in active.items() if name != "year"]
        aggs["timeline_years"] = {
            "filter": _all(others),
            # every year of the index, with 0 where nothing matches, as the Whoosh engine's timeline
            "aggs": {"years": {"terms": {"field": "year", "size": FACET_BUCKETS, "min_doc_count": 0}}},
        }
    body = {
        "query": text_query(text) if text is not None else {"match_all": {}},
        "from": start,
        "size": params.per_page,
        "sort": order,
        "track_total_hits": True,
        "_source": {"excludes": ["body", "meta_json", "lead"]},
        "aggs": aggs,
        "highlight": {
            **MARK,
            "type": "unified",
            "fragment_size": SNIPPET_FRAGMENT_CHARS,
            "number_of_fragments": SNIPPET_FRAGMENTS,
            "no_match_size": 0,
            "max_analyzer_offset": 60_000,
            "fields": {"lead": {}, "body": {}},
        },
    }
    if active:
        body["post_filter"] = _all(active.values())
    return body
