"""Helpers of the saved-search and alert tests: releases written for the tests, and a real SMTP server.

The releases are the tests' own text (the shared corpora stay in ../shared). The SMTP server is aiosmtpd's,
started on a free port of 127.0.0.1 for one test; it keeps every message it accepted and can be told to drop the
connection in the middle of a given message, as a failing mail server does.
"""

from __future__ import annotations

import email
import email.policy
import socket
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from search import SearchParams
from search.engine import WhooshEngine
from search.indexer import index_sources
from search.saved import Store


def write_release(folder: Path, name: str, title: str, lead: str, *body: str) -> Path:
    """A .txt release: headline, lead, then one paragraph a line."""
    path = folder / f"{name}.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join([title, lead, *body]) + "\n", encoding="utf-8")
    return path


class World:
    """A folder of releases, its Whoosh index and a saved-search store; `add` writes a release, `update` indexes."""

    def __init__(self, tmp_path: Path):
        self.sources, self.root = tmp_path / "releases", tmp_path / "index"
        write_release(self.sources, "alt-baku", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Energie.")
        write_release(self.sources, "alt-riga", "Besuch in Riga", "Die Delegation reiste nach Riga.", "Es ging um Verkehr.")
        index_sources([self.sources], self.root, workers=0)
        self.engine = WhooshEngine(self.root)
        self.store = Store(tmp_path / "saved.sqlite3")

    def save(self, name: str, query: str, alert: str = "immediate", email: str = "presse@example.org", owner: str = "presse"):
        return self.store.add(owner, name, SearchParams(query=query), alert=alert, email=email, arrived=self.engine.last_arrival())

    def add(self, name: str, title: str, lead: str, *body: str) -> None:
        write_release(self.sources, name, title, lead, *body)

    def update(self) -> None:
        index_sources([self.sources], self.root, update=True, workers=0)

    def news_for_baku(self) -> None:
        """The most common case: a saved search "Baku", then an update brings one new release matching it."""
        self.save("Baku", "Baku")
        self.add("neu-baku", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
        self.update()


class Recorder:
    """An aiosmtpd handler: keeps each accepted message; `drop_at` numbers (1-based, counted over the server's
    life) the DATA commands at which it closes the connection instead of answering."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.drop_at: set[int] = set()
        self.data_commands = 0

    async def handle_DATA(self, server, session, envelope):
        self.data_commands += 1
        if self.data_commands in self.drop_at:
            server.transport.close()  # the connection goes away before the server accepts the message
            return "421 closing"
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(email.message_from_bytes(envelope.original_content, policy=email.policy.default))
        return "250 OK"


class _Authenticator:
    def __init__(self, user: str, password: str):
        self.login = (user.encode(), password.encode())

    def __call__(self, server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == self.login
        return AuthResult(success=ok, handled=False)  # not handled: aiosmtpd answers 535 itself


def _free_port() -> int:
    with socket.socket() as probe:  # aiosmtpd's controller checks its server by connecting: it needs a real port
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpServer:
    """`login`: (user, password) the server demands (AUTH without TLS: it runs on loopback for the test)."""

    def __init__(self, login: tuple[str, str] | None = None):
        self.recorder = Recorder()
        options = dict(authenticator=_Authenticator(*login), auth_require_tls=False) if login else {}
        self.controller = Controller(self.recorder, hostname="127.0.0.1", port=_free_port(), **options)

    def __enter__(self) -> SmtpServer:
        self.controller.start()
        return self

    def __exit__(self, *exc) -> None:
        self.controller.stop()

    @property
    def port(self) -> int:
        return self.controller.port

    @property
    def messages(self):
        return self.recorder.messages

    def environment(self) -> dict[str, str]:
        """The settings `search.mail` reads, for this server (no TLS: it runs on loopback for the test)."""
        return {
            "DEPESCHE_SMTP_HOST": "127.0.0.1",
            "DEPESCHE_SMTP_PORT": str(self.port),
            "DEPESCHE_SMTP_SECURITY": "none",
            "DEPESCHE_SMTP_FROM": "depesche@example.org",
        }
