"""Routes: the search page, a release's page, the JSON API, the Atom feed, the CSV export, and htmx itself.

The search page answers a plain GET with the full page and an htmx request with the fragment it swaps
(``#results``, plus the live count out of band); one template renders both (``search.html`` extends either
``base.html`` or ``_fragment.html``). A history-restore request gets the full page.
"""

from __future__ import annotations

import importlib.resources
from dataclasses import replace
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from search import BadQuery, DepescheError, DocumentNotFound, IndexMissing, Results, SearchParams
from search.model import FACETS
from search.params import document_id

from . import actor_roles, exports, facets_view, listing, similar, timeline, urls
from .state import EVERY_VERSION, expanded_facets, href, params_from_args, search_pairs

bp = Blueprint("depesche", __name__)

FEED_SIZE = 50
EXPORT_LIMIT = 10_000
EXPORT_PAGE = 100
MAX_QUERY_CHARS = 1000  # the engine searches the first 500 characters; more is a paste gone wrong
MAX_QUERY_STRING = 16_384  # the whole query string, all filters included
LINK_SCHEMES = ("http://", "https://")  # a release's source URL becomes a link only with one of these


def engine():
    return current_app.extensions["depesche"]


def wants_fragment() -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def page_layout() -> str:
    return "_fragment.html" if wants_fragment() else "base.html"


def doc_url(doc_id: str, pairs=(), external: bool = False) -> str:
    """A release's URL; `external`: under the configured base URL (`urls`), never the request's Host."""
    url = url_for("depesche.document", doc_id=doc_id)
    url = f"{url}?{urlencode(list(pairs))}" if pairs else url
    return urls.absolute(url) if external else url


def varying(response: Response) -> Response:
    response.vary.add("HX-Request")
    return response


@bp.before_request
def limits():
    """A readable 400 for requests too large to be a search, before any work is done."""
    if len(request.query_string) > MAX_QUERY_STRING:
        raise BadQuery(f"Die Anfrage ist zu lang (höchstens {MAX_QUERY_STRING} Zeichen): bitte weniger Filter auf einmal wählen.")
    if len(request.args.get("q") or "") > MAX_QUERY_CHARS:
        raise BadQuery(f"Die Suchanfrage ist zu lang: höchstens {MAX_QUERY_CHARS} Zeichen.")


# -- the search page -------------------------------------------------------------------------------------


@bp.route("/")
def index():
    args = request.args
    base = url_for("depesche.index")
    expanded_facets(args)  # BadQuery for an unknown facet name
    params = params_from_args(args, facet_limit=0)  # the view cuts long facets itself ("mehr anzeigen")
    results = engine().search(params)
    context = dict(
        layout=page_layout(),
        params=params,
        results=results,
        summary=listing.summary(results, params),
        hits=listing.hit_views(results, args, doc_url),
        groups=facets_view.facet_groups(results, args, base, hints={"actor": actor_roles.actor_roles(engine())}),
        chips=facets_view.chips(args, base),
        clear_url=facets_view.clear_url(args, base),
        timeline=timeline.timeline(results, args, base),
        pagination=listing.pagination(results, args, base),
        sort_options=listing.sort_options(params),
        suggestion_url=href(base, [("q", results.suggestion), *[p for p in search_pairs(args) if p[0] != "q"]])
        if results.suggestion
        else None,
        hidden_filters=[pair for pair in search_pairs(args) if pair[0] in (*FACETS, EVERY_VERSION[0])],
        feed_url=href(url_for("depesche.feed"), search_pairs(args)),
        csv_url=href(url_for("depesche.export_csv"), search_pairs(args)),
        api_url=href(url_for("depesche.api_search"), search_pairs(args)),
        date_from=args.get("from", ""),
        date_to=args.get("to", ""),
        versions_switch=similar.versions_switch(args, base),
    )
    return varying(Response(render_template("search.html", **context)))


# -- a release -------------------------------------------------------------------------------------------


DATE_PRECISION = {"day": "tagesgenau", "month": "monatsgenau", "year": "nur das Jahr", "none": "unbekannt"}
DATE_SOURCE = {
    "metadata": "aus den Metadaten der Quelle",
    "manifest": "aus dem Verzeichnis der Quelle (Manifest)",
    "text": "aus dem Text der Meldung",
    "context": "aus dem Ordner (Jahr der Sammlung)",
}


@bp.route("/doc/<path:doc_id>")
def document(doc_id: str):
    args = request.args
    doc = engine().document(document_id(doc_id), (args.get("q") or "").strip())
    if not str(doc.get("url") or "").lower().startswith(LINK_SCHEMES):  # no javascript: or data: links from a record
        doc = {**doc, "url": ""}
    meta = doc.get("meta") or {}
    base = url_for("depesche.index")
    date_text = meta.get("date") or doc.get("date") or doc.get("year")
    facts = dict(
        date_label=facets_view.german_date(str(date_text) if date_text else None),
        date_precision=DATE_PRECISION.get(meta.get("date_precision") or "none", meta.get("date_precision")),
        date_source=DATE_SOURCE.get(meta.get("date_source"), meta.get("date_source")),
        actors=[
            dict(
                name=a.get("name", ""),
                roles=", ".join(a.get("roles") or ()),
                mentions=", ".join(a.get("mentions") or ()),
                url=href(base, [("actor", a.get("name", ""))]),
            )
            for a in meta.get("actors") or ()
        ],
        speakers=[dict(name=s, url=href(base, [("speaker", s)])) for s in meta.get("speakers") or ()],
        topics=[
            dict(name=t.get("name", ""), terms=", ".join(t.get("terms") or ()), url=href(base, [("topic", t.get("name", ""))]))
            for t in meta.get("topics") or ()
        ],
        countries=[dict(name=c, url=href(base, [("country", c)])) for c in meta.get("countries") or ()],
        organisations=[
            dict(name=facets_view.labelled(o, (meta.get("organisation_labels") or {}).get(o, "")), url=href(base, [("organisation", o)]))
            for o in meta.get("organisations") or ()
        ],
    )
    return render_template(
        "document.html",
        layout="base.html",
        doc=doc,
        facts=facts,
        query=(args.get("q") or "").strip(),
        back_url=href(base, search_pairs(args, keep=("page", "more"))),
        has_search=bool(search_pairs(args)),
        **similar.release_extras(doc_id),
    )


