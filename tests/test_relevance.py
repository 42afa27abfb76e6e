"""What a user meets with everyday queries, on both engines, over a few releases written for these tests:
natural multi-word queries, word families, the exact form, compound heads, acronyms inside compounds, copied
characters, names in another spelling, typos and exclusions. Each test asserts the ranked ids a user would see.
"""

from __future__ import annotations

import pytest

from search.engine import WhooshEngine
from search.indexer import index_sources
from search.model import SearchParams

from .conftest import opensearch_alias, opensearch_index

RELEASES = {
    "telefon": ("Telefongespräch zwischen Scholz und Macron",
                "Bundeskanzler Olaf Scholz und Präsident Emmanuel Macron führten ein Telefongespräch über die Ukraine."),
    "macron": ("Macron besucht Lissabon", "Der französische Präsident reiste nach Portugal."),
    "festgenommen": ("Zwei Verdächtige in Tiflis festgenommen", "Die Polizei nahm die Männer am Flughafen fest."),
    "festnahme": ("Festnahme in Baku", "Die Festnahme erfolgte am Montag."),
    "gewaehlt": ("Neuer Präsident gewählt", "Das Parlament in Chisinau hat einen neuen Präsidenten gewählt."),
    "ministerin": ("Verteidigungsministerin besucht Truppe", "Die Verteidigungsministerin sprach mit Soldaten in Litauen."),
    "minister": ("Verteidigungsminister besucht Truppe", "Der Verteidigungsminister sprach mit Soldaten in Litauen."),
    "suedkorea": ("Delegation aus Südkorea in Baku", "Vertreter Südkoreas berieten über Handel."),
    "nordafrika": ("Konferenz über Nordafrika", "Fachleute sprachen über Wasser in Nordafrika."),
    "un-rat": ("Sitzung in New York", "Der UN-Sicherheitsrat beriet über die Lage im Sudan."),
    "uno-rat": ("Erklärung zum Jemen", "Der UNO-Sicherheitsrat verabschiedete eine Erklärung."),
    "korridor": ("Gespräche über den Nord\u2013Süd-Korridor", "Der Nord\u2013Süd-Korridor verbindet Russland, Aserbaidschan und Iran."),
    "weiche": ("Außen\u00administer Bayramov empfängt Gäste", "Außen\u00administer Bayra\u200bmov empfing eine Delegation."),
    "saidow": ("Gespräche in Taschkent", "Außenminister Bachtijor Saidow empfing seinen Amtskollegen."),
    "steinmeier": ("Staatsbesuch in Berlin", "Bundespräsident Frank-Walter Steinmeier empfing den Gast im Schloss Bellevue."),
    "merkel-sarkozy": ("Merkel und Sarkozy beraten", "Bundeskanzlerin Angela Merkel traf Nicolas Sarkozy in Paris."),
    "merkel": ("Merkel in Riga", "Bundeskanzlerin Angela Merkel besuchte Lettland."),
}


