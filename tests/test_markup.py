"""Hostile markup in releases and in queries is text everywhere: escaped in pages, fragments, snippets, titles,
facet values, chips, suggestions and the document page; well-formed in Atom; CSV formulas neutralised; and in a
real browser no injected script runs.

The hostile corpus is written by the tests into a temporary folder and indexed once for this module.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

import pytest

from search.indexer import index_sources
from web import create_app
from web.exports import FORMULA_START

WORD = "Zyankali"  # in every hostile release, and nowhere else
SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
IMG = '<img src=x onerror="window.__pwned=1;alert(1)">'
SVG = "<svg/onload=window.__pwned=1>"
ATTR = '" autofocus onfocus="window.__pwned=1" x="'
HTMX = '<div hx-get="/api/search" hx-trigger="load" hx-target="body">htmx</div>'
ENTITIES = "&lt;b&gt;fett&lt;/b&gt; &amp;amp; &#x3C;script&#x3E; &quot;"
FORMULA = "=cmd|' /C calc'!A0"
PAYLOADS = (SCRIPT, IMG, SVG, ATTR, HTMX, ENTITIES)

RELEASES = {
    "markup.txt": [
        f"Stoltenberg {SCRIPT} in Baku",
        f"Der NATO-Generalsekretär Jens Stoltenberg sprach über {WORD} {IMG} am 3. Mai 2024.",
        f"Zweiter Absatz mit {SVG} und {WORD} und {ATTR} danach.",
        f"Dritter Absatz: {ENTITIES} {WORD} {HTMX}.",
        f"Sie sagte: „{WORD}“ 'einfach' \"doppelt\" {SCRIPT}",
    ],
    "formel.txt": [
        f"{FORMULA} Bayramov trifft Stoltenberg",
        f"+SUM(1+1) Am 4. Mai 2024 sprach Außenminister Jeyhun Bayramov über {WORD}.",
        f"@cmd -2+3 {WORD} {SCRIPT}",
    ],
}
RECORDS = [
    {
        "id": "xss-record",
        "title": f"Bayramov \"zitiert\" 'einfach' <b>fett</b> {SCRIPT}",
        "lead": f"{WORD} im Vorspann {IMG}",
        "body": f"{WORD} {ENTITIES}\n{ATTR} {WORD}",
        "date": "2024-05-05",
        "url": "javascript:window.__pwned=1",
        "actors": [SCRIPT, '=HYPERLINK("http://example.invalid","klick")', "@SUM(1+1)"],
        "topics": [IMG, "+cmd", "-1+2"],
    },
    {
        "id": 'zitat"\'<i>kursiv</i>',
        "title": f"Tab\tund {WORD}",
        "body": f"{WORD} mit {SVG}",
        "date": "2024-05-06",
        "url": "https://example.invalid/meldung?a=1&b=<2>",
        "actors": [ATTR],
        "topics": [HTMX],
    },
]
TITLES = {RELEASES["markup.txt"][0], RELEASES["formel.txt"][0], RECORDS[0]["title"], RECORDS[1]["title"]}


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-markup")
    for name, lines in RELEASES.items():
        (folder / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "records.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in RECORDS) + "\n", encoding="utf-8")
    root = folder / "index"
    report = index_sources([folder], root, workers=0)
    assert report.indexed == 4 and not report.skipped
    return root


@pytest.fixture(scope="module")
def client(hostile_index):
    return create_app({"DEPESCHE_INDEX": str(hostile_index), "TESTING": True}).test_client()


class Page(HTMLParser):
    """The tags, attributes and text of an HTML page, as a browser's parser would see them."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def problems(self) -> list[str]:
        found = []
        for tag, attrs in self.tags:
            if tag in ("img", "iframe", "object", "embed", "b", "i") or tag == "div" and "hx-trigger" in attrs:
                found.append(f"injected <{tag}>")
            if tag == "svg" and attrs.get("class") != "timeline-chart":  # the timeline is the page's only svg
                found.append(f"injected <{tag}>")
            if tag == "script" and not (attrs.get("src") or "").startswith("/static/"):
                found.append(f"script {attrs}")
            found += [f"<{tag} {name}>" for name in attrs if name.startswith("on") or name == "autofocus"]
            for name in ("href", "src", "action", "hx-get"):
                if (attrs.get(name) or "").strip().lower().startswith(("javascript:", "data:")):
                    found.append(f"<{tag} {name}={attrs[name]}>")
        return found


