"""Absolute URLs for the machine views (the Atom feed, the CSV export), from a configured base, never from the
request: the Host header is the client's to choose, and a feed built from it would send readers anywhere.

- ``DEPESCHE_BASE_URL`` (the app config, else the environment), e.g. ``https://depesche.example.org``: where staff
  reach the app, scheme and host (and a path prefix, if a proxy mounts the app under one without setting
  SCRIPT_NAME). `absolute(path)` is that base plus the path.
- without it: URLs stay relative (``/doc/...``), which feed readers resolve against the feed's own address and a
  spreadsheet shows as the path; an Atom id, which must be absolute, becomes a ``urn:depesche:`` name.
"""

from __future__ import annotations

import os
from urllib.parse import quote, urlsplit

from flask import Flask, current_app

BASE_URL = "DEPESCHE_BASE_URL"
URN = "urn:depesche:"


def configured_base(app: Flask) -> str:
    """The base URL of `app`, checked: http(s), a host, no query or fragment; "" when none is configured."""
    base = (app.config.get(BASE_URL) or os.environ.get(BASE_URL) or "").strip()
    if not base:
        return ""
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ValueError(f"{BASE_URL} must be an http(s) URL such as https://depesche.example.org, not {base!r}")
    return base.rstrip("/")


def init_app(app: Flask) -> None:
    app.extensions["depesche_base_url"] = configured_base(app)


def absolute(path: str) -> str:
    """`path` (as `url_for` gives it) under the configured base, or `path` itself without one."""
    return current_app.extensions.get("depesche_base_url", "") + path


def atom_id(url: str) -> str:
    """An Atom id (an absolute IRI) for a URL: the URL when absolute, else a name made from the path."""
    return url if urlsplit(url).scheme else URN + quote(url.lstrip("/"), safe="/?=&")
