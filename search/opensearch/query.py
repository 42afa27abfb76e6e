"""From the engine-neutral query tree (`search.querytree`) and SearchParams to an OpenSearch request body.

Building is separate from sending, so every body is testable without a cluster.

How OpenSearch spells each node of the tree (the tree says what to search; see `mapping` for the fields):
- Term: a `term` query on the field of its kind (`title_word`, `body_part` ...), with the term's boost (the tree
  already carries the text field's weight, title 3 > lead 1.8 > body 1, and the kind's weight);
- Keyword: a `term` query on the keyword field (facets, id), not scored;
- Phrase: `match_phrase` on the word field (slop 0 = adjacent, as in the tree);
- Near: an unordered `span_near` over one `span_or` per word, on the word field; part terms have no positions in
  OpenSearch (their field keeps frequencies only), so a word's part alternatives are left out of the span;
- Any: `bool.should` (at least one; scores summed); All: `bool.must`, its Not clauses in `must_not`;
- AtLeast: `bool.should` with `minimum_should_match`, each clause adding `coord` when it matches;
- Bonus: `bool.must` of the required part, `should` of the bonus; Everything: `match_all`.

Facets follow the Whoosh engine's semantics: OR within a facet, AND across facets, and a facet's counts ignore its
own selection. The query scores; the facet selections and the date range filter the hits through `post_filter`
(so they do not change scores); each facet is counted in a `filter` aggregation of every *other* selection. A
selected full name also selects the partial names filed under it (`aliases`), an acronym the long forms.
"""

from __future__ import annotations

from collections.abc import Mapping

from .. import querytree as qt
from ..fields import ARRIVED_FIELD
from ..params import date_range, is_year
from ..model import FACETS, SearchParams
from .mapping import GROUP_FIELD, POSITIONS_KIND, STORED, TEXT_FIELDS, term_field

FACET_BUCKETS = 5000  # values counted per facet; exact below this many distinct values
MATCHED = "matched"  # the aggregation counting the query's matches before the facet and date filters
GROUPS = "groups"  # a page's groups and their sizes (`group_sizes_body`)
SHARED_GROUPS = "shared_groups"  # beside a count: the near-duplicate groups with two or more matching versions,
# each with the same count over its versions, so their extra versions are subtracted (`bucket_counts`)
COLLAPSED = "collapsed"  # the matches after every filter, for the total with each group once
GROUP_BUCKETS = 10_000  # groups of several versions among one search's matches, exact below this many
SUBTRACTED_GROUPS = 1_000  # of them, subtracted from each facet's counts: beside every count, buckets add up (a
# request may build at most the cluster's search.max_buckets, 65,535 by default)


def _boosted(query: dict, boost: float) -> dict:
    if boost != 1.0:
        next(iter(query.values()))["boost"] = round(boost, 6)
    return query


def to_dsl(node) -> dict:
    """The OpenSearch query for a node of the query tree."""
    kind = type(node)
    if kind is qt.Term:
        return {"term": {term_field(node.field, node.kind): {"value": node.text, "boost": round(node.boost, 6)}}}
    if kind is qt.Keyword:
        return {"constant_score": {"filter": {"term": {node.field: node.value}}, "boost": 0.0}}
    if kind is qt.Phrase:
        phrase = {"query": " ".join(node.terms), "slop": node.slop, "boost": round(node.boost, 6)}
        return {"match_phrase": {term_field(node.field): phrase}}
    if kind is qt.Near:
        return _near(node)
    if kind is qt.Any:
        return _boosted({"bool": {"should": [to_dsl(c) for c in node.clauses], "minimum_should_match": 1}}, node.boost)
    if kind is qt.All:
        return _boosted(_all(node.clauses), node.boost)
    if kind is qt.Not:
        return {"bool": {"must": [{"match_all": {}}], "must_not": [to_dsl(node.clause)]}}
    if kind is qt.AtLeast:
        counted = [{"bool": {"must": [{"constant_score": {"filter": to_dsl(c), "boost": node.coord}}], "should": [to_dsl(c)]}}
                   for c in node.clauses]
        return {"bool": {"should": counted, "minimum_should_match": node.minimum}}
    if kind is qt.Bonus:
        return {"bool": {"must": [to_dsl(node.required)], "should": [to_dsl(node.bonus)]}}
    if kind is qt.Everything:
        return {"match_all": {}}
    raise TypeError(f"no OpenSearch query for {node!r}")


