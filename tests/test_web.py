"""The web app through Flask's test client: pages, fragments, headers, machine views, errors.

The pure view-model modules (state, facets_view, timeline, exports) are tested here too, on whole structures.
"""

from __future__ import annotations

import calendar
import csv
import io
import re
from urllib.parse import parse_qsl, urlsplit
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from search import Hit, SearchParams, open_engine
from search.model import FACETS, NO_YEAR
from web import create_app, exports, facets_view, state, timeline

HX = {"HX-Request": "true"}


@pytest.fixture(scope="module")
def app(sample_index):
    return create_app({"DEPESCHE_INDEX": str(sample_index), "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def engine(sample_index):
    return open_engine(sample_index)


def query_of(url: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(url).query)


def links(html: str, css_class: str) -> list[str]:
    return [m.replace("&amp;", "&") for m in re.findall(rf'class="{css_class}[^"]*" href="([^"]+)"', html)]


# -- the search page: full page vs fragment ----------------------------------------------------------------


def test_plain_get_returns_the_full_page_with_vary(client):
    response = client.get("/?q=Stoltenberg")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert html.startswith("<!doctype html>")
    assert 'id="search-form"' in html and 'id="results"' in html
    assert 'aria-live="polite"' in html and "3 Treffer für „Stoltenberg“" in html
    assert "HX-Request" in response.headers["Vary"]


def test_htmx_request_gets_only_the_fragment(client):
    response = client.get("/?q=Stoltenberg", headers=HX)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html and 'id="search-form"' not in html
    assert html.startswith("<title>Stoltenberg – Depesche</title>")
    assert '<p id="status" hx-swap-oob="innerHTML">3 Treffer für „Stoltenberg“</p>' in html
    assert 'class="hits"' in html
    assert "HX-Request" in response.headers["Vary"]


def test_history_restore_gets_the_full_page(client):
    response = client.get("/?q=Stoltenberg", headers={**HX, "HX-History-Restore-Request": "true"})
    assert response.get_data(as_text=True).startswith("<!doctype html>")


def test_fragment_is_the_full_pages_results_region(client):
    full = client.get("/?q=NATO&year=2024").get_data(as_text=True)
    fragment = client.get("/?q=NATO&year=2024", headers=HX).get_data(as_text=True)
    region = fragment.split("</p>\n", 1)[1].strip()
    assert region and region[:2000] in full


def test_page_without_query_lists_everything_newest_first(client, engine):
    html = client.get("/").get_data(as_text=True)
    total = engine.search(SearchParams()).total
    assert f"{total} Treffer" in html
    assert "Standard (neueste zuerst)" in html


# -- facets, chips, timeline ---------------------------------------------------------------------------------


def test_facet_toggle_adds_a_chip_and_changes_counts(client):
    html = client.get("/?q=Stoltenberg").get_data(as_text=True)
    toggle = next(url for url in links(html, "facet-link") if ("actor", "Zakir Hasanov") in query_of(url))
    assert query_of(toggle) == [("q", "Stoltenberg"), ("actor", "Zakir Hasanov")]
    filtered = client.get(toggle).get_data(as_text=True)
    assert "2 Treffer für „Stoltenberg“" in filtered
    assert '<span class="chip-facet">Akteur:</span> Zakir Hasanov' in filtered
    chip = links(filtered, "chip")[0]
    assert query_of(chip) == [("q", "Stoltenberg")]
    assert 'type="hidden" form="search-form" name="actor" value="Zakir Hasanov"' in filtered
    selected = next(url for url in links(filtered, "facet-link is-selected"))
    assert query_of(selected) == [("q", "Stoltenberg")]


def test_ohne_jahr_filter(client, engine):
    undated = engine.search(SearchParams(filters={"year": (NO_YEAR,)})).total
    assert undated > 0
    html = client.get("/", query_string={"year": NO_YEAR}).get_data(as_text=True)
    assert f"{undated} Treffer" in html
    assert '<span class="undated">ohne Jahr</span>' in html


def test_facet_groups_are_plain_data_with_toggle_urls(engine):
    args = MultiDict([("q", "Stoltenberg"), ("year", "2023"), ("page", "2")])
    results = engine.search(SearchParams(query="Stoltenberg", filters={"year": ("2023",)}, facet_limit=0))
    groups = {group.name: group for group in facets_view.facet_groups(results, args, "/")}
    assert list(groups) == list(FACETS)
    year = groups["year"]
    # selected values first, then by count; a facet's counts ignore its own selection
    assert [(link.value, link.count, link.selected) for link in year.links] == [("2023", 1, True), ("2024", 2, False)]
    assert year.links[0].toggle_url == "/?q=Stoltenberg"
    assert year.links[1].toggle_url == "/?q=Stoltenberg&year=2023&year=2024"  # page dropped: back to page 1
    assert year.more_url is None and not year.searchable
    assert facets_view.chips(args, "/") == [facets_view.Chip("year", "Jahr", "2023", "/?q=Stoltenberg")]


def test_more_and_less_and_search_inside_a_facet(client, engine):
    everything = engine.search(SearchParams(facet_limit=0))
    long_facet = next(name for name in FACETS if len(everything.facets[name]) > state.FACET_LIMIT)
    html = client.get("/").get_data(as_text=True)
    assert html.count(f'<a id="f-{long_facet}-') == state.FACET_LIMIT
    assert f'href="/?more={long_facet}"' in html
    expanded = client.get(f"/?more={long_facet}").get_data(as_text=True)
    assert expanded.count(f'<a id="f-{long_facet}-') == len(everything.facets[long_facet])
    assert "Weniger anzeigen" in expanded
    needle = everything.facets[long_facet][0].value[:4]
    searched = client.get("/", query_string={f"{long_facet}_q": needle}).get_data(as_text=True)
    shown = re.findall(rf'<a id="f-{long_facet}-[^"]+"', searched)
    wanted = [fv for fv in everything.facets[long_facet] if needle.casefold() in fv.value.casefold()]
    assert len(shown) == min(len(wanted), state.FACET_LIMIT)
    assert "Suche im Filter zurücksetzen" in searched


def test_timeline_years_then_months(engine):
    results = engine.search(SearchParams(facet_limit=0))
    line = timeline.timeline(results, MultiDict(), "/")
    keys = [bar.key for bar in line.bars]
    assert keys == sorted(k for k in keys if k != NO_YEAR) + [NO_YEAR]
    bar_2023 = next(bar for bar in line.bars if bar.key == "2023")
    assert bar_2023.url == "/?year=2023" and not line.monthly
    monthly_results = engine.search(SearchParams(filters={"year": ("2023",)}))
    months = timeline.timeline(monthly_results, MultiDict([("year", "2023")]), "/")
    assert months.monthly and [bar.key for bar in months.bars] == [f"2023-{m:02d}" for m in range(1, 13)]
    linked = [bar for bar in months.bars if bar.url]
    assert linked and all(bar.count for bar in linked)
    assert all(bar.url is None for bar in months.bars if not bar.count)  # an empty month links nowhere
    for bar in linked:  # a month with releases links to its own date range
        last = calendar.monthrange(*map(int, bar.key.split("-")))[1]
        assert bar.url.endswith(f"from={bar.key}-01&to={bar.key}-{last:02d}"), bar.url


def test_timeline_month_bar_filters_to_a_date_range(client):
    html = client.get("/?year=2024").get_data(as_text=True)
    url = re.search(r'<a href="([^"]+)" class="bar[^"]*" aria-label="([^"]+)"', html)
    assert url, "a month bar with a link"
    target = url.group(1).replace("&amp;", "&")
    pairs = dict(query_of(target))
    assert pairs["year"] == "2024" and pairs["from"].startswith("2024-") and pairs["to"].startswith("2024-")
    filtered = client.get(target).get_data(as_text=True)
    assert '<span class="chip-facet">Von:</span>' in filtered


def test_sort_and_pagination(client, engine):
    total = engine.search(SearchParams()).total
    html = client.get("/?per_page=5&sort=oldest&page=2").get_data(as_text=True)
    assert f"Seite 2 von {-(-total // 5)}" in html
    assert '<option value="oldest" selected>Älteste zuerst</option>' in html
    assert 'rel="prev" href="/?per_page=5&amp;sort=oldest"' in html
    assert 'rel="next" href="/?per_page=5&amp;sort=oldest&amp;page=3"' in html


def test_note_for_unreadable_query(client):
    html = client.get("/", query_string={"q": "foo:bar Stoltenberg"}).get_data(as_text=True)
    assert 'class="note"' in html


# -- the document page ---------------------------------------------------------------------------------------


def test_document_page_shows_text_highlights_and_metadata(client):
    doc_id = "2023/02_hasanov-trifft-stoltenberg-in-bruessel"
    response = client.get(f"/doc/{doc_id}?q=Stoltenberg&actor=Zakir+Hasanov")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<mark>Stoltenberg</mark>" in html
    assert "Genauigkeit: tagesgenau" in html and "Herkunft: aus dem Text der Meldung" in html
    assert "erkannt an:" in html
    assert f"<code>{doc_id}.txt</code>" in html
    assert 'href="/?actor=Zakir+Hasanov">Mehr von diesem Akteur: Zakir Hasanov' in html
    assert "Mehr zu diesem Thema:" in html
    assert 'href="/?q=Stoltenberg&amp;actor=Zakir+Hasanov">← Zurück zu den Ergebnissen' in html


def test_hit_links_carry_the_search_state(client):
    html = client.get("/?q=Stoltenberg&year=2023").get_data(as_text=True)
    assert 'href="/doc/2023/02_hasanov-trifft-stoltenberg-in-bruessel?q=Stoltenberg&amp;year=2023"' in html


def test_unknown_document_is_a_german_404(client):
    response = client.get("/doc/gibt-es-nicht")
    assert response.status_code == 404
    assert "Meldung nicht gefunden" in response.get_data(as_text=True)


# -- machine interfaces --------------------------------------------------------------------------------------


def test_api_is_the_cli_json(client, engine):
    response = client.get("/api/search?q=Stoltenberg&year=2024&per_page=5")
    expected = engine.search(SearchParams(query="Stoltenberg", filters={"year": ("2024",)}, per_page=5)).to_json()
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert response.get_json() == expected


def test_api_bad_parameter_is_json_400(client):
    response = client.get("/api/search?page=eins")
    assert response.status_code == 400
    assert "Seitenzahl" in response.get_json()["error"]


def test_atom_feed_newest_first(client, engine):
    response = client.get("/feed.atom?q=NATO")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    ns = {"a": exports.ATOM}
    feed = ET.fromstring(response.data)
    assert feed.find("a:title", ns).text == "Depesche: „NATO“"
    entries = feed.findall("a:entry", ns)
    dated = [e.find("a:updated", ns).text for e in entries]
    expected = engine.search(SearchParams(query="NATO", sort="newest", per_page=50))
    assert [e.find("a:title", ns).text for e in entries] == [hit.title for hit in expected.hits]
    assert dated[: len([h for h in expected.hits if h.date])] == sorted(dated[: len([h for h in expected.hits if h.date])], reverse=True)
    assert entries[0].find("a:link", ns).get("href").startswith("/doc/")  # relative: no DEPESCHE_BASE_URL here, and never the Host


def test_csv_export_has_every_hit_with_metadata(client, engine):
    response = client.get("/export.csv?q=NATO")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    total = engine.search(SearchParams(query="NATO")).total
    assert len(rows) == total
    assert list(rows[0]) == list(exports.CSV_COLUMNS)
    assert any("NATO" in row["organisationen"] for row in rows)


def test_csv_neutralises_formulas():
    hit = Hit("x", "=HYPERLINK(\"http://evil\")", None, None, 0.0, ("+Eve", "@Mallory"), (), ("-1",), (), (), "", "a.txt")
    rows = list(csv.reader(io.StringIO(exports.csv_text([hit], lambda doc_id: "/doc/" + doc_id))))
    assert rows[1][1] == "'=HYPERLINK(\"http://evil\")"
    assert rows[1][4] == "'+Eve; @Mallory" and rows[1][6] == "'-1"
    assert [exports.safe_cell(v) for v in ("ok", "=1", "\tx", None)] == ["ok", "'=1", "'\tx", ""]


def test_htmx_is_served_from_the_pip_package(client):
    response = client.get("/static/htmx.min.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert b"htmx" in response.data[:2000]


# -- errors and headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query, words",
    [
        ("page=x", "Seitenzahl"),
        ("per_page=1000", "Treffer pro Seite"),
        ("sort=beliebt", "Sortierung"),
        ("from=2024-13-01", "JJJJ-MM-TT"),
        ("from=2024-05-01&to=2024-01-01", "Anfangsdatum"),
        ("more=farbe", "Facette"),
    ],
)
def test_bad_parameters_give_a_german_400(client, query, words):
    for headers in ({}, HX):
        response = client.get(f"/?{query}", headers=headers)
        assert response.status_code == 400
        html = response.get_data(as_text=True)
        assert "Ungültige Anfrage" in html and words in html
    if not query.startswith(("more", "per_page")):  # the feed chooses its own page size and ignores "more"
        assert client.get(f"/feed.atom?{query}").status_code == 400


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["q", "page", "per_page", "sort", "from", "to", "more", "year", "actor", "actor_q", "x"]),
            st.text(max_size=12),
        ),
        max_size=5,
    )
)
def test_no_query_string_gives_a_500(client, pairs):
    for path in ("/", "/api/search", "/feed.atom", "/export.csv"):
        assert client.get(path, query_string=pairs).status_code < 500


