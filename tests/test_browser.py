"""The search page in a real browser: Debian's Chromium driven by Playwright, with and without JavaScript.

The app runs in a thread (werkzeug's make_server on a free port) over the session's test indexes. Screenshots of
the main states go to tests/artifacts/ (git-ignored; CI keeps them as artifacts).
"""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
if not CHROMIUM.exists():
    pytest.skip(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; CI installs it)", allow_module_level=True)

from playwright.sync_api import expect, sync_playwright  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

from web import create_app  # noqa: E402

ARTIFACTS = Path(__file__).parent / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SEED_TITLE = "Die aserbaidschanischen Minister erörterten mit Stoltenberg die Lage in der Region"


class LiveServer:
    def __init__(self, index: Path):
        self.server = make_server("127.0.0.1", 0, create_app({"DEPESCHE_INDEX": str(index)}), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture(scope="module")
def sample_server(sample_index):
    server = LiveServer(sample_index)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def corpus_server(corpus_index):
    server = LiveServer(corpus_index)
    yield server.url
    server.stop()


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield browser
        browser.close()


def new_page(browser, javascript: bool = True, width: int = 1280, height: int = 900):
    context = browser.new_context(
        java_script_enabled=javascript, locale="de-DE", viewport={"width": width, "height": height}
    )
    context.set_default_timeout(8000)
    page = context.new_page()
    page.problems = []  # console errors (a CSP violation shows up here) and failed requests
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    return page


def shot(page, name: str, full_page: bool = False):
    # caret="initial": hiding the caret would inject a <style>, which the page's CSP (rightly) blocks
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page, caret="initial")


def facet_link(page, facet: str, value: str):
    return page.locator(f"#facet-{facet} a.facet-link", has=page.locator(".facet-label", has_text=re.compile(rf"^(Ausgewählt, entfernen: )?{re.escape(value)}")))


def status(page):
    return page.locator("#status")


def test_active_search_facets_back_and_document_with_javascript(browser, sample_server):
    page = new_page(browser)
    page.goto(sample_server + "/")
    expect(page.locator("#q")).to_be_visible()
    page.wait_for_function("window.htmx !== undefined")
    page.evaluate("window.__samePage = true")  # gone if anything reloads the page instead of swapping a fragment
    shot(page, "01-start")

    page.locator("#q").press_sequentially("Stoltenberg", delay=20)  # active search: no Enter, no button
    page.wait_for_url(re.compile(r"/\?q=Stoltenberg$"))
    expect(status(page)).to_have_text("3 Treffer für „Stoltenberg“")
    expect(page.locator(".hit")).to_have_count(3)
    expect(page.locator(".hit mark").first).to_have_text("Stoltenberg")
    year_2024 = facet_link(page, "year", "2024")
    expect(year_2024.locator(".count")).to_have_text(re.compile(r"2"))
    shot(page, "02-typed-query")

    facet_link(page, "actor", "Zakir Hasanov").click()
    page.wait_for_url(re.compile(r"actor=Zakir\+Hasanov"))
    expect(status(page)).to_have_text("2 Treffer für „Stoltenberg“")
    expect(page.locator(".chip")).to_have_count(1)
    expect(page.locator(".chip")).to_contain_text("Zakir Hasanov")
    expect(facet_link(page, "actor", "Zakir Hasanov")).to_have_class(re.compile("is-selected"))
    expect(facet_link(page, "year", "2024").locator(".count")).to_have_text(re.compile(r"1"))
    assert page.evaluate("document.activeElement.id").startswith("f-actor-zakir-hasanov")  # focus kept for keyboards
    shot(page, "03-facet-selected", full_page=True)

    page.go_back()
    page.wait_for_url(re.compile(r"/\?q=Stoltenberg$"))
    expect(page.locator(".chip")).to_have_count(0)
    expect(page.locator(".hit")).to_have_count(3)
    expect(page.locator("#q")).to_have_value("Stoltenberg")

    page.locator("#sort").select_option("oldest")
    page.wait_for_url(re.compile(r"sort=oldest"))
    expect(page.locator(".hit-title").first).to_contain_text("Zakir Hasanov")  # the 2023 release first
    assert page.evaluate("window.__samePage === true"), "htmx swapped fragments; the page never reloaded"

    page.locator(".hit-title a").first.click()
    page.wait_for_url(re.compile(r"/doc/"))
    expect(page.locator("h1 mark").or_(page.locator(".doc mark")).first).to_have_text("Stoltenberg")
    expect(page.locator(".doc-meta")).to_contain_text("Herkunft")
    expect(page.locator(".more-links")).to_contain_text("Mehr von diesem Akteur")
    shot(page, "04-document", full_page=True)
    page.go_back()
    page.wait_for_url(re.compile(r"sort=oldest"))
    expect(page.locator(".hit")).to_have_count(3)
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()


