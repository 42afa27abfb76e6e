"""One organisation under one facet value on both engines (issue 14): a long form filed under the acronym the archive
defines for it, shown with the long form as its label.

Three releases written for this test: one defines "Agentur für Grenzschutz der Republik Polen (AGRP)", one writes
only the long form, one names another agency. What a user sees: one sidebar value "AGRP – Agentur für ...", counted
twice; a filter by "AGRP" (or by an old link naming the long form) finds both releases; hits and the document page
name the organisation as the facet does. The OpenSearch half runs only with a cluster (DEPESCHE_OPENSEARCH_URL).
"""

from __future__ import annotations

import pytest

from search import SearchParams
from search.engine import WhooshEngine
from search.indexer import index_sources
from tests.conftest import opensearch_alias, opensearch_index

LONG = "Agentur für Grenzschutz der Republik Polen"
RELEASES = {
    "definiert": "Grenzschutz an der Ostgrenze verstärkt\nDie Agentur für Grenzschutz der Republik Polen (AGRP) hat am "
                 "4. März 2024 neue Patrouillen angekündigt. Die AGRP berichtete von mehr Kontrollen an der Grenze.\n",
    "lang": "Delegation aus Warschau in Vilnius\nVertreter der Agentur für Grenzschutz der Republik Polen trafen am "
            "12. April 2024 in Vilnius litauische Kollegen, um die Zusammenarbeit an den Übergängen zu besprechen.\n",
    "anders": "Neue Zahlen in Tiflis\nDas Staatliche Amt für Statistik Georgiens stellte am 2. Mai 2024 in Tiflis "
              "neue Zahlen zum Tourismus vor.\n",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("agrp")
    for name, text in RELEASES.items():
        (path / f"{name}.txt").write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["whoosh", "opensearch"])
def engine(request, folder, tmp_path_factory):
    if request.param == "whoosh":
        root = tmp_path_factory.mktemp("agrp-index")
        index_sources([folder], root, workers=0)
        yield WhooshEngine(root)
    else:
        with opensearch_index([folder], opensearch_alias("agrp")) as engine:
            yield engine


def test_the_long_form_is_counted_under_the_acronym_with_its_label(engine):
    values = engine.search(SearchParams(facet_limit=0)).facets["organisation"]
    shown = {fv.value: (fv.count, fv.label) for fv in values}
    assert shown["AGRP"] == (2, LONG)
    assert LONG not in shown
    assert shown["Staatliches Amt für Statistik Georgiens"] == (1, "")  # a long form without acronym: no label


def test_a_filter_by_the_acronym_finds_the_release_that_spells_it_out(engine):
    found = engine.search(SearchParams(filters={"organisation": ("AGRP",)}))
    assert sorted(hit.id for hit in found.hits) == ["definiert", "lang"]
    assert all(hit.organisations == ("AGRP",) for hit in found.hits)
    old_link = engine.search(SearchParams(filters={"organisation": (LONG,)}))
    assert sorted(hit.id for hit in old_link.hits) == ["definiert", "lang"]


def test_the_search_inside_the_facet_finds_an_acronym_by_its_long_form(engine):
    values = engine.search(SearchParams(facet_limit=0, facet_filter={"organisation": "grenzschutz"})).facets["organisation"]
    assert [fv.value for fv in values] == ["AGRP"]


def test_the_document_page_names_the_organisation_as_the_facet_does(engine):
    meta = engine.document("lang")["meta"]
    assert meta["organisations"] == ["AGRP"] and meta["organisation_labels"] == {"AGRP": LONG}


def test_the_sidebar_and_the_json_show_the_long_form(engine):
    from web import create_app

    app = create_app({"TESTING": True, "DEPESCHE_INDEX": str(getattr(engine, "root", "unused"))})
    app.extensions["depesche"] = engine
    client = app.test_client()
    page = client.get("/").get_data(as_text=True)
    sidebar = page[page.index('id="facet-organisation"'):]
    sidebar = sidebar[: sidebar.index("</section>")]
    assert f"AGRP – {LONG}" in sidebar
    assert sidebar.count(LONG) == 1  # once, as the acronym's label: not a second value of its own
    document = client.get("/doc/lang").get_data(as_text=True)
    assert f"AGRP – {LONG}" in document
    facets = client.get("/api/search").get_json()["facets"]["organisation"]
    assert {"value": "AGRP", "count": 2, "label": LONG} in facets


def test_a_search_for_the_acronym_finds_the_release_that_only_spells_it_out(engine):
    assert sorted(hit.id for hit in engine.search(SearchParams(query="AGRP")).hits) == ["definiert", "lang"]
    found = engine.search(SearchParams(query="Agentur für Grenzschutz der Republik Polen"))
    assert sorted(hit.id for hit in found.hits) == ["definiert", "lang"]
    [hit] = [h for h in engine.search(SearchParams(query="AGRP")).hits if h.id == "lang"]
    assert "<mark>Agentur</mark> für <mark>Grenzschutz</mark>" in hit.snippet
