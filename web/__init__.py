"""The staff web app: a thin hypermedia layer over `search`.

`create_app(test_config=None)` is the application factory; the index location comes from the config
(`DEPESCHE_INDEX`), else the environment, else ./index.
"""

from __future__ import annotations

from flask import Flask
from htmx_flask import Htmx

from search import api


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.from_mapping(DEPESCHE_INDEX=str(api.index_root()))
    if test_config:
        app.config.update(test_config)
    Htmx(app)
    app.extensions["depesche"] = api.open_engine(app.config["DEPESCHE_INDEX"])

    from . import views

    app.register_blueprint(views.bp)
    return app
