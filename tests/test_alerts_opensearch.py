"""Arrivals and alerts on the OpenSearch engine (the cluster fixtures of conftest): an update keeps the arrival of
a rewritten release, a rebuild keeps every release's, a release removed before its alert is not sent, and the
one message arrives at a real SMTP server."""

from __future__ import annotations

from pathlib import Path

from search import SearchParams, alerts
from search.indexer import index_sources
from search.mail import Mailer, SmtpSettings
from search.opensearch import Update
from search.saved import Store

from .alerting import SmtpServer, write_release
from .conftest import OPENSEARCH_URL, opensearch_alias, opensearch_index

EVERYTHING = 2**62


def _arrived_ids(engine, after: int) -> list[str]:
    found = engine.search(SearchParams(arrived=(after, EVERYTHING), per_page=100))
    return sorted(hit.id for hit in found.hits)


def test_arrivals_and_one_alert_on_opensearch(tmp_path: Path, monkeypatch):
    sources = tmp_path / "releases"
    write_release(sources, "alt-baku", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Energie.")
    write_release(sources, "alt-riga", "Besuch in Riga", "Die Delegation reiste nach Riga.", "Es ging um Verkehr.")
    alias = opensearch_alias("alerts")
    with opensearch_index([sources], alias) as engine:
        monkeypatch.setenv("DEPESCHE_OPENSEARCH_INDEX", alias)
        index = lambda **options: index_sources([sources], Path("unused"), engine="opensearch", url=OPENSEARCH_URL, **options)  # noqa: E731
        first = engine.last_arrival()
        assert first > 0 and _arrived_ids(engine, 0) == ["alt-baku", "alt-riga"]
        store = Store(tmp_path / "saved.sqlite3")
        store.add("presse", "Baku", SearchParams(query="Baku"), alert="immediate", email="presse@example.org", arrived=first)

        write_release(sources, "alt-baku", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Gas.")
        write_release(sources, "neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
        write_release(sources, "falsch-baku", "Versehentlich: Baku", "Wird zurückgezogen.", "Baku.")
        index(update=True)
        assert _arrived_ids(engine, first) == ["falsch-baku", "neu-baku"]  # the rewritten alt-baku arrived before
        second = engine.last_arrival()
        writing = Update(OPENSEARCH_URL, alias)  # an indexing run in progress: its releases may show in part
        try:
            assert engine.last_arrival() == first < second
        finally:
            writing.abort()
        assert engine.last_arrival() == second
        (sources / "falsch-baku.txt").unlink()
        index(update=True)
        index()  # a full rebuild into a new index keeps every arrival
        assert _arrived_ids(engine, first) == ["neu-baku"]

        with SmtpServer() as smtp, Mailer(SmtpSettings.from_environment(smtp.environment())) as mailer:
            report = alerts.send(engine, store, mailer, alerts.Links("https://depesche.example.org"))
            again = alerts.send(engine, store, mailer, alerts.Links("https://depesche.example.org"))
            messages = list(smtp.messages)
    assert [s["releases"] for s in report["sent"]] == [1] and again["sent"] == []
    assert len(messages) == 1
    assert "Neue Gespräche in Baku" in messages[0].get_body(("plain",)).get_content()
    assert "Versehentlich" not in messages[0].get_body(("plain",)).get_content()
