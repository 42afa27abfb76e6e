"""Name completion under the search box: `/namen?q=...` answers the list of options htmx puts into the box's
listbox (`search.completion` finds them); the search box becomes an ARIA combobox in `static/app.js`. Without
JavaScript nothing asks for it, and the box is a plain search box."""

from __future__ import annotations

from flask import Blueprint, Response, render_template, request, url_for

from search import DepescheError
from search.completion import completions

from .facets_view import labelled
from .state import href
from .views import engine

bp = Blueprint("completion", __name__)


@bp.route("/namen")
def names():
    try:
        found = completions(engine(), request.args.get("q") or "")
    except DepescheError:  # no index or the backend is down: no options; the search itself says why
        found = []
    base = url_for("depesche.index")
    options = [
        dict(label=labelled(c.value, c.label), kind=c.kind, count=c.count, url=href(base, [(c.facet, c.value)]))
        for c in found
    ]
    response = Response(render_template("_completions.html", options=options))
    response.headers["Cache-Control"] = "private, max-age=60"
    return response
