"""Staff-only access (web/access.py): basic auth with a hashed password, or a trusted proxy header; secrets are
never logged; the default is open on 127.0.0.1."""

from __future__ import annotations

import base64
import logging

import pytest
from click.testing import CliRunner
from werkzeug.security import check_password_hash, generate_password_hash

from web import create_app
from web.cli import cli

USER = "presse"
PASSWORD = "Sehr-geheim-Ω-2024"
HASH = generate_password_hash(PASSWORD)
PATHS = ["/", "/?q=Stoltenberg", "/api/search?q=NATO", "/feed.atom", "/export.csv", "/static/style.css", "/static/htmx.min.js", "/doc/x"]


def basic(user: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


@pytest.fixture
def make_client(sample_index, monkeypatch):
    for name in ("DEPESCHE_AUTH_USER", "DEPESCHE_AUTH_PASSWORD_HASH", "DEPESCHE_TRUSTED_USER_HEADER"):
        monkeypatch.delenv(name, raising=False)

    def make(**config):
        return create_app({"DEPESCHE_INDEX": str(sample_index), **config}).test_client()

    return make


@pytest.fixture
def basic_client(make_client):
    return make_client(DEPESCHE_AUTH_USER=USER, DEPESCHE_AUTH_PASSWORD_HASH=HASH)


def test_without_configuration_everything_is_open(make_client):
    client = make_client()
    assert client.get("/?q=Stoltenberg").status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_basic_auth_refuses_without_credentials_with_a_challenge(basic_client, path):
    response = basic_client.get(path)
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == 'Basic realm="Depesche", charset="UTF-8"'
    assert response.headers["Content-Security-Policy"]  # the security headers are on refusals too
    assert "Stoltenberg" not in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "headers",
    [
        basic(USER, "falsch"),
        basic("jemand", PASSWORD),
        basic(USER, ""),
        basic(USER, PASSWORD.upper()),
        {"Authorization": "Basic !!!kaputt"},
        {"Authorization": "Bearer " + PASSWORD},
        {"Authorization": HASH},
        {"X-Forwarded-User": USER},  # a proxy header that is not configured counts for nothing
    ],
)
def test_basic_auth_refuses_wrong_credentials(basic_client, headers):
    response = basic_client.get("/?q=Stoltenberg", headers=headers)
    assert response.status_code == 401 and "WWW-Authenticate" in response.headers


@pytest.mark.parametrize("path", PATHS)
def test_basic_auth_lets_staff_in(basic_client, path):
    with basic_client.get(path, headers=basic(USER, PASSWORD)) as response:  # closes a static file's handle
        assert response.status_code == (404 if path == "/doc/x" else 200)


def test_api_refusal_is_json(basic_client):
    response = basic_client.get("/api/search?q=NATO")
    assert response.status_code == 401 and response.get_json()["error"]


def test_the_environment_configures_it_too(make_client, monkeypatch):
    monkeypatch.setenv("DEPESCHE_AUTH_USER", USER)
    monkeypatch.setenv("DEPESCHE_AUTH_PASSWORD_HASH", HASH)
    client = make_client()
    assert client.get("/").status_code == 401
    assert client.get("/", headers=basic(USER, PASSWORD)).status_code == 200


@pytest.mark.parametrize(
    "config",
    [
        {"DEPESCHE_AUTH_USER": USER},
        {"DEPESCHE_AUTH_PASSWORD_HASH": HASH},
        {"DEPESCHE_AUTH_USER": USER, "DEPESCHE_AUTH_PASSWORD_HASH": PASSWORD},  # a password where the hash belongs
    ],
)
def test_half_a_configuration_refuses_to_start(make_client, config):
    with pytest.raises(ValueError, match="DEPESCHE_AUTH"):
        make_client(**config)


def test_trusted_proxy_header_only_when_configured(make_client):
    client = make_client(DEPESCHE_TRUSTED_USER_HEADER="X-Forwarded-User")
    refused = client.get("/?q=Stoltenberg")
    assert refused.status_code == 403 and "WWW-Authenticate" not in refused.headers  # only the proxy can let it in
    assert client.get("/?q=Stoltenberg", headers={"X-Forwarded-User": ""}).status_code == 403
    assert client.get("/?q=Stoltenberg", headers={"X-Other-User": USER}).status_code == 403
    assert client.get("/?q=Stoltenberg", headers={"X-Forwarded-User": "m.mueller"}).status_code == 200


def test_proxy_header_and_basic_auth_together(make_client):
    client = make_client(DEPESCHE_AUTH_USER=USER, DEPESCHE_AUTH_PASSWORD_HASH=HASH, DEPESCHE_TRUSTED_USER_HEADER="X-Forwarded-User")
    assert client.get("/").status_code == 401
    assert client.get("/", headers={"X-Forwarded-User": "m.mueller"}).status_code == 200
    assert client.get("/", headers=basic(USER, PASSWORD)).status_code == 200


def test_secrets_never_reach_the_logs(basic_client, caplog):
    caplog.set_level(logging.DEBUG)
    attempts = [
        {},
        basic(USER, PASSWORD),
        basic(USER, PASSWORD + "x"),
        basic(PASSWORD, PASSWORD),  # a password typed into the user name field
        {"Authorization": "Basic " + base64.b64encode(PASSWORD.encode()).decode()},
    ]
    for headers in attempts:
        for path in ("/?q=Stoltenberg", "/api/search?q=NATO", "/nirgends"):
            basic_client.get(path, headers=headers)
    logged = "\n".join(record.getMessage() + " " + str(record.args) + " " + (record.exc_text or "") for record in caplog.records)
    assert "access refused" in logged  # refusals are logged ...
    for secret in (PASSWORD, HASH, HASH.split("$")[-1], base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode(), "Authorization"):
        assert secret not in logged  # ... without anything secret


def test_hash_password_prints_a_hash_that_checks(monkeypatch):
    result = CliRunner().invoke(cli, ["hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0, result.output
    printed = result.stdout.strip().splitlines()[-1]
    assert check_password_hash(printed, PASSWORD) and PASSWORD not in result.stdout
    too_short = CliRunner().invoke(cli, ["hash-password"], input="kurz\nkurz\n")
    assert too_short.exit_code == 1 and "too short" in too_short.output


def test_serve_binds_to_localhost_by_default():
    serve = cli.commands["serve"]
    host = next(p for p in serve.params if p.name == "host")
    assert host.default == "127.0.0.1"
