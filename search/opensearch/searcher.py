"""Answering searches from the cluster: the Whoosh engine's API (`search`, `document`, `stats`) over OpenSearch.

One search is one request (hits, total, facet counts and timeline together); a query that OpenSearch cannot parse
is searched again as plain words, with a note; a query whose words are all stop words searches everything, as in
the Whoosh engine.
"""

from __future__ import annotations

import json
import time
from html import escape

from opensearchpy.exceptions import NotFoundError, RequestError, TransportError

from .. import request
from ..errors import DocumentNotFound, IndexMissing
from ..model import ACTOR_ROLE_SEPARATOR, FACETS, NO_YEAR, FacetValue, Hit, Results, SearchParams
from . import query as q
from .client import alias_name, answers, cluster_url, connect
from .mapping import ACTOR_ROLE_BUCKETS, FACET_FIELDS, stored_fields

SNIPPET_FALLBACK_CHARS = 240
SHARD_RETRIES = 3
ACTOR_ROLES_SECONDS = 60  # how long role hints are reused before the cluster is asked again
NODE_LOST = ("node_disconnected", "node_not_connected", "no_shard_available", "connect_transport", "node_closed")
UNPARSABLE = "Die Suchanfrage war nicht lesbar: es wurde nach den Wörtern gesucht."


class OpenSearchEngine:
    """The search API over one alias of one cluster. Thread-safe (the client is)."""

    def __init__(self, url: str | None = None, alias: str | None = None):
        self.url = cluster_url(url)
        self.alias = alias_name(alias)
        self.client = connect(self.url)
        self._actor_roles: tuple[float, dict[str, tuple[str, ...]] | None] = (0.0, None)

    # -- search -----------------------------------------------------------------------------------------

    def search(self, params: SearchParams) -> Results:
        request.check(params)
        text, note = q.prepare(params.query)
        answer = None
        if text is not None:
            try:
                answer = self._run(params, text)
            except RequestError:  # query_string could not parse it: the words alone
                text, note = request.plain_words(text.replace("\\", "")) or None, UNPARSABLE
            else:
                if answer["hits"]["total"]["value"] == 0 and not self._has_terms(text):
                    text, answer = None, None  # only stop words: like an empty query
        if answer is None:
            answer = self._run(params, text)
        return self._results(params, answer, note)

    def _run(self, params: SearchParams, text: str | None) -> dict:
        body = q.search_body(params, text)
        search_type = "dfs_query_then_fetch" if text is not None else "query_then_fetch"
        with answers(self.url):
            for attempt in range(SHARD_RETRIES + 1):
                try:
                    return self.client.search(
                        index=self.alias, body=body, search_type=search_type,
                        params={"allow_partial_search_results": "false"},
                    )
                except NotFoundError:
                    raise self._missing() from None
                except TransportError as error:
                    # a node left while this search was on it: the cluster answers again from the other copies
                    if attempt == SHARD_RETRIES or not _node_lost(error):
                        raise
                    time.sleep(0.2 * (attempt + 1))

    def _has_terms(self, text: str) -> bool:
        words = request.plain_words(text)
        if not words:
            return False
        with answers(self.url):
            tokens = self.client.indices.analyze(
                index=self.alias, body={"analyzer": "depesche_german_search", "text": words}
            )
        return bool(tokens.get("tokens"))

    def _results(self, params: SearchParams, answer: dict, note: str | None) -> Results:
        aggs = answer.get("aggregations", {})
        facets = {}
        for facet in FACETS:
            buckets = aggs[f"facet_{facet}"]["values"]["buckets"]
            facets[facet] = top_values(
                {b["key"]: b["doc_count"] for b in buckets}, params.selected(facet), params.facet_limit,
                params.facet_filter.get(facet, ""),
            )
        return Results(
            query=params.query,
            total=answer["hits"]["total"]["value"],
            page=params.page,
            per_page=params.per_page,
            hits=tuple(_hit(raw) for raw in answer["hits"]["hits"]),
            facets=facets,
            suggestion=None,
            note=note,
            histogram=_histogram(params, aggs),
        )

    def _missing(self) -> IndexMissing:
        return IndexMissing(
            f"no index {self.alias!r} in the OpenSearch cluster at {self.url} "
            f"(build one with: depesche index SOURCE --engine opensearch --url {self.url})"
        )

    # -- single documents and facts ---------------------------------------------------------------------

    def document(self, doc_id: str, query: str = "") -> dict:
        """A stored release with its metadata, and its title, lead and paragraphs highlighted for `query`."""
        text, _ = q.prepare(query)
        body = {
            "query": {"ids": {"values": [doc_id]}},
            "size": 1,
            "_source": {"excludes": ["preview"]},
        }
        if text is not None:
            body["highlight"] = {
                **q.MARK,
                "number_of_fragments": 0,
                "highlight_query": q.text_query(text),
                "fields": {"title": {}, "lead": {}, "body": {}},
            }
        try:
            answer = self._document(body)
        except RequestError:  # an unparsable query highlights nothing
            body.pop("highlight", None)
            answer = self._document(body)
        hits = answer["hits"]["hits"]
        if not hits:
            raise DocumentNotFound(f"Keine Meldung mit der Kennung {doc_id!r}.")
        fields = stored_fields(hits[0]["_source"])
        marked = hits[0].get("highlight", {})
        mark = lambda name: marked[name][0] if name in marked else escape(fields[name])  # noqa: E731
        body_html = mark("body")
        return {
            **fields,
            "meta": json.loads(fields.get("meta") or "{}"),
            "title_html": mark("title"),
            "lead_html": mark("lead"),
            "paragraphs_html": [p for p in body_html.split("\n") if p],
        }

    def _document(self, body: dict) -> dict:
        with answers(self.url):
            try:
                return self.client.search(index=self.alias, body=body)
            except NotFoundError:
                raise self._missing() from None

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        """Each actor's roles across the index, most frequent first (for the hint beside an actor facet value);
        asked of the cluster at most once a minute, not on every page."""
        asked, roles = self._actor_roles
        if roles is None or time.monotonic() - asked > ACTOR_ROLES_SECONDS:
            self._actor_roles = (time.monotonic(), self._ask_actor_roles())
        return self._actor_roles[1]

    def _ask_actor_roles(self) -> dict[str, tuple[str, ...]]:
        with answers(self.url):
            try:
                answer = self.client.search(
                    index=self.alias,
                    body={"size": 0, "aggs": {"pairs": {"terms": {"field": "actor_role", "size": ACTOR_ROLE_BUCKETS}}}},
                )
            except NotFoundError:
                raise self._missing() from None
        roles: dict[str, list[str]] = {}
        for bucket in answer["aggregations"]["pairs"]["buckets"]:  # buckets come most frequent first
            name, _, role = bucket["key"].partition(ACTOR_ROLE_SEPARATOR)
            roles.setdefault(name, []).append(role)
        return {name: tuple(found) for name, found in roles.items()}

    def stats(self) -> dict:
        with answers(self.url):
            try:
                concrete = list(self.client.indices.get_alias(name=self.alias))
                answer = self.client.search(
                    index=self.alias,
                    body={
                        "size": 0,
                        "track_total_hits": True,
                        "aggs": {f: {"cardinality": {"field": f, "precision_threshold": 40000}} for f in FACET_FIELDS},
                    },
                )
                meta = self.client.indices.get_mapping(index=self.alias)[concrete[0]]["mappings"].get("_meta", {})
            except NotFoundError:
                raise self._missing() from None
        info = meta.get("build", {})
        return {
            "documents": answer["hits"]["total"]["value"],
            "generation": concrete[0],
            "built": info.get("built"),
            "build_seconds": info.get("seconds"),
            "fields": {f: answer["aggregations"][f]["value"] for f in FACET_FIELDS},
        }

