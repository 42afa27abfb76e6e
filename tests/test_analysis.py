"""The German analyzer: each word function and filter with its token list, then the whole chain."""

from __future__ import annotations

import pytest

from search.engine.analysis import PART_MARK, VARIANT_MARKS, german_analyzer
from search.german.compounds import parts, split
from search.german.normalize import fold, normalize
from search.german.stemmer import stem
from search.german.synonyms import Synonyms
from search.german_data import read_synonym_groups


@pytest.fixture(scope="module")
def analyzer():
    return german_analyzer()


def terms(analyzer, text: str, mode: str = "index") -> list[str]:
    return [token.text for token in analyzer(text, mode=mode)]


# -- normalize --------------------------------------------------------------------------------------------

def test_fold_umlauts_and_sharp_s():
    assert [fold(w) for w in ("Außenminister", "Brüssel", "Maßnahmen", "Öl", "Café", "Bakı")] == [
        "aussenminister", "brussel", "massnahmen", "ol", "cafe", "baki"]


@pytest.mark.parametrize("typed, expected", [
    ("bruessel", "brussel"), ("minenraeumung", "minenraumung"), ("uebergibt", "ubergibt"), ("muenchen", "munchen"),
    ("quelle", "quelle"), ("aktuell", "aktuell"), ("eventueller", "eventueller"), ("israel", "israel"),
    ("genaue", "genaue"), ("neue", "neue"), ("boeing", "boeing"),
])
def test_typed_umlauts_fold_only_where_they_are_umlauts(typed, expected):
    assert normalize(typed) == expected


def test_typed_and_written_umlauts_meet():
    assert normalize("aussenminister") == normalize("außenminister")
    assert normalize("massnahmen") == normalize("maßnahmen")


# -- stemmer ----------------------------------------------------------------------------------------------

def test_inflections_share_a_stem():
    assert stem("wahl") == stem("wahlen")
    assert stem("abkommen") == stem("abkommens")
    assert stem("minister") == stem("ministers") == stem("ministerin") == stem("ministerinnen")


def test_sicherheit_is_not_sich_or_sicher():
    assert stem("sicherheit") == "sicherheit"
    assert stem("sicherheit") not in {stem("sich"), stem("sicher")}


# -- compounds --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("word, expected", [
    ("verteidigungsminister", ("verteidigungs", "minister")),
    ("aussenminister", ("aussen", "minister")),
    ("premierminister", ("premier", "minister")),
    ("gipfeltreffen", ("gipfel", "treffen")),
    ("minenraumung", ("minen", "raumung")),
    ("bundestag", ("bundes", "tag")),
    ("gaskorridor", ("gas", "korridor")),
    ("stipendienprogramm", ("stipendien", "programm")),
])
def test_split(word, expected):
    assert split(word) == expected


@pytest.mark.parametrize("word", ["botschafter", "unterstutzung", "ausland", "sicherheit", "stoltenberg", "demonstranten"])
def test_not_compounds(word):
    assert split(word) == ()


def test_parts_include_inner_parts():
    assert parts("bundesaussenminister") == ("bundes", "aussenminister", "aussen", "minister")


# -- the chain --------------------------------------------------------------------------------------------

def test_chain(analyzer):
    assert terms(analyzer, "Der Außenminister traf in Brüssel ein") == [
        "aussenminist", "#auss", "#minist", "traf", "~treff", "brussel"]


def test_word_family_and_name_keys_are_indexed_beside_the_word(analyzer):
    assert terms(analyzer, "festgenommen Festnahme gewählt Saidow Ministerin saidow") == [
        "festgenomm", "~festnehm", "festnahm", "~festnehm", "#fest", "#nahm", "gewahlt", "~wahl", "saidow", "%saidov",
        "minist", "=ministerin", "saidow"]  # a name key only for a capitalised word


def search_terms(analyzer, text):
    """The word and part terms only: what a spelling of the text must not change."""
    return [t for t in terms(analyzer, text) if t[:1] not in VARIANT_MARKS]


def test_chain_is_the_same_for_typed_umlauts(analyzer):
    assert search_terms(analyzer, "Aussenminister Bruessel Massnahmen") == search_terms(analyzer, "Außenminister Brüssel Maßnahmen")


def test_hyphenated_compound_keeps_whole_and_parts_at_the_next_positions(analyzer):
    tokens = [(t.text, t.pos) for t in analyzer("NATO-Generalsekretär Stoltenberg", positions=True)]
    assert tokens == [
        ("nato-generalsekretar", 0), ("nato", 1), ("generalsekretar", 2), ("#general", 2), ("#sekretar", 2),
        ("stoltenberg", 3), ("%stoltenberk", 3)]


def test_dashes_and_invisible_characters_read_as_they_show(analyzer):
    assert terms(analyzer, "Nord\u2013Süd-Korridor") == terms(analyzer, "Nord-Süd-Korridor")
    assert terms(analyzer, "Außen\u00administer Bay\u200bramov") == terms(analyzer, "Außenminister Bayramov")


def test_query_mode_has_no_part_terms(analyzer):
    assert terms(analyzer, "NATO-Generalsekretär Außenminister", mode="query") == ["nato", "generalsekretar", "aussenminist"]


def test_part_terms_cover_the_compound_letters(analyzer):
    text = "Der Verteidigungsminister"
    spans = {t.text: text[t.startchar:t.endchar] for t in analyzer(text, chars=True)}
    assert spans[PART_MARK + stem("minister")] == "Verteidigungsminister"


def test_quelle_and_aktuell_are_not_folded(analyzer):
    assert search_terms(analyzer, "Quelle aktuell") == ["quell", "aktuell"]


def test_sicherheit_does_not_meet_sicher(analyzer):
    assert set(terms(analyzer, "Sicherheit")).isdisjoint(terms(analyzer, "sicher sich"))


# -- synonyms ---------------------------------------------------------------------------------------------

def test_synonym_file_groups():
    groups = read_synonym_groups()
    osze = next(g for g in groups if "OSZE" in g)
    assert "OSCE" in osze and "Organisation für Sicherheit und Zusammenarbeit in Europa" in osze


def test_synonyms_match_names_by_their_terms(analyzer):
    key = lambda text: tuple(terms(analyzer, text, mode="query"))  # noqa: E731
    table = Synonyms([("VN", "UN", "Vereinte Nationen")], key)
    words = [key(w) for w in ("die", "Vereinten", "Nationen", "tagen")]
    [match] = table.match(words)
    assert (match.start, match.end, match.names) == (1, 3, ("VN", "UN", "Vereinte Nationen"))


def test_word_list_tables_are_cached_for_the_next_process(tmp_path, monkeypatch):
    import numpy as np

    from search import german_data
    from search.german import lexicon

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    built = german_data.load_table("nouns.txt.gz")
    cached = german_data.cache_path("nouns.txt.gz")
    assert cached.is_file() and str(cached).startswith(str(tmp_path))
    assert np.array_equal(np.load(cached), built)
    assert lexicon.stable_hash("minister") in set(np.load(cached).tolist())
