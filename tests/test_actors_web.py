"""Actor pages on the web (`web/actors.py`): the HTML page, its JSON and Atom twins, the 404 for an unknown name,
and the links to it from hits, facets and release pages. On the bundled sample, so they run on a fresh clone."""

from __future__ import annotations

import re
from urllib.parse import unquote
from xml.etree import ElementTree as ET

import pytest

from web import create_app

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def client(sample_index):
    return create_app({"DEPESCHE_INDEX": str(sample_index), "TESTING": True}).test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_actor_page_shows_roles_periods_and_the_people_around(client):
    page = text(client.get("/akteur/Jens Stoltenberg"))
    assert "<h1 id=\"actor-name\">Jens Stoltenberg</h1>" in page
    assert re.search(r"NATO-Generalsekretär</a></th><td>9\. Mai 2023 – 27\. August 2024</td><td class=\"number\">3<", page)
    assert '<a class="actor-link" href="/akteur/Zakir%20Hasanov">Zakir Hasanov</a>' in page
    assert "/?actor=Jens+Stoltenberg&amp;q=actor%3A%22Zakir+Hasanov%22\">2 gemeinsame Meldungen" in page
    assert 'href="/?actor=Jens+Stoltenberg&amp;year=2024"' in page  # a timeline bar
    assert 'href="/feed.atom?actor=Jens+Stoltenberg"' in page


def test_the_search_for_both_finds_what_the_page_counts(client):
    both = text(client.get("/?actor=Jens+Stoltenberg&q=actor%3A%22Zakir+Hasanov%22"))
    assert "2 Treffer" in both


def test_json_and_feed_carry_the_same_person(client):
    data = client.get("/api/akteur/Jens Stoltenberg").get_json()
    assert data["roles"][0] == {"role": "NATO-Generalsekretär", "releases": 3, "first": "2023-05-09", "last": "2024-08-27"}
    assert data["co_actors"][0] == {"name": "Zakir Hasanov", "releases": 2}
    feed = ET.fromstring(client.get("/feed.atom?actor=Jens+Stoltenberg").data)  # the link on the page
    assert "Jens Stoltenberg" in feed.find(f"{ATOM}title").text
    assert [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")] == [hit["title"] for hit in data["latest"]]


def test_other_case_redirects_to_the_page_of_the_name(client):
    response = client.get("/akteur/jens stoltenberg")
    assert response.status_code == 302
    assert unquote(response.headers["Location"]) == "/akteur/Jens Stoltenberg"


def test_unknown_name_is_a_helpful_404(client):
    response = client.get("/akteur/Stoltenbrg")
    assert response.status_code == 404
    assert "Akteur nicht gefunden" in text(response)
    assert '<a href="/akteur/Jens%20Stoltenberg">Jens Stoltenberg</a>' in text(response)
    api = client.get("/api/akteur/Niemand Bekannt")
    assert api.status_code == 404 and api.get_json()["suggestions"] == []
    for hostile in ("/akteur/%00", "/akteur/" + "x" * 2000, "/api/akteur/<script>"):
        assert client.get(hostile).status_code in (404, 400)


def test_every_actor_name_links_to_its_page(client):
    search = text(client.get("/?q=Stoltenberg"))
    assert '<a class="actor-link" href="/akteur/Jens%20Stoltenberg">Jens Stoltenberg</a>' in search  # in a hit
    assert 'class="facet-page" hx-boost="false" href="/akteur/Jens%20Stoltenberg"' in search  # in the facet: a page, not a swap
    doc = text(client.get("/doc/2023/02_hasanov-trifft-stoltenberg-in-bruessel"))
    assert '<a class="actor-link" href="/akteur/Zakir%20Hasanov">Zakir Hasanov</a>' in doc