# -- machine interfaces ----------------------------------------------------------------------------------


@bp.route("/api/search")
def api_search():
    """The JSON of ``depesche search --json`` (Results.to_json()); ``facet_limit`` as in the search API."""
    return jsonify(engine().search(params_from_args(request.args)).to_json())


def _all_hits(params: SearchParams, limit: int):
    page = 1
    while True:
        batch = engine().search(replace(params, page=page, per_page=EXPORT_PAGE, facet_limit=1))
        yield from batch.hits
        if page * EXPORT_PAGE >= min(batch.total, limit) or not batch.hits:
            return
        page += 1


def _describe(params: SearchParams) -> str:
    parts = [f"„{params.query}“"] if params.query else []
    for facet in FACETS:
        if params.selected(facet):
            parts.append(f"{facets_view.TITLES[facet]}: {' oder '.join(params.selected(facet))}")
    if params.date_from:
        parts.append(f"ab {params.date_from.isoformat()}")
    if params.date_to:
        parts.append(f"bis {params.date_to.isoformat()}")
    return ", ".join(parts) or "alle Meldungen"


@bp.route("/feed.atom")
def feed():
    params = replace(params_from_args(request.args, facet_limit=1), sort="newest", page=1, per_page=FEED_SIZE)
    results: Results = engine().search(params)
    pairs = search_pairs(request.args)
    body = exports.atom_feed(
        list(results.hits),
        title=f"Depesche: {_describe(params)}",
        feed_url=urls.absolute(href(url_for("depesche.feed"), pairs)),
        page_url=urls.absolute(href(url_for("depesche.index"), pairs)),
        doc_url=lambda doc_id: doc_url(doc_id, external=True),
    )
    return Response(body, mimetype="application/atom+xml")


@bp.route("/export.csv")
def export_csv():
    params = params_from_args(request.args, facet_limit=1)
    text = exports.csv_text(_all_hits(params, EXPORT_LIMIT), lambda doc_id: doc_url(doc_id, external=True))
    return Response(
        "\ufeff" + text,  # a BOM, so spreadsheet programs read the umlauts as UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": 'attachment; filename="depesche-export.csv"'},
    )


@bp.route("/static/htmx.min.js")
def htmx_js():
    script = importlib.resources.files("js_lib_htmx").joinpath("static/htmx/htmx.min.js").read_bytes()
    return Response(script, mimetype="text/javascript", headers={"Cache-Control": "public, max-age=86400"})


# -- errors: German pages (or JSON under /api/), never a traceback ----------------------------------------

MESSAGES = {
    404: ("Nicht gefunden", "Diese Seite gibt es nicht."),
    405: ("Nicht erlaubt", "Diese Adresse kann nur gelesen werden."),
    500: ("Interner Fehler", "Etwas ist schiefgegangen. Bitte versuchen Sie es noch einmal."),
}


def _error(status: int, title: str, message: str, detail: str | None = None):
    """An error page (JSON under /api/). The technical detail goes to the log only: it can name server paths or a
    cluster URL with credentials."""
    if detail:
        current_app.logger.warning("%s (%s): %s", title, request.path, detail)
    if request.path.startswith("/api/"):
        return jsonify(error=message), status
    response = Response(
        render_template("error.html", layout=page_layout(), query=(request.args.get("q") or "").strip(), status=status, title=title, message=message),
        status=status,
    )
    return varying(response)


@bp.app_errorhandler(BadQuery)
def bad_query(problem: BadQuery):
    return _error(400, "Ungültige Anfrage", str(problem))


@bp.app_errorhandler(DocumentNotFound)
def not_found_doc(problem: DocumentNotFound):
    return _error(404, "Meldung nicht gefunden", str(problem))


@bp.app_errorhandler(IndexMissing)
def index_missing(problem: IndexMissing):
    return _error(
        503,
        "Kein Suchindex",
        "Der Suchindex fehlt oder ist unvollständig, deshalb kann gerade nicht gesucht werden. "
        "Bitte den Index bauen (depesche index ORDNER) oder den Server mit depesche serve neu starten.",
        str(problem),
    )


@bp.app_errorhandler(DepescheError)
def other_problem(problem: DepescheError):
    return _error(503, "Suche nicht verfügbar", "Die Suche ist gerade nicht verfügbar.", str(problem))


@bp.app_errorhandler(HTTPException)
def http_problem(problem: HTTPException):
    title, message = MESSAGES.get(problem.code or 500, ("Fehler", problem.description or ""))
    if problem.code == 400:
        title, message = "Ungültige Anfrage", "Die Anfrage konnte nicht gelesen werden."
    return _error(problem.code or 500, title, message)


@bp.app_errorhandler(Exception)
def unexpected(problem: Exception):
    current_app.logger.exception("unexpected error")
    return _error(500, *MESSAGES[500])

