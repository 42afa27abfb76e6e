"""The query cost model (`search.querycost`): ranges only on years, caps on words, nesting and expanded terms, and
a time budget that answers with what was found ("Suche abgebrochen") instead of running for minutes."""

from __future__ import annotations

import time

import pytest

from bench import attack
from search import BadQuery, SearchParams, api, open_engine, querycost
from search.engine import WhooshEngine
from search.params import prepare
from tests.conftest import opensearch_alias, opensearch_index

EXPENSIVE = attack.EXPENSIVE  # the most expensive queries found (bench/attack.py asks them over HTTP)


@pytest.fixture(scope="module")
def corpus(corpus_index):
    return WhooshEngine(corpus_index, cache=False)


@pytest.fixture(scope="module")
def sample(sample_index):
    return open_engine(sample_index)


@pytest.mark.parametrize("name", EXPENSIVE)
def test_the_most_expensive_queries_return_within_the_budget(corpus, name):
    corpus.search(SearchParams(query="Regierung"))  # the snapshot is opened once, outside the measurement
    started = time.perf_counter()
    results = corpus.search(SearchParams(query=EXPENSIVE[name]))
    seconds = time.perf_counter() - started
    assert seconds < querycost.SEARCH_SECONDS + 1.0, f"{name}: {seconds:.2f} s"  # the budget, plus one page's work
    assert results.page == 1 and len(results.hits) <= results.per_page


def test_a_range_on_text_is_not_searched_and_says_so(sample):
    results = sample.search(SearchParams(query="Bayramov [a TO z]"))
    assert "Bereiche gibt es nur für Jahre" in results.note and "[a TO z] wurde nicht gesucht" in results.note
    assert results.total == sample.search(SearchParams(query="Bayramov")).total > 0


def test_a_year_range_finds_the_releases_of_those_years(sample):
    ranged = sample.search(SearchParams(query="year:[2023 TO 2024]"))
    filtered = sample.search(SearchParams(filters={"year": ("2023", "2024")}))
    assert ranged.total == filtered.total > 0
    assert {h.year for h in ranged.hits} <= {2023, 2024}
    exclusive = sample.search(SearchParams(query="year:{2022 TO 2025}", per_page=100))
    assert {h.id for h in exclusive.hits} == {h.id for h in sample.search(SearchParams(query="year:[2023 TO 2024]", per_page=100)).hits}


def test_year_ranges_are_capped(sample):
    text, note = prepare(" ".join(["year:[1000 TO 2100]"] * 3))
    assert text.count("year:") == querycost.MAX_RANGE_YEARS and "mehr als 250 Jahre" in note


def test_words_beyond_the_cap_are_cut_with_a_note():
    text, note = prepare(" ".join(f"Wort{i}" for i in range(60)))
    assert text.split()[-1] == f"Wort{querycost.MAX_WORDS - 1}" and "60 Wörter" in note
    text, note = prepare("(" + " ".join(f"w{i}" for i in range(40)) + ' "Satz im Zitat')
    assert text.count("(") == text.count(")")  # a cut leaves no bracket open


def test_deep_nesting_searches_the_words(sample):
    results = sample.search(SearchParams(query="(" * 20 + "Bayramov" + ")" * 20))
    assert "Klammerebenen" in results.note and results.total == sample.search(SearchParams(query="Bayramov")).total


def test_a_query_expanding_to_too_many_terms_is_refused_with_a_message(sample, monkeypatch):
    monkeypatch.setattr(querycost, "MAX_TERMS", 20)
    with pytest.raises(BadQuery, match="zu aufwendig"):
        sample.search(SearchParams(query="Bayramov Stoltenberg Hasanov Außenminister"))


def test_a_spent_budget_answers_with_what_was_found(sample_index, monkeypatch):
    engine = WhooshEngine(sample_index, cache=False)
    monkeypatch.setattr(querycost, "SEARCH_SECONDS", 0.0)
    results = engine.search(SearchParams(query="Bayramov Mirzoyan Friedensvertrag"))  # 2 releases, relaxed: 5
    assert results.note.startswith("Suche abgebrochen") and results.relaxed is None
    assert results.total == len(results.hits) == 2  # what the search of every word found
    typo = engine.search(SearchParams(query="Stoltenbrg"))
    assert typo.suggestion is None and typo.note.startswith("Suche abgebrochen")


def test_a_cut_answer_is_not_cached(sample_index, monkeypatch):
    engine = WhooshEngine(sample_index)
    monkeypatch.setattr(querycost, "SEARCH_SECONDS", 0.0)
    assert engine.search(SearchParams(query="Stoltenbrg")).suggestion is None
    monkeypatch.setattr(querycost, "SEARCH_SECONDS", 2.0)
    assert engine.search(SearchParams(query="Stoltenbrg")).suggestion == "Stoltenberg"


def test_opensearch_requests_carry_the_time_limit():
    from search.opensearch.query import search_body, timed

    body = timed(search_body(SearchParams(query="x"), {"match_all": {}}), 1.5)
    assert body["timeout"] == "1500ms" and body["terminate_after"] > 1_000_000
    assert timed(body, 0.0)["timeout"] == "10ms"  # a spent budget still reads the first page


@pytest.fixture(scope="module")
def opensearch_sample():
    with opensearch_index([api.SAMPLE_CORPUS], opensearch_alias("cost")) as engine:
        yield engine


def test_opensearch_spent_budget_answers_with_what_was_found(opensearch_sample, monkeypatch):
    monkeypatch.setattr(querycost, "SEARCH_SECONDS", 0.0)
    results = opensearch_sample.search(SearchParams(query="Bayramov Mirzoyan Friedensvertrag"))
    assert results.note.startswith("Suche abgebrochen") and results.relaxed is None and results.total == 2
    monkeypatch.setattr(querycost, "SEARCH_SECONDS", 2.0)
    assert opensearch_sample.search(SearchParams(query="Bayramov Mirzoyan Friedensvertrag")).relaxed == (3, 3, 2)
