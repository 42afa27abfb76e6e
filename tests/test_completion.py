"""Name completion: the index's people, countries and organisations for typed text (`search.completion`), and the
list htmx swaps under the search box (`web/completion.py`)."""

from __future__ import annotations

import re

import pytest

from search.completion import completions
from search.engine import WhooshEngine
from web import create_app


@pytest.fixture(scope="module")
def engine(sample_index):
    return WhooshEngine(sample_index)


def test_names_starting_with_the_text_come_first_with_counts(engine):
    found = completions(engine, "stol")
    assert [(c.facet, c.value, c.count, c.kind) for c in found][:1] == [("actor", "Jens Stoltenberg", 3, "Akteur")]
    countries = completions(engine, "Aserb")
    assert countries[0].facet == "country" and countries[0].value == "Aserbaidschan" and countries[0].count > 10
    organisations = [c.value for c in completions(engine, "NAT")]
    assert organisations[0] == "NATO"


def test_too_little_or_too_much_text_offers_nothing(engine):
    assert completions(engine, "s") == []
    assert completions(engine, "   ") == []
    assert completions(engine, "x" * 500) == []
    assert completions(engine, "zzzzqq") == []


def test_the_options_fragment_links_each_name_to_its_filtered_search(sample_index):
    client = create_app({"DEPESCHE_INDEX": str(sample_index), "TESTING": True}).test_client()
    fragment = client.get("/namen?q=Stolt", headers={"HX-Request": "true"}).get_data(as_text=True)
    first = r'<li role="option" id="q-option-1" class="completion" aria-selected="false" data-url="/\?actor=Jens\+Stoltenberg">'
    assert re.search(first, fragment)
    assert client.get("/namen?q=").get_data(as_text=True).strip() == ""
    page = client.get("/").get_data(as_text=True)
    assert 'id="q-options" class="completions" role="listbox"' in page
    assert 'hx-trigger="input changed delay:250ms from:#q"' in page  # debounced, on the box's own input


def test_both_engines_complete_alike(corpus_index, opensearch_corpus):
    for text in ("Stol", "deu", "NATO", "Ban Ki"):
        assert completions(opensearch_corpus, text) == completions(WhooshEngine(corpus_index), text)
