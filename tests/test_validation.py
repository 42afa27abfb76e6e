"""One validation layer (`search.params`) for every parameter of every route and of `depesche search`: digits
are ASCII digits, dates are dates, lengths are bounded; a refusal is a 400 with a German message, never a 500.
And whatever a page or feed is built from, it is XML 1.0 (`web.xmlsafe`). Over the bundled sample index."""

from __future__ import annotations

from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search import SearchParams
from search.model import FACETS
from web import create_app, exports
from web.cli import cli
from web.xmlsafe import xml_safe

ROUTES = ["/", "/api/search", "/feed.atom", "/export.csv"]
KEYS = ["q", *FACETS, "page", "per_page", "facet_limit", "sort", "from", "to", "more", *(f"{f}_q" for f in FACETS)]
NOT_ASCII_DIGITS = ["²", "③", "١", "٣", "௫", "𝟚𝟘𝟚𝟜", "２０２４", "Ⅻ", "½"]
XML_FORBIDDEN = "\x00\x01\x02\x08\x0b\x0c\x0e\x1f\ufffe\uffff"


@pytest.fixture(scope="module")
def client(sample_index):
    """A client of the app over the sample index, with errors answered as a user gets them (not raised)."""
    return create_app({"DEPESCHE_INDEX": str(sample_index), "TESTING": False}).test_client()


def message_of(response) -> str:
    return response.get_json()["error"] if response.is_json else response.get_data(as_text=True)


# -- numbers and dates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_a_year_of_unicode_digits_is_a_400_with_a_german_message(client, route, value):
    response = client.get(f"{route}?{urlencode({'year': value})}")
    assert response.status_code == 400
    assert "Jahr: bitte eine Jahreszahl aus den Ziffern 0–9" in message_of(response)


@pytest.mark.parametrize(
    "route, key, label",
    [(route, key, label) for route in ("/", "/api/search") for key, label in (("page", "Seitenzahl"), ("per_page", "Treffer pro Seite"))]
    + [("/api/search", "facet_limit", "facet_limit")],  # the page shows its own facet lengths
)
def test_a_number_of_unicode_digits_is_refused_not_read(client, route, key, label):
    response = client.get(f"{route}?{urlencode({key: '٣'})}")  # int("٣") is 3 to Python
    assert response.status_code == 400 and label in message_of(response) and "0–9" in message_of(response)


@pytest.mark.parametrize("value", ["２０２４-01-01", "2024-W01-1", "20240101", "2024-1-1", "2024-02-30"])
def test_a_date_is_yyyy_mm_dd_in_ascii_digits(client, value):
    response = client.get(f"/api/search?{urlencode({'from': value})}")
    assert response.status_code == 400 and "JJJJ-MM-TT" in message_of(response)


def test_valid_parameters_still_search(client):
    answer = client.get("/api/search?" + urlencode({"q": "Bayramov", "year": "2024", "page": "1", "from": "2024-01-01"}))
    assert answer.status_code == 200 and answer.get_json()["total"] >= 1


@pytest.mark.parametrize("key, value", [("actor", "a" * 301), ("actor_q", "b" * 301)])
def test_long_values_are_refused(client, key, value):
    response = client.get(f"/api/search?{urlencode({key: value})}")
    assert response.status_code == 400 and "höchstens 300 Zeichen" in message_of(response)


def test_too_many_values_of_one_facet_are_refused(client):
    response = client.get("/api/search?" + urlencode([("topic", f"t{i}") for i in range(51)]))
    assert response.status_code == 400 and "höchstens 50" in message_of(response)


def test_cli_year_of_unicode_digits_is_a_message_not_a_traceback(sample_index):
    result = CliRunner().invoke(cli, ["search", "--index", str(sample_index), "--year", "²", "NATO"])
    assert result.exit_code == 1 and "Jahr: bitte eine Jahreszahl" in result.output
    assert not isinstance(result.exception, ValueError) and "Traceback" not in result.output


@pytest.mark.parametrize("value", ["２０２４-01-01", "2024-1-1", "2024-02-30"])
def test_cli_dates_are_yyyy_mm_dd_in_ascii_digits(sample_index, value):
    result = CliRunner().invoke(cli, ["search", "--index", str(sample_index), "--from", value, "NATO"])
    assert result.exit_code == 2 and "JJJJ-MM-TT" in result.output
    dated = CliRunner().invoke(cli, ["search", "--index", str(sample_index), "--from", "2024-01-01", "--json", "NATO"])
    assert dated.exit_code == 0 and '"total"' in dated.output