def _all(clauses) -> dict:
    must = [to_dsl(c) for c in clauses if type(c) is not qt.Not]
    must_not = [to_dsl(c.clause) for c in clauses if type(c) is qt.Not]
    body: dict = {"must": must or [{"match_all": {}}]}
    if must_not:
        body["must_not"] = must_not
    return {"bool": body}


def _near(node) -> dict:
    """Whoosh counts a span's slop from 1 (adjacent), Lucene from 0: one less here. Span clauses take no boosts of
    their own: the words' weight (they share one: the field's, times the proximity weight) boosts the whole span."""
    field = term_field(node.field)
    spans, boost = [], 0.0
    for group in node.groups:
        words = [t for t in group if t.kind == POSITIONS_KIND]
        if not words:
            return {"match_none": {}}
        boost = max(boost, *(t.boost for t in words))
        spans.append({"span_or": {"clauses": [{"span_term": {field: t.text}} for t in words]}})
    near = {"span_near": {"clauses": spans, "slop": max(node.slop - 1, 0), "in_order": False}}
    return {"bool": {"must": [near], "boost": round(node.boost * boost, 6)}}


STATISTICS_FREE = (qt.Keyword, qt.Everything, qt.Not)  # never scored from term statistics (a Not only excludes)


def search_type(node) -> str:
    """`dfs_query_then_fetch` when the tree scores words, which needs the index-wide term statistics of the DFS
    round trip (else each shard would score with its own); `query_then_fetch` for keywords and browsing only, whose
    scores are constant: the DFS round trip would change nothing but the time."""
    return "dfs_query_then_fetch" if node is not None and _scores_words(node) else "query_then_fetch"


def _scores_words(node) -> bool:
    kind = type(node)
    if kind in STATISTICS_FREE:
        return False
    if kind in (qt.Any, qt.All, qt.AtLeast):
        return any(_scores_words(clause) for clause in node.clauses)
    if kind is qt.Bonus:
        return _scores_words(node.required) or _scores_words(node.bonus)
    return True  # Term, Phrase, Near, and any kind added later: scored until shown otherwise


# -- the whole request ------------------------------------------------------------------------------------


def selected_values(facet: str, values: tuple[str, ...], aliases: Mapping[str, Mapping[str, str]]) -> list[str]:
    """The indexed values a selection stands for: each value, the value it is filed under (a link may name a
    partial name or a long form, as the Whoosh engine's `FacetTable.mask_for` reads it) and every value filed
    under that."""
    filed = aliases.get(facet, {})
    wanted = {filed.get(value, value) for value in values}
    extra = {*wanted, *(alias for alias, full in filed.items() if full in wanted)} - set(values)
    return [*values, *sorted(extra)]


def filters(params: SearchParams, aliases: Mapping[str, Mapping[str, str]] | None = None) -> dict[str, dict]:
    """Facet name or "date" -> the filter clause it adds."""
    aliases = aliases or {}
    clauses = {
        facet: {"terms": {facet: selected_values(facet, params.selected(facet), aliases)}}
        for facet in FACETS
        if params.selected(facet)
    }
    dates = date_range(params)
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
    if params.arrived:
        after, until = params.arrived
        clauses[ARRIVED_FIELD] = {"range": {ARRIVED_FIELD: {"gt": after, "lte": until}}}
    return clauses


def _filtered(clauses) -> dict:
    clauses = list(clauses)
    return {"bool": {"filter": clauses}} if clauses else {"match_all": {}}


