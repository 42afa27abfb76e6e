"""Alerts of saved searches (`search.alerts`, `search.mail`), sent to a real SMTP server started in the test
(aiosmtpd on 127.0.0.1), on the Whoosh engine: the message that arrives, the digest, a server that fails halfway,
a release removed before its alert, two runs at once, and the CLI end to end."""

from __future__ import annotations

import json
import multiprocessing
import socket
from datetime import datetime, timedelta, timezone

import pytest
from click.testing import CliRunner

from search import alerts
from search.cli import cli
from search.mail import Mailer, MailError, SmtpSettings
from search.saved import AlertsBusy

from .alerting import SmtpServer, World

LINKS = alerts.Links("https://depesche.example.org")


@pytest.fixture
def world(tmp_path):
    return World(tmp_path)


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


def _send(world: World, smtp: SmtpServer, **options) -> dict:
    with Mailer(SmtpSettings.from_environment(smtp.environment())) as mailer:
        return alerts.send(world.engine, world.store, mailer, LINKS, **options)


def _titles(message) -> list[str]:
    text = message.get_body(("plain",)).get_content()
    return [line[2:] for line in text.splitlines() if line.startswith("* ")]


def test_the_message_names_the_search_and_lists_the_new_releases_in_plain_text_and_html(world, smtp):
    world.save("Baku", "Baku")
    world.add("neu-baku", "Außenminister berät in Baku über Gas", "Am 3. Juni 2025 traf Jeyhun Bayramov in Baku ein.", "Es ging um Baku und Gas.")
    world.add("neu-oslo", "Konferenz in Oslo", "Die Konferenz in Oslo begann.", "Es ging um Fischerei.")
    world.update()

    report = _send(world, smtp)

    assert [m["To"] for m in smtp.messages] == ["presse@example.org"]
    message = smtp.messages[0]
    assert message["Subject"] == "Depesche – 1 neue Meldung zu „Baku“"
    assert message["From"] == "depesche@example.org"
    assert message["List-Unsubscribe"].startswith("<https://depesche.example.org/saved/unsubscribe?t=")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Message-ID"] and message["Date"]
    assert [part.get_content_type() for part in message.iter_parts()] == ["text/plain", "text/html"]
    plain, rich = message.get_body(("plain",)).get_content(), message.get_body(("html",)).get_content()
    assert _titles(message) == ["Außenminister berät in Baku über Gas"]  # not the old Baku release, not Oslo
    assert "03.06.2025" in plain and "Jeyhun Bayramov" in plain and "*Baku*" in plain
    assert "https://depesche.example.org/?q=Baku" in plain
    assert "https://depesche.example.org/doc/neu-baku?q=Baku" in plain
    assert "<mark>Baku</mark>" in rich and 'href="https://depesche.example.org/?q=Baku"' in rich
    assert "abbestellen" in plain and "abbestellen" in rich
    assert report["sent"][0]["releases"] == 1 and report["failed"] == []

    assert _send(world, smtp)["sent"] == []  # nothing new since: nothing sent again
    assert len(smtp.messages) == 1


