"""Answering searches from the cluster: the engine contract (`search.engines`) over OpenSearch.

One search is one request (hits with their stored fields, total, facet counts and timeline together), from the
query tree the engine-neutral planner made of the user's text (`search.querytree`, translated in `query`); when
every word together finds too few releases, the planner's relaxed tree is run instead, as on Whoosh. Everything
after the counting (hits, snippets, facet order, aliases, timeline, did-you-mean) is the engine-neutral layer's.

Vocabulary: the index's *view* is what is read of the whole index for the neutral layer (the person facets'
values, hence the aliases; the names for did-you-mean), reread after `VIEW_SECONDS` or when the alias has moved to
another build.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Callable

from opensearchpy.exceptions import HTTP_EXCEPTIONS, NotFoundError, TransportError

from .. import querycost, querytree, results, similar, suggest
from ..queries import archive_acronyms, highlight_terms, plan
from ..errors import DocumentNotFound, IndexMissing
from ..fields import ARRIVED_FIELD
from ..params import check
from ..model import ACTOR_ROLE_SEPARATOR, Hit, Results, SearchParams
from . import actor_facts, query as q
from .client import alias_name, answers, cluster_url, connect
from .mapping import ACTOR_ROLE_BUCKETS, FACET_FIELDS, STORED, TEXT_FIELDS, stored_fields, term_field
from .writer import LOCK_INDEX

SHARD_RETRIES = 3
VIEW_SECONDS = 60  # how long the index's view (aliases, role hints, names) is reused before it is read again
VOCABULARY_BUCKETS = 100_000
SUGGEST_CANDIDATES = 50
NODE_LOST = ("node_disconnected", "node_not_connected", "no_shard_available", "connect_transport", "node_closed")


class View:
    """What is read of the whole index once (see the module docstring); the Vocabulary did-you-mean reads."""

    def __init__(self, engine: OpenSearchEngine, generation: str):
        self.engine = engine
        self.generation = generation
        self.read_at = time.monotonic()
        self.raw = {facet: engine._values(facet) for facet in results.MERGED_FACETS}  # value -> releases, as indexed
        self.aliases = results.facet_aliases(lambda facet: self.raw[facet])
        self.labels = results.facet_labels(self.aliases, self.raw)
        self.acronyms = archive_acronyms(self.labels)  # synonyms of this index state (see `search.queries`)
        self._roles: dict[str, tuple[str, ...]] | None = None
        self._values: dict[str, list[str]] = {}

    def facet_vocabulary(self, facet: str) -> list[str]:
        if facet not in self._values:
            raw = self.raw.get(facet) or self.engine._values(facet)
            self._values[facet] = sorted(results.merged_counts(raw, self.aliases.get(facet, {})))
        return self._values[facet]

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        if self._roles is None:
            self._roles = self.engine._actor_roles(self.aliases["actor"])
        return self._roles

    def doc_frequency(self, term: str) -> int:
        return self.engine.doc_frequency(term)

    def terms_near(self, term: str, max_edits: int) -> list[str]:
        return self.engine.terms_near(term, max_edits)

    def texts_with(self, term: str, limit: int) -> list[str]:
        return self.engine.texts_with(term, limit)


class OpenSearchEngine:
    """The search API over one alias of one cluster. Thread-safe (the client is)."""

    def __init__(self, url: str | None = None, alias: str | None = None):
        self.url = cluster_url(url)
        self.alias = alias_name(alias)
        self.client = connect(self.url)
        self._view: View | None = None
        self._lock = threading.Lock()

    def view(self) -> View:
        """The index's view, reread after VIEW_SECONDS or when the alias points at another build."""
        current = self._view
        if current is not None and time.monotonic() - current.read_at < VIEW_SECONDS:
            return current
        generation = self._generation()
        with self._lock:
            if self._view is None or self._view.generation != generation or self._view is current:
                self._view = View(self, generation)
            return self._view

    # -- search -----------------------------------------------------------------------------------------

    def search(self, params: SearchParams) -> Results:
        """First without subtracting near-duplicates from the counts; when the matches hold groups of several
        versions, again subtracting just those groups (subtracting any group beside every count would build more
        buckets than a cluster allows over a large archive)."""
        prepared = self._prepared(params)
        answer = self._run(prepared.request, prepared.search_type)
        return self._results(prepared, self._once(prepared, answer, prepared.request["query"], prepared.search_type))

    def _once(self, prepared: Prepared, answer: dict, query: dict, search_type: str) -> dict:
        """`answer` (to `query` without subtracting), with counts that count each near-duplicate group once: when its
        matches hold groups of several versions, the counts of a second request subtracting just those groups (its
        hits are the first's; a cut second request cuts the answer)."""
        params = prepared.params
        if params.every_version or not q.shares_versions(answer):
            return answer
        body = q.search_body(params, query, prepared.view.aliases, groups=q.shared_groups(answer))
        counts = self._run(q.counts_only(q.timed(body, prepared.budget.left())), search_type)
        cut = {flag: answer.get(flag) or counts.get(flag) for flag in ("timed_out", "terminated_early")}
        return {**answer, **cut, "aggregations": counts["aggregations"]}

    def _prepared(self, params: SearchParams) -> Prepared:
        """The search without subtracting near-duplicates from its counts (`_once` asks for that when needed)."""
        check(params)
        budget = querycost.Budget()
        view = self.view()
        found = plan(params.query, view.acronyms)
        tree = q.to_dsl(found.tree) if found.tree is not None else None
        body = q.search_body(params, tree, view.aliases, subtract=False)
        return Prepared(params, found, view, budget, q.timed(body, budget.left()), q.search_type(found.tree))

    def _results(self, prepared: Prepared, answer: dict) -> Results:
        """The Results of a prepared search from the cluster's answer to its request (and the relaxed tree's)."""
        params, found, view, budget = prepared.params, prepared.found, prepared.view, prepared.budget
        _mark_cut(answer, budget)
        answer, matched, relaxed = self._relaxed(prepared, answer)
        words = highlight_terms(found)
        aggs = answer["aggregations"]
        return Results(
            query=params.query,
            total=q.collapsed_total(answer),
            page=params.page,
            per_page=params.per_page,
            hits=self._with_versions(
                results.hit(stored_fields(raw["_source"]), raw.get("_score") or 0.0, words, view.aliases)
                for raw in answer["hits"]["hits"]
            ),
            facets={facet: self._facet(params, facet, aggs, view) for facet in params.counted_facets()},
            suggestion=suggest.suggestion(view, params.query, matched, budget) if found.tree is not None and relaxed is None else None,
            note=budget.note(querytree.relaxed_note(*relaxed) if relaxed else found.note),
            relaxed=relaxed,
            histogram=_histogram(params, aggs),
        )

    def _relaxed(self, prepared: Prepared, answer: dict) -> tuple[dict, int, tuple | None]:
        """When every word together finds too few releases, the answer of the planner's relaxed tree, which ranks
        those with most of them (see search.querytree), if it finds more: (answer, matches, relaxed note data)."""
        params, found, budget = prepared.params, prepared.found, prepared.budget
        matched = answer["aggregations"][q.MATCHED]["doc_count"]
        if found.relaxed is None or matched >= querytree.RELAX_BELOW or budget.spent():
            return answer, matched, None
        query, search_type = q.to_dsl(found.relaxed), q.search_type(found.relaxed)
        body = q.search_body(params, query, prepared.view.aliases, subtract=False)
        loose = self._once(prepared, self._run(q.timed(body, budget.left()), search_type), query, search_type)
        _mark_cut(loose, budget)
        if loose["aggregations"][q.MATCHED]["doc_count"] <= matched:
            return answer, matched, None
        relaxed = (int((loose["hits"]["max_score"] or 0) // querytree.COORD), found.relaxable, matched)
        return loose, loose["aggregations"][q.MATCHED]["doc_count"], relaxed

    def _with_versions(self, hits) -> tuple[Hit, ...]:
        """The hits, each with the number of other releases in its near-duplicate group (one request a page)."""
        hits = tuple(hits)
        if not hits:
            return hits
        answer = self._run(q.group_sizes_body(sorted({hit.group for hit in hits})), "query_then_fetch")
        sizes = {b["key"]: b["doc_count"] for b in answer["aggregations"][q.GROUPS]["buckets"]}
        return tuple(dataclasses.replace(hit, versions=max(sizes.get(hit.group, 1) - 1, 0)) for hit in hits)

    def _facet(self, params: SearchParams, facet: str, aggs: dict, view: View):
        counts = q.bucket_counts(aggs[f"facet_{facet}"], "values")
        aliases = view.aliases.get(facet, {})
        counts = results.merged_counts(counts, aliases) if aliases else counts
        return results.facet_values(
            results.ordered_counts(counts), params.selected(facet), params.facet_limit,
            params.facet_filter.get(facet, ""), lambda value: counts.get(aliases.get(value, value), 0),
            view.labels.get(facet),
        )

    def _run(self, body: dict, search_type: str = "dfs_query_then_fetch") -> dict:
        return self._asked(lambda: self.client.search(
            index=self.alias, body=body, search_type=search_type, params={"allow_partial_search_results": "false"},
        ))

    def _ask_together(self, searches: list[tuple[dict, str]]) -> list[dict]:
        """The answers to several (body, search type) in one round trip (`_msearch`), each searched in parallel."""
        lines: list[dict] = []
        for body, search_type in searches:
            lines += [{"index": self.alias, "search_type": search_type, "allow_partial_search_results": False}, body]
        return self._asked(lambda: [_raised(item) for item in self.client.msearch(body=lines)["responses"]])

    def _asked(self, ask):
        """`ask()`, its errors as Depesche's, again when a node left while the search was on it."""
        with answers(self.url):
            for attempt in range(SHARD_RETRIES + 1):
                try:
                    return ask()
                except NotFoundError:
                    raise self._missing() from None
                except TransportError as error:
                    # a node left while this search was on it: the cluster answers again from the other copies
                    if attempt == SHARD_RETRIES or not _node_lost(error):
                        raise
                    time.sleep(0.2 * (attempt + 1))

    def _missing(self) -> IndexMissing:
        return IndexMissing(
            f"no index {self.alias!r} in the OpenSearch cluster at {self.url} "
            f"(build one with: depesche index SOURCE --engine opensearch --url {self.url})"
        )

    def _generation(self) -> str:
        with answers(self.url):
            try:
                return sorted(self.client.indices.get_alias(name=self.alias))[0]
            except NotFoundError:
                raise self._missing() from None

    # -- single documents and facts ---------------------------------------------------------------------

    def document(self, doc_id: str, query: str = "") -> dict:
        """A stored release with its metadata, and its title, lead and paragraphs highlighted for `query`."""
        answer = self._run({"query": {"ids": {"values": [doc_id]}}, "size": 1}, "query_then_fetch")
        hits = answer["hits"]["hits"]
        if not hits:
            raise DocumentNotFound(f"Keine Meldung mit der Kennung {doc_id!r}.")
        view = self.view()
        return results.document(stored_fields(hits[0]["_source"]), highlight_terms(plan(query, view.acronyms)), view.aliases)

    def similar(self, doc_id: str, limit: int = similar.SIMILAR) -> tuple[Hit, ...]:
        """More like this: OpenSearch's `more_like_this` query on the release's word fields, ranked with the shared
        actors and topics (`search.similar`)."""
        own = self._hits(self._own(doc_id))[0]
        answer = self._run(q.similar_body(doc_id, similar.CANDIDATES, similar.KEY_TERMS), "dfs_query_then_fetch")
        found = answer["hits"]["hits"]
        return similar.ranked(own, zip(self._hits(found), (raw.get("_score") or 0.0 for raw in found)), limit)

    def versions(self, doc_id: str) -> tuple[Hit, ...]:
        own = self._own(doc_id)[0]
        group = own["_source"].get(q.GROUP_FIELD) or doc_id
        return self._with_versions(self._hits(self._run(q.versions_body(group, doc_id, 1000), "query_then_fetch")["hits"]["hits"]))

    def _own(self, doc_id: str) -> list[dict]:
        hits = self._run({"query": {"ids": {"values": [doc_id]}}, "size": 1, "_source": {"includes": list(STORED)}},
                         "query_then_fetch")["hits"]["hits"]
        if not hits:
            raise DocumentNotFound(f"Keine Meldung mit der Kennung {doc_id!r}.")
        return hits

    def _hits(self, raw_hits: list[dict]) -> list[Hit]:
        aliases = self.view().aliases
        return [results.hit(stored_fields(raw["_source"]), 0.0, set(), aliases) for raw in raw_hits]

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        """Each actor's roles across the index, most frequent first (for the hint beside an actor facet value);
        asked of the cluster once per view, not on every page."""
        return self.view().actor_roles()

    def _actor_roles(self, aliases: dict[str, str]) -> dict[str, tuple[str, ...]]:
        answer = self._run(
            {"size": 0, "aggs": {"pairs": {"terms": {"field": "actor_role", "size": ACTOR_ROLE_BUCKETS}}}},
            "query_then_fetch",
        )
        buckets = sorted(answer["aggregations"]["pairs"]["buckets"], key=lambda b: b["key"].encode("utf-8"))
        # in the order of the index's terms, as the Whoosh engine reads them: equal counts keep that order
        triples = ((*b["key"].partition(ACTOR_ROLE_SEPARATOR)[::2], b["doc_count"]) for b in buckets)
        return results.roles_by_actor(triples, aliases)

    def last_arrival(self) -> int:
        """The latest arrival of a live release (`search.arrival`); 0 for none (or an index from before them).

        While an indexing run holds the writer lock, the releases of its update may be visible in part (a bulk
        load is not one atomic step), so the latest arrival then is the one before: alerts take the run's
        releases on their next run rather than lose those not yet visible."""
        last = self._max_arrival()
        with answers(self.url):
            writing = last and self.client.exists(index=LOCK_INDEX, id=self.alias)
        return self._max_arrival(below=last) if writing else last

    def _max_arrival(self, below: int | None = None) -> int:
        query = {"range": {ARRIVED_FIELD: {"lt": below}}} if below is not None else {"match_all": {}}
        body = {"size": 0, "query": query, "aggs": {"last": {"max": {"field": ARRIVED_FIELD}}}}
        return int(self._run(body, "query_then_fetch")["aggregations"]["last"]["value"] or 0)

    def actor_facts(self, name: str):
        """A person's roles with their periods and releases per month (`search.actor_profile`), or None."""
        run = lambda body: self._run(body, "query_then_fetch")  # noqa: E731
        return actor_facts.actor_facts(name, self.view().aliases.get("actor", {}), run)

    def actor_page(self, name: str, releases: Callable[[tuple[str, ...]], SearchParams]):
        """(ActorFacts, Results of `releases(spellings)`) or None: the two requests in one round trip, as the
        spellings are known before either (the view's aliases); a second only when the person's releases hold
        near-duplicates, whose extra versions the search's counts then subtract."""
        aliases = self.view().aliases.get("actor", {})
        name, names = actor_facts.person(name, aliases)
        prepared = self._prepared(releases(names))
        counted, found = self._ask_together(
            [(actor_facts.request_body(names), "query_then_fetch"), (prepared.request, prepared.search_type)]
        )
        facts = actor_facts.facts_of(counted, name, names, aliases)
        if facts is None:
            return None
        return facts, self._results(prepared, self._once(prepared, found, prepared.request["query"], prepared.search_type))

    def stats(self) -> dict:
        view = self.view()
        concrete = self._generation()
        with answers(self.url):
            try:
                meta = self.client.indices.get_mapping(index=concrete)[concrete]["mappings"].get("_meta", {})
            except NotFoundError:
                raise self._missing() from None
        answer = self._run(
            {"size": 0, "track_total_hits": True,
             "aggs": {f: {"cardinality": {"field": f, "precision_threshold": 40000}} for f in FACET_FIELDS}},
            "query_then_fetch",
        )
        info = meta.get("build", {})
        return {
            "documents": answer["hits"]["total"]["value"],
            "generation": concrete,
            "built": info.get("built"),
            "build_seconds": info.get("seconds"),
            "fields": {  # values as filed: partial names counted under the full one
                f: answer["aggregations"][f]["value"] - len(view.aliases.get(f, {})) for f in FACET_FIELDS
            },
        }

    # -- the vocabulary (see `search.engines`): what did-you-mean reads ------------------------------------

    def doc_frequency(self, term: str) -> int:
        aggs = {name: {"filter": {"term": {term_field(name): term}}} for name in TEXT_FIELDS}
        answer = self._run({"size": 0, "aggs": aggs}, "query_then_fetch")
        return max(answer["aggregations"][name]["doc_count"] for name in TEXT_FIELDS)

    def terms_near(self, term: str, max_edits: int) -> list[str]:
        """The term suggester's candidates in the title and body word fields (same first letter, `max_edits`)."""
        options = {
            "suggest_mode": "always", "max_edits": max(1, min(max_edits, 2)), "prefix_length": 1, "min_word_length": 4,
            "size": SUGGEST_CANDIDATES, "max_inspections": 20, "max_term_freq": 1e9, "string_distance": "damerau_levenshtein",
        }
        body = {"size": 0, "suggest": {name: {"text": term, "term": {"field": term_field(name), **options}} for name in ("title", "body")}}
        answer = self._run(body, "query_then_fetch")
        return [option["text"] for entry in answer.get("suggest", {}).values() for part in entry for option in part["options"]]

    def texts_with(self, term: str, limit: int) -> list[str]:
        query = {"bool": {"should": [{"term": {term_field(name): term}} for name in TEXT_FIELDS]}}
        answer = self._run({"query": query, "size": limit, "_source": list(TEXT_FIELDS)}, "query_then_fetch")
        return [hit["_source"].get(name) or "" for hit in answer["hits"]["hits"] for name in TEXT_FIELDS]

    def facet_vocabulary(self, facet: str) -> list[str]:
        return self.view().facet_vocabulary(facet)

    def _values(self, facet: str) -> dict[str, int]:
        """Every value of a facet as indexed, with its releases."""
        answer = self._run(
            {"size": 0, "aggs": {"values": {"terms": {"field": facet, "size": VOCABULARY_BUCKETS}}}}, "query_then_fetch"
        )
        return {b["key"]: b["doc_count"] for b in answer["aggregations"]["values"]["buckets"]}


@dataclasses.dataclass(frozen=True)
class Prepared:
    """A search ready to send: its request with the cost limits, and what reading its answer needs."""

    params: SearchParams
    found: querytree.QueryPlan
    view: View
    budget: querycost.Budget
    request: dict
    search_type: str


def _mark_cut(answer: dict, budget: querycost.Budget) -> None:
    """An answer the cluster cut short (its time or its match limit was up) marks the budget cut."""
    if answer.get("timed_out") or answer.get("terminated_early"):
        budget.cut = True


def _raised(item: dict) -> dict:
    """One answer of an `_msearch`, or its error raised as the single search would raise it."""
    if "error" not in item:
        return item
    status, error = item.get("status", 500), item["error"]
    kind = error.get("type", "error") if isinstance(error, dict) else str(error)
    raise HTTP_EXCEPTIONS.get(status, TransportError)(status, kind, item)


def _node_lost(error: TransportError) -> bool:
    return isinstance(error.status_code, int) and error.status_code >= 500 and any(
        marker in str(error.info) or marker in str(error.error) for marker in NODE_LOST
    )


def _histogram(params: SearchParams, aggs: dict) -> tuple[tuple[str, int], ...]:
    months = {}
    if "timeline_months" in aggs:
        months = {(int(key) // 100) % 100: count for key, count in q.bucket_counts(aggs["timeline_months"], "months").items()}
    years = q.bucket_counts(aggs["timeline_years"], "years") if "timeline_years" in aggs else {}
    return results.histogram(params, years, months)
