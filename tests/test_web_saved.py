"""Saved searches in the web app (web/saved.py) through Flask's test client: the form on the search page, CSRF,
the list with its counts of new releases, rename, alerts, delete, one list per user, unsubscribe, and the whole
way from the page to the one e-mail after the next `depesche index --update`."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from search.cli import cli
from web import create_app

from .alerting import SmtpServer, World

USER = {"X-Forwarded-User": "presse"}


@pytest.fixture
def world(tmp_path):
    return World(tmp_path)


def _app(world: World, **config):
    return create_app({"DEPESCHE_INDEX": str(world.root), "DEPESCHE_SAVED_DB": str(world.store.path), "TESTING": True, **config})


@pytest.fixture
def client(world):
    return _app(world, DEPESCHE_TRUSTED_USER_HEADER="X-Forwarded-User").test_client()


def _token(client, headers=USER) -> str:
    page = client.get("/?q=Baku", headers=headers)
    assert page.status_code == 200
    return client.get_cookie("depesche_csrf").value


def _save(client, name="Baku", headers=USER, **fields):
    data = {"csrf_token": _token(client, headers), "q": "Baku", "name": name, "alert": "none", "email": "", **fields}
    return client.post("/saved", data=data, headers=headers)


def test_the_search_page_offers_the_form_with_the_search_and_a_token(client):
    page = client.get("/?q=Baku&sort=newest&from=2020-01-01", headers=USER).get_data(as_text=True)
    form = page[page.index('<form class="save-form"'):]
    form = form[: form.index("</form>")]
    token = client.get_cookie("depesche_csrf").value
    assert f'name="csrf_token" value="{token}"' in form
    hidden = re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form)
    assert hidden[1:] == [("q", "Baku"), ("sort", "newest"), ("from", "2020-01-01")]  # as in the address
    assert 'name="name" value="Baku"' in form and "<button" in form and "Suche speichern" in page


def test_a_post_without_the_forms_token_saves_nothing(client, world):
    _token(client)
    for data, headers in [
        ({"q": "Baku", "name": "x"}, USER),
        ({"q": "Baku", "name": "x", "csrf_token": "A" * 43}, USER),
        ({"q": "Baku", "name": "x", "csrf_token": client.get_cookie("depesche_csrf").value}, {**USER, "Sec-Fetch-Site": "cross-site"}),
    ]:
        refused = client.post("/saved", data=data, headers=headers)
        assert refused.status_code == 400
        assert "Formular ist abgelaufen" in refused.get_data(as_text=True)
    assert world.store.list("presse") == []


def test_save_list_count_new_and_open(client, world):
    saved = _save(client)
    assert saved.status_code == 303 and saved.headers["Location"].startswith("/saved?neu=")
    listing = client.get(saved.headers["Location"], headers=USER).get_data(as_text=True)
    assert "Die Suche wurde gespeichert." in listing and ">Baku</a>" in listing and "nichts Neues" in listing

    world.add("neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
    world.add("neu-oslo", "Konferenz in Oslo", "Die Konferenz begann.", "Fischerei.")
    world.update()
    assert "<strong class=\"saved-new\">1 neu</strong>" in client.get("/saved", headers=USER).get_data(as_text=True)

    (only,) = world.store.list("presse")
    opened = client.get(f"/saved/{only.id}", headers=USER)
    assert opened.status_code == 303 and opened.headers["Location"] == "/?q=Baku"
    assert "nichts Neues" in client.get("/saved", headers=USER).get_data(as_text=True)


def test_rename_alerts_and_delete(client, world):
    _save(client)
    (saved,) = world.store.list("presse")
    token = client.get_cookie("depesche_csrf").value
    assert client.post(f"/saved/{saved.id}/rename", data={"csrf_token": token, "name": "Baku-Gespräche"}, headers=USER).status_code == 303
    assert client.post(f"/saved/{saved.id}/alert", data={"csrf_token": token, "alert": "daily", "email": "p@example.org"},
                       headers=USER).status_code == 303
    (changed,) = world.store.list("presse")
    assert (changed.name, changed.alert, changed.email) == ("Baku-Gespräche", "daily", "p@example.org")
    bad = client.post(f"/saved/{saved.id}/alert", data={"csrf_token": token, "alert": "daily", "email": "kein-mail"}, headers=USER)
    assert bad.status_code == 400 and "keine E-Mail-Adresse" in bad.get_data(as_text=True)
    assert client.post(f"/saved/{saved.id}/delete", data={"csrf_token": token}, headers=USER).status_code == 303
    assert world.store.list("presse") == []
    assert client.post(f"/saved/{saved.id}/delete", data={"csrf_token": token}, headers=USER).status_code == 404


def test_a_name_is_unique_per_user_and_each_user_sees_only_their_list(client, world):
    assert _save(client).status_code == 303
    taken = _save(client)
    assert taken.status_code == 400 and "gibt es schon" in taken.get_data(as_text=True)
    other = {"X-Forwarded-User": "kollegin"}
    assert _save(client, headers=other).status_code == 303  # the same name, another user
    (mine,) = world.store.list("presse")
    assert ">Baku</a>" not in client.get("/saved", headers={"X-Forwarded-User": "dritte"}).get_data(as_text=True)
    token = _token(client, other)
    assert client.post(f"/saved/{mine.id}/delete", data={"csrf_token": token}, headers=other).status_code == 404
    assert client.get(f"/saved/{mine.id}", headers=other).status_code == 404
    assert [s.name for s in world.store.list("presse")] == ["Baku"]


def test_without_access_control_there_is_one_shared_list(world):
    client = _app(world).test_client()
    pretending = {"X-Forwarded-User": "presse"}  # not configured: ignored
    assert _save(client, headers=pretending).status_code == 303
    assert [s.owner for s in world.store.list("")] == [""]
    assert "gemeinsame Liste" in client.get("/saved").get_data(as_text=True)


def test_bad_input_is_a_german_message(client):
    assert client.get("/saved/abc", headers=USER).status_code == 404
    assert client.get("/saved/999", headers=USER).status_code == 404
    bad_date = _save(client, **{"from": "gestern"})
    assert bad_date.status_code == 400 and "JJJJ-MM-TT" in bad_date.get_data(as_text=True)
    no_mail = _save(client, alert="immediate")
    assert no_mail.status_code == 400 and "E-Mail-Adresse angeben" in no_mail.get_data(as_text=True)
    assert client.get("/saved/unsubscribe?t=nichts", headers=USER).status_code == 404


def test_the_unsubscribe_link_asks_then_switches_alerts_off(client, world):
    _save(client, alert="immediate", email="p@example.org")
    (saved,) = world.store.list("presse")
    page = client.get(f"/saved/unsubscribe?t={saved.token}", headers=USER)
    assert page.status_code == 200 and "Benachrichtigung abbestellen?" in page.get_data(as_text=True)
    assert world.store.list("presse")[0].alert == "immediate"  # a GET (a mail scanner) changes nothing
    done = client.post("/saved/unsubscribe", data={"t": saved.token, "List-Unsubscribe": "One-Click"}, headers=USER)
    assert done.status_code == 200 and "Abbestellt" in done.get_data(as_text=True)
    assert world.store.list("presse")[0].alert == "none"


def test_end_to_end_save_on_the_page_reindex_and_exactly_one_email(client, world, monkeypatch):
    assert _save(client, name="Baku beobachten", alert="immediate", email="presse@example.org").status_code == 303
    world.add("neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
    runner, options = CliRunner(), ["--index", str(world.root)]
    monkeypatch.setenv("DEPESCHE_SAVED_DB", str(world.store.path))
    assert runner.invoke(cli, ["index", str(world.sources), *options, "--update"]).exit_code == 0
    with SmtpServer() as smtp:
        for key, value in smtp.environment().items():
            monkeypatch.setenv(key, value)
        sent = runner.invoke(cli, ["alerts", "send", *options])
        runner.invoke(cli, ["alerts", "send", *options])  # a second run: nothing new, nothing sent
        messages = list(smtp.messages)
    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.output)["sent"][0]["searches"] == ["Baku beobachten"]
    assert len(messages) == 1 and messages[0]["To"] == "presse@example.org"
    assert "Neue Gespräche in Baku" in messages[0].get_body(("plain",)).get_content()
