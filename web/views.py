"""Routes: the search page, a release's page, the JSON API, and htmx served from its pip package."""

from __future__ import annotations

import importlib.resources
from datetime import date

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from search import BadQuery, DepescheError, DocumentNotFound, IndexMissing, SearchParams
from search.model import FACETS

bp = Blueprint("depesche", __name__)


def engine():
    return current_app.extensions["depesche"]


def params_from_request() -> SearchParams:
    """SearchParams from the query string; BadQuery with a readable message if a value is unusable."""
    args = request.args

    def number(name: str, default: int) -> int:
        try:
            return int(args.get(name, default))
        except ValueError:
            raise BadQuery(f"{name} muss eine Zahl sein.") from None

    def day(name: str) -> date | None:
        value = args.get(name, "").strip()
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise BadQuery(f"{name}: Datum als JJJJ-MM-TT angeben.") from None

    return SearchParams(
        query=args.get("q", ""),
        filters={facet: tuple(args.getlist(facet)) for facet in FACETS if args.getlist(facet)},
        date_from=day("from"),
        date_to=day("to"),
        sort=args.get("sort", "relevance"),
        page=number("page", 1),
        per_page=number("per_page", 10),
    )


@bp.route("/")
def index():
    try:
        params = params_from_request()
        results, error = engine().search(params), None
    except (BadQuery, IndexMissing) as problem:
        params, results, error = SearchParams(query=request.args.get("q", "")), None, str(problem)
    status = 400 if error and results is None and not isinstance(error, IndexMissing) else 200
    return render_template("search.html", params=params, results=results, error=error), status


@bp.route("/api/search")
def api_search():
    try:
        return jsonify(engine().search(params_from_request()).to_json())
    except BadQuery as problem:
        return jsonify(error=str(problem)), 400
    except DepescheError as problem:
        return jsonify(error=str(problem)), 503


@bp.route("/doc/<path:doc_id>")
def document(doc_id: str):
    try:
        doc = engine().document(doc_id, request.args.get("q", ""))
    except DocumentNotFound as problem:
        return render_template("error.html", message=str(problem)), 404
    return render_template("document.html", doc=doc, q=request.args.get("q", ""))


@bp.route("/static/htmx.min.js")
def htmx_js():
    script = importlib.resources.files("js_lib_htmx").joinpath("static/htmx/htmx.min.js").read_bytes()
    return Response(script, mimetype="text/javascript", headers={"Cache-Control": "public, max-age=86400"})
