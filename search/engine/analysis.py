"""The German analyzer chain for the text fields.

Vocabulary (Whoosh's): a Tokenizer turns text into tokens; a Filter is a generator over tokens that drops,
changes or adds tokens; an Analyzer is a chain `Tokenizer | Filter | Filter ...`.

The chain, in order:
1. WordTokenizer: words, keeping hyphenated compounds ("NATO-Generalsekretär") whole.
2. HyphenPartsFilter: also emits each part of a hyphenated compound at the same position, so "NATO" and
   "Generalsekretär" find it.
3. LowercaseFilter, then StopFilter with German stop words.
4. UmlautFoldFilter: ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss, so "Aussenminister" finds "Außenminister".
5. StemFilter: German stemming.

The index stores this chain by import path: keep the classes here, and treat any change as "reindex".
"""

from __future__ import annotations

import re

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StemFilter, StopFilter
from whoosh.lang import stopwords_for_language

WORD_PATTERN = r"\w+(?:[-‐‑]\w+)*"
HYPHENS = re.compile(r"[-‐‑]")

_UMLAUTS = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "é": "e", "è": "e", "á": "a", "à": "a"})


def fold_umlauts(word: str) -> str:
    """A lower-case word with umlauts and ß folded to the letters a German typist without them would use."""
    return word.translate(_UMLAUTS)


class HyphenPartsFilter(Filter):
    """Emit "nato-generalsekretär" and, at the same position, "nato" and "generalsekretär"."""

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            parts = HYPHENS.split(text) if HYPHENS.search(text) else ()
            yield token
            if len(parts) > 1:
                for part in parts:
                    if part:
                        token.text = part
                        yield token


class UmlautFoldFilter(Filter):
    def __call__(self, tokens):
        for token in tokens:
            token.text = fold_umlauts(token.text)
            yield token


def german_analyzer():
    return (
        RegexTokenizer(WORD_PATTERN)
        | HyphenPartsFilter()
        | LowercaseFilter()
        | StopFilter(stoplist=stopwords_for_language("de"), minsize=1)
        | UmlautFoldFilter()
        | StemFilter(lang="de", cachesize=50000)
    )
