"""The second judged set (tests/judged2/queries.toml), graded, written before the relevance work by an author who
had not read the code: Depesche against a plain Whoosh `LanguageAnalyzer('de')` index of the same releases.

Classes are what a user does (a natural query, a pasted headline, another word form, the exact form, part of a
compound, an acronym inside a compound, copied characters, a name in another spelling, a typo, excluding a word).
`pytest -s` prints nDCG@10 / R@10 / best@3 per class (see `judging`); the test fails below the floors, when a
relevant release exists and nothing is found, or when an exclusion leaks. The OpenSearch engine's figures are in
`test_judged2_set_on_opensearch` (it needs a cluster).
"""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh import qparser
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import ID, TEXT, Schema

from search import api
from search.documents import Skipped, read_sources
from search.engine import WhooshEngine
from search.engine.schema import FIELD_BOOSTS, TEXT_FIELDS
from search.indexer import index_sources
from search.model import SearchParams

from . import judging
from .conftest import opensearch_alias, opensearch_index, shared_path

# floors a little under what was measured when the relevance work landed (nDCG@10 per class, and overall):
# natural 0.852, pasted 0.911, word-family 0.705, exact-form 0.851, compound-part 0.890, acronym-compound 0.518,
# characters 0.778, name-spelling 0.944, typo 0.932, exclusion 0.879, all 0.833 (plain Whoosh: all 0.357)
FLOORS = {
    "natural": 0.82, "pasted": 0.88, "word-family": 0.67, "exact-form": 0.82, "compound-part": 0.86,
    "acronym-compound": 0.49, "characters": 0.75, "name-spelling": 0.91, "typo": 0.90, "exclusion": 0.85, "all": 0.80,
}
# queries with a relevant release that still find nothing (the target is none; see docs/relevance.md): an acronym the
# synonyms do not know (AMS), and a party acronym inside a compound (ÖVP-Chef for Volkspartei-Chef)
MAX_ZERO_HIT = 2
OPENSEARCH_MARGIN = 0.05  # the target: OpenSearch within 0.05 of Whoosh in every class


@pytest.fixture(scope="session")
def judged2_sources(tmp_path_factory, seed_dir):
    gnad = shared_path("corpus", "10kgnad-test", "docs.jsonl")
    folder = tmp_path_factory.mktemp("judged2-corpus")
    return [judging.gnad_as_jsonl(gnad, folder / "gnad.jsonl"), seed_dir, api.SAMPLE_CORPUS]


@pytest.fixture(scope="session")
def judged2_index(tmp_path_factory, judged2_sources):
    root = tmp_path_factory.mktemp("judged2-index")
    index_sources(judged2_sources, root)
    return root


def plain_whoosh(folder, sources):
    """The same releases in a plain Whoosh index, searched with MultifieldParser (words ANDed)."""
    analyzer = LanguageAnalyzer("de")
    schema = Schema(id=ID(stored=True, unique=True), **{f: TEXT(analyzer=analyzer, field_boost=FIELD_BOOSTS[f]) for f in TEXT_FIELDS})
    ix = whoosh_index.create_in(folder, schema)
    with ix.writer(limitmb=256) as writer:
        for _, doc in read_sources(sources):
            if not isinstance(doc, Skipped):
                writer.add_document(id=doc.id, title=doc.title, lead=doc.lead, body=doc.body)
    searcher = ix.searcher()
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), ix.schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup)

    def search(text: str, follow_suggestion: bool) -> list[str]:
        query = parser.parse(text)
        ids = [hit["id"] for hit in searcher.search(query, limit=judging.K)]
        if not ids and follow_suggestion:
            corrected = searcher.correct_query(query, text)
            if corrected.string != text:
                ids = [hit["id"] for hit in searcher.search(parser.parse(corrected.string), limit=judging.K)]
        return ids

    return search, searcher


def engine_search(engine):
    def search(text: str, follow_suggestion: bool) -> list[str]:
        results = engine.search(SearchParams(query=text, per_page=judging.K))
        if not results.hits and follow_suggestion and results.suggestion:
            results = engine.search(SearchParams(query=results.suggestion, per_page=judging.K))
        return [hit.id for hit in results.hits]

    return search


def test_judged_ids_exist(judged2_index):
    engine = WhooshEngine(judged2_index)
    missing = sorted(
        i for q in judging.queries() for i in {*q["grades"], *q.get("excluded", ())}
        if engine.search(SearchParams(query=f'id:"{i}"')).total != 1
    )
    assert not missing, f"judged ids not in the corpus: {missing}"


def test_judged2_set(judged2_index, judged2_sources, tmp_path_factory):
    judged = judging.queries()
    ours = judging.score(engine_search(WhooshEngine(judged2_index)), judged)
    base_search, base_searcher = plain_whoosh(tmp_path_factory.mktemp("judged2-plain"), judged2_sources)
    base = judging.score(base_search, judged)
    base_searcher.close()
    judging.print_table({"Depesche (Whoosh)": ours, "plain Whoosh": base})
    weak = {q: tuple(round(f, 2) for f in figures) for q, figures in ours["queries"].items() if figures[0] < 0.5}
    print("Depesche below nDCG 0.5:", weak)

    assert len(ours["zero"]) <= MAX_ZERO_HIT, f"queries with a relevant release answered with nothing: {ours['zero']}"
    assert not ours["leaks"], f"exclusions returned excluded releases: {ours['leaks']}"
    for c, floor in FLOORS.items():
        assert ours["table"][c][0] >= floor, f"{c}: nDCG@10 {ours['table'][c][0]:.3f} below its floor {floor}"


@pytest.fixture(scope="session")
def judged2_opensearch(judged2_sources):
    with opensearch_index(judged2_sources, opensearch_alias("judged2")) as engine:
        yield engine


def test_judged2_set_on_opensearch(judged2_opensearch, judged2_index):
    """The same set on the OpenSearch engine, floors OPENSEARCH_MARGIN under the Whoosh engine's (the target is every
    class within 0.05 of Whoosh: measured, every class is within 0.03; see docs/relevance.md)."""
    judged = judging.queries()
    whoosh = judging.score(engine_search(WhooshEngine(judged2_index)), judged)
    ours = judging.score(engine_search(judged2_opensearch), judged)
    judging.print_table({"Depesche (Whoosh)": whoosh, "Depesche (OpenSearch)": ours})
    assert len(ours["zero"]) <= MAX_ZERO_HIT and not ours["leaks"]
    for c in FLOORS:
        assert ours["table"][c][0] >= FLOORS[c] - OPENSEARCH_MARGIN, f"{c}: {ours['table'][c][0]:.3f} on OpenSearch"
