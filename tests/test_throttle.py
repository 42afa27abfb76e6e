"""Password checks throttled (web/throttle.py via web/access.py): a few at once, a back-off per client after
failures, staff with remembered credentials never held back."""

from __future__ import annotations

import threading
import time

import pytest

from tests.test_access import HASH, PASSWORD, USER, basic, make_client  # noqa: F401 - make_client: the fixture
from web import access, throttle
from web.throttle import FREE_FAILURES, MAX_CONCURRENT_CHECKS, Throttle


@pytest.fixture
def app(make_client):
    """The app with basic auth for USER (make_client: tests/test_access.py, with the environment cleared)."""
    return make_client(DEPESCHE_AUTH_USER=USER, DEPESCHE_AUTH_PASSWORD_HASH=HASH).application


def from_client(app, address: str):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return client


def test_a_client_backs_off_after_its_free_failures(app):
    client = from_client(app, "10.0.0.1")
    for _ in range(FREE_FAILURES):
        assert client.get("/api/search?q=x", headers=basic(USER, "falsch")).status_code == 401
    held = client.get("/api/search?q=x", headers=basic(USER, PASSWORD))  # even the right password waits
    assert held.status_code == 429 and held.headers["Retry-After"] == "1"
    assert "Zu viele fehlgeschlagene Anmeldungen" in held.get_json()["error"]
    other = from_client(app, "10.0.0.2")  # another client is not held back
    assert other.get("/api/search?q=x", headers=basic(USER, PASSWORD)).status_code == 200


def test_the_back_off_doubles_and_a_success_clears_it():
    now = [100.0]
    limits = Throttle(clock=lambda: now[0])
    for _ in range(FREE_FAILURES):
        limits.failed("a")
    assert limits.wait_for("a") == 1.0
    limits.failed("a")
    assert limits.wait_for("a") == 2.0
    now[0] += 1.5
    assert limits.wait_for("a") == 0.5
    limits.succeeded("a")
    assert limits.wait_for("a") == 0.0


def test_the_table_of_clients_is_bounded(monkeypatch):
    monkeypatch.setattr(throttle, "MAX_CLIENTS", 3)
    limits = Throttle()
    for client in "abcd":
        for _ in range(FREE_FAILURES):
            limits.failed(client)
    assert limits.wait_for("a") == 0.0 and limits.wait_for("d") > 0  # the oldest is forgotten


def test_no_more_than_a_few_password_checks_run_at_once(app, monkeypatch):
    running, most = [0], [0]
    lock = threading.Lock()

    def slow_check(hash_, password):  # stands in for scrypt's 32 MiB, counting how many run together
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        time.sleep(0.05)
        with lock:
            running[0] -= 1
        return False

    monkeypatch.setattr(access, "check_password_hash", slow_check)
    statuses = []
    clients = [threading.Thread(target=lambda i=i: statuses.append(
        from_client(app, f"10.1.0.{i}").get("/api/search", headers=basic(USER, "falsch")).status_code)) for i in range(16)]
    for thread in clients:
        thread.start()
    for thread in clients:
        thread.join()
    assert most[0] == MAX_CONCURRENT_CHECKS and statuses == [401] * 16


def test_no_free_slot_is_a_503_to_try_again(app, monkeypatch):
    monkeypatch.setattr(throttle, "SLOT_WAIT", 0.0)
    held = app.extensions["depesche_access"].throttle
    for _ in range(MAX_CONCURRENT_CHECKS):
        held._slots.acquire()
    response = from_client(app, "10.2.0.1").get("/", headers=basic(USER, PASSWORD))
    assert response.status_code == 503 and response.headers["Retry-After"] == "1"
    assert "zu viele Anmeldungen gleichzeitig" in response.get_data(as_text=True)


def test_remembered_staff_credentials_skip_the_throttle(app):
    client = from_client(app, "10.3.0.1")
    assert client.get("/", headers=basic(USER, PASSWORD)).status_code == 200
    for _ in range(FREE_FAILURES + 2):
        client.get("/", headers=basic(USER, "falsch"))
    assert client.get("/", headers=basic(USER, PASSWORD)).status_code == 200  # remembered: no check, no wait
