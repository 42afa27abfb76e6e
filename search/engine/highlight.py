"""Snippets: a few fragments of a release around the query's words, HTML-escaped, matches in <mark>.

The text is analysed as at index time (`MODE`), so a query word found inside a compound marks the compound the
reader sees ("Minister" -> `<mark>Außenminister</mark>`), and one part of a hyphenated compound marks that part
(`<mark>NATO</mark>-Generalsekretär`). What is marked is always the original text, never a stem. Only words that can yield a query term (see `skeleton`)
are analysed: a fresh process meets most words of a hit for the first time.
"""

from __future__ import annotations

import re
from html import escape

from whoosh import highlight

from ..german.normalize import fold
from .analysis import PART_MARK

MAX_HIGHLIGHT_CHARS = 60_000  # a 20 MB release must not stall a result page
SNIPPET_FALLBACK_CHARS = 240
MODE = "index"  # analyse as the index did: compounds also yield their part terms
HYPHENS = re.compile(r"[-‐‑]")
NOT_HYPHENS = re.compile(r"[^-‐‑]+")


class MarkFormatter(highlight.HtmlFormatter):
    """Plain `<mark>word</mark>`, the word as the reader wrote it; everything else escaped."""

    template = "<%(tag)s>%(t)s</%(tag)s>"

    def __init__(self):
        super().__init__(tagname="mark", between=" … ")


_fragmenter = highlight.ContextFragmenter(maxchars=220, surround=70)


def snippet(text: str, words: set[str], analyzer, top: int = 2) -> str:
    """Fragments of `text` around `words` (analysed terms), or the start of the text if none occurs."""
    text = text[:MAX_HIGHLIGHT_CHARS]
    if words:
        if _plain_words(analyzer):
            marked = _fragments_by_search(text, frozenset(words), analyzer, top)
            return marked or escape(shorten(text, SNIPPET_FALLBACK_CHARS))
        spans = _word_spans(text, analyzer)
        if spans is None:  # a tokenizer we cannot run alone: Whoosh's highlighter, slower, same idea
            marked = highlight.highlight(text, frozenset(words), analyzer, _fragmenter, MarkFormatter(), top=top, mode=MODE)
        else:
            marked = _fragments(text, spans, frozenset(words), analyzer, top)
        if marked:
            return marked
    return escape(shorten(text, SNIPPET_FALLBACK_CHARS))


FRAGMENT_CHARS, SURROUND_CHARS, TERM_CACHE_WORDS = 220, 70, 200_000


def _word_spans(text: str, analyzer) -> list[tuple[int, int, str]] | None:
    """(start, end, word) of every word the analyzer's tokenizer finds, a hyphenated compound as its parts (so
    "NATO" marks `<mark>NATO</mark>-Generalsekretär`), or None if the tokenizer is not a plain regex one."""
    tokenizer = getattr(analyzer, "items", [None])[0]
    expression = getattr(tokenizer, "expression", None)
    if expression is None or getattr(tokenizer, "gaps", False):
        return None
    spans = []
    for m in expression.finditer(text):
        word = m.group(0)
        if HYPHENS.search(word):
            spans.extend((m.start() + p.start(), m.start() + p.end(), p.group(0)) for p in NOT_HYPHENS.finditer(word))
        else:
            spans.append((m.start(), m.end(), word))
    return spans


_terms_cache: dict[tuple[int, str], frozenset[str]] = {}


def _terms_of(word: str, analyzer) -> frozenset[str]:
    """The index terms (words and part terms) the analyzer makes of one word, remembered: a snippet re-analyses
    no word. Kept here, not on the analyzer: the analyzer is pickled into the index's schema."""
    key = (id(analyzer), word)
    terms = _terms_cache.get(key)
    if terms is None:
        terms = frozenset(token.text for token in analyzer(word, mode=MODE))
        if len(_terms_cache) >= TERM_CACHE_WORDS:
            _terms_cache.clear()
        _terms_cache[key] = terms
    return terms


_TYPED = re.compile(r"([aou])e")


def skeleton(word: str) -> str:
    """A word's folded letters with every typed umlaut folded ("ue" -> "u"). Each term the analyzer makes of a word
    (its stem, the stems of its parts) is a piece of the folded word, with at most some typed umlauts folded and
    an ending cut, so its skeleton is a piece of the word's skeleton (`wanted` allows for a term that starts with
    the "e" of a typed umlaut). A word whose skeleton holds none of the query terms' is not analysed."""
    return _TYPED.sub(r"\1", fold(word))


def wanted(term: str) -> str:
    """The piece a word's skeleton must hold to be able to yield `term`."""
    bones = skeleton(term.lstrip(PART_MARK))
    return bones[1:] if bones.startswith("e") else bones


_skeletons: dict[str, str] = {}