def test_cli_page_of_unicode_digits_is_a_usage_error(sample_index):
    result = CliRunner().invoke(cli, ["search", "--index", str(sample_index), "--page", "٣", "NATO"])
    assert result.exit_code == 2 and "Invalid value for '--page'" in result.output and "0–9" in result.output


# -- any Unicode, any route ------------------------------------------------------------------------------

ANY_TEXT = st.one_of(st.text(max_size=30), st.sampled_from(NOT_ASCII_DIGITS + list(XML_FORBIDDEN) + ["[a TO z]", "year:[2020 TO *]"]))


@st.composite
def raw_query_strings(draw) -> str:
    """A query string of any keys and values, some as raw percent-encoded bytes (not always UTF-8)."""
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        key = draw(st.one_of(st.sampled_from(KEYS), st.text(max_size=6)))
        if draw(st.booleans()):
            value = quote(draw(st.binary(max_size=12)), safe="")
        else:
            value = quote(draw(ANY_TEXT), safe="")
        parts.append(f"{quote(key, safe='')}={value}")
    return "&".join(parts)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=raw_query_strings(), route=st.sampled_from([*ROUTES, "/doc/"]), doc_id=st.text(min_size=1, max_size=20))
def test_any_unicode_on_any_route_is_never_a_5xx(client, query, route, doc_id):
    path = route + quote(doc_id, safe="") if route == "/doc/" else route
    response = client.get(f"{path}?{query}")
    assert response.status_code < 500, (path, query, response.get_data(as_text=True)[:300])
    if response.status_code == 400:
        assert "Ungültige Anfrage" in response.get_data(as_text=True) or response.is_json
    if response.status_code == 200 and route == "/feed.atom":
        ET.fromstring(response.data)  # well-formed XML, whatever the query held
    if response.mimetype == "text/html":
        assert not any(char in response.get_data(as_text=True) for char in XML_FORBIDDEN)


# -- XML 1.0-safe feeds and pages -------------------------------------------------------------------------


def test_the_query_copied_into_the_feed_title_cannot_break_the_feed(client):
    response = client.get("/feed.atom?" + urlencode({"q": "Bayramov\x01\x0b\x00 \ufffe"}))
    assert response.status_code == 200
    feed = ET.fromstring(response.data)  # a strict parser: one control character and the whole feed is rejected
    title = feed.find("{http://www.w3.org/2005/Atom}title").text
    assert title.startswith("Depesche: „Bayramov") and not any(c in title for c in XML_FORBIDDEN)
    assert feed.findall("{http://www.w3.org/2005/Atom}entry")


def test_a_feed_of_releases_with_control_characters_parses(client):
    hit = client.application.extensions["depesche"].search(SearchParams(query="Bayramov")).hits[0]
    from dataclasses import replace

    dirty = replace(hit, title="Titel\x01mit\x1fSteuer\x00zeichen\ud800", snippet="Aus\x0bzug &amp; <mark>Bayramov</mark>\x0c")
    body = exports.atom_feed([dirty], title="Depesche\x02", feed_url="http://x/feed", page_url="http://x/", doc_url=lambda i: f"http://x/doc/{i}\x03")
    entry = ET.fromstring(body).find("{http://www.w3.org/2005/Atom}entry")
    assert entry.find("{http://www.w3.org/2005/Atom}title").text == "TitelmitSteuerzeichen\ufffd"
    assert entry.find("{http://www.w3.org/2005/Atom}summary").text == "Auszug & Bayramov"


@pytest.mark.parametrize("path", ["/", "/doc/nicht-da", "/api/nichts"])
def test_a_nul_in_the_query_does_not_reach_the_page(client, path):
    response = client.get(f"{path}?{urlencode({'q': 'Bayramov' + chr(0) + chr(1) + 'x'})}")
    page = response.get_data(as_text=True)
    assert "Bayramovx" in page or response.is_json
    assert "\x00" not in page and "\x01" not in page


def test_xml_safe_keeps_tab_newline_and_ordinary_text():
    assert xml_safe("a\tb\nc\rd – ä € 🙂") == "a\tb\nc\rd – ä € 🙂"
    assert xml_safe("".join(XML_FORBIDDEN)) == ""
