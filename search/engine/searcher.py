"""Answering searches from the live index.

Vocabulary:
- Snapshot: one open Whoosh searcher over one state of the index, with what is derived from it once (facet
  tables, the date of every document, the live documents). Reopened when the index changes, so a running server
  sees a finished reindex without a restart; a request in flight keeps the snapshot it started with.
- mask: see `facets`. A search is: the query's matches as a mask, each active filter as a mask, facet counts from
  the masks, then one page of hits in the requested order with highlighted snippets.
- caches, all per snapshot (so never stale): the decoded posting lists of recent terms (`facets.PostingCache`),
  the last answers (`CACHE_SIZE`, off with `WhooshEngine(root, cache=False)`), the newest/oldest order of all
  documents and the counts of everything (for browsing).
"""

from __future__ import annotations

import dataclasses
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from whoosh.query import Or, Term

from .. import actor_profile, queries, querycost, querytree, results, similar, suggest
from ..caches import LruCache
from ..errors import DocumentNotFound
from ..fields import ARRIVED_FIELD
from ..params import check, date_range, is_year
from ..model import ACTOR_ROLE_SEPARATOR, FACETS, FacetValue, Hit, Results, SearchParams
from . import actor_facts, query as query_syntax, store, whoosh_internals
from .collapse import Groups
from .facets import FacetTable, PostingCache, leaf_readers, query_mask
from .scoring import Ranker
from .schema import FACET_FIELDS, TEXT_FIELDS
from .writer import column_strings

RELAX_BELOW = querytree.RELAX_BELOW
CACHE_SIZE = 256  # answers kept per snapshot, for repeated queries (paging back, the same link twice)


