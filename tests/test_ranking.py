"""Ranking, phrases, highlighting and suggestions over a small index of releases written for these tests."""

from __future__ import annotations

import pytest

from search.engine import WhooshEngine
from search.indexer import index_sources
from search.model import SearchParams

FILLER = "Die Gespräche fanden in freundlicher Atmosphäre statt und wurden am Abend fortgesetzt."
RELEASES = {
    "whole": ("Treffen in Baku", "Der Minister empfing die Delegation in Baku.", FILLER),
    "part": ("Besuch in Baku", "Der Außenminister empfing die Delegation in Baku.", FILLER),
    "in-title": ("Gaskorridor wird ausgebaut", "Die Partner berieten in Baku.", FILLER),
    "in-body": ("Beratungen in Baku", "Die Partner berieten in Baku.", "Dabei ging es auch um den Gaskorridor. " + FILLER),
    "phrase": ("Gespräch", "Minister Bayramov sprach mit Journalisten.", FILLER),
    "near": ("Treffen", "Hasanov traf Rutte im Hauptquartier.", FILLER),
    "far": ("Treffen", "Hasanov sprach über die Lage.", " ".join([FILLER] * 3) + " Später kam auch Rutte hinzu."),
    "escape": ("Sicherheit <online>", "Die Außenministerin sprach über Cybersicherheit & <Netze>.", FILLER),
    "names": ("Stoltenberg in Baku", "NATO-Generalsekretär Jens Stoltenberg besuchte Baku.", "Stoltenberg lobte die OSZE. " + FILLER),
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory) -> WhooshEngine:
    folder = tmp_path_factory.mktemp("ranking-releases")
    for name, (title, lead, body) in RELEASES.items():
        (folder / f"{name}.txt").write_text(f"{title}\n{lead}\n{body}\n", encoding="utf-8")
    root = tmp_path_factory.mktemp("ranking-index")
    index_sources([folder], root)
    return WhooshEngine(root)


def ids(engine, query: str) -> list[str]:
    return [hit.id for hit in engine.search(SearchParams(query=query)).hits]


def test_whole_word_ranks_above_part(engine):
    found = ids(engine, "Minister")
    assert found.index("whole") < found.index("part")


def test_title_ranks_above_body(engine):
    assert ids(engine, "Gaskorridor")[:2] == ["in-title", "in-body"]


def test_part_finds_compound(engine):
    assert "in-title" in ids(engine, "Korridor")


def test_phrase_stays_exact(engine):
    assert ids(engine, '"Minister Bayramov"') == ["phrase"]
    assert "part" not in ids(engine, '"Minister empfing"')


def test_words_close_together_rank_higher(engine):
    assert ids(engine, "Hasanov Rutte") == ["near", "far"]


def test_synonym_finds_acronym(engine):
    assert ids(engine, "OSCE") == ["names"]


def test_spelling_variants(engine):
    assert ids(engine, "Aussenminister") == ["part", "escape"]  # Außenminister, then Außenministerin
    assert ids(engine, "Bruessel Aussenminister") == []  # most of two words is both


def test_highlight_marks_the_word_the_reader_sees(engine):
    [hit] = [h for h in engine.search(SearchParams(query="Minister")).hits if h.id == "part"]
    assert "<mark>Außenminister</mark>" in hit.snippet


def test_highlight_is_escaped(engine):
    [hit] = engine.search(SearchParams(query="Cybersicherheit")).hits
    assert "<mark>Cybersicherheit</mark> &amp; &lt;Netze&gt;" in hit.snippet
    assert "<Netze>" not in hit.snippet


def test_highlight_marks_a_part_of_a_hyphenated_compound(engine):
    [hit] = engine.search(SearchParams(query="Generalsekretär")).hits
    assert "NATO-<mark>Generalsekretär</mark>" in hit.snippet


def test_suggestion_in_display_form(engine):
    results = engine.search(SearchParams(query="Stoltenbrg"))
    assert (results.total, results.suggestion) == (0, "Stoltenberg")


def test_no_suggestion_when_the_query_has_hits(engine):
    assert engine.search(SearchParams(query="Baku")).suggestion is None


def test_no_suggestion_for_nonsense(engine):
    assert engine.search(SearchParams(query="Xylophonquartett")).suggestion is None


def test_snippet_never_shows_the_same_words_twice():
    from search.engine.analysis import german_analyzer
    from search.highlight import snippet

    analyzer = german_analyzer()
    # four matches 90 characters apart: more than one fragment's reach, so two fragments close to each other
    filler = "Die Gespräche der Delegationen dauerten bis zum Abend in Baku. "
    text = "".join(f"Der Außenminister sprach. {filler[: 90 - 26]}" for _ in range(4))
    words = {t.text for t in analyzer("Außenminister")}
    marked = snippet(text, words)
    plain = marked.replace("<mark>", "").replace("</mark>", "")
    pieces = [p.strip() for p in plain.split("…") if p.strip()]
    for first, second in zip(pieces, pieces[1:]):
        assert first[-30:] not in second, "two fragments repeat the same text"
    assert "<mark>Außenminister</mark>" in marked