def _matching_words(distinct: set[str], words: frozenset[str], analyzer) -> set[str]:
    """The words of a text (each once) that the analyzer turns into one of the query's terms."""
    pieces = {wanted(w) for w in words}
    if "" in pieces:  # a one-letter term: any word may hold it
        return {word for word in distinct if not _terms_of(word, analyzer).isdisjoint(words)}
    holds = re.compile("|".join(re.escape(piece) for piece in pieces)).search  # one C call a word
    found = set()
    for word in distinct:
        bones = _skeletons.get(word)
        if bones is None:
            bones = skeleton(word)
            if len(_skeletons) >= TERM_CACHE_WORDS:
                _skeletons.clear()
            _skeletons[word] = bones
        if holds(bones) and not _terms_of(word, analyzer).isdisjoint(words):
            found.add(word)
    return found


def _fragments(text: str, spans, words: frozenset[str], analyzer, top: int) -> str:
    """Like Whoosh's ContextFragmenter and BasicFragmentScorer: runs of matches within FRAGMENT_CHARS with
    SURROUND_CHARS of context, the `top` best (most matches, most distinct words) in text order."""
    hits = _matching_words({word for _, _, word in spans}, words, analyzer)
    matched = [i for i, (_, _, word) in enumerate(spans) if word in hits]
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


WORD_RUN = re.compile(r"\w+")
WORD_START = re.compile(r"(?<!\w)\w")


def _plain_words(analyzer) -> bool:
    """True when the analyzer's words are `analysis.WORD_PATTERN`'s: runs of letters joined by hyphens. Then the
    words a snippet marks (a hyphenated compound as its parts) are exactly the maximal runs of word characters."""
    from .analysis import WORD_PATTERN

    tokenizer = getattr(analyzer, "items", [None])[0]
    expression = getattr(tokenizer, "expression", None)
    return expression is not None and expression.pattern == WORD_PATTERN and not getattr(tokenizer, "gaps", False)


def _fragments_by_search(text: str, words: frozenset[str], analyzer, top: int) -> str:
    """`_fragments`, without a Python object per word of the text: the text's distinct words come from one
    `findall`, the matching ones are found with one regular expression, and only the few words around a
    fragment are looked at to give it its context. Same fragments, same marks (tests/test_highlight.py)."""
    hits = _matching_words(set(WORD_RUN.findall(text)), words, analyzer)
    if not hits:
        return ""
    alternatives = "|".join(re.escape(w) for w in sorted(hits, key=len, reverse=True))
    matched = [(m.start(), m.end(), m.group()) for m in re.finditer(rf"(?<!\w)(?:{alternatives})(?!\w)", text)]
    fragments = []
    i = 0
    while i < len(matched):
        group = [matched[i]]
        while i + 1 < len(matched) and matched[i + 1][1] - group[0][0] <= FRAGMENT_CHARS:
            i += 1
            group.append(matched[i])
        first, last = group[0], group[-1]
        low = WORD_START.search(text, max(0, first[0] - SURROUND_CHARS)).start()  # the first word within reach
        high = (last[0], last[1])
        for m in WORD_RUN.finditer(text, last[1], last[1] + SURROUND_CHARS + 1):
            if m.end() > last[1] + SURROUND_CHARS:  # cut by the search's end: a longer word, out of reach
                break
            high = (m.start(), m.end())
        distinct = len({m[2].casefold() for m in group})
        fragments.append((len(group) * distinct * 100, (low, None), high, group))
        i += 1
    best = sorted(sorted(fragments, key=lambda f: -f[0])[:top], key=lambda f: f[1][0])
    rendered = []
    for _, (low, _), high, group in _merge_overlapping(best, by_start=True):
        parts, cursor = [], low
        for start, end, _ in group:
            parts.append(escape(text[cursor:start]))
            parts.append(f"<mark>{escape(text[start:end])}</mark>")
            cursor = end
        parts.append(escape(text[cursor : high[1]]))
        rendered.append("".join(parts))
    return " … ".join(rendered)


def _merge_overlapping(fragments, by_start: bool = False):
    """Fragments in text order, two whose context overlaps joined into one: no sentence is shown twice."""
    merged = []
    for fragment in fragments:
        if merged and (fragment[1][0] <= merged[-1][2][0] if by_start else fragment[1] <= merged[-1][2]):
            score, low, high, group = merged[-1]
            merged[-1] = (score, low, max(high, fragment[2]), group + fragment[3])
        else:
            merged.append(fragment)
    return merged


def mark_all(text: str, words: set[str], analyzer) -> str:
    """The whole text, escaped, with every occurrence of `words` in <mark>."""
    if not words:
        return escape(text)
    marked = highlight.highlight(
        text, frozenset(words), analyzer, highlight.WholeFragmenter(), MarkFormatter(), top=1, mode=MODE
    )
    return marked or escape(text)


def shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + " …"
