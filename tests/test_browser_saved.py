"""Saved searches in a real browser (the fixtures of test_browser.py): save the search on the results page, see it
listed, open it again; with JavaScript (the page's htmx) and without it (the form is a plain POST)."""

from __future__ import annotations

import re

import pytest

from .alerting import World
from .test_browser import LiveServer, browser, new_page, shot  # noqa: F401 - `browser` is a fixture

from playwright.sync_api import expect  # noqa: E402 - after test_browser's skip without Chromium


@pytest.fixture
def saved_server(tmp_path):
    world = World(tmp_path)  # its own small index: the saved searches' file goes beside it
    server = LiveServer(world.root)
    yield server.url
    server.stop()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_save_a_search_see_it_listed_and_open_it(browser, saved_server, javascript):  # noqa: F811
    page = new_page(browser, javascript=javascript)
    page.goto(saved_server + "/?q=Baku")
    expect(page.locator(".hit")).to_have_count(1)

    page.get_by_text("Suche speichern", exact=True).click()
    name = page.locator("#save-name")
    expect(name).to_have_value("Baku")
    name.fill("Baku im Blick")
    page.get_by_role("button", name="Speichern", exact=True).click()

    page.wait_for_url(re.compile(r"/saved\?neu=\d+$"))
    expect(page.get_by_role("status")).to_have_text("Die Suche wurde gespeichert.")
    entry = page.locator(".saved-item")
    expect(entry).to_have_count(1)
    expect(entry.locator(".saved-name")).to_have_text("Baku im Blick")
    expect(entry).to_contain_text("nichts Neues")
    shot(page, f"saved-list-{'js' if javascript else 'nojs'}")

    entry.get_by_role("link", name="Baku im Blick").click()
    page.wait_for_url(re.compile(r"/\?q=Baku$"))
    expect(page.locator("#q")).to_have_value("Baku")
    expect(page.locator(".hit-title")).to_have_text(["Gespräche in Baku"])
    assert page.problems == []