def _counted(name: str, count: dict | None, once: bool, groups: list[str] | None = None) -> dict:
    """The aggregation `count` under `name`, and when each group counts `once`, the same count over the versions of
    every group with two or more of them (`SHARED_GROUPS`; see `bucket_counts`): of `groups` only, when the groups of
    several among the query's matches are known (a first answer's `shared_groups`)."""
    aggs = {name: count} if count else {}
    if once:
        shared = {"terms": {"field": GROUP_FIELD, "size": GROUP_BUCKETS, "min_doc_count": 2}}
        if groups is not None:
            shared["terms"].update(include=groups, size=max(len(groups), 1))
        if count:
            shared["aggs"] = {name: {**count, **{kind: {**body, "min_doc_count": 1} for kind, body in count.items()}}}
        aggs[SHARED_GROUPS] = shared
    return aggs


def _aggregations(params: SearchParams, active: dict[str, dict], subtract: bool = True, groups=None) -> dict:
    """Every count of a search; with `subtract` False the counts leave out the near-duplicate groups' extra versions
    (`SHARED_GROUPS` beside each, costly over thousands of matches) and the query's matches name their groups of
    several instead: where there are none (`shares_versions`), no count has anything to subtract."""
    aggs: dict = {MATCHED: {"filter": {"match_all": {}}}}
    once = not params.every_version  # a near-duplicate group counted once
    if once:
        if not subtract:  # every count below counts a subset of the query's matches: their groups are all it needs
            aggs[MATCHED]["aggs"] = _counted("", None, once)
        if subtract or active:  # else the total's groups are the matches' (`collapsed_total`)
            aggs[COLLAPSED] = {"filter": _filtered(active.values()), "aggs": _counted("", None, once)}
    once = once and subtract
    for facet in params.counted_facets():
        others = [clause for name, clause in active.items() if name != facet]
        aggs[f"facet_{facet}"] = {
            "filter": _filtered(others),
            "aggs": _counted("values", {"terms": {"field": facet, "size": FACET_BUCKETS, "shard_size": FACET_BUCKETS}}, once, groups),
        }
    years = params.selected("year")
    if len(years) == 1 and is_year(years[0]):
        year = int(years[0])
        aggs["timeline_months"] = {
            "filter": _filtered([*active.values(), {"range": {"datekey": {"gte": year * 10000 + 100, "lt": year * 10000 + 1300}}}]),
            "aggs": _counted("months", {"histogram": {"field": "datekey", "interval": 100, "min_doc_count": 1}}, once, groups),
        }
    else:
        others = [clause for name, clause in active.items() if name != "year"]
        aggs["timeline_years"] = {
            "filter": _filtered(others),
            # every year of the index, with 0 where nothing matches, as the Whoosh engine's timeline
            "aggs": _counted("years", {"terms": {"field": "year", "size": FACET_BUCKETS, "min_doc_count": 0}}, once, groups),
        }
    return aggs


MAX_DOCS_PER_SHARD = 2_000_000  # a shard stops collecting after this many matches (`terminated_early`)


def timed(body: dict, seconds: float) -> dict:
    """The body with the cost limits of `search.querycost`: each shard returns what it found when the time is up
    (`timed_out`), at least a few milliseconds (a spent budget still lets the first page be read), or when it has
    collected MAX_DOCS_PER_SHARD matches, far beyond any archive measured, a bound for the ones that are not."""
    return {**body, "timeout": f"{max(10, int(seconds * 1000))}ms", "terminate_after": MAX_DOCS_PER_SHARD}


def search_body(
    params: SearchParams, query: dict | None, aliases: Mapping[str, Mapping[str, str]] | None = None,
    subtract: bool = True, groups: list[str] | None = None,
) -> dict:
    """The whole request: one page of hits (their stored fields), the total, the query's own match count, every
    facet's counts and the timeline. `query`: the translated tree, None to browse everything; `subtract`: see
    `_aggregations` (False: exact only when the answer does not `shares_versions`); `groups`: the groups whose extra
    versions the counts subtract (`shared_groups` of the answer without), None for any."""
    active = filters(params, aliases)
    sort = params.sort if query is not None else ("newest" if params.sort == "relevance" else params.sort)
    if sort == "relevance":
        order = ["_score", {"id": "asc"}]
    else:  # undated last, equal dates by id: as the Whoosh engine
        order = [{"datekey": {"order": "desc" if sort == "newest" else "asc", "missing": "_last"}}, {"id": "asc"}]
    body = {
        "query": query if query is not None else {"match_all": {}},
        "from": (params.page - 1) * params.per_page,
        "size": params.per_page,
        "sort": order,
        "track_total_hits": True,
        "track_scores": True,
        "_source": {"includes": list(STORED)},
        "aggs": _aggregations(params, active, subtract, groups),
    }
    if active:
        body["post_filter"] = _filtered(active.values())
    if not params.every_version:
        body["collapse"] = {"field": GROUP_FIELD}  # one hit a near-duplicate group: its best-placed version
    return body


