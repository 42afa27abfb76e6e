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

import json
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .. import querytree, request
from ..errors import DocumentNotFound
from ..extract import canonical_names
from ..model import ACTOR_ROLE_SEPARATOR, FACETS, NO_YEAR, FacetValue, Hit, Results, SearchParams
from . import highlight, query as query_syntax, store, suggest
from .facets import FacetTable, PostingCache, leaf_readers, query_mask, top_values
from .scoring import Ranker
from .schema import FACET_FIELDS, TEXT_FIELDS
PERSON_FACETS = ("actor", "speaker")  # values naming people: partial names are filed under the full one

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
        self.datekeys = _datekeys(self.segments) if self.doc_count else np.zeros(0, dtype=np.int64)
        self._actor_roles: dict[str, tuple[str, ...]] | None = None
        self.tables = {
            field: FacetTable.from_searcher(
                self.searcher, field, self.doc_count, self.segments, merge=canonical_names if field in PERSON_FACETS else None
            )
            for field in FACET_FIELDS
        }
        # documents in "newest" and "oldest" order (undated last, ties by document number), sorted once
        docnums = np.arange(self.doc_count)
        undated_last = (self.datekeys <= 0).astype(np.int8)
        self.order = {
            "newest": np.lexsort((docnums, -self.datekeys, undated_last)),
            "oldest": np.lexsort((docnums, self.datekeys, undated_last)),
        }
        self.analyzer = self.index.schema["body"].analyzer
        self.cache = _LRU(CACHE_SIZE)  # (params) -> Results; a snapshot never changes, so never stale
        self.postings = PostingCache(self.segments)
        self.ranker = Ranker(self.searcher, self.postings, self.live)

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        if self._actor_roles is None:  # read from the lexicon once per snapshot: no stored document is opened
            seen: dict[str, Counter] = {}
            aliases = self.tables["actor"].aliases
            fields = self.searcher.schema.names()  # an index built before role hints existed has none
            pairs = self.searcher.reader().iter_field("actor_role") if "actor_role" in fields else ()
            for term, info in pairs:
                name, _, role = (term.decode("utf-8") if isinstance(term, bytes) else term).partition(ACTOR_ROLE_SEPARATOR)
                seen.setdefault(aliases.get(name, name), Counter())[role] += info.doc_frequency()
            self._actor_roles = {name: tuple(role for role, _ in roles.most_common()) for name, roles in seen.items()}
        return self._actor_roles

    def canonical_meta(self, meta: dict) -> dict:
        """A release's metadata with partial names replaced by the full names the facets file them under."""
        actors, speakers = self.tables["actor"].aliases, self.tables["speaker"].aliases
        for actor in meta.get("actors") or ():
            actor["name"] = actors.get(actor.get("name"), actor.get("name"))
        meta["speakers"] = list(dict.fromkeys(speakers.get(s, s) for s in meta.get("speakers") or ()))
        return meta

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
    relaxed: tuple[int, int] | None = None  # (words the best match has, words asked for) when relaxed


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
        request.check(params)
        snap = self.snapshot()
        if not self.cache:
            return self._search(snap, params)
        key = _cache_key(params)
        cached = snap.cache.get(key)
        if cached is None:
            cached = self._search(snap, params)
            snap.cache.put(key, cached)
        return cached

    def _search(self, snap: Snapshot, params: SearchParams) -> Results:
        matches = self._matches(snap, params)
        everything = _and(matches.base, *matches.filters.values())
        facets = self._facets(snap, params, matches)
        docnums = self._ordered(snap, params, matches, everything)
        hits = tuple(self._hit(snap, int(docnum), score, matches.words) for docnum, score in docnums)
        return Results(
            query=params.query,
            total=int(everything.sum()),
            page=params.page,
            per_page=params.per_page,
            hits=hits,
            facets=facets,
            suggestion=(
                suggest.suggestion(snap, params.query, int(matches.base.sum()))
                if matches.query is not None and matches.relaxed is None else None
            ),
            note=querytree.relaxed_note(*matches.relaxed) if matches.relaxed else matches.note,
            relaxed=matches.relaxed,
            histogram=self._histogram(snap, params, matches),
        )

    def _matches(self, snap: Snapshot, params: SearchParams) -> Matches:
        plan = query_syntax.plan(params.query)
        parsed, note, relaxed = None, plan.note, None
        if plan.tree is None:
            base = snap.live.copy()
        else:
            other = snap.ranker.matches_of if snap.ranker.supported else None
            parsed = query_syntax.to_whoosh(plan.tree)
            base = query_mask(snap.searcher, snap.postings, parsed, snap.live, other)
            if plan.relaxed is not None and base.sum() < RELAX_BELOW:
                # too few releases have every word: rank those with most of them (see search.querytree)
                loose = query_syntax.to_whoosh(plan.relaxed)
                mask, scores = snap.ranker.dense(loose) if snap.ranker.supported else (None, None)
                if mask is not None and mask.sum() > base.sum():
                    parsed, base = loose, mask
                    relaxed = (int(scores[mask].max() // querytree.COORD), plan.relaxable)
        filters = {
            facet: snap.tables[facet].mask_for(params.selected(facet))
            for facet in FACETS
            if params.selected(facet)
        }
        dates = request.date_range(params)
        if dates:
            low, high, partial = dates
            keys = snap.datekeys
            filters["date"] = (((keys >= low) & (keys <= high)) | np.isin(keys, partial)) & (keys > 0)
        return Matches(parsed, note, query_syntax.highlight_terms(plan), base, filters, relaxed)

    def _facets(self, snap: Snapshot, params: SearchParams, matches: Matches) -> dict[str, tuple[FacetValue, ...]]:
        facets = {}
        everything = _and(matches.base, *matches.filters.values())
        if matches.query is None and not matches.filters:
            everything = snap.live  # browsing: the counts of everything are counted once per snapshot
            for table in snap.tables.values():
                table.counts_of_all(snap.live)
        for facet in FACETS:
            if facet in matches.filters:  # a facet's counts ignore its own selection
                mask = _and(matches.base, *[m for name, m in matches.filters.items() if name != facet])
            else:
                mask = everything
            table = snap.tables[facet]
            rows = top_values(
                table, table.counts(mask), params.selected(facet), params.facet_limit, params.facet_filter.get(facet, "")
            )
            facets[facet] = tuple(FacetValue(value, count, selected) for value, count, selected in rows)
        return facets

    def _histogram(self, snap: Snapshot, params: SearchParams, matches: Matches) -> tuple[tuple[str, int], ...]:
        """Matches per year; per month (YYYY-MM) when exactly one year is selected."""
        years = params.selected("year")
        if len(years) == 1 and years[0].isdigit():
            mask = _and(matches.base, *matches.filters.values())
            keys = snap.datekeys[mask]
            months = (keys[(keys // 10000) == int(years[0])] // 100) % 100
            counts = np.bincount(months, minlength=13)
            return tuple((f"{years[0]}-{month:02d}", int(counts[month])) for month in range(1, 13))
        others = [mask for name, mask in matches.filters.items() if name != "year"]
        table = snap.tables["year"]
        counts = table.counts(_and(matches.base, *others) if matches.query is not None or others else snap.live)
        rows = [(table.values[v], int(counts[v])) for v in range(len(table.values)) if table.values[v] != NO_YEAR]
        return tuple(sorted(rows))

    def _ordered(self, snap: Snapshot, params: SearchParams, matches: Matches, everything: np.ndarray):
        """The page's (docnum, score) pairs in the requested order."""
        start = (params.page - 1) * params.per_page
        end = start + params.per_page
        sort = params.sort if matches.query is not None else ("newest" if params.sort == "relevance" else params.sort)
        if sort == "relevance":
            if not everything.any():
                return []
            if snap.ranker.supported:  # Whoosh's BM25F scores, computed over posting arrays (see scoring)
                return snap.ranker.top(matches.query, everything, end)[start:end]
            allowed = _MaskFilter(everything) if matches.filters else None
            results = snap.searcher.search(matches.query, limit=end, filter=allowed)
            return [(docnum, float(score)) for score, docnum in results.top_n[start:end]]
        order = snap.order[sort]
        return [(int(docnum), 0.0) for docnum in order[np.flatnonzero(everything[order])[start:end]]]

    def _hit(self, snap: Snapshot, docnum: int, score: float, words: set[str]) -> Hit:
        fields = snap.searcher.stored_fields(docnum)
        text = "\n".join(filter(None, (fields.get("lead", ""), fields.get("body", ""))))
        year = fields.get("year", "")
        return Hit(
            id=fields["id"],
            title=fields.get("title", ""),
            date=fields.get("date") or None,
            year=int(year) if year.isdigit() else None,
            score=round(score, 4),
            actors=tuple(dict.fromkeys(snap.tables["actor"].aliases.get(a, a) for a in _split(fields.get("actor")))),
            roles=_split(fields.get("role")),
            topics=_split(fields.get("topic")),
            countries=_split(fields.get("country")),
            organisations=_split(fields.get("organisation")),
            snippet=highlight.snippet(text, words, snap.analyzer),
            source=fields.get("source", ""),
        )

    # -- single documents and facts ---------------------------------------------------------------------

    def document(self, doc_id: str, query: str = "") -> dict:
        """A stored release with its metadata, and its title, lead and paragraphs highlighted for `query`."""
        snap = self.snapshot()
        fields = snap.searcher.document(id=doc_id)
        if fields is None:
            raise DocumentNotFound(f"Keine Meldung mit der Kennung {doc_id!r}.")
        words = query_syntax.highlight_terms(query_syntax.plan(query))
        mark = lambda text: highlight.mark_all(text, words, snap.analyzer)  # noqa: E731
        return {
            **fields,
            "meta": snap.canonical_meta(json.loads(fields.get("meta") or "{}")),
            "title_html": mark(fields.get("title", "")),
            "lead_html": mark(fields.get("lead", "")),
            "paragraphs_html": [mark(p) for p in fields.get("body", "").split("\n") if p],
        }

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        """Each actor's roles across the index, most frequent first (for the hint beside an actor facet value)."""
        return self.snapshot().actor_roles()

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


def _datekeys(segments) -> np.ndarray:
    """Every document's datekey, each segment's column read in one piece (checked against Whoosh's own reading)."""
    parts = []
    for segment, _ in segments:
        count = segment.doc_count_all()
        try:
            column = segment.column_reader("datekey", translate=False)
            raw = bytes(column._dbfile.get(column._basepos, column._count * column._fixedlen))
            values = np.full(count, column._default, dtype=np.int64)
            stored = np.frombuffer(raw, dtype=">" + column._typecode).astype(np.int64)[:count]
            values[: stored.size] = stored
            check_at = {0, count // 2, count - 1} if count else set()
            translated = segment.column_reader("datekey")
            if any(int(translated[i]) != int(values[i]) for i in check_at):
                raise ValueError("unexpected column layout")
        except (AttributeError, ValueError, TypeError):
            values = np.array(list(segment.column_reader("datekey")), dtype=np.int64)
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


class _LRU:
    def __init__(self, size: int):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)


def _cache_key(params: SearchParams) -> str:
    return repr(params)  # every field, including any added later; equal params in another order only miss


def _split(value) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)
