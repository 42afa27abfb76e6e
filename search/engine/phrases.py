"""Phrase matching on position arrays: the documents where a phrase's words stand next to each other, in one pass
of numpy over the words' side postings (see `postings`), instead of Whoosh's span check one document at a time.

Vocabulary:
- phrase: Whoosh's `Phrase(field, words, slop=1)`: word i at position p + i for some p, in one field. Other
  slops are left to Whoosh's matcher.
- candidates: the documents that have every word of the phrase; only their positions are read.
- key: `document * 2**32 + position - i` for word i; a phrase occurs where every word has the same key.

The score is Whoosh's: its phrase matcher scores a match as the sum of the words' own BM25F scores (the
intersection under the span matcher), times the phrase's boost.
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq

from . import postings as side_postings

SHIFT = np.int64(1) << np.int64(32)


def supported(q) -> bool:
    return type(q) is wq.Phrase and q.slop == 1 and len(q.words) >= 2


def _selected_positions(ids: np.ndarray, counts: np.ndarray, positions: np.ndarray, keep: np.ndarray):
    """(document of each position, position) for the postings in `keep` (a boolean mask over the postings)."""
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))[keep]
    lengths = counts[keep]
    total = int(lengths.sum())
    if not total:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    index = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total)
    return np.repeat(ids[keep].astype(np.int64), lengths), positions[index].astype(np.int64)


def segment_matches(field_postings, words: list[bytes]) -> np.ndarray:
    """The documents (within one segment, sorted) where `words` occur as a phrase."""
    found = [field_postings.term_positions(word) for word in words]
    if any(not ids.size for ids, _, _ in found):
        return np.zeros(0, dtype=np.int64)
    candidates = found[0][0]
    for ids, _, _ in found[1:]:
        candidates = np.intersect1d(candidates, ids, assume_unique=True)
        if not candidates.size:
            return np.zeros(0, dtype=np.int64)
    keys = None
    for i, (ids, counts, positions) in enumerate(found):
        docs, where = _selected_positions(ids, counts, positions, np.isin(ids, candidates, assume_unique=True))
        word_keys = np.unique(docs * SHIFT + where - i)
        keys = word_keys if keys is None else np.intersect1d(keys, word_keys, assume_unique=True)
        if not keys.size:
            return np.zeros(0, dtype=np.int64)
    return np.unique(keys // SHIFT)


def matches(segments, q) -> np.ndarray | None:
    """The document numbers (over all segments) where phrase `q` occurs, or None when a segment has no side
    arrays for its field (then Whoosh's matcher answers)."""
    field = q.fieldname
    schema = segments[0][0].schema if segments else None
    if schema is None or field not in schema:
        return None
    try:
        words = [schema[field].to_bytes(word) for word in q.words]
    except ValueError:
        return np.zeros(0, dtype=np.int64)
    parts = []
    for reader, offset in segments:
        if not reader.doc_count_all():
            continue
        side = side_postings.for_reader(reader)
        if side is None or field not in side.fields:
            return None
        parts.append(segment_matches(side.fields[field], words) + offset)
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def dense(ranker, q) -> tuple[np.ndarray, np.ndarray] | None:
    """(mask, scores) of phrase `q` over all documents, scored as Whoosh scores it; None if not answerable here."""
    if not supported(q):
        return None
    docs = matches(ranker.segments, q)
    if docs is None:
        return None
    size = ranker.live.size
    mask, scores = np.zeros(size, dtype=bool), np.zeros(size)
    if docs.size:
        mask[docs] = True
        mask &= ranker.live
        field = q.fieldname
        for word in q.words:
            ids, values = ranker.term(wq.Term(field, word))
            hit = mask[ids]
            scores[ids[hit]] += values[hit]
        if q.boost != 1.0:
            scores *= q.boost
    return mask, scores