def write(folder):
    for name, (title, lead) in RELEASES.items():
        (folder / f"{name}.txt").write_text(f"{title}\n{lead}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def whoosh(tmp_path_factory) -> WhooshEngine:
    folder = write(tmp_path_factory.mktemp("relevance-releases"))
    root = tmp_path_factory.mktemp("relevance-index")
    index_sources([folder], root, workers=0)
    return WhooshEngine(root)


@pytest.fixture(scope="module")
def opensearch(tmp_path_factory):
    folder = write(tmp_path_factory.mktemp("relevance-releases-os"))
    with opensearch_index([folder], opensearch_alias("relevance")) as engine:
        yield engine


@pytest.fixture(scope="module", params=["whoosh", "opensearch"])
def engine(request):
    return request.getfixturevalue(request.param)


def ids(engine, query: str) -> list[str]:
    return [hit.id for hit in engine.search(SearchParams(query=query)).hits]


def test_a_natural_query_finds_the_release_with_most_of_its_words(engine):
    results = engine.search(SearchParams(query="Telefonat Scholz Macron"))
    assert [hit.id for hit in results.hits] == ["telefon"]  # 2 of 3 words; "macron" has only 1 of 3
    assert results.relaxed == (2, 3, 0)
    assert results.note == "Keine Treffer mit allen Wörtern – Ergebnisse mit 2 von 3 Wörtern"
    assert results.suggestion is None  # "Telefonat" is a correct word: never rewritten
    assert results.to_json()["relaxed"] == {"matched": 2, "words": 3, "complete": 0}


def test_a_query_with_few_releases_having_every_word_adds_those_with_most(engine):
    results = engine.search(SearchParams(query="Merkel Bundeskanzlerin Lettland"))
    assert [hit.id for hit in results.hits] == ["merkel", "merkel-sarkozy"]  # all 3 words, then 2 of 3
    assert results.relaxed == (3, 3, 1)
    assert results.note == "Nur ein Treffer mit allen 3 Wörtern – dazu Ergebnisse mit den meisten davon"


def test_a_query_with_every_word_found_is_not_relaxed(engine):
    results = engine.search(SearchParams(query="Scholz Macron Telefongespräch"))
    assert [hit.id for hit in results.hits] == ["telefon"] and results.relaxed is None and results.note is None


def test_word_family_members_are_found_below_the_word_typed(engine):
    assert ids(engine, "Festnahme") == ["festnahme", "festgenommen"]
    assert ids(engine, "festgenommen") == ["festgenommen", "festnahme"]
    assert ids(engine, "Wahl Parlament") == ["gewaehlt"]


def test_the_form_typed_ranks_first(engine):
    assert ids(engine, "Verteidigungsministerin") == ["ministerin", "minister"]
    assert set(ids(engine, "Verteidigungsminister")) == {"minister", "ministerin"}  # the office, either form


def test_compound_heads_after_compass_prefixes(engine):
    assert ids(engine, "Korea") == ["suedkorea"]
    assert ids(engine, "Afrika") == ["nordafrika"]


def test_acronym_synonyms_inside_compounds(engine):
    assert set(ids(engine, "VN-Sicherheitsrat")) == {"un-rat", "uno-rat"}
    assert set(ids(engine, "UN-Sicherheitsrat")) == {"un-rat", "uno-rat"}


def test_dashes_and_invisible_characters_read_as_they_show(engine):
    assert ids(engine, '"Nord-Süd-Korridor"') == ["korridor"]  # ASCII hyphens; the release has an en dash
    assert ids(engine, "Nord-Süd-Kor\u00adridor") == ["korridor"]  # a soft hyphen copied from a web page
    assert ids(engine, '„Außenminister Bayramov“') == ["weiche"]  # typographic quotes; the release hides U+00AD, U+200B


def test_a_name_in_another_transliteration_finds_the_person(engine):
    assert ids(engine, "Saidov") == ["saidow"]
    assert ids(engine, "Bakhtiyor Saidov") == ["saidow"]


def test_a_misspelt_name_three_edits_away_gets_the_spelling_of_the_index(engine):
    results = engine.search(SearchParams(query="Schtainmeier"))
    assert (results.total, results.suggestion) == (0, "Steinmeier")


@pytest.mark.parametrize("query", ["Merkel -Sarkozy", "Merkel NOT Sarkozy", "Merkel ANDNOT Sarkozy"])
def test_excluded_words(engine, query):
    assert ids(engine, query) == ["merkel"]


def test_required_word_with_plus(engine):
    assert ids(engine, "+Sarkozy Merkel") == ["merkel-sarkozy"]


def test_only_an_exclusion_lists_everything_else(engine):
    found = engine.search(SearchParams(query="-Merkel", per_page=100))
    assert found.total == len(RELEASES) - 2 and not {"merkel", "merkel-sarkozy"} & {h.id for h in found.hits}
