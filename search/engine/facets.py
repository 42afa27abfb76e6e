"""Facet counting and match sets from per-document numpy arrays, instead of scoring every hit.

Vocabulary:
- mask: a boolean numpy array over document numbers (True = in the set). A query's matches, a facet
  selection and a date range are all masks; combining filters is `&`, counting a facet is one `bincount`.
- posting ids: the document numbers of one term, sliced from the segment's side arrays (`engine.postings`) or,
  for a segment without them, read block by block straight from Whoosh's posting file, not one `next()` at a time; `query_mask` builds a query's mask from them for terms,
  AND, OR and NOT, and asks Whoosh's matchers only for what needs positions (phrases) or term expansion.
- FacetTable: for one facet field, its distinct values and one row per (document, value) pair, sorted by
  document (so the pairs of any document are one slice), read once from the postings when a searcher opens.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable

import numpy as np
from whoosh import query as wq

from ..caches import LruCache
from . import postings as side_postings, whoosh_internals

EMPTY = np.zeros(0, dtype=np.int64)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


def leaf_readers(searcher) -> list[tuple[object, int]]:
    """(segment reader, first document number) of every segment."""
    reader = searcher.reader()
    return list(reader.leaf_readers()) if not reader.is_atomic() else [(reader, 0)]


def segment_postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of a term in one segment (deleted documents included), read block by block."""
    if (field, text) not in reader:
        return EMPTY, EMPTY_WEIGHTS
    matcher = whoosh_internals.leaf_matcher(reader, field, text)
    if whoosh_internals.in_blocks(matcher):
        found = [(ids, weights) for ids, weights, _ in whoosh_internals.blocks(matcher)]
        if not found:
            return EMPTY, EMPTY_WEIGHTS
        return np.concatenate([ids for ids, _ in found]), np.concatenate([weights for _, weights in found])
    ids, weights = [], []
    while matcher.is_active():  # inline postings of rare terms: a few entries
        ids.append(matcher.id())
        weights.append(matcher.weight())
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(weights, dtype=np.float32)