def test_missing_index_is_a_503_page(tmp_path):
    client = create_app({"DEPESCHE_INDEX": str(tmp_path / "none"), "TESTING": True}).test_client()
    response = client.get("/?q=Stoltenberg")
    assert response.status_code == 503
    assert "Kein Suchindex" in response.get_data(as_text=True)
    assert client.get("/api/search").status_code == 503
    assert client.get("/doc/x").status_code == 503


def test_unknown_route_is_a_german_404(client):
    response = client.get("/gibt/es/nicht")
    assert response.status_code == 404 and "Diese Seite gibt es nicht" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/", "/?q=x", "/doc/nope", "/api/search", "/feed.atom", "/export.csv", "/static/style.css", "/nix"])
def test_security_headers_on_every_response(client, path):
    with client.get(path) as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


def test_pages_have_no_inline_script_or_style(client):
    for path in ("/?q=Stoltenberg&year=2023", "/doc/2023/02_hasanov-trifft-stoltenberg-in-bruessel", "/?page=x"):
        html = client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", html)
        assert " style=" not in html and "<style" not in html and " on" + "click=" not in html


def test_state_urls_are_pure_functions():
    args = MultiDict([("q", "NATO"), ("actor", "A"), ("page", "3"), ("more", "topic"), ("junk", "1")])
    assert state.toggled(args, "actor", "A") == [("q", "NATO"), ("more", "topic")]
    assert state.toggled(args, "actor", "B") == [("q", "NATO"), ("actor", "A"), ("more", "topic"), ("actor", "B")]
    assert state.replaced(args, sort="newest") == [("q", "NATO"), ("actor", "A"), ("more", "topic"), ("sort", "newest")]
    assert state.href("/", []) == "/" and state.href("/", [("q", "ä b")]) == "/?q=%C3%A4+b"
    params = state.params_from_args(MultiDict([("q", " x "), ("year", "2023"), ("year", "2023"), ("topic_q", "si")]))
    assert params == SearchParams(query="x", filters={"year": ("2023",)}, facet_filter={"topic": "si"})


def test_error_pages_keep_server_details_out_of_the_page(tmp_path):
    from web import create_app

    app = create_app({"DEPESCHE_INDEX": str(tmp_path / "geheim-pfad"), "TESTING": True})
    page = app.test_client().get("/?q=x")
    api = app.test_client().get("/api/search?q=x")
    assert page.status_code == api.status_code == 503
    assert "geheim-pfad" not in page.get_data(as_text=True) and "geheim-pfad" not in api.get_data(as_text=True)


def test_a_relaxed_search_says_so_on_the_page_and_in_the_json(client):
    html = client.get("/?q=Baerbock+Bayramov+Lissabon").get_data(as_text=True)
    assert "Keine Treffer mit allen Wörtern – Ergebnisse mit 2 von 3 Wörtern" in html
    assert "2 Treffer" in html
    answer = client.get("/api/search?q=Baerbock+Bayramov+Lissabon").get_json()
    assert answer["relaxed"] == {"matched": 2, "words": 3, "complete": 0}
    assert [hit["id"] for hit in answer["hits"]] == [
        "2023/04_baerbock-bayramov-telefongespraech", "baerbock-empfaengt-bayramov-und-mirzoyan-in-berlin"]
