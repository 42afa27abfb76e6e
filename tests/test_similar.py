"""Similar releases and near-duplicates shown as one entry, on both engines (OpenSearch when a cluster is set).

The archive: the bundled sample, plus versions made of two of its releases at test time: an edited copy of one
(`EDITED`), and of another a republished copy and an updated version (`GROUP`, three versions of one release),
and an unrelated release written here.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import pytest

from search import SearchParams, api
from search.engine import WhooshEngine
from search.indexer import index_sources
from tests.conftest import opensearch_alias, opensearch_index

EDITED = "baerbock-empfaengt-bayramov-und-mirzoyan-in-berlin"
GROUP = "gesundheitszusammenarbeit-mit-der-who"
UNRELATED = (
    "Orgelkonzert im Dom zum Abschluss der Kulturwoche\n"
    "Ein Organist aus Leipzig spielte Werke von Bach und Reger vor ausverkauftem Haus.\n"
    "Die Kulturwoche bot Lesungen, eine Fotoausstellung über alte Handwerksberufe und einen Filmabend.\n"
    "Im nächsten Jahr soll das Programm um ein Jazzfestival am Flussufer erweitert werden.\n"
)


def versions_folder(folder: Path) -> Path:
    """The versions of `EDITED` and `GROUP` and the unrelated release, as .txt files in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    edited = (api.SAMPLE_CORPUS / f"{EDITED}.txt").read_text(encoding="utf-8").splitlines()
    edited[0] += " – aktualisiert"
    edited[2] = edited[2].replace("Berlin", "der Hauptstadt", 1)
    (folder / "bearbeitet.txt").write_text("\n".join(edited[:-1] + ["Die Gespräche sollen im Herbst fortgesetzt werden."]), encoding="utf-8")
    original = (api.SAMPLE_CORPUS / f"{GROUP}.txt").read_text(encoding="utf-8")
    (folder / "who-kopie.txt").write_text(original, encoding="utf-8")
    (folder / "who-aktualisiert.txt").write_text(
        original.replace("ausgebaut", "deutlich ausgebaut", 1) + "\nDie Vereinbarung wurde am Freitag veröffentlicht.\n",
        encoding="utf-8",
    )
    (folder / "orgelkonzert.txt").write_text(UNRELATED, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def sources(tmp_path_factory):
    return [api.SAMPLE_CORPUS, versions_folder(tmp_path_factory.mktemp("versions"))]


@pytest.fixture(scope="module")
def whoosh(sources, tmp_path_factory):
    root = tmp_path_factory.mktemp("similar-whoosh")
    index_sources(sources, root, workers=0)
    return WhooshEngine(root)


@pytest.fixture(scope="module")
def opensearch(sources):
    with opensearch_index(sources, opensearch_alias("similar")) as engine:
        yield engine


@pytest.fixture(scope="module", params=["whoosh", "opensearch"])
def engine(request):
    return request.getfixturevalue(request.param)


def test_a_release_and_its_edited_copy_are_each_others_most_similar(engine):
    like_original = engine.similar(EDITED)
    like_copy = engine.similar("bearbeitet")
    assert like_original[0].id == "bearbeitet" and like_copy[0].id == EDITED
    assert len(like_original) == 5 and "orgelkonzert" not in {hit.id for hit in like_original}
    assert EDITED not in {hit.id for hit in like_original}  # never the release itself


def test_similar_releases_of_an_unknown_id_are_not_found(engine):
    from search import DocumentNotFound

    with pytest.raises(DocumentNotFound):
        engine.similar("gibt-es-nicht")


def test_three_versions_of_a_release_are_one_entry_with_two_more(engine):
    found = engine.search(SearchParams(query="Weltgesundheitsorganisation"))
    group = [hit for hit in found.hits if hit.id in {GROUP, "who-kopie", "who-aktualisiert"}]
    assert len(group) == 1 and group[0].versions == 2
    every = engine.search(SearchParams(query="Weltgesundheitsorganisation", every_version=True))
    assert every.total == found.total + 2
    assert {hit.id for hit in every.hits} >= {GROUP, "who-kopie", "who-aktualisiert"}


def test_facet_counts_count_a_group_once_unless_every_version_is_asked_for(engine):
    def who_count(params: SearchParams) -> int:
        return next(fv.count for fv in engine.search(params).facets["organisation"] if fv.value == "WHO")

    assert who_count(SearchParams(facet_limit=0, every_version=True)) == who_count(SearchParams(facet_limit=0)) + 2
    browse = engine.search(SearchParams())
    every = engine.search(SearchParams(every_version=True))
    assert browse.total == every.total - 3  # two more versions of GROUP, and the edited copy of EDITED
    assert dict(every.histogram)["2024"] == dict(browse.histogram)["2024"] + 1  # the edited copy, dated 2024


def test_the_versions_of_a_release_are_its_group_without_it(engine):
    assert [hit.id for hit in engine.versions("who-kopie")] == [GROUP, "who-aktualisiert"]
    assert engine.versions("orgelkonzert") == ()


def test_both_engines_count_groups_alike(whoosh, opensearch):
    for params in (SearchParams(), SearchParams(query="Zusammenarbeit"), SearchParams(filters={"organisation": ("WHO",)}),
                   SearchParams(query="Zusammenarbeit", sort="newest", per_page=50)):
        a, b = whoosh.search(params), opensearch.search(params)
        assert a.total == b.total, params
        assert a.facets == b.facets and a.histogram == b.histogram, params
        if params.sort == "newest":
            assert [h.id for h in a.hits] == [h.id for h in b.hits]


@pytest.mark.parametrize("engine_name", ["whoosh", "opensearch"])
def test_groups_survive_an_update_and_are_in_the_report(engine_name, sources, tmp_path, monkeypatch):
    root = tmp_path / "index"
    if engine_name == "opensearch":
        alias = opensearch_alias("similar-update")
        context = opensearch_index(sources, alias)
        monkeypatch.setenv("DEPESCHE_OPENSEARCH_INDEX", alias)  # the update's writer finds it there
    else:
        index_sources(sources, root, workers=0)
        context = contextlib.nullcontext(WhooshEngine(root))
    with context as engine:
        kw = dict(engine="opensearch", url=os.environ.get("DEPESCHE_OPENSEARCH_URL")) if engine_name == "opensearch" else {}
        later = sources[1].parent / f"later-{engine_name}"
        shutil.copytree(sources[1], later)
        (later / "who-nochmal.txt").write_text((later / "who-kopie.txt").read_text(encoding="utf-8"), encoding="utf-8")
        (later / "who-kopie.txt").unlink()
        report = index_sources([api.SAMPLE_CORPUS, later], root, update=True, workers=0, **kw)
        assert (report.indexed, report.removed) == (1, 1)
        groups = {group["group"]: group["versions"] for group in report.summary()["duplicate_groups"]}
        assert sorted(groups[GROUP]) == sorted([GROUP, "who-aktualisiert", "who-nochmal"])
        assert [hit.id for hit in engine.versions(GROUP)] == ["who-aktualisiert", "who-nochmal"]


def test_both_engines_find_mostly_the_same_similar_releases(corpus_index, opensearch_corpus):
    """Whoosh's key terms (Bo1) with BM25F and OpenSearch's more_like_this (tf-idf, per shard) pick their words
    differently, so their lists differ in part: measured here on the 60 oldest releases of the corpus (figures in
    docs/duplicates.md)."""
    whoosh = WhooshEngine(corpus_index)
    ids = [hit.id for hit in whoosh.search(SearchParams(sort="oldest", per_page=60, every_version=True)).hits]
    pairs = [([h.id for h in whoosh.similar(i)], [h.id for h in opensearch_corpus.similar(i)]) for i in ids]
    shared = [len(set(a) & set(b)) for a, b in pairs]
    firsts = sum(a[:1] == b[:1] for a, b in pairs)
    print(f"\nsimilar releases, Whoosh and OpenSearch, {len(ids)} releases: {sum(shared) / len(ids):.2f} of 5 shared, "
          f"the same first in {firsts}; lists of fewer than 5: {[(len(a), len(b)) for a, b in pairs if len(a) < 5 or len(b) < 5]}")
    assert sum(shared) / len(ids) >= 2.0 and firsts >= len(ids) * 0.35  # measured: 2.23 and 25 of 60


def test_the_opensearch_request_collapses_on_the_group_unless_every_version_is_asked_for():
    from search.opensearch import query

    body = query.search_body(SearchParams(query="x"), {"match_all": {}})
    assert body["collapse"] == {"field": "dup_group"}
    shared = body["aggs"]["facet_actor"]["aggs"][query.SHARED_GROUPS]
    assert shared["terms"]["field"] == "dup_group" and shared["aggs"]["values"]["terms"]["field"] == "actor"
    every = query.search_body(SearchParams(query="x", every_version=True), {"match_all": {}})
    assert "collapse" not in every and query.COLLAPSED not in every["aggs"]
    assert query.SHARED_GROUPS not in every["aggs"]["facet_actor"]["aggs"]
    groups = {"buckets": [{"key": "a", "doc_count": 3, "values": {"buckets": [{"key": "X", "doc_count": 3}]}},
                          {"key": "b", "doc_count": 2, "values": {"buckets": [{"key": "X", "doc_count": 1}]}}]}
    answer = {"hits": {"total": {"value": 10}}, "aggregations": {query.COLLAPSED: {query.SHARED_GROUPS: groups}}}
    assert query.collapsed_total(answer) == 7  # ten releases, of them two groups of three and two
    facet = {"values": {"buckets": [{"key": "X", "doc_count": 6}, {"key": "Y", "doc_count": 1}]}, query.SHARED_GROUPS: groups}
    assert query.bucket_counts(facet, "values") == {"X": 4, "Y": 1}  # group a's three versions count once


def test_the_reindex_report_lists_the_groups_as_text_and_json(sources, tmp_path):
    import json

    from click.testing import CliRunner

    from search.cli import cli

    args = ["index", *map(str, sources), "--index", str(tmp_path / "index")]
    text = CliRunner().invoke(cli, args)
    assert text.exit_code == 0, text.output
    assert f"duplicate_groups: 2 ({EDITED} = bearbeitet, {GROUP} = who-aktualisiert = who-kopie)" in text.output
    answer = CliRunner().invoke(cli, [*args, "--update", "--json"])
    assert json.loads(answer.output)["duplicate_groups"] == [
        {"group": EDITED, "versions": [EDITED, "bearbeitet"]},
        {"group": GROUP, "versions": [GROUP, "who-aktualisiert", "who-kopie"]},
    ]


@contextlib.contextmanager
def max_buckets(engine, limit: int):
    """The cluster's `search.max_buckets` lowered for a while (its default, 65,535, is what 100,000 releases hit)."""
    settings = lambda value: engine.client.cluster.put_settings(body={"transient": {"search.max_buckets": value}})  # noqa: E731
    settings(limit)
    try:
        yield
    finally:
        settings(None)


def test_counting_groups_once_stays_within_the_clusters_bucket_limit(corpus_index, opensearch_corpus):
    """Subtracting near-duplicates beside every count once built more buckets than a cluster allows: at 100,000
    releases browsing failed (too_many_buckets_exception). Only the groups of several among the matches are counted
    now; a cluster allowing 3,000 buckets answers the corpus (1,023 releases) as Whoosh does."""
    whoosh = WhooshEngine(corpus_index)
    with max_buckets(opensearch_corpus, 3000):
        for params in (SearchParams(facet_limit=0), SearchParams(query="Regierung", facet_limit=0)):
            a, b = whoosh.search(params), opensearch_corpus.search(params)
            assert (a.total, a.facets, a.histogram) == (b.total, b.facets, b.histogram), params