def side_or_whoosh_postings(reader, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
    """`segment_postings`, sliced from the segment's side arrays when it has them for the field (see `postings`)."""
    side = side_postings.for_reader(reader)
    arrays = side.fields.get(field) if side is not None else None
    if arrays is None:
        return segment_postings(reader, field, text)
    return arrays.term(text)


def postings(segments: list[tuple[object, int]], field: str, text) -> tuple[np.ndarray, np.ndarray]:
    """(ids, weights) of a term over all segments."""
    parts = [side_or_whoosh_postings(reader, field, text) for reader, _ in segments]
    ids = [p[0] + offset for p, (_, offset) in zip(parts, segments) if p[0].size]
    weights = [p[1] for p in parts if p[0].size]
    if len(ids) == 1:
        return ids[0], weights[0]
    return (np.concatenate(ids), np.concatenate(weights)) if ids else (EMPTY, EMPTY_WEIGHTS)


class PostingCache:
    """Decoded posting lists of recently used terms, for one snapshot; bounded by the postings it holds.

    Whoosh stores a posting block as a pickle with the positions in it, so decoding is the main cost of a
    search over frequent words; the words of a query mix repeat, so their lists are kept (8 bytes a posting).
    """

    def __init__(self, segments, budget: int = 4_000_000):
        self.segments = segments
        self.budget = budget
        self._items: OrderedDict = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, field: str, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        key = (field, text)
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        ids, weights = postings(self.segments, field, text)
        found = (ids.astype(np.int32), weights)
        with self._lock:
            if key not in self._items and ids.size <= self.budget // 4:
                self._items[key] = found
                self._held += ids.size
                while self._held > self.budget:
                    _, (old, _) = self._items.popitem(last=False)
                    self._held -= old.size
        return found


def query_mask(searcher, cache: PostingCache, q, live: np.ndarray, other=None) -> np.ndarray:
    """The live documents matching Whoosh query `q`, as a mask. `other(q)`, if given, answers the parts that are
    not terms or boolean operators (the ranker's, which keeps them for scoring the same query)."""
    size = live.size
    if isinstance(q, wq.Term):
        mask = np.zeros(size, dtype=bool)
        text = q.text if isinstance(q.text, bytes) else searcher.schema[q.fieldname].to_bytes(q.text)
        mask[cache.get(q.fieldname, text)[0]] = True
        return mask & live
    if isinstance(q, wq.Or) and getattr(q, "minmatch", 0):  # at least `minmatch` of the parts
        count = np.zeros(size, dtype=np.int32)
        for sub in q.subqueries:
            count += query_mask(searcher, cache, sub, live, other)
        return count >= q.minmatch
    if isinstance(q, (wq.Or, wq.DisjunctionMax)) and not getattr(q, "minmatch", 0):
        mask = np.zeros(size, dtype=bool)
        for sub in q.subqueries:
            mask |= query_mask(searcher, cache, sub, live, other)
        return mask
    if isinstance(q, wq.And):
        mask = live.copy()
        for sub in sorted(q.subqueries, key=lambda s: isinstance(s, wq.Not)):
            mask &= query_mask(searcher, cache, sub, live, other)
            if not mask.any():
                break
        return mask
    if isinstance(q, wq.Not):
        return live & ~query_mask(searcher, cache, q.query, live, other)
    if isinstance(q, wq.AndNot):
        return query_mask(searcher, cache, q.a, live, other) & ~query_mask(searcher, cache, q.b, live, other)
    if isinstance(q, (wq.AndMaybe,)):
        return query_mask(searcher, cache, q.a, live, other)
    if isinstance(q, wq.Require):
        return query_mask(searcher, cache, q.a, live, other) & query_mask(searcher, cache, q.b, live, other)
    if isinstance(q, wq.Every) and not q.fieldname:
        return live.copy()
    if other is not None:
        return other(q)
    mask = np.zeros(size, dtype=bool)  # phrases, prefixes, ranges ...: Whoosh's matchers
    mask[np.fromiter(searcher.docs_for_query(q), dtype=np.int64)] = True
    return mask & live


SEGMENT_TABLES = LruCache(64)  # the process's: (segment folder, segment id, field) -> (values, their postings)


def _segment_table(reader, field: str) -> tuple[list[str], list[np.ndarray]]:
    """The values of `field` in one segment and each value's documents; a segment never changes once written,
    so a table read for one snapshot serves the next one that still has the segment."""
    key = (str(whoosh_internals.segment_folder(reader)), reader.segment().segment_id(), field)
    return SEGMENT_TABLES.get_or_make(key, lambda: _read_segment_table(reader, field))


def _read_segment_table(reader, field: str) -> tuple[list[str], list[np.ndarray]]:
    values, postings = [], []
    for term in reader.lexicon(field):
        ids = segment_postings(reader, field, term)[0]
        if ids.size:
            values.append(term.decode("utf-8") if isinstance(term, bytes) else term)
            postings.append(ids)
    return values, postings


class FacetTable:
    def __init__(self, values: list[str], postings: list[np.ndarray], doc_count: int):
        self.values = values
        self.index = {value: number for number, value in enumerate(values)}
        self.postings = postings  # per value, its documents
        self.doc_count = doc_count
        sizes = np.array([p.size for p in postings], dtype=np.int64)
        pair_doc = np.concatenate(postings).astype(np.int32) if postings else np.zeros(0, dtype=np.int32)
        pair_value = np.repeat(np.arange(len(values), dtype=np.int32), sizes)
        order = np.argsort(pair_doc, kind="stable")
        self.pair_doc = pair_doc[order]
        self.pair_value = pair_value[order]
        self.indptr = np.searchsorted(self.pair_doc, np.arange(doc_count + 1)).astype(np.int64)
        self.rank = np.empty(len(values), dtype=np.int64)  # each value's place in case-insensitive order
        self.rank[sorted(range(len(values)), key=lambda v: values[v].casefold())] = np.arange(len(values))
        self._all: tuple[np.ndarray, np.ndarray] | None = None
        self.aliases: dict[str, str] = {}
        self.alias_releases: dict[str, int] = {}

    @classmethod
    def from_searcher(cls, searcher, field: str, doc_count: int, segments=None, merge=None) -> FacetTable:
        """The table of `field`, from each segment's postings; a segment read once stays remembered (segments do
        not change once written), so reopening after an update reads only the new segment.

        `merge(values) -> {value: canonical value}` files values under another one: "Z. Hasanov" in one release
        counts as "Zakir Hasanov" named in others (`aliases` keeps the mapping for showing hits). `values` is a
        mapping value -> how many documents carry it, so a merge can prefer the value used most."""
        segments = segments if segments is not None else leaf_readers(searcher)
        parts: dict[str, list[np.ndarray]] = {}
        for reader, offset in segments:
            for value, ids in zip(*_segment_table(reader, field)):
                parts.setdefault(value, []).append(ids + offset)
        releases = {value: sum(len(ids) for ids in lists) for value, lists in parts.items()}
        aliases = merge(releases) if merge else {}
        for alias, canonical in aliases.items():
            parts[canonical].extend(parts.pop(alias))
        for value, ids in parts.items():
            if len(ids) > 1 and aliases:  # one document may carry a value and its alias
                parts[value] = [np.unique(np.concatenate(ids))]
        values = sorted(parts, key=lambda value: value.encode("utf-8"))  # the lexicon's order
        postings = [np.concatenate(parts[v]) if len(parts[v]) > 1 else parts[v][0] for v in values]
        table = cls(values, postings, doc_count)
        table.aliases = aliases
        table.alias_releases = {alias: releases[alias] for alias in aliases}  # for the labels: the long form most
        # releases write
        return table

    def mask_for(self, selected: Iterable[str]) -> np.ndarray:
        """Documents carrying any of the selected values (OR within a facet)."""
        mask = np.zeros(self.doc_count, dtype=bool)
        for value in selected:
            value = self.aliases.get(value, value)  # a link may still name a partial name
            if value in self.index:
                mask[self.postings[self.index[value]]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Per value, how many documents in the mask carry it."""
        if self._all is not None and self._all[0] is mask:  # browsing everything: counted once per snapshot
            return self._all[1]
        pairs = self.pair_doc.size
        docs = np.flatnonzero(mask) if np.count_nonzero(mask) * 16 < self.doc_count else None
        if docs is not None and docs.size:  # few documents: gather their slices of the pair arrays
            return np.bincount(self.pair_value[self._offsets(docs)], minlength=len(self.values))
        if docs is not None or not pairs:
            return np.zeros(len(self.values), dtype=np.int64)
        return np.bincount(self.pair_value[mask[self.pair_doc]], minlength=len(self.values))

    def pairs(self, docs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(document, value number) of every pair of the given documents."""
        offsets = self._offsets(docs)
        return self.pair_doc[offsets], self.pair_value[offsets]

    def _offsets(self, docs: np.ndarray) -> np.ndarray:
        """Where the pairs of `docs` are in the pair arrays (each document's pairs are one slice)."""
        starts = self.indptr[docs]
        lengths = self.indptr[docs + 1] - starts
        return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(int(lengths.sum()))

    def counts_of_all(self, live: np.ndarray) -> np.ndarray:
        """`counts(live)`, remembered: pass the same `live` array again and it is not recounted."""
        if self._all is None or self._all[0] is not live:
            self._all = (live, self.counts(live))
        return self._all[1]
