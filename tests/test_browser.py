"""The search page in a real browser: Debian's Chromium driven by Playwright, with and without JavaScript.

The app runs in a thread (werkzeug's make_server on a free port) over the session's test indexes. Screenshots of
the main states go to tests/artifacts/ (git-ignored; CI keeps them as artifacts). Every page a test opens fails
the test on any console error, uncaught script error or Content-Security-Policy violation (`open_page`). Without
Chromium the module skips, except where $DEPESCHE_REQUIRE_BROWSER=1 (CI sets it): there it fails.
"""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REQUIRED = os.environ.get("DEPESCHE_REQUIRE_BROWSER") == "1"


def _no_browser(reason: str):
    if REQUIRED:  # CI must not pass by skipping every browser test
        pytest.fail(f"DEPESCHE_REQUIRE_BROWSER=1 but {reason}", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


if not CHROMIUM.exists():
    _no_browser(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium; CI installs it)")
try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:
    _no_browser("needs Playwright (pip install -e '.[test]')")

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


# Every CSP violation, also those the console reports late or not at all, reported to the test (JavaScript pages).
REPORT_VIOLATIONS = """document.addEventListener("securitypolicyviolation", function (e) {
  window.__reportViolation([e.violatedDirective, e.blockedURI || "inline", e.sourceFile, e.lineNumber, e.sample].join(" "));
});"""


def new_page(browser, javascript: bool = True, width: int = 1280, height: int = 900):
    context = browser.new_context(
        java_script_enabled=javascript, locale="de-DE", viewport={"width": width, "height": height}
    )
    context.set_default_timeout(8000)
    page = context.new_page()
    page.problems = []  # console errors (a CSP violation shows up here), uncaught errors, CSP violation events
    page.on("console", lambda message: message.type == "error" and page.problems.append(message.text))
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    if javascript:
        page.expose_function("__reportViolation", lambda text: page.problems.append(f"CSP violation: {text}"))
        page.add_init_script(REPORT_VIOLATIONS)
    return page


@pytest.fixture()
def open_page(browser):
    """`open_page(javascript=True, ...)` -> a new page; after the test, any problem on any of them fails it."""
    pages = []

    def opened(**options):
        pages.append(new_page(browser, **options))
        return pages[-1]

    yield opened
    problems = [problem for page in pages for problem in page.problems]
    for page in pages:
        page.context.close()
    if problems:
        pytest.fail("the browser reported problems:\n" + "\n".join(problems), pytrace=False)


def shot(page, name: str, full_page: bool = False):
    # caret="initial": hiding the caret would inject a <style>, which the page's CSP (rightly) blocks
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page, caret="initial")


def facet_link(page, facet: str, value: str):
    return page.locator(f"#facet-{facet} a.facet-link", has=page.locator(".facet-label", has_text=re.compile(rf"^(Ausgewählt, entfernen: )?{re.escape(value)}")))


def status(page):
    return page.locator("#status")


def test_active_search_facets_back_and_document_with_javascript(open_page, sample_server):
    page = open_page()
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


def test_timeline_and_keyboard(open_page, sample_server):
    page = open_page()
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


def test_phone_width_is_usable(open_page, sample_server):
    page = open_page(width=390, height=844)
    page.goto(sample_server + "/?q=NATO")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    expect(page.locator(".to-filters a")).to_be_visible()
    shot(page, "06-phone")


def test_the_same_flow_without_javascript(open_page, sample_server):
    page = open_page(javascript=False)
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


def search_stoltenberg(page, server: str, javascript: bool):
    """Type "Stoltenberg" into the start page's box: active search with JavaScript, Enter without."""
    page.goto(server + "/")
    if javascript:
        page.wait_for_function("window.htmx !== undefined")
        page.locator("#q").press_sequentially("Stoltenberg", delay=10)
    else:
        page.fill("#q", "Stoltenberg")
        page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Stoltenberg"))
    expect(status(page)).to_contain_text("für „Stoltenberg“")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_done_when_find_the_seed(open_page, corpus_server, javascript):
    """Issue 6's done-when: type "Stoltenberg", filter to Zakir Hasanov and "ohne Jahr", open the release, go back."""
    page = open_page(javascript=javascript)
    search_stoltenberg(page, corpus_server, javascript)
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


def test_a_csp_violation_fails_the_page_and_htmx_injects_no_style(open_page, sample_server):
    """The guard catches what the console showed on every swap when htmx added its indicator <style> (htmx does
    unless `includeIndicatorStyles` is false, set in base.html's htmx-config): no inline style on a swap."""
    page = open_page()
    page.goto(sample_server + "/")
    page.wait_for_function("window.htmx !== undefined")
    page.locator("#q").press_sequentially("NATO", delay=10)
    page.wait_for_url(re.compile(r"q=NATO"))
    expect(page.locator(".hit").first).to_be_visible()
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    assert page.evaluate("document.querySelectorAll('style, [style]').length") == 0
    assert page.problems == []
    page.evaluate("document.head.insertAdjacentHTML('beforeend', '<style>.htmx-indicator{opacity:0}</style>')")  # htmx's
    page.wait_for_timeout(300)  # the violation is reported asynchronously
    assert any("style-src" in problem for problem in page.problems), page.problems
    page.problems.clear()  # caught, as it must be: the page itself is clean


