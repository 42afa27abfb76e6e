"""What an actor page asks of an engine: on OpenSearch one round trip (`_msearch`) for the person's facts and the
search of their releases, a second only when those releases hold near-duplicates; the search counts just the
facets the page shows, and a search that scores no words skips the DFS round trip. The page stays the one Whoosh
gives, near-duplicates counted once (the archive of `test_similar`: the sample plus versions of two releases)."""

from __future__ import annotations

import pytest

from search import SearchParams, actor_profile
from search.actor_profile import profile
from search.opensearch import query as q
from search.queries import plan
from tests.test_similar import EDITED, opensearch, sources, whoosh  # noqa: F401 (fixtures)

WITH_VERSIONS = "Ceyhun Bayramov"  # named in EDITED, which has an edited copy


@pytest.fixture(scope="module", params=["whoosh", "opensearch"])
def engine(request):
    return request.getfixturevalue(request.param)


def requests_of(engine, monkeypatch) -> list[str]:
    """The paths the OpenSearch engine's client asks from now on."""
    asked: list[str] = []
    perform = engine.client.transport.perform_request

    def logged(method, url, *args, **kwargs):
        asked.append(url.rsplit("/", 1)[-1])
        return perform(method, url, *args, **kwargs)

    monkeypatch.setattr(engine.client.transport, "perform_request", logged)
    return asked


def without_versions(whoosh) -> str:  # noqa: F811
    """A person of the archive none of whose releases has another version."""
    for value in whoosh.search(SearchParams(facet_limit=0, per_page=1)).facets["actor"]:
        hits = whoosh.search(SearchParams(filters={"actor": (value.value,)}, per_page=100)).hits
        if len(hits) >= 2 and not any(hit.versions for hit in hits):
            return value.value
    raise AssertionError("the sample names nobody without versions")


def test_the_page_counts_near_duplicates_once_on_both_engines(whoosh, opensearch):  # noqa: F811
    page = profile(opensearch, WITH_VERSIONS).to_json()
    assert page == profile(whoosh, WITH_VERSIONS).to_json()
    every = whoosh.search(SearchParams(filters={"actor": (WITH_VERSIONS,)}, every_version=True))
    assert page["releases"] == every.total - 1  # EDITED and its copy are one entry
    assert EDITED in [hit["id"] for hit in page["latest"]]


def test_opensearch_asks_once_unless_the_releases_hold_versions(whoosh, opensearch, monkeypatch):  # noqa: F811
    asked = requests_of(opensearch, monkeypatch)
    opensearch.view()
    asked.clear()
    person = without_versions(whoosh)
    assert profile(opensearch, person).to_json() == profile(whoosh, person).to_json()
    assert asked == ["_msearch", "_search"]  # facts and releases together, then the hits' group sizes
    asked.clear()
    profile(opensearch, WITH_VERSIONS)
    assert asked == ["_msearch", "_search", "_search"]  # the counts with the versions subtracted, group sizes


def test_the_search_counts_only_the_facets_asked_for(engine):
    params = SearchParams(query="Außenminister", counted=("country", "year"))
    found, full = engine.search(params), engine.search(SearchParams(query="Außenminister"))
    assert set(found.facets) == {"country", "year"}
    assert found.facets["country"] == full.facets["country"] and found.facets["year"] == full.facets["year"]
    assert (found.total, found.histogram, [h.id for h in found.hits]) == (full.total, full.histogram, [h.id for h in full.hits])
    page = actor_profile.releases_of(engine.actor_facts(WITH_VERSIONS))
    assert page.counted == actor_profile.COUNTED


@pytest.mark.parametrize("text, search_type", [
    ('actor:"Jens Stoltenberg" OR actor:"J. Stoltenberg"', "query_then_fetch"),
    ("", "query_then_fetch"),
    ('country:Aserbaidschan -Nato', "query_then_fetch"),  # an excluded word scores nothing
    ("Stoltenberg", "dfs_query_then_fetch"),
    ('actor:"Jens Stoltenberg" Brüssel', "dfs_query_then_fetch"),
    ('"Gespräche in Berlin"', "dfs_query_then_fetch"),
])
def test_only_searches_that_score_words_take_the_dfs_round_trip(text, search_type):
    assert q.search_type(plan(text).tree) == search_type


def test_without_subtracting_the_counts_carry_no_group_counts_but_the_matches_groups():
    body = q.search_body(SearchParams(query="x", counted=("country",)), {"match_all": {}}, {}, subtract=False)
    assert set(body["aggs"]) == {q.MATCHED, "facet_country", "timeline_years"}
    assert q.SHARED_GROUPS in body["aggs"][q.MATCHED]["aggs"]
    assert q.SHARED_GROUPS not in body["aggs"]["facet_country"]["aggs"]
    answer = {"aggregations": {q.MATCHED: {"doc_count": 3, q.SHARED_GROUPS: {"buckets": [{"key": "g", "doc_count": 2}]}}},
              "hits": {"total": {"value": 3}}}
    assert q.shares_versions(answer) and q.collapsed_total(answer) == 2
    assert not q.shares_versions({"aggregations": {q.MATCHED: {"doc_count": 3, q.SHARED_GROUPS: {"buckets": []}}}})
