"""The proximity bonus for the top candidates only, from the side postings' position arrays (see `postings`).

`query.with_proximity` adds `SpanNear2([SpanOr(terms of word 1), SpanOr(terms of word 2), ...], slop, ordered=False)`
per field; the ranker asks its score for the best `RESCORE_WINDOW` matches only (`Ranker._partial_scores`). Whoosh
answers that by building span matchers and skipping each to each candidate, decoding posting blocks on the way.
Here the candidates' positions are sliced from the side arrays and Whoosh's own span rule runs on them:

Vocabulary (Whoosh's):
- span: a run of positions `Span(start, end)`; a term's spans in a document are its positions.
- a word's spans: the union of its terms' spans (SpanOr); its score there: the sum of its present terms' scores.
- near: the spans of word 1 joined, word by word, with spans of the next word at a distance in
  [mindist, slop] (`SpanNear2Matcher._get_spans`, repeated here line for line); a document is near if any
  span survives every word. Its bonus is the sum of the words' scores (the intersection matcher under the spans).
"""

from __future__ import annotations

import numpy as np
from whoosh import query as wq
from whoosh.query.spans import Span, SpanNear2, SpanOr, bisect_spans

from . import postings as side_postings


def _word_terms(part) -> list | None:
    """The Terms of one word of a SpanNear2 (a SpanOr of Terms, or a Term), or None for anything else."""
    if type(part) is wq.Term:
        return [part]
    if isinstance(part, SpanOr) and all(type(t) is wq.Term for t in part.subqs):
        return list(part.subqs)
    return None


def supported(q) -> bool:
    if type(q) is not SpanNear2 or q.ordered:
        return False
    words = [_word_terms(part) for part in q.qs]
    return all(words) and len({t.fieldname for terms in words for t in terms}) == 1


def near_spans(word_spans: list[list[Span]], slop: int, mindist: int) -> list[Span]:
    """Whoosh's SpanNear2Matcher._get_spans (unordered) over given spans per word."""
    aspans = word_spans[0]
    i = 1
    while i < len(word_spans) and aspans:
        bspans = word_spans[i]
        spans = set()
        for aspan in aspans:
            j = bisect_spans(bspans, max(0, aspan.start - slop))
            while j < len(bspans):
                bspan = bspans[j]
                j += 1
                if bspan.end < aspan.start - slop:
                    continue
                if bspan.start > aspan.end + slop:
                    break
                if mindist <= aspan.distance_to(bspan) <= slop:
                    spans.add(aspan.to(bspan))
        aspans = sorted(spans)
        i += 1
    return aspans if i == len(word_spans) else []


def _positions_at(ranker, field: str, text: bytes, docnums: np.ndarray) -> list[np.ndarray | None] | None:
    """Per document of `docnums` (global numbers), the term's positions there, or None where it does not occur;
    None altogether when a segment has no side arrays."""
    found: list[np.ndarray | None] = [None] * docnums.size
    for reader, offset in ranker.segments:
        count = reader.doc_count_all()
        inside = np.flatnonzero((docnums >= offset) & (docnums < offset + count))
        if not inside.size:
            continue
        side = side_postings.for_reader(reader)
        if side is None or field not in side.fields:
            return None
        arrays = side.fields[field]
        number = arrays.find(text)
        if number < 0:
            continue
        low, high = int(arrays.post_at[number]), int(arrays.post_at[number + 1])
        ids = arrays.ids[low:high]
        local = docnums[inside] - offset
        at = np.searchsorted(ids, local)
        for k, a in zip(inside.tolist(), at.tolist()):
            if a < ids.size and ids[a] == docnums[k] - offset:
                start, end = int(arrays.pos_at[low + a]), int(arrays.pos_at[low + a + 1])
                found[k] = arrays.positions[start:end]
    return found


def partial_scores(ranker, q, docnums: np.ndarray) -> np.ndarray | None:
    """Whoosh's score of SpanNear2 `q` for each of `docnums` (0 where it does not match), or None when this index
    cannot answer it here (then Whoosh's matchers do)."""
    if not supported(q):
        return None
    words = [_word_terms(part) for part in q.qs]
    field = words[0][0].fieldname
    schema = ranker.searcher.schema
    docnums = np.asarray(docnums, dtype=np.int64)
    per_word = []  # per word: per term (positions per document, score per document)
    for terms in words:
        found = []
        for term in terms:
            text = term.text if isinstance(term.text, bytes) else schema[field].to_bytes(term.text)
            positions = _positions_at(ranker, field, text, docnums)
            if positions is None:
                return None
            ids, values = ranker.term(term)
            scores = np.zeros(docnums.size)
            if ids.size:
                at = np.minimum(np.searchsorted(ids, docnums), ids.size - 1)
                hit = ids[at] == docnums
                scores[hit] = values[at[hit]]
            found.append((positions, scores))
        per_word.append(found)
    bonus = np.zeros(docnums.size)
    for k in range(docnums.size):
        spans, total = [], 0.0
        for found in per_word:
            present = [(positions[k], scores[k]) for positions, scores in found if positions[k] is not None]
            if not present:
                break
            spans.append(sorted({Span(int(p)) for positions, _ in present for p in positions}))
            total += sum(score for _, score in present)
        else:
            if near_spans(spans, q.slop, q.mindist):
                bonus[k] = total
    return bonus
