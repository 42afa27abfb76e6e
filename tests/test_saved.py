"""The saved-search store (`search.saved`): one SQLite file beside the index, in WAL mode, with numbered
migrations, kept by rebuilds; names per user; a search kept as data and turned back into its address."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from search import SearchParams
from search.indexer import index_sources
from search.saved import MIGRATIONS, SavedSearchError, Store, db_path, params_from_json, params_to_json, query_pairs

from .alerting import write_release

PARAMS = SearchParams(query="Baku Gas", filters={"actor": ("Jeyhun Bayramov",), "year": ("2024", "2025")},
                      date_from=date(2024, 1, 1), date_to=None, sort="newest", page=3, per_page=50)


def test_a_search_is_kept_without_its_page_and_links_back_to_the_same_address():
    again = params_from_json(params_to_json(PARAMS))
    assert again == SearchParams(query="Baku Gas", filters=PARAMS.filters, date_from=date(2024, 1, 1), sort="newest")
    assert query_pairs(again) == [("q", "Baku Gas"), ("actor", "Jeyhun Bayramov"), ("year", "2024"), ("year", "2025"),
                                  ("from", "2024-01-01"), ("sort", "newest")]


def test_the_file_is_in_wal_mode_at_the_last_migration(tmp_path: Path):
    store = Store(tmp_path / "saved.sqlite3")
    assert store.list("presse") == [] and not store.path.exists()  # reading creates no file
    store.add("presse", "Baku", PARAMS)
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
        conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) + 1}")  # a file from a newer Depesche
    with pytest.raises(SavedSearchError, match="neuer"):
        Store(store.path).list("presse")


def test_the_file_is_beside_the_index_and_a_rebuild_keeps_it(tmp_path: Path, monkeypatch):
    sources, root = tmp_path / "releases", tmp_path / "index"
    write_release(sources, "a", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Energie.")
    monkeypatch.delenv("DEPESCHE_SAVED_DB", raising=False)
    index_sources([sources], root, workers=0)
    assert db_path(root) == root / "saved.sqlite3"
    Store(db_path(root)).add("presse", "Baku", PARAMS)
    index_sources([sources], root, workers=0)
    index_sources([sources], root, workers=0)  # the replaced generations are deleted: the file is not in one
    assert [s.name for s in Store(db_path(root)).list("presse")] == ["Baku"]
    monkeypatch.setenv("DEPESCHE_SAVED_DB", str(tmp_path / "elsewhere.sqlite3"))
    assert db_path(root) == tmp_path / "elsewhere.sqlite3"


def test_names_are_per_user_checked_and_renamed(tmp_path: Path):
    store = Store(tmp_path / "saved.sqlite3")
    first = store.add("presse", "  Baku   und Gas ", PARAMS)
    assert first.name == "Baku und Gas"
    store.add("kollegin", "Baku und Gas", PARAMS)
    with pytest.raises(SavedSearchError, match="gibt es schon"):
        store.add("presse", "Baku und Gas", PARAMS)
    with pytest.raises(SavedSearchError, match="Namen"):
        store.add("presse", "   ", PARAMS)
    with pytest.raises(SavedSearchError, match="keine E-Mail-Adresse"):
        store.add("presse", "Riga", PARAMS, alert="daily", email="presse at example")
    assert store.rename("presse", first.id, "Gas").name == "Gas"
    assert [s.name for s in store.list("presse")] == ["Gas"]
    with pytest.raises(SavedSearchError, match="Keine gespeicherte Suche"):
        store.rename("kollegin", first.id, "Meins")  # another user's