def test_timeline_and_keyboard(browser, sample_server):
    page = new_page(browser)
    page.goto(sample_server + "/")
    page.wait_for_function("window.htmx !== undefined")
    bar = page.locator(".timeline-chart a[aria-label^='2024']")
    bar.click()
    page.wait_for_url(re.compile(r"year=2024"))
    expect(page.locator(".timeline figcaption")).to_contain_text("je Monat 2024")
    expect(page.locator(".chip")).to_contain_text("2024")
    shot(page, "05-timeline-months")
    month = page.locator(".timeline-chart a").first
    month.click()
    page.wait_for_url(re.compile(r"from=2024-\d\d-01&to=2024-"))
    expect(page.locator(".chip", has_text="Von:")).to_have_count(1)

    page.goto(sample_server + "/")
    page.keyboard.press("Tab")
    expect(page.locator(".skip-link")).to_be_focused()
    page.keyboard.press("Tab")  # the brand link
    page.keyboard.press("Tab")
    expect(page.locator("#q")).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()


def test_phone_width_is_usable(browser, sample_server):
    page = new_page(browser, width=390, height=844)
    page.goto(sample_server + "/?q=NATO")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator(".to-filters a")).to_be_visible()
    shot(page, "06-phone")
    page.context.close()


def test_the_same_flow_without_javascript(browser, sample_server):
    page = new_page(browser, javascript=False)
    page.goto(sample_server + "/")
    page.fill("#q", "Stoltenberg")
    page.get_by_role("button", name="Suchen").click()
    page.wait_for_url(re.compile(r"q=Stoltenberg"))
    expect(status(page)).to_have_text("3 Treffer für „Stoltenberg“")
    facet_link(page, "actor", "Zakir Hasanov").click()
    page.wait_for_url(re.compile(r"actor=Zakir\+Hasanov"))
    expect(page.locator(".chip")).to_contain_text("Zakir Hasanov")
    expect(status(page)).to_contain_text("2 Treffer")
    shot(page, "07-nojs-facet")

    page.locator("#sort").select_option("oldest")
    page.get_by_role("button", name="Sortieren").click()  # the <noscript> button
    page.wait_for_url(re.compile(r"sort=oldest"))
    expect(page.locator(".chip")).to_contain_text("Zakir Hasanov")  # the filter travelled with the form

    page.locator(".chip").first.click()
    expect(page.locator(".chip")).to_have_count(0)
    page.go_back()
    expect(page.locator(".chip")).to_contain_text("Zakir Hasanov")
    page.locator(".hit-title a").first.click()
    expect(page.locator(".doc mark").first).to_have_text("Stoltenberg")
    page.get_by_role("link", name=re.compile("Zurück zu den Ergebnissen")).click()
    expect(page.locator(".chip")).to_contain_text("Zakir Hasanov")
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_done_when_find_the_seed(browser, corpus_server, javascript):
    """Issue 6's done-when: type "Stoltenberg", filter to Zakir Hasanov and "ohne Jahr", open the release, go back."""
    page = new_page(browser, javascript=javascript)
    page.goto(corpus_server + "/")
    if javascript:
        page.wait_for_function("window.htmx !== undefined")
        page.locator("#q").press_sequentially("Stoltenberg", delay=10)
    else:
        page.fill("#q", "Stoltenberg")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Stoltenberg"))
    expect(status(page)).to_contain_text("für „Stoltenberg“")
    facet_link(page, "actor", "Zakir Hasanov").click()
    page.wait_for_url(re.compile(r"actor=Zakir\+Hasanov"))
    facet_link(page, "year", "ohne Jahr").click()
    page.wait_for_url(re.compile(r"year=ohne\+Jahr"))
    expect(page.locator(".chip")).to_have_count(2)
    seed = page.locator(".hit-title a", has_text=SEED_TITLE)
    expect(seed).to_be_visible()
    shot(page, f"08-seed-found-{'js' if javascript else 'nojs'}")
    seed.click()
    page.wait_for_url(re.compile(r"/doc/000_dafee6e7240ce84c"))
    expect(page.locator("h1")).to_contain_text("Stoltenberg")
    page.go_back()
    page.wait_for_url(re.compile(r"year=ohne\+Jahr"))
    expect(page.locator(".hit-title a", has_text=SEED_TITLE)).to_be_visible()
    expect(page.locator(".chip")).to_have_count(2)
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()
