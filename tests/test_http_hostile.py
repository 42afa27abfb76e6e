"""Whatever a client sends, over HTTP or the CLI: an answer or a readable refusal; never a 5xx, never a traceback.

Property-based (hypothesis) over `/`, `/api/search`, `/feed.atom`, `/export.csv`, `/doc/<id>` and
`depesche search --json`; plus the request limits and path traversal attempts, over the bundled sample index.
"""

from __future__ import annotations

import json
from urllib.parse import quote, urlencode

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from search.cli import cli
from search.model import FACETS, SORTS
from web import create_app
from web.views import MAX_QUERY_CHARS, MAX_QUERY_STRING

SYNTAX = st.sampled_from(
    ['"', "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "*", "?", "~2", "^3", ":", "title:", "geheim:", "actor:",
     "year:[2020 TO", "\\", "'", "<script>", "&lt;", "%00", "\x00", "../", "\u202e", "🙂", "ß", "İ", "\ufeff"]
)
QUERY = st.lists(st.one_of(st.text(max_size=15), SYNTAX), max_size=8).map(" ".join)
NUMBER = st.one_of(
    st.integers(-10**20, 10**20).map(str), st.sampled_from(["", "0", "-1", "1e3", "0x10", "½", "١", " 2 ", "NaN", "9" * 400]), st.text(max_size=5)
)
DAY = st.one_of(st.dates().map(str), st.sampled_from(["", "2024-02-30", "2024-13-01", "0000-01-01", "24-1-1"]), st.text(max_size=12))
FACET_VALUE = st.one_of(st.text(max_size=30), st.sampled_from(["ohne Jahr", "2024", "Jens Stoltenberg", "<b>x</b>", "=cmd|' /C calc'!A0"]))
KEY = st.one_of(st.sampled_from([*FACETS, "q", "page", "per_page", "sort", "from", "to", "more", "facet_limit", *[f + "_q" for f in FACETS]]), st.text(max_size=8))


@st.composite
def query_strings(draw) -> list[tuple[str, str]]:
    pairs = [("q", draw(QUERY))]
    for _ in range(draw(st.integers(0, 6))):
        key = draw(KEY)
        if key in FACETS:
            value = draw(FACET_VALUE)
        elif key in ("page", "per_page", "facet_limit"):
            value = draw(NUMBER)
        elif key in ("from", "to"):
            value = draw(DAY)
        elif key == "sort":
            value = draw(st.one_of(st.sampled_from(SORTS), st.text(max_size=8)))
        elif key == "more":
            value = draw(st.one_of(st.sampled_from(FACETS), st.text(max_size=8)))
        else:
            value = draw(QUERY)
        pairs.append((key, value))
    return pairs


ENDPOINTS = ["/", "/api/search", "/feed.atom", "/export.csv"]


@pytest.fixture(scope="module")
def app(sample_index):
    return create_app({"DEPESCHE_INDEX": str(sample_index), "TESTING": False})


@pytest.fixture()
def client(app):
    return app.test_client()


def assert_answered(response, what: str) -> None:
    """A non-5xx answer without a traceback; a refusal says why in words."""
    body = response.get_data(as_text=True)
    assert response.status_code < 500, f"{what}: {response.status_code}\n{body[:500]}"
    assert "Traceback (most recent call last)" not in body, what
    if response.status_code >= 400:
        if response.is_json:
            assert response.get_json()["error"], what
        else:
            assert "<h1>" in body and "</p>" in body, what  # the German error page, message included


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=query_strings(), endpoint=st.sampled_from(ENDPOINTS), htmx=st.booleans())
def test_any_parameters_get_an_answer_or_a_readable_refusal(client, pairs, endpoint, htmx):
    url = f"{endpoint}?{urlencode(pairs)}"
    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
    assert_answered(response, url)
    if response.status_code == 200 and endpoint == "/api/search":
        assert set(response.get_json()) >= {"query", "total", "hits", "facets"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc_id=st.one_of(st.text(min_size=1, max_size=40), SYNTAX), q=QUERY)
@example(doc_id="/0", q="")
def test_any_document_id_is_a_page_or_a_404(client, doc_id, q):
    response = client.get(f"/doc/{quote(doc_id, safe='')}?{urlencode({'q': q})}")
    assert_answered(response, repr(doc_id))
    if response.status_code == 308:  # "/doc//0": Werkzeug merges the slashes and redirects to the one path
        assert "//" not in response.headers["Location"].split("/doc/", 1)[1]
    else:
        assert response.status_code in (200, 404)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    words=st.lists(st.one_of(st.text(min_size=1, max_size=15), SYNTAX), max_size=5),
    facet=st.sampled_from(FACETS),
    value=FACET_VALUE,
    page=st.integers(-5, 2000),
    sort=st.sampled_from([*SORTS, "random"]),
)
def test_cli_search_json_answers_or_says_why(sample_index, words, facet, value, page, sort):
    words = [w.replace("\x00", "") or "x" for w in words]  # argv cannot carry NUL
    args = ["search", "--index", str(sample_index), "--json", "--page", str(page), "--sort", sort, f"--{facet}", value.replace("\x00", ""), "--", *words]
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        answer = json.loads(result.output)
        assert len(answer["hits"]) <= answer["per_page"] and (answer["total"] >= len(answer["hits"]))
    else:
        assert result.exit_code in (1, 2) and "Error" in result.output  # click's usage error or our message


