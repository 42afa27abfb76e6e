"""Staff-only access, for deployments: HTTP basic auth against a hashed password, or a trusted proxy's header.

Configuration (the app config, else the environment of the same name):
- ``DEPESCHE_AUTH_USER`` and ``DEPESCHE_AUTH_PASSWORD_HASH``: HTTP basic auth for one staff account. The hash is
  werkzeug's (``depesche hash-password`` prints one); the password itself is never configured anywhere.
- ``DEPESCHE_TRUSTED_USER_HEADER``, e.g. ``X-Forwarded-User``: a reverse proxy that authenticates staff (SSO,
  client certificates ...) names the user in this header; a request that carries it non-empty is let in. Only
  honoured when configured, and only safe when the app is reachable through that proxy alone (bind 127.0.0.1).
- neither: no access control, the default of ``depesche serve`` on 127.0.0.1.

Either configured method lets a request in. A request let in by neither gets 401 with a ``WWW-Authenticate:
Basic`` challenge when basic auth is configured, else 403 (only the proxy can let it in). Every request is
checked, static files included. Passwords, hashes and the Authorization header are never logged; a refusal is
logged with method, path, client address and, for basic auth, whether the user name was the configured one.

Password checks are throttled (`throttle`): a few at once per process (503 when none comes free), and a client
that failed several times backs off (429 with Retry-After) before it is checked again. Credentials accepted
before are remembered, so staff never wait for either.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import math
import os
import secrets
from collections import OrderedDict

from flask import Flask, Response, jsonify, request
from werkzeug.security import check_password_hash

from .throttle import Throttle

USER = "DEPESCHE_AUTH_USER"
PASSWORD_HASH = "DEPESCHE_AUTH_PASSWORD_HASH"
TRUSTED_USER_HEADER = "DEPESCHE_TRUSTED_USER_HEADER"
REALM = "Depesche"
VERIFIED_CACHE_SIZE = 256  # accepted credentials remembered (as keyed digests), so a page's requests skip scrypt

log = logging.getLogger(__name__)


class Busy(Exception):
    """Every password-check slot stayed taken (see `throttle`)."""


def _setting(app: Flask, name: str) -> str:
    value = app.config.get(name)
    if value is None:
        value = os.environ.get(name)
    return (value or "").strip()


class Access:
    """The configured policy of one app; `check()` runs before every request."""

    def __init__(self, user: str, password_hash: str, trusted_header: str):
        if bool(user) != bool(password_hash):
            raise ValueError(f"access control: set both {USER} and {PASSWORD_HASH}, or neither")
        if password_hash and "$" not in password_hash:
            raise ValueError(f"access control: {PASSWORD_HASH} is not a password hash (make one with: depesche hash-password)")
        self.user, self.password_hash, self.trusted_header = user, password_hash, trusted_header
        self._key = secrets.token_bytes(32)  # keys the verified-credentials cache; never leaves this process
        self._verified: OrderedDict[bytes, None] = OrderedDict()
        self.throttle = Throttle()

    @property
    def enabled(self) -> bool:
        return bool(self.password_hash or self.trusted_header)

    def check(self) -> Response | None:
        """None to let the request in, else the refusal."""
        if self.trusted_header:
            name = (request.headers.get(self.trusted_header) or "").strip()
            if name:
                request.environ["REMOTE_USER"] = name
                return None
        if self.password_hash:
            auth = request.authorization
            if auth is not None and auth.type == "basic":
                username, password = auth.username or "", auth.password or ""
                if self._remembered(username, password):
                    request.environ["REMOTE_USER"] = self.user
                    return None
                held_back = self._held_back(request.remote_addr or "")
                if held_back is not None:
                    return held_back
                if self._basic_ok(username, password):
                    request.environ["REMOTE_USER"] = self.user
                    return None
            known = auth is not None and hmac.compare_digest((auth.username or "").encode(), self.user.encode())
            log.warning(
                "access refused: %s %s from %s (%s)",
                request.method, request.path, request.remote_addr,
                "no credentials" if auth is None else ("wrong password" if known else "unknown user"),
            )
            return self._refusal(401, "Anmeldung erforderlich: bitte mit dem Zugang für Mitarbeitende anmelden.")
        log.warning("access refused: %s %s from %s (no %s header)", request.method, request.path, request.remote_addr, self.trusted_header)
        return self._refusal(403, "Kein Zugang: diese Suche ist nur über den Zugang für Mitarbeitende erreichbar.")

    def _digest(self, username: str, password: str) -> bytes:
        return hmac.new(self._key, f"{username}\0{password}".encode("utf-8", "surrogatepass"), hashlib.sha256).digest()

    def _remembered(self, username: str, password: str) -> bool:
        """Credentials accepted before: no scrypt, no throttle."""
        digest = self._digest(username, password)
        if digest in self._verified:
            self._verified.move_to_end(digest)
            return True
        return False

    def _held_back(self, client: str) -> Response | None:
        """429 while `client` backs off after failed logins (see `throttle`), else None: it may be checked."""
        wait = self.throttle.wait_for(client)
        if wait <= 0:
            return None
        log.warning("access refused: %s %s from %s (backing off after failed logins)", request.method, request.path, client)
        response = self._refusal(429, f"Zu viele fehlgeschlagene Anmeldungen: bitte in {math.ceil(wait)} s noch einmal versuchen.")
        response.headers["Retry-After"] = str(math.ceil(wait))
        return response

    def _basic_ok(self, username: str, password: str) -> bool:
        """The password check, in one of the throttle's few slots; its failure counts against the client."""
        client = request.remote_addr or ""
        with self.throttle.slot() as free:
            if not free:
                raise Busy()
            user_ok = hmac.compare_digest(username.encode("utf-8", "surrogatepass"), self.user.encode())
            password_ok = check_password_hash(self.password_hash, password)  # run even for a wrong user: same timing
        if user_ok and password_ok:
            self.throttle.succeeded(client)
            self._verified[self._digest(username, password)] = None
            while len(self._verified) > VERIFIED_CACHE_SIZE:
                self._verified.popitem(last=False)
            return True
        self.throttle.failed(client)
        return False

    def busy(self, _problem=None) -> Response:
        """503 when every password-check slot stayed taken: the client may simply try again."""
        response = self._refusal(503, "Gerade prüfen zu viele Anmeldungen gleichzeitig: bitte gleich noch einmal versuchen.")
        response.headers["Retry-After"] = "1"
        return response

    def _refusal(self, status: int, message: str) -> Response:
        if request.path.startswith("/api/"):
            response = jsonify(error=message)
        else:
            response = Response(message + "\n", mimetype="text/plain")
        response.status_code = status
        if status == 401:
            response.headers["WWW-Authenticate"] = f'Basic realm="{REALM}", charset="UTF-8"'
        response.headers["Cache-Control"] = "no-store"
        return response


def init_app(app: Flask) -> Access:
    """Read the access settings and check every request of `app` against them (a no-op when none is set)."""
    access = Access(_setting(app, USER), _setting(app, PASSWORD_HASH), _setting(app, TRUSTED_USER_HEADER))
    app.extensions["depesche_access"] = access
    if access.enabled:
        app.before_request(access.check)
        app.register_error_handler(Busy, access.busy)
    return access
