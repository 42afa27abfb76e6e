"""`depesche serve`: gunicorn by default (workers and threads from the core count or the flags), Werkzeug's
reloader with --dev, and a demo index from the bundled sample when there is none."""

from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask import Flask

from web import server
from web.cli import cli

REPO = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, timeout: float = 30.0) -> http.client.HTTPResponse:
    started = time.monotonic()
    while True:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", path)
            response = conn.getresponse()
            response.body = response.read()
            conn.close()
            return response
        except OSError:
            if time.monotonic() - started > timeout:
                raise
            time.sleep(0.2)


def worker_pids(pid: int) -> list[int]:
    return [int(p) for task in Path(f"/proc/{pid}/task").glob("*/children") for p in task.read_text().split()]


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn runs on POSIX; Windows gets waitress")
def test_serve_runs_gunicorn_with_the_workers_asked_for(sample_index):
    port = free_port()
    command = [sys.executable, "-c", "from web.cli import main; main()", "serve", "--index", str(sample_index),
               "--port", str(port), "--workers", "2", "--threads", "3"]
    process = subprocess.Popen(command, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        response = get(port, "/api/search?q=NATO")
        assert response.status == 200 and response.getheader("Server") == "gunicorn"
        assert b'"total":' in response.body
        assert len(worker_pids(process.pid)) == 2
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        output = process.communicate(timeout=30)[0].decode()
    assert "development server" not in output and "Using worker: gthread" in output


def test_default_workers_follow_the_cores():
    assert server.default_workers() == len(os.sched_getaffinity(0))


def test_serve_passes_workers_threads_and_the_index_to_the_server(sample_index, monkeypatch):
    for name in ("DEPESCHE_OPENSEARCH_URL", "DEPESCHE_ENGINE"):
        monkeypatch.delenv(name, raising=False)
    asked = {}
    monkeypatch.setattr(server, "production", lambda config, host, port, workers, threads: asked.update(config=config, workers=workers, threads=threads))
    result = CliRunner().invoke(cli, ["serve", "--index", str(sample_index), "--threads", "2"])
    assert result.exit_code == 0, result.output
    assert asked == {"config": {"DEPESCHE_INDEX": str(sample_index), "DEPESCHE_ENGINE": "whoosh", "DEPESCHE_OPENSEARCH_URL": None},
                     "workers": server.default_workers(), "threads": 2}


def test_dev_keeps_the_reloading_development_server(sample_index, monkeypatch):
    asked = {}
    monkeypatch.setattr(Flask, "run", lambda app, **options: asked.update(options))
    monkeypatch.setattr(server, "production", lambda *a: pytest.fail("--dev must not start gunicorn"))
    result = CliRunner().invoke(cli, ["serve", "--index", str(sample_index), "--dev", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert asked == {"host": "127.0.0.1", "port": 8123, "threaded": True, "use_reloader": True}


def test_without_an_index_serve_builds_the_demo_index_first(tmp_path, monkeypatch):
    monkeypatch.setattr(server, "production", lambda *a: None)
    result = CliRunner().invoke(cli, ["serve", "--index", str(tmp_path / "index")])
    assert result.exit_code == 0 and "building a demo index" in result.output and "Demo index ready: 24 releases" in result.output


def test_workers_are_ascii_numbers(sample_index):
    result = CliRunner().invoke(cli, ["serve", "--index", str(sample_index), "--workers", "٢"])
    assert result.exit_code == 2 and "0–9" in result.output