def both_link(page, name: str):
    return page.locator(".actor-co li", has=page.locator("a.actor-link", has_text=re.compile(f"^{re.escape(name)}$"))).locator(".actor-both")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_walk_search_actor_co_actor_filtered_search_release_back(open_page, corpus_server, javascript):
    """Issue 15's walk: search -> actor page -> a person named with them -> the search for both -> release -> back."""
    flavour = "js" if javascript else "nojs"
    page = open_page(javascript=javascript)
    search_stoltenberg(page, corpus_server, javascript)

    page.locator(".hit-actors a.actor-link", has_text="Jens Stoltenberg").first.click()
    page.wait_for_url(re.compile(r"/akteur/Jens%20Stoltenberg$"))
    expect(page.locator("h1")).to_have_text("Jens Stoltenberg")
    role = page.locator(".actor-roles tbody tr").first
    expect(role).to_contain_text("NATO-Generalsekretär")
    expect(role).to_contain_text("9. Mai 2023 – 27. August 2024")
    expect(page.locator(".actor-co a.actor-link").first).to_have_text("Zakir Hasanov")
    expect(page.locator(".timeline-chart a")).to_have_count(3)  # 2023, 2024, ohne Jahr
    shot(page, f"10-actor-page-{flavour}", full_page=True)

    page.locator(".actor-co a.actor-link", has_text="Zakir Hasanov").click()
    page.wait_for_url(re.compile(r"/akteur/Zakir%20Hasanov$"))
    expect(page.locator("h1")).to_have_text("Zakir Hasanov")
    expect(page.locator(".actor-roles")).to_contain_text("Verteidigungsminister")
    expect(both_link(page, "Jens Stoltenberg")).to_have_text("3 gemeinsame Meldungen")
    shot(page, f"11-co-actor-page-{flavour}", full_page=True)

    both_link(page, "Jens Stoltenberg").click()
    page.wait_for_url(re.compile(r"actor=Zakir\+Hasanov&q=actor%3A%22Jens\+Stoltenberg%22"))
    expect(status(page)).to_contain_text("3 Treffer")
    expect(page.locator(".chip")).to_contain_text("Zakir Hasanov")
    shot(page, f"12-search-for-both-{flavour}")

    seed = page.locator(".hit-title a", has_text=SEED_TITLE)
    seed.click()
    page.wait_for_url(re.compile(r"/doc/000_dafee6e7240ce84c"))
    expect(page.locator(".doc-meta a.actor-link", has_text="Jens Stoltenberg")).to_have_attribute("href", "/akteur/Jens%20Stoltenberg")
    shot(page, f"13-release-{flavour}", full_page=True)

    page.go_back()
    page.wait_for_url(re.compile(r"actor=Zakir\+Hasanov"))
    expect(page.locator(".hit")).to_have_count(3)
    page.go_back()
    page.wait_for_url(re.compile(r"/akteur/Zakir%20Hasanov$"))
    expect(page.locator("h1")).to_have_text("Zakir Hasanov")
    page.go_back()
    expect(page.locator("h1")).to_have_text("Jens Stoltenberg")


def test_name_completion_is_a_keyboard_combobox(open_page, sample_server):
    page = open_page()
    page.goto(sample_server + "/")
    page.wait_for_function("window.htmx !== undefined")
    box, listbox = page.locator("#q"), page.locator("#q-options")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-controls", "q-options")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press_sequentially("Bayr", delay=30)
    expect(listbox.locator("[role=option]").first).to_contain_text("Ceyhun Bayramov")
    expect(box).to_have_attribute("aria-expanded", "true")
    shot(page, "14-completion")
    page.keyboard.press("ArrowDown")
    first = listbox.locator("[role=option]").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    page.keyboard.press("ArrowUp")  # from the first option round to the last
    expect(listbox.locator("[role=option]").last).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("Bayr")  # Escape closes the list, keeps the words
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/\?actor=Ceyhun\+Bayramov$"))
    expect(page.locator(".chip")).to_contain_text("Ceyhun Bayramov")


def test_without_javascript_the_box_is_a_plain_box(open_page, sample_server):
    page = open_page(javascript=False)
    page.goto(sample_server + "/")
    box = page.locator("#q")
    assert box.get_attribute("role") is None
    expect(page.locator("#q-options")).to_be_hidden()
    box.fill("Bayramov")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"q=Bayramov"))
    expect(status(page)).to_contain_text("Treffer für „Bayramov“")


def test_the_actor_facet_links_to_the_page_also_inside_the_swapped_results(open_page, sample_server):
    page = open_page()
    page.goto(sample_server + "/")
    page.wait_for_function("window.htmx !== undefined")
    page.locator("#q").press_sequentially("Stoltenberg", delay=10)
    page.wait_for_url(re.compile(r"q=Stoltenberg$"))
    page.locator("#facet-actor a.facet-page", has_text="Profil").first.click()
    page.wait_for_url(re.compile(r"/akteur/"))
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator(".actor-roles")).to_be_visible()