def html_of(response) -> Page:
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    return Page(response.get_data(as_text=True))


SEARCH_PAGES = [
    f"/?q={WORD}",
    f"/?q={quote(SCRIPT + ' ' + WORD)}",
    f"/?q={quote(IMG)}+{WORD}&sort=newest",
    f"/?q={quote(ATTR)}",
    f"/?q={WORD}&actor={quote(SCRIPT)}",  # a selected hostile facet value: a chip
    f"/?q={WORD}&topic={quote(IMG)}&topic={quote(HTMX)}",
    f"/?q={WORD}&actor_q={quote(SCRIPT)}",  # searching inside a facet's values
    f"/?q={WORD}&actor_q={quote('<nichts>')}",  # ... with no match: the search value is echoed
    f"/?actor={quote(ATTR)}&more=actor&more=topic",
    "/?q=Zyankalli",  # a misspelling: the suggestion
    f"/?q={quote(SCRIPT)}&page=0",  # an error page echoing the query
    f"/?q={quote(SCRIPT)}&from={quote(IMG)}",
]


@pytest.mark.parametrize("url", SEARCH_PAGES)
@pytest.mark.parametrize("htmx", [False, True])
def test_search_pages_show_markup_as_text(client, url, htmx):
    response = client.get(url, headers={"HX-Request": "true"} if htmx else {})
    if response.status_code == 400:  # the error page: same rules
        page = Page(response.get_data(as_text=True))
    else:
        page = html_of(response)
    assert page.problems() == []
    assert response.headers["Content-Security-Policy"].count("script-src 'self'") == 1


def test_hostile_releases_are_found_and_their_markup_shown_as_text(client):
    page = html_of(client.get(f"/?q={WORD}"))
    text = "".join(page.text)
    assert "4 Treffer" in text
    for title in TITLES:
        assert title.replace("\t", " ") in text.replace("\t", " ")  # titles appear literally, markup and all
    assert SCRIPT in text and ENTITIES in text  # a snippet shows the text a reader wrote, entities included
    facet_text = "".join(Page(client.get(f"/?q={WORD}&more=actor&more=topic").get_data(as_text=True)).text)
    assert SCRIPT in facet_text and IMG in facet_text and HTMX in facet_text  # facet values literally
    chip = "".join(Page(client.get(f"/?q={WORD}&actor={quote(SCRIPT)}").get_data(as_text=True)).text)
    assert f"Akteur: {SCRIPT}×" in " ".join(chip.split())  # the chip names the selected value literally


@pytest.mark.parametrize("doc_id", ["markup", "formel", "xss-record", 'zitat"\'<i>kursiv</i>'])
def test_document_pages_show_markup_as_text(client, doc_id):
    response = client.get(f"/doc/{quote(doc_id)}?q={quote(WORD + ' ' + SCRIPT)}")
    page = html_of(response)
    assert page.problems() == []
    links = [attrs.get("href", "") for tag, attrs in page.tags if tag == "a"]
    assert not any(link.lower().startswith("javascript:") for link in links)
    if doc_id == 'zitat"\'<i>kursiv</i>':
        assert "https://example.invalid/meldung?a=1&b=<2>" in links  # an http(s) source URL stays a link


def test_listing_links_reach_every_hostile_document(client):
    page = html_of(client.get(f"/?q={WORD}"))
    doc_links = [attrs["href"] for tag, attrs in page.tags if tag == "a" and attrs.get("href", "").startswith("/doc/")]
    assert len(doc_links) == 4
    for link in doc_links:
        assert client.get(link).status_code == 200


def test_json_api_carries_raw_text_and_escaped_snippets(client):
    response = client.get(f"/api/search?q={WORD}&per_page=10")
    assert response.mimetype == "application/json" and response.headers["X-Content-Type-Options"] == "nosniff"
    hits = response.get_json()["hits"]
    assert {hit["title"] for hit in hits} == TITLES
    for hit in hits:
        assert "<script" not in hit["snippet"] and "<img" not in hit["snippet"]
        assert all(tag == "mark" for tag, _ in Page(hit["snippet"]).tags), hit["snippet"]  # only the app's own marks


