"""The German analyzer chain for the text fields.

Vocabulary (Whoosh's): a Tokenizer turns text into tokens; a Filter is a generator over tokens that drops,
changes or adds tokens; an Analyzer is a chain `Tokenizer | Filter | Filter ...`. The German word functions the
filters call are in `search.german` (engine-neutral, each with its own tests).

The chain, in order:
1. RegexTokenizer: words, keeping hyphenated compounds ("NATO-Generalsekretär") whole.
2. LowercaseFilter.
3. NormalizeFilter: ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss where the lexicon agrees ("Bruessel" = "Brüssel";
   "Quelle" stays), see `search.german.normalize`.
4. StopFilter: German stop words, folded alike ("fuer" is "für").
5. HyphenPartsFilter: each part of a hyphenated compound, at the compound's position and over its own letters,
   so "NATO" and "Generalsekretär" find "NATO-Generalsekretär". Parts written by the author are words: a query
   for them is a whole-word match, and a phrase "NATO Generalsekretär" matches too.
6. DecompoundFilter: the parts of a compound found with the lexicon, as *part terms* (`#minister`) at the
   compound's position ("Außenminister" -> `aussenminister`, `#aussen`, `#minister`). A query word searches its
   part term with a lower boost, so "Minister" finds "Außenminister" below releases that say "Minister"; phrases
   never see part terms, so "Minister Bayramov" does not match "Außenminister Bayramov".
7. StemFilter: light German stemming (Savoy), `#` part terms stemmed alike; see `search.german.stemmer`.

At query time (`mode="query"`) steps 5 and 6 differ: a hyphenated query word becomes its parts only, and no part
terms are made (the query side adds them, see `query`). Highlighting analyses with `mode="index"` so a compound
lights up for a query that matched one of its parts.

The index stores this chain by import path: keep the classes here, and treat any change as "reindex".
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import stopwords_for_language

from ..german import compounds
from ..german.normalize import fold, normalize
from ..german.stemmer import stem

WORD_PATTERN = r"\w+(?:[-‐‑]\w+)*"
HYPHENS = re.compile(r"[-‐‑]")
PART_MARK = "#"  # prefix of a part term: "#minister" is "minister" inside a compound
STOP_WORDS = frozenset(fold(w) for w in stopwords_for_language("de"))


class NormalizeFilter(Filter):
    """"außenminister" -> "aussenminister", "bruessel" -> "brussel"; see `search.german.normalize`."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = normalize(token.text)
            yield token


class HyphenPartsFilter(Filter):
    """Emit "nato-generalsekretar" and, at the same position, "nato" and "generalsekretar" over their letters.

    In query mode only the parts are emitted (the query then needs all of them)."""

    def __init__(self, stoplist=STOP_WORDS):
        self.stoplist = frozenset(stoplist)

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if "-" not in text:
                yield token
                continue
            start = token.startchar if token.chars else None
            parts = [(p, m.start()) for m in re.finditer(r"[^-]+", text) if (p := m.group()) not in self.stoplist]
            if token.mode != "query" or not parts:
                yield token
            for part, offset in parts:
                token.text = part
                if start is not None:
                    token.startchar = start + offset
                    token.endchar = start + offset + len(part)
                yield token


class DecompoundFilter(Filter):
    """After a compound, its parts as part terms at its position and over its letters; see `search.german.compounds`."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            yield token
            if token.mode == "query" or token.stopped or len(text) < compounds.MIN_WORD or not text.isalpha():
                continue
            for part in compounds.parts(text):
                token.text = PART_MARK + part
                yield token


class GermanStemFilter(Filter):
    """Light German stemming of words and part terms; see `search.german.stemmer`."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if text.startswith(PART_MARK):
                token.text = PART_MARK + stem(text[1:])
            else:
                token.text = stem(text)
            yield token


def german_analyzer():
    return (
        RegexTokenizer(WORD_PATTERN)
        | LowercaseFilter()
        | NormalizeFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | HyphenPartsFilter()
        | DecompoundFilter()
        | GermanStemFilter()
    )


def index_terms(text: str, analyzer=None) -> dict[str, list[str]]:
    """The terms the chain indexes for `text`, by kind, for an engine that takes analysed terms rather than text.

    "word": the terms in reading order (what BM25, phrases and proximity see; the parts of a hyphenated compound
    follow the compound, where Whoosh puts them at its position); "part": the part terms, without `PART_MARK`.
    Every engine indexes exactly these, so both engines search the same terms."""
    analyzer = analyzer or _shared_analyzer()
    terms: dict[str, list[str]] = {"word": [], "part": []}
    for token in analyzer(text, mode="index"):
        if token.text.startswith(PART_MARK):
            terms["part"].append(token.text[len(PART_MARK):])
        else:
            terms["word"].append(token.text)
    return terms


_ANALYZER = None


def _shared_analyzer():
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = german_analyzer()
    return _ANALYZER
