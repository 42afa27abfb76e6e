"""Saved searches, per user, in one SQLite file beside the index.

Vocabulary:
- SavedSearch: a named search of one owner (the query with its filters: a `SearchParams` without paging), its
  alert setting (`ALERTS`: none, immediate, daily), the address alerts go to, and two marks on the index's
  arrival line (`search.arrival`): `seen_until` (what the owner has seen: the list counts the releases since)
  and `alerted_until` (what alerts have covered). Both start at the index's latest arrival when it is saved.
- owner: the signed-in user's name; "" when access control is off (one shared list).
- token: a saved search's secret for the unsubscribe link of its alerts.
- Store: the SQLite file (standard library `sqlite3`, WAL mode, the schema migrated by the numbered `MIGRATIONS`
  to `PRAGMA user_version`); one connection per operation, so threads and processes share it safely.

Where: $DEPESCHE_SAVED_DB, else `saved.sqlite3` in the index folder: beside the Whoosh generations, never inside
one, so a rebuild keeps it. An OpenSearch deployment keeps it on the app host, at that path.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import socket
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from .errors import DepescheError
from .model import FACETS, SORTS, SearchParams

DB_ENV = "DEPESCHE_SAVED_DB"
DB_NAME = "saved.sqlite3"
ALERTS = ("none", "immediate", "daily")
MAX_NAME = 120
MAX_PER_OWNER = 200
LOCK_STALE_SECONDS = 3600  # a lock held this long by a process on another machine is taken over
EMAIL = re.compile(r"^[^@\s<>\"',;]+@[^@\s<>\"',;]+\.[^@\s<>\"',;]+$")

MIGRATIONS = (
    # 1: saved searches and the alert run's lock
    """
    CREATE TABLE saved_search (
        id INTEGER PRIMARY KEY,
        owner TEXT NOT NULL,
        name TEXT NOT NULL,
        params TEXT NOT NULL,
        alert TEXT NOT NULL DEFAULT 'none' CHECK (alert IN ('none', 'immediate', 'daily')),
        email TEXT NOT NULL DEFAULT '',
        token TEXT NOT NULL UNIQUE,
        created TEXT NOT NULL,
        seen_until INTEGER NOT NULL DEFAULT 0,
        alerted_until INTEGER NOT NULL DEFAULT 0,
        last_alert TEXT,
        UNIQUE (owner, name)
    );
    CREATE TABLE run_lock (name TEXT PRIMARY KEY, host TEXT NOT NULL, pid INTEGER NOT NULL, since REAL NOT NULL);
    """,
)


class SavedSearchError(DepescheError):
    """A saved-search request that cannot be done (a name taken, a bad address ...); `status` for the web."""

    status = 400


class SavedSearchNotFound(SavedSearchError):
    status = 404


class AlertsBusy(SavedSearchError):
    """Another `depesche alerts send` run is sending."""

    status = 409


@dataclass(frozen=True)
class SavedSearch:
    id: int
    owner: str
    name: str
    params: SearchParams
    alert: str = "none"
    email: str = ""
    token: str = field(default="", repr=False)
    created: str = ""
    seen_until: int = 0
    alerted_until: int = 0
    last_alert: str | None = None

    def to_json(self) -> dict:
        return {
            "id": self.id, "owner": self.owner, "name": self.name, "search": params_to_json(self.params),
            "alert": self.alert, "email": self.email, "created": self.created, "last_alert": self.last_alert,
        }


# -- a search as data ----------------------------------------------------------------------------------------


def params_to_json(params: SearchParams) -> dict:
    """What defines a saved search's result set: the query, filters, dates and order (no page)."""
    return {
        "query": params.query,
        "filters": {facet: list(values) for facet, values in params.filters.items() if values},
        "date_from": params.date_from.isoformat() if params.date_from else None,
        "date_to": params.date_to.isoformat() if params.date_to else None,
        "sort": params.sort,
    }


def params_from_json(data: dict) -> SearchParams:
    filters = {facet: tuple(values) for facet, values in (data.get("filters") or {}).items() if facet in FACETS}
    day = lambda value: date.fromisoformat(value) if value else None  # noqa: E731
    sort = data.get("sort") if data.get("sort") in SORTS else "relevance"
    return SearchParams(
        query=data.get("query") or "", filters=filters, date_from=day(data.get("date_from")),
        date_to=day(data.get("date_to")), sort=sort,
    )


def query_pairs(params: SearchParams) -> list[tuple[str, str]]:
    """The search page's query string of a search (the keys of `web.state`): every link to a saved search."""
    pairs = [("q", params.query)] if params.query else []
    pairs += [(facet, value) for facet in FACETS for value in params.selected(facet)]
    pairs += [(key, day.isoformat()) for key, day in (("from", params.date_from), ("to", params.date_to)) if day]
    return pairs + ([("sort", params.sort)] if params.sort != "relevance" else [])


def describe(params: SearchParams) -> str:
    """A default name for a search: its words, else its filter values."""
    words = [params.query] if params.query else [v for facet in FACETS for v in params.selected(facet)]
    return (", ".join(words) or "Alle Meldungen")[:MAX_NAME]


