"""Answering searches from the live index.

Vocabulary:
- Snapshot: one open Whoosh searcher over one state of the index, with what is derived from it once (facet
  tables, the date of every document, the live documents). Reopened when the index changes, so a running server
  sees a finished reindex without a restart; a request in flight keeps the snapshot it started with.
- mask: see `facets`. A search is: the query's matches as a mask, each active filter as a mask, facet counts from
  the masks, then one page of hits in the requested order with highlighted snippets.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

import numpy as np

from ..errors import BadQuery, DocumentNotFound
from ..model import FACETS, NO_YEAR, FacetValue, Hit, Results, SearchParams
from . import highlight, query as query_syntax, store
from .facets import FacetTable, top_values
from .schema import FACET_FIELDS

MAX_PER_PAGE = 100
MAX_PAGE = 1000


def datekey_of(day: Date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


class Snapshot:
    def __init__(self, generation: Path):
        self.generation = generation
        self.index = store.open_generation(generation)
        self.searcher = self.index.searcher()
        reader = self.searcher.reader()
        self.doc_count = reader.doc_count_all()
        self.live = np.zeros(self.doc_count, dtype=bool)
        self.live[np.fromiter(reader.all_doc_ids(), dtype=np.int64)] = True
        self.datekeys = np.array(list(reader.column_reader("datekey")), dtype=np.int64) if self.doc_count else np.zeros(0, dtype=np.int64)
        self.tables = {field: FacetTable.from_reader(reader, field, self.doc_count) for field in FACET_FIELDS}
        self.parser = query_syntax.make_parser(self.index.schema)
        self.analyzer = self.index.schema["body"].analyzer

    def is_current(self, generation: Path) -> bool:
        return generation == self.generation and self.searcher.up_to_date()

    def close(self):
        self.searcher.close()


@dataclass
class Matches:
    query: object  # the Whoosh query, or None for "everything"
    note: str | None
    words: set[str]
    base: np.ndarray  # the query's matches among live documents
    filters: dict[str, np.ndarray]  # facet or "date" -> mask of the documents the filter lets through


class WhooshEngine:
    """The search API over one index root. Thread-safe; keeps one searcher open and reopens it on change."""

    def __init__(self, root: Path):
        self.root = Path(root)
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
            suggestion=None,
            note=matches.note,
            histogram=self._histogram(snap, params, matches),
        )

    def _matches(self, snap: Snapshot, params: SearchParams) -> Matches:
        parsed, note = query_syntax.parse(snap.parser, params.query)
        if parsed is None:
            base = snap.live.copy()
        else:
            base = np.zeros(snap.doc_count, dtype=bool)
            base[np.fromiter(snap.searcher.docs_for_query(parsed), dtype=np.int64)] = True
        filters = {
            facet: snap.tables[facet].mask_for(params.selected(facet))
            for facet in FACETS
            if params.selected(facet)
        }
        if params.date_from or params.date_to:
            low = datekey_of(params.date_from) if params.date_from else 1
            high = datekey_of(params.date_to) if params.date_to else 99991231
            # a month-precise date (day 00) falls inside a range that covers any of its days
            keys = snap.datekeys
            filters["date"] = (keys >= (low // 100) * 100) & (keys <= high) & (keys > 0)
        return Matches(parsed, note, query_syntax.query_words(parsed), base, filters)

    def _facets(self, snap: Snapshot, params: SearchParams, matches: Matches) -> dict[str, tuple[FacetValue, ...]]:
        facets = {}
        for facet in FACETS:
            others = [mask for name, mask in matches.filters.items() if name != facet]
            mask = _and(matches.base, *others)
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
        counts = table.counts(_and(matches.base, *others))
        rows = [(table.values[v], int(counts[v])) for v in range(len(table.values)) if table.values[v] != NO_YEAR]
        return tuple(sorted(rows))

    def _ordered(self, snap: Snapshot, params: SearchParams, matches: Matches, everything: np.ndarray):
        """The page's (docnum, score) pairs in the requested order."""
        start = (params.page - 1) * params.per_page
        end = start + params.per_page
        sort = params.sort if matches.query is not None else ("newest" if params.sort == "relevance" else params.sort)
        if sort == "relevance":
            allowed = set(np.flatnonzero(everything).tolist()) if matches.filters else None
            results = snap.searcher.search(matches.query, limit=end, filter=allowed)
            return [(hit.docnum, float(hit.score)) for hit in list(results)[start:end]]
        docnums = np.flatnonzero(everything)
        keys = snap.datekeys[docnums]
        undated_last = np.where(keys > 0, 0, 1)
        order = np.lexsort((docnums, -keys if sort == "newest" else keys, undated_last))
        return [(int(docnum), 0.0) for docnum in docnums[order][start:end]]

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
            actors=_split(fields.get("actor")),
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
        parsed, _ = query_syntax.parse(snap.parser, query)
        words = query_syntax.query_words(parsed)
        mark = lambda text: highlight.mark_all(text, words, snap.analyzer)  # noqa: E731
        return {
            **fields,
            "meta": json.loads(fields.get("meta") or "{}"),
            "title_html": mark(fields.get("title", "")),
            "lead_html": mark(fields.get("lead", "")),
            "paragraphs_html": [mark(p) for p in fields.get("body", "").split("\n") if p],
        }

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


def check(params: SearchParams) -> None:
    if params.sort not in ("relevance", "newest", "oldest"):
        raise BadQuery(f"Unbekannte Sortierung {params.sort!r}: relevance, newest oder oldest.")
    if not 1 <= params.per_page <= MAX_PER_PAGE:
        raise BadQuery(f"Treffer pro Seite: 1 bis {MAX_PER_PAGE}.")
    if not 1 <= params.page <= MAX_PAGE:
        raise BadQuery(f"Seite: 1 bis {MAX_PAGE}.")
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise BadQuery("Das Anfangsdatum liegt nach dem Enddatum.")


def _and(first: np.ndarray, *others: np.ndarray) -> np.ndarray:
    result = first.copy()
    for mask in others:
        result &= mask
    return result


def _split(value) -> tuple[str, ...]:
    return tuple(v for v in (value or "").split(",") if v)