def test_a_daily_digest_groups_a_users_searches_in_one_message_once_a_day(world, smtp):
    world.save("Baku", "Baku", alert="daily")
    world.save("Riga", "Riga", alert="daily")
    world.save("Riga bei Kollegin", "Riga", alert="immediate", email="kollegin@example.org", owner="kollegin")
    world.add("neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
    world.add("neu-riga", "Neue Gespräche in Riga", "Die Ministerin kam nach Riga.", "Es ging um Häfen.")
    world.update()
    today = datetime(2026, 3, 2, 7, 0, tzinfo=timezone.utc)

    _send(world, smtp, now=today)

    by_recipient = {m["To"]: m for m in smtp.messages}
    assert sorted(by_recipient) == ["kollegin@example.org", "presse@example.org"]
    digest = by_recipient["presse@example.org"]
    assert digest["Subject"] == "Depesche – Tagesübersicht: 2 neue Meldungen zu „Baku“, „Riga“"
    plain = digest.get_body(("plain",)).get_content()
    assert plain.index("== Baku (1 neu) ==") < plain.index("Neue Gespräche in Baku") < plain.index("== Riga (1 neu) ==")
    assert _titles(digest) == ["Neue Gespräche in Baku", "Neue Gespräche in Riga"]

    world.add("noch-baku", "Noch einmal Baku", "Wieder Baku.", "Und Baku.")
    world.update()
    assert _send(world, smtp, now=today)["sent"] == []  # the day's digest went out already
    later = _send(world, smtp, now=today + timedelta(days=1))
    assert [s["searches"] for s in later["sent"]] == [["Baku"]]
    assert _titles(smtp.messages[-1]) == ["Noch einmal Baku"]


def test_a_server_that_drops_the_connection_halfway_gets_the_rest_next_run_and_nothing_twice(world, smtp):
    world.save("Baku", "Baku", email="eins@example.org", owner="eins")
    world.save("Baku auch", "Baku", email="zwei@example.org", owner="zwei")
    world.save("Baku ebenfalls", "Baku", email="drei@example.org", owner="drei")
    world.add("neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
    world.update()
    smtp.recorder.drop_at = {2}  # the second message: the server goes away in the middle of it

    first = _send(world, smtp)

    assert [f["to"] for f in first["failed"]] == ["zwei@example.org"]
    assert "did not take the message" in first["failed"][0]["error"]
    assert sorted(m["To"] for m in smtp.messages) == ["drei@example.org", "eins@example.org"]  # the third went on
    second = _send(world, smtp)
    assert [s["to"] for s in second["sent"]] == ["zwei@example.org"] and second["failed"] == []
    assert sorted(m["To"] for m in smtp.messages) == ["drei@example.org", "eins@example.org", "zwei@example.org"]
    assert _send(world, smtp)["sent"] == []


def test_a_server_that_cannot_be_reached_marks_nothing(world, smtp):
    world.news_for_baku()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    settings = SmtpSettings("127.0.0.1", closed_port, "none", sender="depesche@example.org")
    with Mailer(settings) as mailer:
        assert len(alerts.send(world.engine, world.store, mailer, LINKS)["failed"]) == 1
    assert [s["to"] for s in _send(world, smtp)["sent"]] == ["presse@example.org"]


def test_an_alert_lists_only_releases_with_every_word_even_where_the_page_relaxes(world, smtp):
    world.save("Baku Gas Pipeline", "Baku Gas Pipeline")
    world.add("neu-teil", "Gas aus Baku", "Die Ministerin sprach in Baku über Gas.", "Es ging um Preise.")
    world.add("neu-ganz", "Pipeline bringt Gas aus Baku", "Die Pipeline ist fertig.", "Gas fließt.")
    world.update()
    _send(world, smtp)
    assert [_titles(m) for m in smtp.messages] == [["Pipeline bringt Gas aus Baku"]]


def test_a_release_removed_by_a_reindex_before_its_alert_is_not_sent(world, smtp):
    world.save("Baku", "Baku")
    world.add("neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
    world.add("falsch-baku", "Versehentlich veröffentlicht: Baku", "Diese Meldung wird zurückgezogen.", "Baku.")
    world.update()
    (world.sources / "falsch-baku.txt").unlink()
    world.update()

    _send(world, smtp)

    assert [_titles(m) for m in smtp.messages] == [["Neue Gespräche in Baku"]]


def test_a_second_run_while_one_is_sending_sends_nothing(world, smtp):
    world.news_for_baku()
    with world.store.run_lock():
        with pytest.raises(AlertsBusy, match="another 'depesche alerts send' run is sending"):
            _send(world, smtp)
    assert smtp.messages == []
    assert len(_send(world, smtp)["sent"]) == 1


def test_a_lock_left_by_a_dead_run_is_taken_over(world, smtp):
    dead = multiprocessing.get_context("fork").Process(target=lambda: None)
    dead.start()
    dead.join()
    with world.store.connect() as conn:
        conn.execute("INSERT INTO run_lock VALUES ('alerts', ?, ?, 0)", (socket.gethostname(), dead.pid))
    world.news_for_baku()
    assert len(_send(world, smtp)["sent"]) == 1


def test_a_dry_run_tells_what_would_go_out_and_sends_and_marks_nothing(world, smtp):
    world.news_for_baku()
    dry = alerts.send(world.engine, world.store, None, LINKS, dry_run=True)
    assert [(w["to"], w["releases"]) for w in dry["would_send"]] == [("presse@example.org", 1)]
    assert smtp.messages == []
    assert len(_send(world, smtp)["sent"]) == 1


def test_the_password_never_shows(tmp_path):
    secret = tmp_path / "password"
    secret.write_text("geheim-42\n", encoding="utf-8")
    env = {"DEPESCHE_SMTP_HOST": "127.0.0.1", "DEPESCHE_SMTP_USER": "depesche", "DEPESCHE_SMTP_PASSWORD_FILE": str(secret)}
    settings = SmtpSettings.from_environment(env)
    assert settings.password == "geheim-42" and "geheim" not in repr(settings)
    assert (settings.port, settings.security) == (587, "starttls")
    with pytest.raises(MailError, match="DEPESCHE_SMTP_PASSWORD"):
        SmtpSettings.from_environment({"DEPESCHE_SMTP_HOST": "h", "DEPESCHE_SMTP_USER": "u"})
    with pytest.raises(MailError, match="DEPESCHE_SMTP_HOST"):
        SmtpSettings.from_environment({})


@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")  # aiosmtpd's own, on a good login
def test_a_server_that_wants_a_login_gets_it_and_a_wrong_password_is_not_repeated(world, tmp_path):
    world.news_for_baku()
    with SmtpServer(login=("depesche", "richtig-42")) as smtp:
        env = {**smtp.environment(), "DEPESCHE_SMTP_USER": "depesche", "DEPESCHE_SMTP_PASSWORD": "falsch-17"}
        with Mailer(SmtpSettings.from_environment(env)) as mailer:
            (failed,) = alerts.send(world.engine, world.store, mailer, LINKS)["failed"]
        assert "535" in failed["error"] and "falsch-17" not in json.dumps(failed)
        env["DEPESCHE_SMTP_PASSWORD"] = "richtig-42"
        with Mailer(SmtpSettings.from_environment(env)) as mailer:
            assert len(alerts.send(world.engine, world.store, mailer, LINKS)["sent"]) == 1
        assert [m["To"] for m in smtp.messages] == ["presse@example.org"]


def test_cli_end_to_end_save_update_send_exactly_one_message(world, smtp, monkeypatch):
    for key, value in smtp.environment().items():
        monkeypatch.setenv(key, value)
    runner, index = CliRunner(), ["--index", str(world.root)]
    added = runner.invoke(cli, ["saved", "add", "Gas in Baku", "Baku", "Gas", *index, "--alert", "immediate",
                                "--email", "presse@example.org", "--json"])
    assert added.exit_code == 0, added.output
    assert json.loads(added.output)["search"]["query"] == "Baku Gas"
    world.add("neu-baku", "Gas aus Baku", "Die Ministerin sprach in Baku über Gas.", "Es ging um Gas.")
    assert runner.invoke(cli, ["index", str(world.sources), *index, "--update"]).exit_code == 0

    sent = runner.invoke(cli, ["alerts", "send", *index, "--base-url", "https://depesche.example.org"])

    assert sent.exit_code == 0, sent.output
    assert json.loads(sent.output)["sent"][0]["subject"] == "Depesche – 1 neue Meldung zu „Gas in Baku“"
    assert [_titles(m) for m in smtp.messages] == [["Gas aus Baku"]]
    again = runner.invoke(cli, ["alerts", "send", *index])
    assert json.loads(again.output)["sent"] == [] and len(smtp.messages) == 1
    listed = json.loads(runner.invoke(cli, ["saved", "list", *index, "--json"]).output)
    assert [s["name"] for s in listed] == ["Gas in Baku"] and listed[0]["last_alert"]
    removed = runner.invoke(cli, ["saved", "remove", str(listed[0]["id"]), *index])
    assert removed.exit_code == 0 and json.loads(runner.invoke(cli, ["saved", "list", *index, "--json"]).output) == []


def test_cli_saves_a_search_with_its_dates_and_order_or_says_why_not(world):
    runner, index = CliRunner(), ["--index", str(world.root)]
    added = runner.invoke(cli, ["saved", "add", "Baku 2024", "Baku", *index, "--from", "2024-01-01", "--to", "2024-12-31",
                                "--sort", "newest", "--json"])
    assert added.exit_code == 0, added.output
    search = json.loads(added.output)["search"]
    assert (search["date_from"], search["date_to"], search["sort"]) == ("2024-01-01", "2024-12-31", "newest")
    refused = runner.invoke(cli, ["saved", "add", "rückwärts", "Baku", *index, "--from", "2025-01-01", "--to", "2024-01-01"])
    assert refused.exit_code == 1 and "Anfangsdatum" in refused.output and refused.exception.__class__ is SystemExit


def test_cli_alerts_send_without_a_mail_server_is_a_message(world, monkeypatch):
    monkeypatch.delenv("DEPESCHE_SMTP_HOST", raising=False)
    result = CliRunner().invoke(cli, ["alerts", "send", "--index", str(world.root)])
    assert result.exit_code == 1
    assert "set DEPESCHE_SMTP_HOST" in result.output and "Traceback" not in result.output