def checked_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise SavedSearchError("Bitte einen Namen für die Suche angeben.")
    if len(name) > MAX_NAME:
        raise SavedSearchError(f"Der Name ist zu lang: höchstens {MAX_NAME} Zeichen.")
    return name


def checked_alert(alert: str, email: str) -> tuple[str, str]:
    alert, email = (alert or "none").strip(), (email or "").strip()
    if alert not in ALERTS:
        raise SavedSearchError(f"Unbekannte Benachrichtigung {alert!r}: keine (none), sofort (immediate) oder täglich (daily).")
    if email and (len(email) > 254 or not EMAIL.match(email)):
        raise SavedSearchError(f"{email!r} ist keine E-Mail-Adresse.")
    if alert != "none" and not email:
        raise SavedSearchError("Für Benachrichtigungen bitte eine E-Mail-Adresse angeben.")
    return alert, email


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def db_path(index_root: str | os.PathLike | None = None) -> Path:
    """$DEPESCHE_SAVED_DB, else saved.sqlite3 in the index folder (see the module docstring)."""
    from . import api

    explicit = os.environ.get(DB_ENV)
    return Path(explicit) if explicit else api.index_root(index_root) / DB_NAME


# -- the store -----------------------------------------------------------------------------------------------


class Store:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)
        self._migrated = False

    @contextmanager
    def connect(self, write: bool = True) -> Iterator[sqlite3.Connection]:
        """A connection in one transaction (committed on success, rolled back on error), the schema current. A
        writing one takes the write lock at once, so writers queue at the start rather than fail halfway."""
        empty = not write and not self.path.exists()  # nothing saved yet: reading creates no file (a page view)
        try:
            if not empty:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(":memory:" if empty else self.path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.Error) as error:
            raise SavedSearchError(f"Die gespeicherten Suchen ({self.path}) sind nicht erreichbar: {error}") from None
        conn.row_factory = sqlite3.Row
        try:
            if empty or not self._migrated:
                migrate(conn)
                self._migrated = self._migrated or not empty
            conn.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield conn
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        finally:
            conn.close()

    def add(self, owner: str, name: str, params: SearchParams, *, alert: str = "none", email: str = "", arrived: int = 0) -> SavedSearch:
        """Save `params` under `name`; `arrived`: the index's latest arrival now (what is not new to the owner)."""
        name, (alert, email) = checked_name(name), checked_alert(alert, email)
        with self.connect() as conn:
            if conn.execute("SELECT count(*) FROM saved_search WHERE owner = ?", (owner,)).fetchone()[0] >= MAX_PER_OWNER:
                raise SavedSearchError(f"Höchstens {MAX_PER_OWNER} gespeicherte Suchen: bitte zuerst alte löschen.")
            self._name_free(conn, owner, name)
            cursor = conn.execute(
                "INSERT INTO saved_search (owner, name, params, alert, email, token, created, seen_until, alerted_until)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (owner, name, json.dumps(params_to_json(params), ensure_ascii=False), alert, email,
                 secrets.token_urlsafe(24), utc_now(), arrived, arrived),
            )
            return _row(conn.execute("SELECT * FROM saved_search WHERE id = ?", (cursor.lastrowid,)).fetchone())

    def list(self, owner: str) -> list[SavedSearch]:
        with self.connect(write=False) as conn:
            rows = conn.execute("SELECT * FROM saved_search WHERE owner = ? ORDER BY name COLLATE NOCASE, id", (owner,))
            return [_row(row) for row in rows]

    def get(self, owner: str, saved_id: int) -> SavedSearch:
        with self.connect(write=False) as conn:
            return self._get(conn, owner, saved_id)

    def rename(self, owner: str, saved_id: int, name: str) -> SavedSearch:
        name = checked_name(name)
        with self.connect() as conn:
            current = self._get(conn, owner, saved_id)
            if current.name != name:
                self._name_free(conn, owner, name)
            conn.execute("UPDATE saved_search SET name = ? WHERE id = ?", (name, saved_id))
            return self._get(conn, owner, saved_id)

    def set_alert(self, owner: str, saved_id: int, alert: str, email: str) -> SavedSearch:
        alert, email = checked_alert(alert, email)
        with self.connect() as conn:
            self._get(conn, owner, saved_id)
            conn.execute("UPDATE saved_search SET alert = ?, email = ? WHERE id = ?", (alert, email, saved_id))
            return self._get(conn, owner, saved_id)

    def remove(self, owner: str, saved_id: int) -> SavedSearch:
        with self.connect() as conn:
            gone = self._get(conn, owner, saved_id)
            conn.execute("DELETE FROM saved_search WHERE id = ?", (saved_id,))
            return gone

    def mark_seen(self, owner: str, saved_id: int, until: int) -> None:
        with self.connect() as conn:
            self._get(conn, owner, saved_id)
            conn.execute("UPDATE saved_search SET seen_until = max(seen_until, ?) WHERE id = ?", (until, saved_id))

    def last_email(self, owner: str) -> str:
        """The address this owner's alerts went to last: the form's default."""
        with self.connect(write=False) as conn:
            row = conn.execute(
                "SELECT email FROM saved_search WHERE owner = ? AND email != '' ORDER BY id DESC LIMIT 1", (owner,)
            ).fetchone()
            return row["email"] if row else ""

    # -- for the alerts --------------------------------------------------------------------------------------

    def alerting(self) -> list[SavedSearch]:
        with self.connect(write=False) as conn:
            return [_row(row) for row in conn.execute("SELECT * FROM saved_search WHERE alert != 'none' ORDER BY id")]

    def by_tokens(self, tokens) -> list[SavedSearch]:
        tokens = [t for t in dict.fromkeys(tokens) if t][:50]
        with self.connect(write=False) as conn:
            marks = ",".join("?" * len(tokens))
            return [_row(r) for r in conn.execute(f"SELECT * FROM saved_search WHERE token IN ({marks})", tokens)] if tokens else []

    def unsubscribe(self, tokens) -> list[SavedSearch]:
        """Alerts off for the saved searches of these tokens (the links in the messages); what was switched off."""
        found = self.by_tokens(tokens)
        with self.connect() as conn:
            conn.executemany("UPDATE saved_search SET alert = 'none' WHERE id = ?", [(s.id,) for s in found])
        return found

    def mark_alerted(self, alerted: list[SavedSearch], until: int, *, sent_at: datetime | None = None) -> None:
        """The alerts of these saved searches cover what arrived up to `until`; `sent_at`: when a message with
        them went out (a daily digest's day), None when there was nothing to send. Only moves forward, in one
        transaction."""
        when = sent_at.astimezone(timezone.utc).isoformat(timespec="seconds") if sent_at else None
        with self.connect() as conn:
            conn.executemany(
                "UPDATE saved_search SET alerted_until = max(alerted_until, ?), last_alert = coalesce(?, last_alert)"
                " WHERE id = ?",
                [(until, when, saved.id) for saved in alerted],
            )

    @contextmanager
    def run_lock(self, name: str = "alerts") -> Iterator[None]:
        """One run at a time (held in the file, so across processes and machines sharing it); AlertsBusy if taken.
        A lock left by a process that died on this machine, or older than LOCK_STALE_SECONDS, is taken over."""
        host, pid = socket.gethostname(), os.getpid()
        with self.connect() as conn:
            row = conn.execute("SELECT * FROM run_lock WHERE name = ?", (name,)).fetchone()
            if row is not None and _alive(row):
                raise AlertsBusy(f"another 'depesche alerts send' run is sending (pid {row['pid']} on {row['host']})")
            conn.execute("INSERT OR REPLACE INTO run_lock VALUES (?, ?, ?, ?)", (name, host, pid, time.time()))
        try:
            yield
        finally:
            with self.connect() as conn:
                conn.execute("DELETE FROM run_lock WHERE name = ? AND host = ? AND pid = ?", (name, host, pid))

    # -- helpers ---------------------------------------------------------------------------------------------

    @staticmethod
    def _get(conn: sqlite3.Connection, owner: str, saved_id: int) -> SavedSearch:
        row = conn.execute("SELECT * FROM saved_search WHERE id = ? AND owner = ?", (saved_id, owner)).fetchone()
        if row is None:
            raise SavedSearchNotFound(f"Keine gespeicherte Suche Nummer {saved_id}.")
        return _row(row)

    @staticmethod
    def _name_free(conn: sqlite3.Connection, owner: str, name: str) -> None:
        if conn.execute("SELECT 1 FROM saved_search WHERE owner = ? AND name = ?", (owner, name)).fetchone():
            raise SavedSearchError(f"Eine gespeicherte Suche „{name}“ gibt es schon: bitte einen anderen Namen wählen.")


def migrate(conn: sqlite3.Connection) -> None:
    """WAL mode, and the schema brought to the last of MIGRATIONS, each step in its own transaction."""
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=30000")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise SavedSearchError(f"Die Datei der gespeicherten Suchen ist neuer (Schema {version}) als diese Depesche.")
    for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
        conn.execute("BEGIN IMMEDIATE")
        if conn.execute("PRAGMA user_version").fetchone()[0] >= number:  # another process migrated meanwhile
            conn.execute("ROLLBACK")
            continue
        for statement in filter(str.strip, script.split(";")):
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {number}")
        conn.execute("COMMIT")


def _row(row: sqlite3.Row) -> SavedSearch:
    return SavedSearch(
        id=row["id"], owner=row["owner"], name=row["name"], params=params_from_json(json.loads(row["params"])),
        alert=row["alert"], email=row["email"], token=row["token"], created=row["created"],
        seen_until=row["seen_until"], alerted_until=row["alerted_until"], last_alert=row["last_alert"],
    )


def _alive(row: sqlite3.Row) -> bool:
    if row["host"] != socket.gethostname():
        return time.time() - row["since"] < LOCK_STALE_SECONDS
    try:
        os.kill(int(row["pid"]), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
