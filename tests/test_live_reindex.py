"""Concurrent use: a running server picks up a finished reindex without a restart and fails no request on the
way; two `depesche index` runs at once: the second stops with a clear message and the index stays whole.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from werkzeug.serving import make_server

from search import SearchParams, api, open_engine
from search.engine import store
from search.indexer import index_sources
from web import create_app

from .samples import copied_sample

REPO = Path(__file__).resolve().parents[1]


def corpus(folder: Path, copies: int = 4) -> int:
    """A few dozen releases under `folder`."""
    return copied_sample(folder, copies)


def add_release(folder: Path, name: str, word: str) -> None:
    (folder / f"{name}.txt").write_text(
        f"Neue Meldung über {word}\nAm 2. Juni 2025 sprach Außenminister Jeyhun Bayramov über {word}.\n{word} und Baku.\n",
        encoding="utf-8",
    )


class Hammer(threading.Thread):
    """A client sending searches (JSON and pages) one after another until stopped; counts every failure."""

    PATHS = ["/api/search?q=Bayramov", "/api/search?q=NATO&year=2024", "/?q=Stoltenberg", "/?q=Minister&sort=newest", "/api/search"]

    def __init__(self, port: int, offset: int):
        super().__init__(daemon=True)
        self.port, self.offset = port, offset
        self.stop = threading.Event()
        self.ok = 0
        self.errors: list[str] = []

    def run(self):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        number = self.offset
        while not self.stop.is_set():
            path = self.PATHS[number % len(self.PATHS)]
            number += 1
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                if response.status != 200:
                    self.errors.append(f"{response.status} {path}: {body[:200]!r}")
                else:
                    self.ok += 1
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"{type(error).__name__}: {error} ({path})")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        conn.close()


@pytest.fixture
def live_server(tmp_path):
    folder = tmp_path / "releases"
    count = corpus(folder)
    root = tmp_path / "index"
    index_sources([folder], root, workers=0)
    server = make_server("127.0.0.1", 0, create_app({"DEPESCHE_INDEX": str(root)}), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, root, server.server_port, count
    server.shutdown()
    server.server_close()


def get_json(port: int, path: str) -> dict:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    conn.request("GET", path)
    response = conn.getresponse()
    assert response.status == 200
    data = json.loads(response.read())
    conn.close()
    return data


def test_server_picks_up_two_rebuilds_without_failing_a_request(live_server):
    folder, root, port, count = live_server
    assert get_json(port, "/api/search?fassungen=alle")["total"] == count  # the copies are versions of one release
    hammers = [Hammer(port, offset) for offset in range(4)]
    for hammer in hammers:
        hammer.start()
    try:
        time.sleep(0.3)
        for round_, word in enumerate(["Quittenmarmelade", "Zwetschgenröster"], start=1):
            add_release(folder, f"neu{round_}", word)
            report = index_sources([folder], root, workers=0)
            assert report.indexed == count + round_
            # visible at once, to the same running server: no restart, no reload
            found = get_json(port, "/api/search?" + urlencode({"q": word}))
            assert [hit["id"] for hit in found["hits"]] == [f"neu{round_}"]
            assert get_json(port, "/api/search?fassungen=alle")["total"] == count + round_
            time.sleep(0.3)
    finally:
        for hammer in hammers:
            hammer.stop.set()
        for hammer in hammers:
            hammer.join(timeout=30)
    assert [e for h in hammers for e in h.errors] == []
    assert sum(h.ok for h in hammers) > 20
    assert len(list(root.glob("gen-*"))) == 2, "the live generation and the one it replaced"


def test_a_request_on_the_old_snapshot_survives_the_switch(live_server):
    """A search that began on the old index finishes on it, even after a rebuild switched `current`."""
    folder, root, port, count = live_server
    engine = open_engine(root)
    old = engine.snapshot()
    add_release(folder, "neu", "Quittenmarmelade")
    index_sources([folder], root, workers=0)
    add_release(folder, "neu2", "Zwetschgenröster")
    index_sources([folder], root, workers=0)  # removes the generation `old` reads from
    assert not old.generation.exists()
    # the old snapshot still reads: its files are open (or mapped) since before the removal
    assert engine._search(old, SearchParams(query="Bayramov")).total > 0
    assert engine.search(SearchParams(query="Zwetschgenröster")).total == 1


def test_one_engine_answers_concurrent_searches_as_it_answers_them_one_by_one(sample_index):
    """The server shares one engine (one open index) between its request threads: a search computed while
    others run must read the index as if it ran alone."""
    words = ["Bayramov", "NATO", "Stoltenberg", "Minister", "Baku", "Außenminister", "Zusammenarbeit", "Frieden"]
    queries = [" ".join(words[i % 8 : i % 8 + 1 + i % 3]) for i in range(24)]
    alone = open_engine(sample_index)
    expected = {q: _answer(alone.search(SearchParams(query=q))) for q in queries}
    shared = open_engine(sample_index)
    if hasattr(shared, "cache"):
        shared.cache = False  # compute every search: the result cache would hide a race
    failures: list[str] = []

    def work(offset: int) -> None:
        for q in queries[offset:] + queries[:offset]:
            try:
                got = _answer(shared.search(SearchParams(query=q)))
            except Exception as error:  # noqa: BLE001 - any exception is the finding
                failures.append(f"{q!r}: {type(error).__name__}: {error}")
                continue
            if got != expected[q]:
                failures.append(f"{q!r}: {got} != {expected[q]}")

    threads = [threading.Thread(target=work, args=(offset * 3,)) for offset in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures[:5] == [] and len(failures) == 0


def _answer(results) -> tuple:
    return results.total, tuple(hit.id for hit in results.hits)


def test_two_index_runs_at_once_the_second_stops_with_a_clear_message(tmp_path):
    folder = tmp_path / "releases"
    count = corpus(folder, copies=6)
    root = tmp_path / "index"
    index_sources([api.SAMPLE_CORPUS], root, workers=0)
    before = open_engine(root).search(SearchParams()).total
    command = [sys.executable, "-m", "search", "index", str(folder), "--index", str(root)]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    first = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while (root / store.LOCK).read_text().strip() != str(first.pid):  # the first run holds the writer lock
            assert first.poll() is None, first.communicate()
            assert time.monotonic() < deadline, "the first run never took the lock"
            time.sleep(0.02)
        os.killpg(first.pid, signal.SIGSTOP)  # hold it there, however fast this machine is
        try:
            second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
            # while both ran, the live index answered with the old content
            assert open_engine(root).search(SearchParams()).total == before
        finally:
            os.killpg(first.pid, signal.SIGCONT)
        out, err = first.communicate(timeout=120)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
            first.wait()
    assert second.returncode == 1
    assert f"another 'depesche index' run is writing {root} (pid {first.pid})" in second.stderr
    assert "Traceback" not in second.stderr + second.stdout
    assert first.returncode == 0, err
    assert f"{count} indexed" in out
    # neither run corrupted the index: the first's content is live and whole
    engine = open_engine(root)
    assert engine.search(SearchParams(every_version=True)).total == count
    assert engine.stats()["documents"] == count
    assert (root / store.LOCK).read_text() == ""
