"""Saved searches in the web app: the "Suche speichern" form of the search page, the list of a user's saved
searches (each with the number of releases new since it was last opened, a link to the search, rename, alerts,
delete) and the unsubscribe page of the alert e-mails.

The store and the alerts are `search.saved` and `search.alerts`; this blueprint only reads forms and renders.
Every POST but the unsubscribe link's (whose secret token is its authority, and which mail programs send in one
click, RFC 8058) carries the CSRF token of `web.csrf`. The user is the one access control let in
(`REMOTE_USER`); with access control off there is one shared list.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, redirect, render_template, request, url_for

from search import DepescheError
from search.alerts import new_matches
from search.saved import SavedSearch, SavedSearchError, SavedSearchNotFound, Store, db_path, describe, query_pairs

from . import csrf
from .state import href, params_from_args, search_pairs
from .views import _error, engine

bp = Blueprint("saved", __name__, url_prefix="/saved")
ALERT_LABELS = {"none": "keine", "immediate": "sofort nach jeder Aktualisierung", "daily": "einmal täglich"}


def store() -> Store:
    app = current_app
    if "depesche_saved" not in app.extensions:
        app.extensions["depesche_saved"] = Store(app.config.get("DEPESCHE_SAVED_DB") or db_path(app.config["DEPESCHE_INDEX"]))
    return app.extensions["depesche_saved"]


def owner() -> str:
    """The signed-in user; "" (the shared list) when access control is off, whatever the request claims."""
    access = current_app.extensions.get("depesche_access")
    return request.environ.get("REMOTE_USER", "") if access is not None and access.enabled else ""


def _saved_id(value: str) -> int:
    if not value.isdigit():
        raise SavedSearchNotFound(f"Keine gespeicherte Suche {value!r}.")
    return int(value)


@bp.before_request
def protect() -> None:
    if request.endpoint != "saved.unsubscribe":
        csrf.check()


@bp.app_context_processor
def save_form():
    """What every page's "Suche speichern" form needs: the token, and the current search's fields."""

    def save_search(params):
        """`params`: the page's search, as its view parsed it."""
        pairs = [pair for pair in search_pairs(request.args) if pair[0] != "per_page"]
        return {"pairs": pairs, "name": describe(params), "alerts": ALERT_LABELS, "email": _last_email()}

    return {"csrf_token": csrf.token, "save_search": save_search}


def _last_email() -> str:
    try:
        return store().last_email(owner())
    except SavedSearchError:  # the store unreachable: the search page still shows, saving will say why
        return ""


@bp.after_app_request
def token_cookie(response: Response) -> Response:
    return csrf.set_cookie(response)


@bp.errorhandler(SavedSearchError)
def saved_problem(problem: SavedSearchError):
    return _error(problem.status, "Gespeicherte Suche", str(problem))


# -- the list ------------------------------------------------------------------------------------------------


def _row(saved: SavedSearch, last: int) -> dict:
    try:
        new = new_matches(engine(), saved.params, saved.seen_until, last, limit=1).total if last > saved.seen_until else 0
    except DepescheError:
        new = None  # the search cannot be answered now: the list still shows
    return {"saved": saved, "new": new, "open_url": url_for("saved.open_search", saved_id=saved.id),
            "search_url": href(url_for("depesche.index"), query_pairs(saved.params)), "alert_label": ALERT_LABELS[saved.alert]}


@bp.get("")
def listing():
    last = engine().last_arrival()
    rows = [_row(saved, last) for saved in store().list(owner())]
    added = request.args.get("neu", "")
    return render_template("saved.html", layout="base.html", rows=rows, alerts=ALERT_LABELS, added=added,
                           shared=not owner(), user=owner())


@bp.post("")
def create():
    form = request.form
    params = params_from_args(form, facet_limit=1)  # BadQuery (400) for a value the search page would refuse too
    saved = store().add(owner(), form.get("name", "") or describe(params), params, alert=form.get("alert", "none"),
                        email=form.get("email", ""), arrived=engine().last_arrival())
    return redirect(href(url_for("saved.listing"), [("neu", str(saved.id))]), code=303)


@bp.get("/<saved_id>")
def open_search(saved_id: str):
    """The saved search's results; what is there now is no longer new to its owner."""
    saved = store().get(owner(), _saved_id(saved_id))
    store().mark_seen(owner(), saved.id, engine().last_arrival())
    return redirect(href(url_for("depesche.index"), query_pairs(saved.params)), code=303)


@bp.post("/<saved_id>/rename")
def rename(saved_id: str):
    store().rename(owner(), _saved_id(saved_id), request.form.get("name", ""))
    return redirect(url_for("saved.listing"), code=303)


@bp.post("/<saved_id>/alert")
def alert(saved_id: str):
    store().set_alert(owner(), _saved_id(saved_id), request.form.get("alert", ""), request.form.get("email", ""))
    return redirect(url_for("saved.listing"), code=303)


@bp.post("/<saved_id>/delete")
def delete(saved_id: str):
    store().remove(owner(), _saved_id(saved_id))
    return redirect(url_for("saved.listing"), code=303)


# -- unsubscribe (the link in the alert e-mails) -----------------------------------------------------------


@bp.route("/unsubscribe", methods=["GET", "POST"])
def unsubscribe():
    """GET shows what the link switches off and asks (a mail scanner opening links changes nothing); POST does it."""
    tokens = request.values.getlist("t")
    if request.method == "POST":
        done = store().unsubscribe(tokens)
        return render_template("unsubscribe.html", layout="base.html", searches=done, done=True, tokens=tokens)
    found = store().by_tokens(tokens)
    if not found:
        raise SavedSearchNotFound("Dieser Abmeldelink ist ungültig oder die Suche wurde gelöscht.")
    return render_template("unsubscribe.html", layout="base.html", searches=found, done=False, tokens=tokens)