class Snapshot:
    def __init__(self, generation: Path):
        self.generation = generation
        self.index = store.open_generation(generation)
        self.searcher = self.index.searcher()
        reader = self.searcher.reader()
        self.doc_count = reader.doc_count_all()
        self.segments = leaf_readers(self.searcher)
        for segment, _ in self.segments:  # open every file a search reads now, while the generation exists: a later
            if segment.doc_count_all():  # rebuild deletes it, and this snapshot must still answer the requests it has
                segment.stored_fields(0)
                for name in TEXT_FIELDS:
                    segment.doc_field_length(0, name)
        self.live = np.ones(self.doc_count, dtype=bool)
        for segment, offset in self.segments:
            if segment.has_deletions():
                self.live[np.fromiter(segment.deleted_docs_set, dtype=np.int64) + offset] = False
        self.datekeys = int_column(self.segments, "datekey") if self.doc_count else np.zeros(0, dtype=np.int64)
        self._arrivals: np.ndarray | None = None
        self._actor_roles: dict[str, tuple[str, ...]] | None = None
        self.tables = {
            field: FacetTable.from_searcher(self.searcher, field, self.doc_count, self.segments, merge=results.merge_rule(field))
            for field in FACET_FIELDS
        }
        self.aliases = {facet: self.tables[facet].aliases for facet in results.MERGED_FACETS}
        self.labels = results.facet_labels(
            self.aliases, {facet: self.tables[facet].alias_releases for facet in results.MERGED_FACETS}
        )
        self.acronyms = queries.archive_acronyms(self.labels)  # synonyms of this index state (see `queries`)
        self._order: dict[str, np.ndarray] = {}
        self._id_rank: np.ndarray | None = None
        self._groups: dict[bool, Groups] = {}
        self._collapsed_all: dict[str, np.ndarray] = {}  # facet -> counts of everything, a group once
        self.cache = LruCache(CACHE_SIZE)  # (params) -> Results; a snapshot never changes, so never stale
        self.postings = PostingCache(self.segments)
        self.ranker = Ranker(self.searcher, self.postings, self.live)

    def arrivals(self) -> np.ndarray:
        """Every document's arrival (`search.arrival`; 0 in an index built before them), read when first asked."""
        if self._arrivals is None:
            known = self.doc_count and ARRIVED_FIELD in self.searcher.schema.names()
            self._arrivals = int_column(self.segments, ARRIVED_FIELD) if known else np.zeros(self.doc_count, dtype=np.int64)
        return self._arrivals

    def order(self, sort: str) -> np.ndarray:
        """Every document in "newest" or "oldest" order: undated last, equal dates by id (as on every engine);
        sorted once per snapshot, when first asked for."""
        if sort not in self._order:
            undated_last = (self.datekeys <= 0).astype(np.int8)
            keys = -self.datekeys if sort == "newest" else self.datekeys
            self._order[sort] = np.lexsort((self.id_rank(), keys, undated_last))
        return self._order[sort]

    def id_rank(self) -> np.ndarray:
        """Each document's place in id order: how equal dates and equal scores are ordered, on every engine (the
        document numbers depend on which indexing worker wrote a release). Read once per snapshot, when first
        needed."""
        if self._id_rank is None:
            ids = np.array(column_strings(self.searcher, "id") if self.doc_count else [], dtype=str)
            rank = np.empty(self.doc_count, dtype=np.int64)
            rank[np.argsort(ids, kind="stable")] = np.arange(self.doc_count)  # code point order, as Python's
            self._id_rank = rank
        return self._id_rank

    def groups(self, collapse: bool = True) -> Groups:
        """The near-duplicate groups (see `collapse`), read once per snapshot; `collapse=False`: none."""
        if collapse not in self._groups:
            self._groups[collapse] = Groups(self.searcher, self.live, collapse)
        return self._groups[collapse]

    def counts(self, facet: str, mask: np.ndarray, groups: Groups) -> np.ndarray:
        """A facet's counts in `mask`, a group once; browsing everything is counted once per snapshot."""
        table = self.tables[facet]
        if mask is not self.live or not groups.any:
            return groups.counts(table, mask)
        if facet not in self._collapsed_all:
            self._collapsed_all[facet] = groups.counts(table, mask)
        return self._collapsed_all[facet]

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        if self._actor_roles is None:  # read from the lexicon once per snapshot: no stored document is opened
            fields = self.searcher.schema.names()  # an index built before role hints existed has none
            pairs = self.searcher.reader().iter_field("actor_role") if "actor_role" in fields else ()
            triples = (
                (*(term.decode("utf-8") if isinstance(term, bytes) else term).partition(ACTOR_ROLE_SEPARATOR)[::2],
                 info.doc_frequency())
                for term, info in pairs
            )
            self._actor_roles = results.roles_by_actor(triples, self.aliases["actor"])
        return self._actor_roles

    # -- the vocabulary (see `search.engines`): what did-you-mean reads ------------------------------------

    def doc_frequency(self, term: str) -> int:
        reader = self.searcher.reader()
        return max((reader.doc_frequency(field, term) for field in TEXT_FIELDS), default=0)

    def terms_near(self, term: str, max_edits: int):
        reader = self.searcher.reader()
        for field in ("title", "body"):
            for raw in reader.expand_prefix(field, term[0]):
                yield raw.decode("utf-8") if isinstance(raw, bytes) else raw

    def texts_with(self, term: str, limit: int) -> list[str]:
        found = self.searcher.search(Or([Term(field, term) for field in TEXT_FIELDS]), limit=limit)
        return [hit.get(field) or "" for hit in found for field in TEXT_FIELDS]

    def facet_vocabulary(self, facet: str) -> list[str]:
        return self.tables[facet].values

    def is_current(self, generation: Path) -> bool:
        return generation == self.generation and self.searcher.up_to_date()

    def close(self):
        if not self.searcher.is_closed:
            self.searcher.close()

    def __del__(self):  # the last request holding a replaced snapshot is done: close its files
        try:
            self.close()
        except Exception:
            pass


@dataclass
class Matches:
    query: object  # the Whoosh query, or None for "everything"
    note: str | None
    words: set[str]
    base: np.ndarray  # the query's matches among live documents
    filters: dict[str, np.ndarray]  # facet or "date" -> mask of the documents the filter lets through
    relaxed: tuple[int, int, int] | None = None  # when relaxed: (words the best match has, words asked, releases with all)