def test_cli_json_with_a_huge_query(sample_index):
    result = CliRunner().invoke(cli, ["search", "--index", str(sample_index), "--json", *(["NATO"] * 20_000)])
    assert result.exit_code == 0 and json.loads(result.output)["total"] >= 1


# -- limits ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize(
    "pairs, message",
    [
        ([("page", "0")], "Seite"),
        ([("page", "-3")], "Seite"),
        ([("page", str(10**30))], "Seite"),
        ([("page", "zwei")], "Seitenzahl"),
        ([("per_page", "100000")], "Treffer pro Seite"),
        ([("per_page", "-1")], "Treffer pro Seite"),
        ([("q", "x" * (MAX_QUERY_CHARS + 1))], "zu lang"),
        ([("actor", "a" * 200)] * (MAX_QUERY_STRING // 200 + 1), "zu lang"),
        ([("from", "2024-02-30")], "JJJJ-MM-TT"),
        ([("from", "2025-01-01"), ("to", "2024-01-01")], "Anfangsdatum"),
        ([("sort", "random")], "Sortierung"),
    ],
)
def test_unusable_parameters_are_a_400_with_a_message(client, endpoint, pairs, message):
    response = client.get(f"{endpoint}?{urlencode(pairs)}")
    assert response.status_code == 400  # one validation layer: a feed or an export refuses what the page refuses
    body = response.get_json()["error"] if response.is_json else response.get_data(as_text=True)
    assert message in body


def test_a_query_at_the_limit_is_answered(client):
    response = client.get("/api/search?" + urlencode({"q": ("NATO " * 200)[:MAX_QUERY_CHARS]}))
    assert response.status_code == 200 and response.get_json()["total"] >= 1


def test_unknown_facet_values_and_fields_are_answered_not_refused(client):
    response = client.get("/api/search?" + urlencode([("q", "geheim:Stoltenberg"), ("actor", "Niemand Unbekannt"), ("year", "1066")]))
    assert response.status_code == 200 and response.get_json()["total"] == 0
    page = client.get("/?" + urlencode({"q": "geheim:Stoltenberg"})).get_data(as_text=True)
    assert "Unbekanntes Feld geheim" in page
    assert client.get("/?more=geheim").status_code == 400


# -- paths -----------------------------------------------------------------------------------------------

TRAVERSALS = [
    "/doc/../../etc/passwd",
    "/doc/..%2f..%2fetc%2fpasswd",
    "/doc/%2e%2e/%2e%2e/etc/passwd",
    "/doc//etc/passwd",
    "/doc/%2Fetc%2Fpasswd",
    "/doc/....//....//etc/passwd",
    "/doc/sample/../../../../etc/passwd",
    "/doc/C:%5CWindows%5Cwin.ini",
    "/doc/%00",
    "/static/../../../../etc/passwd",
    "/static/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e/%2e%2e/web/views.py",
    "/static/../views.py",
    "/?q=../../etc/passwd&actor=../../etc/passwd&more=../../etc/passwd",
    "/api/search?q=/etc/passwd&year=../../../etc/passwd",
    "/feed.atom?q=../../etc/passwd",
    "/export.csv?actor=..%2F..%2Fetc%2Fpasswd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_dot_dot_reads_nothing_outside_the_index(client, path):
    response = client.get(path, follow_redirects=True)  # "//" is redirected to "/" first
    body = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 404), path
    assert "root:" not in body and "def document" not in body and "[fonts]" not in body, path
    assert "Traceback" not in body


def test_document_urls_carry_ids_not_paths(client, sample_index):
    listing = client.get("/api/search?per_page=100").get_json()
    assert listing["hits"]
    page = client.get("/?per_page=100").get_data(as_text=True)
    for hit in listing["hits"]:
        assert f'href="/doc/{quote(hit["id"])}?' in page  # the link carries the search, for "back"
        assert str(sample_index) not in page
        assert client.get(f"/doc/{quote(hit['id'])}").status_code == 200
    assert "/sample/" not in page.replace("/doc/sample", "")  # no package or file-system path in a link
