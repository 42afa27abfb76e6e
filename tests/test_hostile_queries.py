"""Whatever a user types, the library answers or says clearly why not: never a traceback."""

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from search import BadQuery, SearchParams, open_engine
from search.model import FACETS

SYNTAX = st.sampled_from(['"', "(", ")", "AND", "OR", "NOT", "*", "?", "~", "^", ":", "title:", "foo:", "actor:", "[", "]", "{", "}", "\\", "<script>", "&lt;", "'"])
QUERY = st.lists(st.one_of(st.text(max_size=12), SYNTAX), max_size=8).map(" ".join)


@pytest.fixture(scope="module")
def engine(sample_index):
    return open_engine(sample_index)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=QUERY, facet=st.sampled_from(FACETS), value=st.text(max_size=20), page=st.integers(1, 5))
def test_any_query_and_filter_gets_an_answer(engine, query, facet, value, page):
    results = engine.search(SearchParams(query=query, filters={facet: (value,)}, page=page))
    on_page = max(0, min(results.per_page, results.total - (page - 1) * results.per_page))
    assert len(results.hits) == on_page and len({hit.id for hit in results.hits}) == on_page  # a consistent page
    for hit in results.hits:
        assert "<script>" not in hit.snippet


def test_huge_query_is_cut_not_fatal(engine):
    whole = engine.search(SearchParams(query="Bayramov " * 5000))  # cut at a word boundary: the same word, many times
    assert whole.total == engine.search(SearchParams(query="Bayramov")).total > 0


@pytest.mark.parametrize(
    "params, message",
    [
        (SearchParams(page=0), "Seite: 1 bis 1000."),
        (SearchParams(page=10**9), "Seite: 1 bis 1000."),
        (SearchParams(per_page=0), "Treffer pro Seite: 1 bis 100."),
        (SearchParams(per_page=10_000), "Treffer pro Seite: 1 bis 100."),
        (SearchParams(sort="random"), "Unbekannte Sortierung 'random': relevance, newest oder oldest."),
        (SearchParams(date_from=date(2025, 1, 1), date_to=date(2024, 1, 1)), "Das Anfangsdatum liegt nach dem Enddatum."),
    ],
)
def test_unusable_parameters_are_a_bad_query_with_a_message(engine, params, message):
    with pytest.raises(BadQuery) as raised:
        engine.search(params)
    assert str(raised.value) == message  # says, in German, what is allowed


def test_unknown_field_falls_back_with_a_note(engine):
    results = engine.search(SearchParams(query="geheim:Bayramov"))
    assert results.total > 0 and "Unbekanntes Feld geheim" in results.note


def test_markup_in_the_query_is_escaped_in_snippets(engine):
    results = engine.search(SearchParams(query="<b>Bayramov</b>"))
    assert all("<b>" not in hit.snippet for hit in results.hits)
