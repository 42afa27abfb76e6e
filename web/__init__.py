"""The staff web app: a thin hypermedia layer over `search`.

`create_app(test_config=None)` is the application factory; the engine and index location come from the config
(`DEPESCHE_ENGINE`, `DEPESCHE_INDEX`, `DEPESCHE_OPENSEARCH_URL`), else the environment, else Whoosh in ./index. Every response carries the security headers below:
scripts and styles only from the app itself (htmx is served from its pip package), no inline script.
"""

from __future__ import annotations

import os

from flask import Flask
from htmx_flask import Htmx

from search import api

from . import access, urls, xmlsafe

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    # "//" in a path is not redirected: Werkzeug's redirect would be an absolute URL built from the Host header
    app.url_map.merge_slashes = False
    app.config.from_mapping(
        DEPESCHE_INDEX=str(api.index_root()),
        DEPESCHE_ENGINE=api.engine_name(),
        DEPESCHE_OPENSEARCH_URL=os.environ.get("DEPESCHE_OPENSEARCH_URL"),
    )
    if test_config:
        app.config.update(test_config)
    Htmx(app)
    app.jinja_env.finalize = xmlsafe.finalize  # no NUL or other XML-forbidden character reaches a page raw
    access.init_app(app)  # staff-only access, when configured (see web/access.py)
    urls.init_app(app)  # the feed's and the CSV's absolute URLs: DEPESCHE_BASE_URL, never the Host header
    app.extensions["depesche"] = api.open_engine(
        app.config["DEPESCHE_INDEX"], app.config["DEPESCHE_ENGINE"], app.config["DEPESCHE_OPENSEARCH_URL"]
    )

    from . import actors, completion, saved, similar, views

    app.register_blueprint(views.bp)
    app.register_blueprint(saved.bp)  # saved searches and the alerts' unsubscribe page (web/saved.py)
    app.register_blueprint(actors.bp)
    app.register_blueprint(completion.bp)
    app.register_blueprint(similar.bp)  # similar releases and the versions of a near-duplicate group

    @app.after_request
    def security_headers(response):
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    return app
