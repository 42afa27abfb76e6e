"""Cross-site request forgery protection for the app's forms that change something (saving a search ...).

A double-submit token: the first page with such a form sets a random token in a cookie (HttpOnly, SameSite=
Strict) and writes the same token into the form; a POST is let through only when the form's token equals the
cookie's. Another site can make a browser send the cookie, but cannot read it to put it into its form. A POST
the browser marks as coming from another site (`Sec-Fetch-Site`) is refused as well. (`Origin` is not compared
with the host: behind a reverse proxy the app may not see the host and scheme the browser used.) It needs no server-side secret, so every worker process of a deployment checks the same way.

(Flask-WTF's CSRFProtect signs its token with the app's secret key and keeps it in the session: it would need a
secret shared by every worker, which this app otherwise does not have.)
"""

from __future__ import annotations

import hmac
import re
import secrets

from flask import g, request

from search import BadQuery

COOKIE = "depesche_csrf"
FIELD = "csrf_token"
TOKEN = re.compile(r"^[A-Za-z0-9_-]{32,64}$")
REFUSED = "Das Formular ist abgelaufen oder kam von einer anderen Seite: bitte die Seite neu laden und noch einmal senden."


def token() -> str:
    """The token for this browser's forms (made, and set as a cookie with the response, on first use)."""
    current = request.cookies.get(COOKIE, "")
    if TOKEN.match(current):
        return current
    if "csrf_new" not in g:
        g.csrf_new = secrets.token_urlsafe(32)
    return g.csrf_new


def set_cookie(response):
    """after_request: the new token's cookie, if this response's page made one."""
    new = g.pop("csrf_new", None)
    if new:
        response.set_cookie(COOKIE, new, httponly=True, samesite="Strict", secure=request.is_secure, path="/")
    return response


def check() -> None:
    """before_request of the protected routes: BadQuery (400) for a POST without the right token."""
    if request.method != "POST":
        return
    if request.headers.get("Sec-Fetch-Site") in ("cross-site", "same-site"):  # a browser saying: another site's form
        raise BadQuery(REFUSED)
    sent, expected = request.form.get(FIELD, ""), request.cookies.get(COOKIE, "")
    if not (TOKEN.match(expected) and hmac.compare_digest(sent.encode(), expected.encode())):
        raise BadQuery(REFUSED)