class WhooshEngine:
    """The search API over one index root. Thread-safe; keeps one searcher open and reopens it on change."""

    def __init__(self, root: Path, cache: bool = True):
        self.root = Path(root)
        self.cache = cache  # False: every search is computed (the benchmark measures that)
        self._lock = threading.Lock()
        self._snapshot: Snapshot | None = None

    def snapshot(self) -> Snapshot:
        generation = store.current_generation(self.root)
        with self._lock:
            if self._snapshot is None or not self._snapshot.is_current(generation):
                self._snapshot = Snapshot(generation)  # the old one closes when its last request drops it
            return self._snapshot

    # -- search -----------------------------------------------------------------------------------------

    def search(self, params: SearchParams) -> Results:
        check(params)
        snap = self.snapshot()
        if not self.cache:
            return self._search(snap, params)
        key = _cache_key(params)
        cached = snap.cache.get(key)
        if cached is None:
            budget = querycost.Budget()
            cached = self._search(snap, params, budget)
            if not budget.cut:  # a cut answer is not kept: the same search may fit another time
                snap.cache.put(key, cached)
        return cached

    def _search(self, snap: Snapshot, params: SearchParams, budget: querycost.Budget | None = None) -> Results:
        budget = budget or querycost.Budget()
        matches = self._matches(snap, params, budget)
        everything = _and(matches.base, *matches.filters.values())
        groups = snap.groups(not params.every_version)
        facets = self._facets(snap, params, matches, groups)
        docnums = self._ordered(snap, params, matches, everything, groups)
        hits = tuple(self._hit(snap, int(docnum), score, matches.words) for docnum, score in docnums)
        return Results(
            query=params.query,
            total=groups.total(everything),
            page=params.page,
            per_page=params.per_page,
            hits=hits,
            facets=facets,
            suggestion=(
                suggest.suggestion(snap, params.query, int(matches.base.sum()), budget)
                if matches.query is not None and matches.relaxed is None else None
            ),
            note=budget.note(querytree.relaxed_note(*matches.relaxed) if matches.relaxed else matches.note),
            relaxed=matches.relaxed,
            histogram=self._histogram(snap, params, matches, groups),
        )

    def _matches(self, snap: Snapshot, params: SearchParams, budget: querycost.Budget) -> Matches:
        plan = queries.plan(params.query, snap.acronyms)
        parsed, note, relaxed = None, plan.note, None
        if plan.tree is None:
            base = snap.live.copy()
        else:
            other = snap.ranker.matches_of if snap.ranker.supported else None
            parsed = query_syntax.to_whoosh(plan.tree)
            base = query_mask(snap.searcher, snap.postings, parsed, snap.live, other)
            if plan.relaxed is not None and base.sum() < RELAX_BELOW and not budget.spent():
                # too few releases have every word: rank those with most of them (see search.querytree)
                loose = query_syntax.to_whoosh(plan.relaxed)
                mask, scores = snap.ranker.dense(loose) if snap.ranker.supported else (None, None)
                if mask is not None and mask.sum() > base.sum():
                    complete = int(base.sum())
                    parsed, base = loose, mask
                    relaxed = (int(scores[mask].max() // querytree.COORD), plan.relaxable, complete)
        filters = {
            facet: snap.tables[facet].mask_for(params.selected(facet))
            for facet in FACETS
            if params.selected(facet)
        }
        dates = date_range(params)
        if dates:
            low, high, partial = dates
            keys = snap.datekeys
            filters["date"] = (((keys >= low) & (keys <= high)) | np.isin(keys, partial)) & (keys > 0)
        if params.arrived:
            after, until = params.arrived
            filters[ARRIVED_FIELD] = (snap.arrivals() > after) & (snap.arrivals() <= until)
        return Matches(parsed, note, queries.highlight_terms(plan), base, filters, relaxed)

    def _facets(
        self, snap: Snapshot, params: SearchParams, matches: Matches, groups: Groups
    ) -> dict[str, tuple[FacetValue, ...]]:
        facets = {}
        everything = _and(matches.base, *matches.filters.values())
        if matches.query is None and not matches.filters:
            everything = snap.live  # browsing: the counts of everything are counted once per snapshot
            for table in snap.tables.values():
                table.counts_of_all(snap.live)
        for facet in params.counted_facets():
            if facet in matches.filters:  # a facet's counts ignore its own selection
                mask = _and(matches.base, *[m for name, m in matches.filters.items() if name != facet])
            else:
                mask = everything
            table = snap.tables[facet]
            counts = snap.counts(facet, mask, groups)
            facets[facet] = results.facet_values(
                _by_count(table, counts), params.selected(facet), params.facet_limit, params.facet_filter.get(facet, ""),
                lambda value: _count_of(table, counts, value), snap.labels.get(facet),
            )
        return facets

    def _histogram(
        self, snap: Snapshot, params: SearchParams, matches: Matches, groups: Groups
    ) -> tuple[tuple[str, int], ...]:
        """Matches per year; per month (YYYY-MM) when exactly one year is selected."""
        years = params.selected("year")
        months: dict[int, int] = {}
        if len(years) == 1 and is_year(years[0]):
            keys = snap.datekeys[groups.one_each(_and(matches.base, *matches.filters.values()))]
            counts = np.bincount((keys[(keys // 10000) == int(years[0])] // 100) % 100, minlength=13)
            months = {month: int(counts[month]) for month in range(1, 13)}
            return results.histogram(params, {}, months)
        others = [mask for name, mask in matches.filters.items() if name != "year"]
        table = snap.tables["year"]
        counts = snap.counts("year", _and(matches.base, *others) if matches.query is not None or others else snap.live, groups)
        return results.histogram(params, dict(zip(table.values, counts.tolist())), months)

    def _ordered(self, snap: Snapshot, params: SearchParams, matches: Matches, everything: np.ndarray, groups: Groups):
        """The page's (docnum, score) pairs in the requested order, a near-duplicate group once (its best)."""
        start = (params.page - 1) * params.per_page
        end = start + params.per_page
        sort = params.sort if matches.query is not None else ("newest" if params.sort == "relevance" else params.sort)
        if sort == "relevance":
            if not everything.any():
                return []
            limit = end + groups.extra(everything)  # collapsing drops at most that many
            if snap.ranker.supported:  # Whoosh's BM25F scores, computed over posting arrays (see scoring)
                ranked = snap.ranker.top(matches.query, everything, limit, ties=snap.id_rank)
            else:
                allowed = _MaskFilter(everything) if matches.filters else None
                ranked = [(d, float(s)) for s, d in snap.searcher.search(matches.query, limit=limit, filter=allowed).top_n]
            scores = dict(ranked)
            kept = groups.first_each(np.array([docnum for docnum, _ in ranked], dtype=np.int64))
            return [(int(docnum), scores[int(docnum)]) for docnum in kept[start:end]]
        order = snap.order(sort)
        return [(int(docnum), 0.0) for docnum in groups.first_each(order[np.flatnonzero(everything[order])])[start:end]]

    def _hit(self, snap: Snapshot, docnum: int, score: float, words: set[str]) -> Hit:
        hit = results.hit(snap.searcher.stored_fields(docnum), score, words, snap.aliases)
        return dataclasses.replace(hit, versions=snap.groups().versions(docnum))

    # -- single documents and facts ---------------------------------------------------------------------

    def document(self, doc_id: str, query: str = "") -> dict:
        """A stored release with its metadata, and its title, lead and paragraphs highlighted for `query`."""
        snap = self.snapshot()
        fields = snap.searcher.document(id=doc_id)
        if fields is None:
            raise DocumentNotFound(f"Keine Meldung mit der Kennung {doc_id!r}.")
        return results.document(fields, queries.highlight_terms(queries.plan(query, snap.acronyms)), snap.aliases)

    def similar(self, doc_id: str, limit: int = similar.SIMILAR) -> tuple[Hit, ...]:
        """More like this: the release's key terms per text field (Whoosh's Bo1 model over its stored text), scored
        with BM25F over the archive, ranked with the shared actors and topics (`search.similar`)."""
        snap = self.snapshot()
        docnum = self._docnum(snap, doc_id)
        stored = snap.searcher.stored_fields(docnum)
        terms = [
            Term(name, term, boost=weight)
            for name in TEXT_FIELDS
            if stored.get(name)
            for term, weight in snap.searcher.key_terms_from_text(name, stored[name], numterms=similar.KEY_TERMS)
            if term[:1].isalnum()  # words, not the marked kinds (parts, families, name keys)
        ]
        allowed = snap.live.copy()
        allowed[docnum] = False
        if not terms or not allowed.any():
            return ()
        found = snap.ranker.top(Or(terms), allowed, similar.CANDIDATES, ties=snap.id_rank)
        candidates = [(self._hit(snap, number, 0.0, set()), score) for number, score in found]
        return similar.ranked(self._hit(snap, docnum, 0.0, set()), candidates, limit)

    def versions(self, doc_id: str) -> tuple[Hit, ...]:
        snap = self.snapshot()
        members = snap.groups().members(self._docnum(snap, doc_id), snap.live)
        return tuple(sorted((self._hit(snap, int(number), 0.0, set()) for number in members), key=lambda hit: hit.id))

    @staticmethod
    def _docnum(snap: Snapshot, doc_id: str) -> int:
        docnum = snap.searcher.document_number(id=doc_id)
        if docnum is None or not snap.live[docnum]:
            raise DocumentNotFound(f"Keine Meldung mit der Kennung {doc_id!r}.")
        return docnum

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        """Each actor's roles across the index, most frequent first (for the hint beside an actor facet value)."""
        return self.snapshot().actor_roles()

    def last_arrival(self) -> int:
        """The latest arrival of a live release (`search.arrival`); 0 for none."""
        snap = self.snapshot()
        arrivals = snap.arrivals()[snap.live]
        return int(arrivals.max()) if arrivals.size else 0

    def actor_facts(self, name: str):
        """A person's roles with their periods and releases per month (`search.actor_profile`), or None."""
        return actor_facts.actor_facts(self.snapshot(), name)

    def actor_page(self, name: str, releases):
        """The person's ActorFacts and the Results of `releases(spellings)` (two in-process calls), or None."""
        return actor_profile.facts_then_releases(self, name, releases)

    def stats(self) -> dict:
        snap = self.snapshot()
        info = store.read_build_info(snap.generation)
        return {
            "documents": int(snap.live.sum()),
            "generation": snap.generation.name,
            "built": info.get("built"),
            "build_seconds": info.get("seconds"),
            "fields": {
                facet: len([v for v in snap.tables[facet].counts(snap.live) if v > 0]) for facet in FACET_FIELDS
            },
        }


    # the vocabulary of the live snapshot (see `search.engines`)

    def doc_frequency(self, term: str) -> int:
        return self.snapshot().doc_frequency(term)

    def terms_near(self, term: str, max_edits: int):
        return self.snapshot().terms_near(term, max_edits)

    def texts_with(self, term: str, limit: int) -> list[str]:
        return self.snapshot().texts_with(term, limit)

    def facet_vocabulary(self, facet: str) -> list[str]:
        return self.snapshot().facet_vocabulary(facet)


def _by_count(table: FacetTable, counts: np.ndarray):
    """(value, count) of the values with a count, by count and then by value case-insensitively (`results`)."""
    present = np.flatnonzero(counts)
    for number in present[np.lexsort((table.rank[present], -counts[present]))].tolist():
        yield table.values[number], int(counts[number])


def _count_of(table: FacetTable, counts: np.ndarray, value: str) -> int:
    number = table.index.get(table.aliases.get(value, value))
    return int(counts[number]) if number is not None else 0


def int_column(segments, name: str) -> np.ndarray:
    """Every document's value of an int column (`datekey`, `arrived`), each segment's column read in one piece."""
    parts = []
    for segment, _ in segments:
        values = whoosh_internals.fixed_column(segment, name)
        parts.append(values)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def _and(first: np.ndarray, *others: np.ndarray) -> np.ndarray:
    result = first.copy()
    for mask in others:
        result &= mask
    return result


class _MaskFilter(set):
    """A mask that Whoosh accepts as a search filter (it wants a set) without building a set of every match."""

    def __init__(self, mask: np.ndarray):
        super().__init__()
        self._bits = mask.view(np.uint8).tobytes()

    def __contains__(self, docnum) -> bool:
        return docnum < len(self._bits) and self._bits[docnum] == 1

    def __bool__(self) -> bool:
        return True


def _cache_key(params: SearchParams) -> tuple:
    # every field, including any added later (equal params in another order only miss), and the synonym table the
    # answer was planned with: an edited synonyms.toml changes answers without changing the index
    path = queries.SYNONYMS_PATH
    return repr(params), str(path), os.path.getmtime(path)

