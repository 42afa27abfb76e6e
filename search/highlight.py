"""Snippets and marked documents: a release's text around the query's words, HTML-escaped, matches in <mark>.

Engine-neutral: both engines hand over the stored text and the query's analysed terms (`words`), and the text is
analysed here with the project's own chain as at index time (`search.engine.analysis.index_terms`), so the same
release shows the same snippet on either engine.

Vocabulary:
- span: (start, end, word) of one word the reader sees; a hyphenated compound is its parts, so "NATO" marks
  `<mark>NATO</mark>-Generalsekretär`.
- a span matches when one of its terms (its word term, a part term `#minister`, its exact form, word family or
  name key, see `analysis.MARKS`) is among `words`: a query word
  found inside a compound marks the compound ("Minister" -> `<mark>Außenminister</mark>`). What is marked is always
  the original text, never a stem.
- fragment: a run of matches within FRAGMENT_CHARS, with SURROUND_CHARS of context (as Whoosh's
  ContextFragmenter); a snippet is the `top` best fragments in text order.
"""

from __future__ import annotations

import re
from html import escape

from .caches import LruCache
from .engine.analysis import MARKS, PART_MARK, WORD_PATTERN, german_analyzer, index_terms
from .german.characters import DASHES, clean_word
from .german.normalize import normalize

MAX_HIGHLIGHT_CHARS = 60_000  # a 20 MB release must not stall a result page
SNIPPET_FALLBACK_CHARS = 240
FRAGMENT_CHARS, SURROUND_CHARS, TERM_CACHE_WORDS = 220, 70, 200_000
WORDS = re.compile(WORD_PATTERN)  # the chain's tokenizer: the words the index saw
HYPHENS = re.compile(f"[{DASHES}]")
NOT_HYPHENS = re.compile(f"[^{DASHES}]+")
PARAGRAPH_BREAK = re.compile(r"\s*\n\s*")
PARAGRAPH_SEPARATOR = " / "


def snippet(text: str, words: set[str], top: int = 2) -> str:
    """Fragments of `text` around `words` (analysed terms), or the start of the text if none occurs; where a
    fragment runs from one paragraph into the next, PARAGRAPH_SEPARATOR shows it (a lead often ends without a
    full stop, and a bare space would run two sentences together: "... gereist Am 14. Februar ...")."""
    return PARAGRAPH_BREAK.sub(PARAGRAPH_SEPARATOR, _snippet(text, words, top))


def _snippet(text: str, words: set[str], top: int) -> str:
    text = text[:MAX_HIGHLIGHT_CHARS]
    if words:
        marked = _fragments(text, _word_spans(text), frozenset(words), top)
        if marked:
            return marked
    return escape(shorten(text, SNIPPET_FALLBACK_CHARS))


def _word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of every word of `text`, a hyphenated compound as its parts."""
    spans = []
    for m in WORDS.finditer(text):
        word = m.group(0)
        if HYPHENS.search(word):
            spans.extend((m.start() + p.start(), m.start() + p.end(), p.group(0)) for p in NOT_HYPHENS.finditer(word))
        else:
            spans.append((m.start(), m.end(), word))
    return spans


class WordTerms:
    """The index terms (words, part terms with PART_MARK, variants with theirs) the chain makes of one word,
    remembered by word, so a snippet re-analyses no word; with `decompound=False` all but the part terms (a
    lighter chain, built once). One per process (`WORD_TERMS`): the server's threads share it."""

    def __init__(self, size: int = TERM_CACHE_WORDS):
        self._memo = LruCache(size)
        self._light = german_analyzer(decompound=False)

    def __call__(self, word: str, decompound: bool = True) -> frozenset[str]:
        return self._memo.get_or_make((word, decompound), lambda: self._analyse(word, decompound))

    def _analyse(self, word: str, decompound: bool) -> frozenset[str]:
        kinds = index_terms(word) if decompound else index_terms(word, self._light)
        return frozenset(MARKS[kind] + term for kind, found in kinds.items() for term in found)


WORD_TERMS = WordTerms()


class _Wanted:
    """The query's terms, and the letters a word must hold to yield one of its part terms: a part term is the
    stem of a piece of the normalised word, so a word without that piece is never decompounded for a snippet."""

    def __init__(self, words: frozenset[str]):
        self.words = words
        self.parts = tuple({w[len(PART_MARK):] for w in words if w.startswith(PART_MARK)})

    def match(self, word: str) -> bool:
        if not WORD_TERMS(word, decompound=False).isdisjoint(self.words):
            return True
        if not self.parts:
            return False
        normal = normalize(clean_word(word).lower())
        return any(part in normal for part in self.parts) and not WORD_TERMS(word).isdisjoint(self.words)


def _fragments(text: str, spans, words: frozenset[str], top: int) -> str:
    """Like Whoosh's ContextFragmenter and BasicFragmentScorer: runs of matches within FRAGMENT_CHARS with
    SURROUND_CHARS of context, the `top` best (most matches, most distinct words) in text order."""
    wanted = _Wanted(words)
    matching = {word for word in {w for _, _, w in spans} if wanted.match(word)}  # each distinct word once
    matched = [i for i, (_, _, word) in enumerate(spans) if word in matching]
    if not matched:
        return ""
    fragments = []
    i = 0
    while i < len(matched):
        group = [matched[i]]
        while i + 1 < len(matched) and spans[matched[i + 1]][1] - spans[group[0]][0] <= FRAGMENT_CHARS:
            i += 1
            group.append(matched[i])
        low, high = group[0], group[-1]
        while low > 0 and spans[group[0]][0] - spans[low - 1][0] <= SURROUND_CHARS:
            low -= 1
        while high + 1 < len(spans) and spans[high + 1][1] - spans[group[-1]][1] <= SURROUND_CHARS:
            high += 1
        distinct = len({spans[m][2].casefold() for m in group})
        fragments.append((len(group) * distinct * 100, low, high, group))
        i += 1
    best = sorted(sorted(fragments, key=lambda f: -f[0])[:top], key=lambda f: f[1])
    rendered = []
    for _, low, high, group in _merge_overlapping(best):
        parts, cursor = [], spans[low][0]
        for m in group:
            start, end, _ = spans[m]
            parts.append(escape(text[cursor:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            cursor = end
        parts.append(escape(text[cursor : spans[high][1]]))
        rendered.append("".join(parts))
    return " … ".join(rendered)


def _merge_overlapping(fragments):
    """Fragments in text order, two whose context overlaps joined into one: no sentence is shown twice."""
    merged = []
    for fragment in fragments:
        if merged and fragment[1] <= merged[-1][2]:
            score, low, high, group = merged[-1]
            merged[-1] = (score, low, max(high, fragment[2]), group + fragment[3])
        else:
            merged.append(fragment)
    return merged


def mark_all(text: str, words: set[str]) -> str:
    """The whole text, escaped, with every occurrence of `words` in <mark>."""
    if not words:
        return escape(text)
    wanted = _Wanted(frozenset(words))
    parts, cursor = [], 0
    for start, end, word in _word_spans(text):
        if wanted.match(word):
            parts.append(escape(text[cursor:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            cursor = end
    parts.append(escape(text[cursor:]))
    return "".join(parts)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
