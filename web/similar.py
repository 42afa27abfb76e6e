"""Routes and view data for releases like a release, and for the versions of a near-duplicate group.

- ``/aehnlich/<id>``: the releases most like one (the "Ähnliche" link of every hit), a full page.
- ``/fassungen/<id>``: the other versions of a release's near-duplicate group ("2 weitere Fassungen"): for htmx
  the list it swaps in under the hit, for a plain GET (no JavaScript) a full page with the same list.
- ``versions_switch``: the search page's link between one entry a group and every version counted.

The release page shows both lists too (`release_extras`), so they work without JavaScript everywhere.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from search import Hit
from search.params import document_id

from .facets_view import german_date
from .state import EVERY_VERSION, href, replaced

bp = Blueprint("aehnlich", __name__)

SIMILAR_PAGE = 10  # on the page of its own; the release page shows `search.similar.SIMILAR`


def _engine():
    return current_app.extensions["depesche"]


def hit_links(hits: tuple[Hit, ...]) -> list[dict]:
    """The hits as the lists show them: title, German date, actors, the release page's URL."""
    return [
        dict(hit=hit, url=url_for("depesche.document", doc_id=hit.id), date_label=german_date(hit.date, hit.year))
        for hit in hits
    ]


def release_extras(doc_id: str) -> dict:
    """What a release page shows beside the text: the releases like it and its other versions."""
    engine = _engine()
    return dict(similar=hit_links(engine.similar(doc_id)), versions=hit_links(engine.versions(doc_id)),
                similar_url=url_for("aehnlich.similar", doc_id=doc_id))


def versions_switch(args, base: str) -> dict:
    """The link that switches between a group shown once and every version, with its German label."""
    key, value = EVERY_VERSION
    every = args.get(key) == value
    return dict(
        url=href(base, replaced(args, **{key: None if every else value})),
        label="Fassungen zusammenfassen" if every else "Alle Fassungen einzeln zählen",
        every=every,
    )


@bp.route("/aehnlich/<path:doc_id>")
def similar(doc_id: str):
    doc_id = document_id(doc_id)  # a bounded id, as on the release page
    doc = _engine().document(doc_id)  # DocumentNotFound: the German 404 page
    hits = hit_links(_engine().similar(doc_id, SIMILAR_PAGE))
    return render_template("similar.html", layout="base.html", doc=doc, hits=hits,
                           doc_url=url_for("depesche.document", doc_id=doc_id))


@bp.route("/fassungen/<path:doc_id>")
def versions(doc_id: str):
    doc_id = document_id(doc_id)
    doc = _engine().document(doc_id)
    context = dict(doc=doc, versions=hit_links(_engine().versions(doc_id)),
                   doc_url=url_for("depesche.document", doc_id=doc_id))
    if request.htmx and not request.htmx.history_restore_request:
        return render_template("_versions.html", **context)
    return render_template("versions.html", layout="base.html", **context)
