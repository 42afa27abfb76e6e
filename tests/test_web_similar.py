"""The web pages of similar releases and near-duplicate versions (web/similar.py), over the archive of
tests/test_similar.py (the sample plus versions of two of its releases)."""

from __future__ import annotations

import pytest

from search import api
from search.indexer import index_sources
from tests.test_similar import EDITED, GROUP, versions_folder
from web import create_app


@pytest.fixture(scope="module")
def versions_index(tmp_path_factory):
    root = tmp_path_factory.mktemp("web-similar-index")
    index_sources([api.SAMPLE_CORPUS, versions_folder(tmp_path_factory.mktemp("web-versions"))], root, workers=0)
    return root


@pytest.fixture()
def client(versions_index):
    return create_app({"DEPESCHE_INDEX": str(versions_index), "TESTING": True}).test_client()


def test_a_group_is_one_hit_with_a_link_to_its_two_other_versions(client):
    page = client.get("/?q=Weltgesundheitsorganisation").get_data(as_text=True)
    assert page.count('class="hit"') == 1
    assert f'href="/fassungen/{GROUP}"' in page and "2 weitere Fassungen" in page
    assert 'hx-target="closest .versions"' in page


def test_the_switch_is_offered_only_where_a_hit_has_versions(client):
    assert "Alle Fassungen einzeln zählen" in client.get("/?q=Weltgesundheitsorganisation").get_data(as_text=True)
    single = client.get("/?q=Stoltenberg").get_data(as_text=True)
    assert 'class="hit"' in single and "Alle Fassungen einzeln zählen" not in single


def test_every_version_is_listed_when_asked_for(client):
    page = client.get("/?q=Weltgesundheitsorganisation&fassungen=alle").get_data(as_text=True)
    assert page.count('class="hit"') == 3 and "weitere Fassung" not in page
    assert 'href="/?q=Weltgesundheitsorganisation">Fassungen zusammenfassen' in page
    assert '<input type="hidden" form="search-form" name="fassungen" value="alle">' in page  # a new search keeps it


def test_the_versions_are_a_fragment_for_htmx_and_a_page_without_javascript(client):
    fragment = client.get(f"/fassungen/{GROUP}", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "<html" not in fragment and fragment.count("<li>") == 2
    assert 'href="/doc/who-kopie"' in fragment and 'href="/doc/who-aktualisiert"' in fragment
    page = client.get(f"/fassungen/{GROUP}").get_data(as_text=True)
    assert "<html" in page and "Fassungen von „" in page and 'href="/doc/who-kopie"' in page


def test_a_release_page_lists_its_similar_releases_and_versions(client):
    page = client.get(f"/doc/{EDITED}").get_data(as_text=True)
    similar = page.split('id="similar-heading"', 1)[1]
    assert similar.index('href="/doc/bearbeitet"') < similar.index("</ul>")
    assert page.count('href="/doc/') >= 5
    assert "Weitere Fassungen" in page  # the edited copy is also a version of it
    assert "Weitere Fassungen" not in client.get("/doc/orgelkonzert").get_data(as_text=True)


def test_the_similar_page_puts_the_edited_copy_first(client):
    page = client.get(f"/aehnlich/{EDITED}").get_data(as_text=True)
    assert "Meldungen ähnlich wie" in page
    first = page.split('class="hit-title"', 2)[1]
    assert 'href="/doc/bearbeitet"' in first


def test_an_unknown_release_is_a_german_404(client):
    for path in ("/aehnlich/gibt-es-nicht", "/fassungen/gibt-es-nicht"):
        response = client.get(path)
        assert response.status_code == 404 and "Keine Meldung mit der Kennung" in response.get_data(as_text=True)
