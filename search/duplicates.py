"""Near-duplicates: the same release published twice, updated, shortened or translated again, filed as one group.

Vocabulary:
- shingles: what a release's text is compared by: the set of its content words (folded, stemmed, stop words
  left out). Single words, not word n-grams: a second machine translation of the same sentences keeps most words
  but few word sequences. A short release (under `MIN_WORDS`) is compared by its words as written, and only its
  exact copies are its versions.
- sketch: a MinHash of the shingles (datasketch, `NUM_PERM` hash values), stored with the release (base64) so an
  update can compare new releases with the indexed ones without reading their text.
- group: the key every version of one release carries in the `dup_group` field (the id of the version indexed
  first; a release without near-duplicates is a group of its own). Both engines collapse a result list on it.
- Grouper: the groups of one index while a run writes it: which group a new or changed release joins (LSH
  candidates at `THRESHOLD` estimated Jaccard similarity, the most similar one wins), and a deleted release leaves.

Groups never merge and are never re-keyed: a release joins the group of its most similar indexed version, so an
update rewrites only the releases that changed. `THRESHOLD` was measured on the set of `tests/test_duplicates.py`
(figures in docs/duplicates.md).
"""

from __future__ import annotations

import base64
import functools
import re
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from datasketch import LeanMinHash, MinHash

from .fields import GROUP_FIELD, SKETCH_FIELD  # noqa: F401 - where the engines keep a release's group and sketch
from .german.normalize import fold
from .german.stemmer import stem

NUM_PERM = 128
THRESHOLD = 0.4  # estimated Jaccard similarity of the word sets at which two releases are versions of one
MIN_WORDS = 25  # a release with fewer content words is grouped only with copies of the same words as written: in
# a notice of two sentences one changed word ("am 3. Juni" / "am 5. Juni", "Ministerin" / "Minister") is another
SEED = 1
SHORT_SEED = 2  # the sketches of short releases: other permutations, so they never match a long release's
_WORD = re.compile(r"\w+")


@functools.cache
def _datasketch():
    """datasketch, imported when a run first groups: it brings scipy, 0.2 s that other commands need not pay."""
    import datasketch

    return datasketch


@functools.cache
def _template(seed: int) -> MinHash:
    """The permutations of `seed`, made once: every sketch copies them."""
    return _datasketch().MinHash(num_perm=NUM_PERM, seed=seed)


def _stop_words() -> frozenset[str]:
    from .engine.analysis import STOP_WORDS  # the analysis chain's list (the Whoosh engine ships it)

    return STOP_WORDS


def shingles(text: str, stemmed: bool = True) -> set[bytes]:
    """The content words of `text`, folded and (`stemmed`) stemmed: "Außenministers" and "Aussenminister" are one."""
    stop = _stop_words()
    words = [fold(word) for word in _WORD.findall(text.casefold())]
    words = [word for word in words if len(word) > 1 and word not in stop and not word.isdigit()]
    return {(stem(word) if stemmed else word).encode("utf-8") for word in words}


def sketch(text: str) -> tuple[LeanMinHash, bool]:
    """The release's MinHash, and whether it is short (see MIN_WORDS): then of its words as written, with other
    permutations."""
    words = shingles(text)
    if len(words) >= MIN_WORDS:
        return _sketch(words, _template(SEED)), False
    return _sketch(shingles(text, stemmed=False), _template(SHORT_SEED)), True


def _sketch(words: set[bytes], template: MinHash) -> LeanMinHash:
    minhash = template.copy()
    minhash.update_batch(list(words))
    return _datasketch().LeanMinHash(minhash)


def encode(minhash: LeanMinHash) -> str:
    return base64.b64encode(minhash.hashvalues.astype("<u4").tobytes()).decode("ascii")


def decode(text: str) -> LeanMinHash:
    values = np.frombuffer(base64.b64decode(text), dtype="<u4").astype(np.uint64)
    return _datasketch().LeanMinHash(seed=SEED, hashvalues=values)


class Grouper:
    """The duplicate groups of one index during a run; see the module docstring."""

    def __init__(self, known: Iterable[tuple[str, str, str]] = (), threshold: float = THRESHOLD):
        """`known`: (id, group, encoded sketch) of every release the index already holds."""
        self.threshold = threshold
        self._lsh = _datasketch().MinHashLSH(threshold=threshold, num_perm=NUM_PERM, hashfunc=hash)  # a band as one int: smaller keys
        # (the tables live in this process only, so Python's per-process hash is enough)
        self._sketches: dict[str, np.ndarray] = {}  # id -> its hash values as uint32: half of datasketch's uint64
        self.group_of: dict[str, str] = {}
        self._size: Counter[str] = Counter()  # group -> how many releases carry it
        for doc_id, group, encoded in known:
            self._join(doc_id, group or doc_id)
            if encoded:
                self._insert(doc_id, decode(encoded))

    def assign(self, doc_id: str, text: str) -> tuple[str, str]:
        """(group, encoded sketch) of a new or changed release: the group of its most similar other release at
        the threshold, else a group of its own."""
        self.remove(doc_id)
        minhash, short = sketch(text)
        group = self._best_match(minhash, 1.0 if short else self.threshold) or self._own_key(doc_id)
        self._join(doc_id, group)
        self._insert(doc_id, minhash)
        return group, encode(minhash)

    def remove(self, doc_id: str) -> None:
        """A deleted (or changed) release leaves its group."""
        if doc_id in self._sketches:
            self._lsh.remove(doc_id)
            del self._sketches[doc_id]
        group = self.group_of.pop(doc_id, None)
        if group is not None:
            self._size[group] -= 1

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Every group of more than one release: key -> its ids, in id order."""
        members: dict[str, list[str]] = {}
        for doc_id, group in self.group_of.items():
            members.setdefault(group, []).append(doc_id)
        return {key: tuple(sorted(ids)) for key, ids in sorted(members.items()) if len(ids) > 1}

    def _best_match(self, minhash: LeanMinHash, threshold: float) -> str | None:
        values = minhash.hashvalues
        scored = [(float(np.mean(self._sketches[other] == values)), other) for other in self._lsh.query(minhash)]
        scored = [(score, other) for score, other in scored if score >= threshold]
        if not scored:
            return None
        _, best = max(scored, key=lambda pair: (pair[0], _negated(pair[1])))
        return self.group_of[best]

    def _own_key(self, doc_id: str) -> str:
        """The release's id, unless other releases still carry it as their group (it was their first version and
        has changed beyond them): then a key no release carries yet."""
        key, number = doc_id, 1
        while self._size[key] > 0:
            number += 1
            key = f"{doc_id}~{number}"
        return key

    def _join(self, doc_id: str, group: str) -> None:
        self.group_of[doc_id] = group
        self._size[group] += 1

    def _insert(self, doc_id: str, minhash: LeanMinHash) -> None:
        self._sketches[doc_id] = minhash.hashvalues.astype(np.uint32)
        self._lsh.insert(doc_id, minhash)


def _negated(doc_id: str) -> tuple[int, ...]:
    """A sort key under which the smaller id wins a tie in `max`."""
    return tuple(-ord(char) for char in doc_id)


def report(groups: dict[str, tuple[str, ...]]) -> list[dict]:
    """The groups for the reindex report (JSON): each with its key and versions."""
    return [{"group": key, "versions": list(ids)} for key, ids in groups.items()]