def test_atom_feed_is_well_formed_with_markup_as_text(client):
    response = client.get(f"/feed.atom?q={WORD}&actor={quote(SCRIPT)}&actor=Jens+Stoltenberg")
    body = response.get_data()
    assert response.mimetype == "application/atom+xml"
    assert b"<script" not in body and b"<img" not in body
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(body)
    assert SCRIPT in feed.find("a:title", ns).text  # the feed's title names the filter, as text
    titles = {entry.find("a:title", ns).text for entry in feed.findall("a:entry", ns)}
    assert titles and titles <= TITLES
    every = ET.fromstring(client.get(f"/feed.atom?q={WORD}").get_data())
    terms = {c.get("term") for c in every.iter("{http://www.w3.org/2005/Atom}category")}
    assert IMG in terms and HTMX in terms
    summaries = " ".join(e.find("a:summary", ns).text or "" for e in every.findall("a:entry", ns))
    assert IMG in summaries and "&lt;img" not in summaries  # plain text, decoded exactly once


def test_csv_neutralises_formulas(client):
    response = client.get(f"/export.csv?q={WORD}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 5
    cells = [cell for row in rows[1:] for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_START)]
    titles = {row[1] for row in rows[1:]}
    assert "'" + RELEASES["formel.txt"][0] in titles
    record = next(row for row in rows[1:] if row[0] == "xss-record")
    assert SCRIPT in record[4] and '=HYPERLINK("http://example.invalid"' in record[4]  # inside a list, not a formula
    assert record[6].startswith(IMG)


def test_csv_cells_starting_like_a_formula_get_an_apostrophe():
    from web.exports import safe_cell

    for dangerous in (FORMULA, "+SUM(1+1)", "-2+3", "@cmd", "\t=1+1", "\r=1"):
        assert safe_cell(dangerous) == "'" + dangerous
    assert safe_cell("Bayramov") == "Bayramov"


# -- a real browser --------------------------------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
BROWSER_URLS = [
    f"/?q={WORD}",
    f"/?q={WORD}&more=actor&more=topic",
    f"/?q={WORD}&actor={quote(SCRIPT)}&topic={quote(IMG)}",
    f"/?q={quote(ATTR + ' ' + SCRIPT)}",
    f"/?q={quote(SCRIPT)}&page=0",
    *[f"/doc/{quote(doc_id)}?{urlencode({'q': WORD})}" for doc_id in ("markup", "formel", "xss-record", 'zitat"\'<i>kursiv</i>')],
]
INJECTED = "script:not([src]), img, svg:not(.timeline-chart), iframe, object, embed, [onerror], [onload], [onfocus], [autofocus], [hx-trigger='load']"


@pytest.fixture(scope="module")
def live_hostile(hostile_index):
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, create_app({"DEPESCHE_INDEX": str(hostile_index)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_no_injected_script_runs_in_a_browser(live_hostile):
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (CI installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
        )
        try:
            context = browser.new_context(locale="de-DE")
            context.set_default_timeout(8000)
            page = context.new_page()
            dialogs, problems = [], []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.on("console", lambda message: message.type == "error" and problems.append(message.text))
            page.on("pageerror", lambda error: problems.append(str(error)))
            for url in BROWSER_URLS:
                page.goto(live_hostile + url, wait_until="load")
                page.wait_for_timeout(150)
                assert page.evaluate("typeof window.__pwned") == "undefined", url
                assert page.evaluate(f"document.querySelectorAll({json.dumps(INJECTED)}).length") == 0, url
            # typing a hostile query: htmx swaps the results in; still nothing runs
            page.goto(live_hostile + "/")
            with page.expect_response(lambda r: "q=" in r.url):
                page.fill("#q", f"{IMG} {WORD}")
            page.wait_for_selector(".hits", timeout=8000)
            page.wait_for_timeout(300)
            assert page.evaluate("typeof window.__pwned") == "undefined"
            assert page.evaluate(f"document.querySelectorAll({json.dumps(INJECTED)}).length") == 0
            assert dialogs == []
            # a blocked inline script would show up as a CSP violation: there must be nothing to block
            assert [p for p in problems if "Content Security Policy" in p or "Refused" in p] == []
        finally:
            browser.close()
