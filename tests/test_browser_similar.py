"""Similar releases and near-duplicate versions in a real browser (Chromium via Playwright, as
tests/test_browser.py, whose fixtures this reuses), with and without JavaScript; screenshots in tests/artifacts/."""

from __future__ import annotations

import re

import pytest

from tests.test_browser import LiveServer, browser, new_page, shot  # noqa: F401 - `browser` is a fixture
from tests.test_web_similar import versions_index  # noqa: F401 - a fixture: the sample plus versions
from tests.test_similar import EDITED, GROUP

from playwright.sync_api import expect  # noqa: E402 - after test_browser's skip without Chromium


@pytest.fixture(scope="module")
def versions_server(versions_index):  # noqa: F811
    server = LiveServer(versions_index)
    yield server.url
    server.stop()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_release_to_similar_release_and_back(browser, versions_server, javascript):  # noqa: F811
    page = new_page(browser, javascript=javascript)
    page.goto(f"{versions_server}/doc/{EDITED}")
    similar = page.locator("ul.similar a")
    expect(similar).to_have_count(5)
    expect(similar.first).to_have_attribute("href", "/doc/bearbeitet")
    shot(page, f"similar-01-release-{'js' if javascript else 'nojs'}", full_page=True)
    similar.first.click()
    page.wait_for_url(re.compile(r"/doc/bearbeitet$"))
    expect(page.locator("ul.similar a").first).to_have_attribute("href", f"/doc/{EDITED}")
    shot(page, f"similar-02-similar-release-{'js' if javascript else 'nojs'}", full_page=True)
    page.go_back()
    page.wait_for_url(re.compile(rf"/doc/{EDITED}$"))
    expect(page.locator("#doc-title")).to_contain_text("Baerbock")
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()


def test_two_more_versions_expand_under_the_hit_with_javascript(browser, versions_server):  # noqa: F811
    page = new_page(browser)
    page.goto(f"{versions_server}/?q=Weltgesundheitsorganisation")
    page.wait_for_function("window.htmx !== undefined")
    expect(page.locator(".hit")).to_have_count(1)
    link = page.locator(".hit .versions-link")
    expect(link).to_have_text("2 weitere Fassungen")
    link.click()
    expect(page.locator(".hit .versions-list li")).to_have_count(2)
    expect(page.locator(".hit .versions-link")).to_have_count(0)
    assert page.url.endswith("/?q=Weltgesundheitsorganisation"), "expanding stays on the search page"
    shot(page, "similar-03-versions-expanded")
    page.locator(".hit .versions-list a").first.click()
    page.wait_for_url(re.compile(r"/doc/who-"))
    page.go_back()
    page.wait_for_url(re.compile(r"q=Weltgesundheitsorganisation$"))
    expect(page.locator(".hit")).to_have_count(1)
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()


def test_two_more_versions_are_a_page_of_their_own_without_javascript(browser, versions_server):  # noqa: F811
    page = new_page(browser, javascript=False)
    page.goto(f"{versions_server}/?q=Weltgesundheitsorganisation")
    page.locator(".hit .versions-link").click()
    page.wait_for_url(re.compile(rf"/fassungen/{GROUP}$"))
    expect(page.locator(".versions-list li")).to_have_count(2)
    shot(page, "similar-04-versions-nojs")
    page.go_back()
    page.get_by_role("link", name="Alle Fassungen einzeln zählen").click()
    page.wait_for_url(re.compile(r"fassungen=alle"))
    expect(page.locator(".hit")).to_have_count(3)
    assert page.problems == [], "\n".join(page.problems)
    page.context.close()