def bucket_counts(agg: dict, name: str) -> dict:
    """The buckets of `agg[name]` as key -> count, each near-duplicate group once: a group with n versions in a
    bucket adds n - 1 too many, subtracted. Exact while the matches' groups of several fit `GROUP_BUCKETS` (and
    each shard's share of them its shard size); beyond that a group missed is counted per version."""
    counts = {bucket["key"]: bucket["doc_count"] for bucket in agg[name]["buckets"]}
    for group in agg.get(SHARED_GROUPS, {}).get("buckets", ()):
        for bucket in group[name]["buckets"]:
            if bucket["key"] in counts:
                counts[bucket["key"]] -= bucket["doc_count"] - 1
    return counts


def shares_versions(answer: dict) -> bool:
    """Whether the query's matches hold two or more versions of a near-duplicate group, in the answer to a
    `search_body(..., subtract=False)`: then its counts count them each, and the request with `subtract` is needed."""
    return bool(answer["aggregations"][MATCHED].get(SHARED_GROUPS, {}).get("buckets"))


def counts_only(body: dict) -> dict:
    """`body` asking for its counts alone: no hits, so nothing to sort, collapse or filter after counting."""
    return {**{k: v for k, v in body.items() if k not in ("from", "sort", "collapse", "post_filter", "_source")}, "size": 0}


def shared_groups(answer: dict) -> list[str]:
    """The near-duplicate groups of two or more versions among the query's matches, in the answer to a
    `search_body(..., subtract=False)`: the ones the second request subtracts (at most SUBTRACTED_GROUPS)."""
    buckets = answer["aggregations"][MATCHED].get(SHARED_GROUPS, {}).get("buckets", ())
    return [bucket["key"] for bucket in buckets][:SUBTRACTED_GROUPS]


def collapsed_total(answer: dict) -> int:
    """The matches with each near-duplicate group counted once (the hits' total counts every version)."""
    total = answer["hits"]["total"]["value"]
    aggs = answer.get("aggregations", {})
    shared = aggs.get(COLLAPSED, aggs.get(MATCHED, {})).get(SHARED_GROUPS)
    return total - sum(b["doc_count"] - 1 for b in shared["buckets"]) if shared else total


def group_sizes_body(groups: list[str]) -> dict:
    """The request counting the releases of each of `groups` (a page's hits' groups) in the whole index."""
    return {"size": 0, "query": {"terms": {GROUP_FIELD: groups}},
            "aggs": {GROUPS: {"terms": {"field": GROUP_FIELD, "size": max(len(groups), 1)}}}}


def similar_body(doc_id: str, size: int, key_terms: int) -> dict:
    """More like this: the releases sharing most of `doc_id`'s key words (in its word fields), the release left out."""
    like = {"more_like_this": {
        "fields": [term_field(name) for name in TEXT_FIELDS], "like": [{"_id": doc_id}],
        "min_term_freq": 1, "min_doc_freq": 1, "max_query_terms": key_terms, "minimum_should_match": 1,
    }}
    return {"query": like, "size": size, "sort": ["_score", {"id": "asc"}], "track_scores": True,
            "_source": {"includes": list(STORED)}}


def versions_body(group: str, doc_id: str, size: int) -> dict:
    """The other releases of a near-duplicate group, in id order."""
    query = {"bool": {"filter": [{"term": {GROUP_FIELD: group}}], "must_not": [{"ids": {"values": [doc_id]}}]}}
    return {"query": query, "size": size, "sort": [{"id": "asc"}], "_source": {"includes": list(STORED)}}