def _node_lost(error: TransportError) -> bool:
    return isinstance(error.status_code, int) and error.status_code >= 500 and any(
        marker in str(error.info) or marker in str(error.error) for marker in NODE_LOST
    )


def top_values(counts: dict[str, int], selected: tuple[str, ...], limit: int, contains: str = "") -> tuple[FacetValue, ...]:
    """(value, count, selected) by count then value, as the Whoosh engine's `facets.top_values`."""
    needle = contains.casefold().strip()
    rows = [
        (value, count, value in selected)
        for value, count in sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold()))
        if count > 0 and not (needle and needle not in value.casefold())
    ]
    shown = rows[:limit] if limit else rows
    shown_values = {row[0] for row in shown}
    for value in selected:
        if value not in shown_values:
            shown.append((value, counts.get(value, 0), True))
    return tuple(FacetValue(value, count, chosen) for value, count, chosen in shown)


def _histogram(params: SearchParams, aggs: dict) -> tuple[tuple[str, int], ...]:
    """Matches per year; per month (YYYY-MM) when exactly one year is selected (as the Whoosh engine)."""
    if "timeline_months" in aggs:
        year = params.selected("year")[0]
        counts = {(int(b["key"]) // 100) % 100: b["doc_count"] for b in aggs["timeline_months"]["months"]["buckets"]}
        return tuple((f"{year}-{month:02d}", int(counts.get(month, 0))) for month in range(1, 13))
    buckets = aggs["timeline_years"]["years"]["buckets"]
    return tuple(sorted((b["key"], int(b["doc_count"])) for b in buckets if b["key"] != NO_YEAR))


def _hit(raw: dict) -> Hit:
    source = raw["_source"]
    marked = raw.get("highlight", {})
    fragments = [*marked.get("lead", ()), *marked.get("body", ())][: q.SNIPPET_FRAGMENTS]
    year = (source.get("year") or [""])[0]
    return Hit(
        id=source["id"],
        title=source.get("title", ""),
        date=source.get("date") or None,
        year=int(year) if year.isdigit() else None,
        score=round(float(raw.get("_score") or 0.0), 4),
        actors=tuple(source.get("actor") or ()),
        roles=tuple(source.get("role") or ()),
        topics=tuple(source.get("topic") or ()),
        countries=tuple(source.get("country") or ()),
        organisations=tuple(source.get("organisation") or ()),
        snippet=" … ".join(fragments) if fragments else escape(shorten(source.get("preview", ""), SNIPPET_FALLBACK_CHARS)),
        source=source.get("source", ""),
    )


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
