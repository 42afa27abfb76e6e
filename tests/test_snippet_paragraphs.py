"""A snippet that runs from one paragraph into the next shows the break instead of running the sentences together."""

from search.highlight import PARAGRAPH_SEPARATOR, snippet
from search.engine.analysis import index_terms


def test_a_snippet_across_paragraphs_keeps_a_separator():
    text = "Der Minister ist nach Baku gereist\nAm 14. Februar traf er Bayramov."
    shown = snippet(text, set(index_terms("Baku")["word"]))
    assert shown == f"Der Minister ist nach <mark>Baku</mark> gereist{PARAGRAPH_SEPARATOR}Am 14. Februar traf er Bayramov"


def test_the_start_of_a_text_without_matches_keeps_it_too():
    assert snippet("Kurze Meldung\nZweiter Absatz.", set()) == f"Kurze Meldung{PARAGRAPH_SEPARATOR}Zweiter Absatz."
