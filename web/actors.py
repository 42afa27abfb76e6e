"""Actor pages: `/akteur/<name>` (HTML) and `/api/akteur/<name>` (the same data as JSON, `ActorProfile.to_json`);
the person's Atom feed is the search feed filtered to them (`/feed.atom?actor=<name>`, newest first).

The data is `search.actor_profile`'s; here it becomes links: every role, country, topic and organisation filters
the search to the person and that value, every person named with them links to their page and to the search for
both, every timeline bar to the person's releases of that year or month. An unknown name is a 404 page that offers
the close names the index has; an alias of a person redirects to the page under the name the facets file it.
"""

from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.datastructures import MultiDict

from search.actor_profile import FACET_VALUES, ActorNotFound, ActorProfile, datekey_text, profile

from . import listing, timeline
from .facets_view import german_date, labelled
from .state import href
from .views import doc_url, engine

bp = Blueprint("actors", __name__)
FACETS_SHOWN = (("country", "Länder"), ("topic", "Themen"), ("organisation", "Organisationen"))


def page_url(name: str) -> str:
    return url_for("actors.page", name=name)


def both_query(name: str) -> str:
    """The query that adds a second person to a search filtered to the first (a facet's values are OR-ed)."""
    return f'actor:"{name}"'


@bp.route("/akteur/<path:name>")
def page(name: str):
    person = profile(engine(), name)
    if person.name != name:  # another spelling or case: the page lives under the name as filed
        return redirect(page_url(person.name))
    return render_template("actor.html", layout="base.html", **page_context(person))


@bp.route("/api/akteur/<path:name>")
def api(name: str):
    return jsonify(profile(engine(), name).to_json())


@bp.errorhandler(ActorNotFound)
def missing(problem: ActorNotFound):
    if request.path.startswith("/api/"):
        return jsonify(error=str(problem), suggestions=list(problem.suggestions)), 404
    suggestions = [dict(name=name, url=page_url(name)) for name in problem.suggestions]
    body = render_template(
        "actor_missing.html", layout="base.html", name=problem.name, suggestions=suggestions,
        search_url=href(url_for("depesche.index"), [("q", problem.name)]),
    )
    return Response(body, status=404)


def page_context(person: ActorProfile) -> dict:
    base = url_for("depesche.index")
    own = [("actor", person.name)]
    search = lambda *pairs: href(base, [*own, *pairs])  # noqa: E731
    return dict(
        name=person.name,
        releases=person.results.total,
        undated=person.undated,
        spellings=[s for s in person.facts.spellings if s != person.name],
        roles=[dict(role=p.role, releases=p.releases, period=period(p.first, p.last), url=search(("role", p.role)))
               for p in person.facts.roles],
        co_actors=[dict(name=other, count=count, page_url=page_url(other), both_url=search(("q", both_query(other))))
                   for other, count in person.facts.co_actors],
        facets=[
            dict(title=title, values=[
                dict(label=labelled(fv.value, fv.label), count=fv.count, url=search((facet, fv.value)))
                for fv in person.facet(facet)
            ][:FACET_VALUES])
            for facet, title in FACETS_SHOWN
        ],
        timeline=timeline.timeline(replace(person.results, histogram=person.timeline()), MultiDict(own), base),
        latest=listing.hit_views(person.results, MultiDict(own), doc_url),
        search_url=search(),
        feed_url=href(url_for("depesche.feed"), own),
        api_url=url_for("actors.api", name=person.name),
    )


def period(first: int, last: int) -> str:
    """"9. Mai 2023 – 27. August 2024", one date when both are the same, a dash when no release is dated."""
    if not first:
        return "–"
    start, end = german_date(datekey_text(first)), german_date(datekey_text(last))
    return start if start == end else f"{start} – {end}"
