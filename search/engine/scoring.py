"""Relevance ranking from posting arrays: Whoosh's BM25F scores for every match at once, with numpy.

Whoosh's collector scores one match at a time in Python, which at archive scale costs more than everything else in
a search. The scores here are the same numbers, computed per query term over whole posting lists:

- term: `boost * idf * w(K1+1) / (w + K1(1 - B + B fl/avgfl))` with the posting weights, the byte-coded field
  lengths and Whoosh's own idf and average length;
- OR sums the scores of the parts that match, AND sums all parts, AND NOT keeps the left part's score, a
  compound's boost multiplies (as Whoosh's matchers do);
- a phrase is matched on the side postings' position arrays (see `phrases`) with Whoosh's score for it;
- any other part (spans, prefixes, phrases of an index without side postings) is scored by Whoosh's matcher for
  that part alone.

Vocabulary:
- dense: a (mask, scores) pair of arrays over document numbers.
- rescoring window: an `A ANDMAYBE B` query (required words plus an optional proximity bonus) ranks its matches by
  A's scores, then adds B's bonus with Whoosh's matcher for the best `window` of them only. The ranking is
  exact whenever the query has at most `window` matches; beyond that a document outside A's top `window` cannot
  climb in by its bonus alone. The bonus is computed on the side postings' positions when the index has them
  (see `proximity`), else by skipping Whoosh's span matchers to each candidate.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np
from whoosh import query as wq
from whoosh import scoring
from whoosh.query.spans import SpanWrappingMatcher
from whoosh.util.numeric import byte_to_length

from . import phrases, proximity, whoosh_internals
from .facets import PostingCache

RESCORE_WINDOW = 100
_LENGTHS = np.array([1.0] + [float(byte_to_length(b)) for b in range(1, 256)])  # byte 0: Whoosh's default of 1


class Ranker:
    def __init__(self, searcher, cache: PostingCache, live: np.ndarray):
        self.searcher = searcher
        self.cache = cache
        self.segments = cache.segments
        self.live = live
        self.weighting = searcher.weighting
        self._lengths: dict[str, np.ndarray] = {}
        self._context = None
        self._recent: OrderedDict = OrderedDict()  # repr(part) -> (mask, scores) from Whoosh's matcher
        self._lock = threading.Lock()

    @property
    def supported(self) -> bool:
        return type(self.weighting) is scoring.BM25F

    # -- the best `limit` documents ------------------------------------------------------------------

    def top(
        self, q, allowed: np.ndarray, limit: int, window: int = RESCORE_WINDOW, ties=None
    ) -> list[tuple[int, float]]:
        """(docnum, score) of the `limit` best matches of `q` among `allowed`, best first, equal scores by `ties()`
        (each document's place among equals, asked for only when some scores are equal) or else by docnum."""
        if isinstance(q, wq.AndMaybe) and q.boost == 1.0:
            mask, scores = self.dense(q.a)
            mask &= allowed
            candidates = _best(mask, scores, max(window, 2 * limit), ties)
            final = scores[candidates] + self._partial_scores(q.b, candidates)
            order = np.lexsort((_tie_keys(candidates, final, ties), -final))[:limit]
            return [(int(candidates[i]), float(final[i])) for i in order]
        mask, scores = self.dense(q)
        mask &= allowed
        best = _best(mask, scores, limit, ties)
        return [(int(d), float(scores[d])) for d in best]

    # -- scores of every match -----------------------------------------------------------------------

    def dense(self, q) -> tuple[np.ndarray, np.ndarray]:
        size = self.live.size
        if isinstance(q, wq.Term):
            mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
            ids, values = self.term(q)
            mask[ids] = True
            scores[ids] = values
            return mask & self.live, scores
        subs = getattr(q, "subqueries", None)
        if getattr(q, "coord", None) is not None:  # AtLeastQuery: coordination first, then the parts' scores
            count, scores = np.zeros(size, dtype=np.int32), np.zeros(size)
            for sub in subs:
                sub_mask, sub_scores = self.dense(sub)
                count += sub_mask
                scores += np.where(sub_mask, sub_scores, 0.0)
            mask = count >= max(1, q.minmatch)
            return mask, np.where(mask, scores + q.coord * count, 0.0)
        if type(q) is wq.Every:
            return self.live.copy(), np.zeros(size)
        if type(q) is wq.AndMaybe and q.boost == 1.0:
            mask, scores = self.dense(q.a)
            bonus_mask, bonus = self.dense(q.b)
            return mask, scores + np.where(mask & bonus_mask, bonus, 0.0)
        if subs is not None and len(subs) == 1 and isinstance(q, (wq.Or, wq.And)):
            return self.dense(subs[0])  # Whoosh uses a single part's matcher as is, without the compound's boost
        if isinstance(q, wq.Or) and not q.minmatch and q.scale is None and type(q) is wq.Or:
            mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
            for sub in subs:
                sub_mask, sub_scores = self.dense(sub)
                mask |= sub_mask
                scores += np.where(sub_mask, sub_scores, 0.0)
            return mask, scores * q.boost if q.boost != 1.0 else scores
        if isinstance(q, wq.And) and type(q) is wq.And:
            mask, scores = self.live.copy(), np.zeros(size)
            for sub in subs:
                if isinstance(sub, wq.Not):  # "a NOT b": b excludes, adds no score (Whoosh's AndNot)
                    mask &= ~self.dense(sub.query)[0]
                    continue
                sub_mask, sub_scores = self.dense(sub)
                mask &= sub_mask
                scores += sub_scores
            return mask, scores * q.boost if q.boost != 1.0 else scores
        if type(q) is wq.AndNot and q.boost == 1.0:
            mask, scores = self.dense(q.a)
            exclude, _ = self.dense(q.b)
            return mask & ~exclude, scores
        return self._by_matcher(q)

    def term(self, q) -> tuple[np.ndarray, np.ndarray]:
        """(documents, BM25F scores) of one term query, from the snapshot's posting cache."""
        field = q.fieldname
        text = q.text if isinstance(q.text, bytes) else self.searcher.schema[field].to_bytes(q.text)
        ids, weights = self.cache.get(field, text)
        if not ids.size:
            return ids, np.zeros(0)
        weights = weights.astype(np.float64)
        w = self.weighting
        B = whoosh_internals.field_b(w, field)
        K1 = w.K1
        idf = self.searcher.idf(field, text)
        avgfl = self.searcher.avg_field_length(field) or 1
        fl = self.lengths(field)[ids]
        values = idf * ((weights * (K1 + 1)) / (weights + K1 * ((1 - B) + B * fl / avgfl)))
        if q.boost != 1.0:
            values = values * q.boost
        return ids, values

    def lengths(self, field: str) -> np.ndarray:
        """Every document's length of `field` as Whoosh's scorer sees it (byte-coded, 0 read as 1)."""
        if field not in self._lengths:
            parts = []
            for reader, _ in self.segments:
                codes = whoosh_internals.length_codes(reader, field)
                parts.append(_LENGTHS[codes])
            self._lengths[field] = np.concatenate(parts) if parts else np.zeros(0)
        return self._lengths[field]

    def matches_of(self, q) -> np.ndarray:
        """The mask of a part `dense` leaves to Whoosh's matcher (and its scores kept for ranking it)."""
        return self._by_matcher(q)[0].copy()

    def _by_matcher(self, q) -> tuple[np.ndarray, np.ndarray]:
        """Whoosh's own matcher for one part of a query: its matches and their scores (the last few kept)."""
        key = repr(q)
        with self._lock:
            found = self._recent.get(key)
        if found is not None:
            return found[0].copy(), found[1]
        found = phrases.dense(self, q) if phrases.supported(q) else None  # position arrays, when the index has them
        if found is None:
            found = self._run_matcher(q)
        with self._lock:
            self._recent[key] = found
            while len(self._recent) > 16:
                self._recent.popitem(last=False)
        return found[0].copy(), found[1]

    def _run_matcher(self, q) -> tuple[np.ndarray, np.ndarray]:
        mask, scores = np.zeros(self.live.size, dtype=bool), np.zeros(self.live.size)
        for sub, offset in self._leaf_searchers():
            matcher = q.matcher(sub, self.context)
            ids, values = [], []
            while matcher.is_active():
                ids.append(matcher.id())
                values.append(matcher.score())
                matcher.next()
            if ids:
                where = np.asarray(ids, dtype=np.int64) + offset
                mask[where] = True
                scores[where] = values
        return mask & self.live, scores

    def _partial_scores(self, q, docnums: np.ndarray) -> np.ndarray:
        """Whoosh's scores of `q` for the given documents only (0 where it does not match), by skipping to each.

        An OR is summed part by part, as Whoosh's union matcher sums it (and without building that matcher, which
        on an index of more than 5,000 documents asks every part for a size estimate that span queries lack)."""
        subs = getattr(q, "subqueries", None)
        if type(q) is wq.Or and not q.minmatch and q.scale is None and subs:
            total = sum(self._partial_scores(sub, docnums) for sub in subs)
            return total * q.boost if q.boost != 1.0 and len(subs) > 1 else total
        found = proximity.partial_scores(self, q, docnums)  # the candidates' positions from the side arrays
        if found is not None:
            return found
        bonus = np.zeros(docnums.size)
        position = {int(d): i for i, d in enumerate(docnums)}
        for sub, offset in self._leaf_searchers():
            local = sorted(int(d) - offset for d in docnums if offset <= d < offset + sub.doc_count_all())
            if not local:
                continue
            matcher = q.matcher(sub, self.context)
            # a span matcher's skip_to scans on to the next document whose spans match; here only the asked
            # documents are tested: skip the matcher underneath, then ask for the spans of that document
            spans = isinstance(matcher, SpanWrappingMatcher)
            walker = matcher.child if spans else matcher
            for docnum in local:
                found = _skip_to(walker, docnum)
                if found is None:
                    break
                if found and (not spans or whoosh_internals.spans_match(matcher)):
                    bonus[position[docnum + offset]] = matcher.score()
        return bonus

    @property
    def context(self):
        if self._context is None:
            self._context = self.searcher.context()
        return self._context

    def _leaf_searchers(self):
        return self.searcher.leaf_searchers() if not self.searcher.is_atomic() else [(self.searcher, 0)]


def _skip_to(matcher, docnum: int) -> bool | None:
    """Move `matcher` on to `docnum` unless it is past it: whether it stands on it, None once it is done."""
    if not matcher.is_active():
        return None
    if matcher.id() < docnum:
        matcher.skip_to(docnum)
        if not matcher.is_active():
            return None
    return matcher.id() == docnum


def _tie_keys(docs: np.ndarray, values: np.ndarray, ties) -> np.ndarray:
    """How `docs` with equal `values` are ordered: by `ties()` if given and some values are equal, else by docnum."""
    if ties is None or np.unique(values).size == values.size:
        return docs
    return ties()[docs]


def _best(mask: np.ndarray, scores: np.ndarray, limit: int, ties=None) -> np.ndarray:
    """Document numbers of the `limit` highest scores in the mask, best first, ties by `ties` or else by docnum
    (Whoosh's order)."""
    docs = np.flatnonzero(mask)
    if docs.size > limit:
        values = scores[docs]
        threshold = np.partition(values, docs.size - limit)[docs.size - limit]
        docs = docs[values >= threshold]
    values = scores[docs]
    order = np.lexsort((_tie_keys(docs, values, ties), -values))
    return docs[order][:limit]
