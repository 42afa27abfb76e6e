"""Side postings: each segment's text-field postings as flat numpy arrays beside it, memory-mapped.

Whoosh stores a term's postings as pickled blocks (positions pickled once more inside), so reading a frequent
term costs a Python loop over its blocks on every new query. The side arrays hold the same postings, derived
from Whoosh's own when a generation is written, in a form numpy reads in place: a term is two array slices.

Vocabulary:
- side folder: `<generation>/<segment id>.postings/`, one per segment, written to a temporary name and renamed
  into place (a reader sees all of it or none). Whoosh stays the index of record: a segment without a side
  folder (an index built before these existed, a segment an update just wrote), or with one that does not fit
  it (`meta.json` names another document count or version), is read from Whoosh's postings as before.
- per text field, CSR-style arrays: `terms` (the term bytes, concatenated in lexicon order) and `term_at`
  (where each term starts in it); `post_at` (where each term's postings start); `ids` (document numbers within
  the segment, deleted ones included, as Whoosh's postings have them), `weights` (Whoosh's posting weights);
  `pos_at` (where each posting's positions start) and `positions` (word positions, ascending per posting).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
import time
from bisect import bisect_left
from itertools import chain
from pathlib import Path

import numpy as np

from . import whoosh_internals
from .schema import TEXT_FIELDS

VERSION = 1
SUFFIX = ".postings"
ARRAYS = ("terms", "term_at", "post_at", "ids", "weights", "pos_at", "positions")
EMPTY_IDS = np.zeros(0, dtype=np.int32)
EMPTY_WEIGHTS = np.zeros(0, dtype=np.float32)


# -- reading ------------------------------------------------------------------------------------------------


class _Terms:
    """The sorted term bytes of one field as a sequence, for `bisect` (no Python object per term is kept)."""

    def __init__(self, blob: np.ndarray, starts: np.ndarray):
        self.blob, self.starts = blob, starts

    def __len__(self) -> int:
        return self.starts.size - 1

    def __getitem__(self, i: int) -> bytes:
        return self.blob[self.starts[i] : self.starts[i + 1]].tobytes()


class FieldPostings:
    """The side arrays of one field of one segment."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self.__dict__.update(arrays)
        self._terms = _Terms(self.terms, self.term_at)

    def find(self, text: bytes) -> int:
        """The term's number, or -1 if the segment does not have it."""
        i = bisect_left(self._terms, text)
        return i if i < len(self._terms) and self._terms[i] == text else -1

    def term(self, text: bytes) -> tuple[np.ndarray, np.ndarray]:
        """(ids, weights) of a term within the segment."""
        i = self.find(text)
        if i < 0:
            return EMPTY_IDS, EMPTY_WEIGHTS
        low, high = int(self.post_at[i]), int(self.post_at[i + 1])
        return self.ids[low:high], self.weights[low:high]

    def term_positions(self, text: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(ids, position counts, positions) of a term within the segment, positions grouped by posting."""
        i = self.find(text)
        if i < 0:
            return EMPTY_IDS, np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32)
        low, high = int(self.post_at[i]), int(self.post_at[i + 1])
        at = self.pos_at[low : high + 1]
        return self.ids[low:high], np.diff(at), self.positions[int(at[0]) : int(at[-1])]


class SegmentPostings:
    """The side arrays of one segment, by field; see the module docstring."""

    def __init__(self, fields: dict[str, FieldPostings]):
        self.fields = fields

    @classmethod
    def open(cls, folder: Path, doc_count: int) -> SegmentPostings | None:
        """The segment's side arrays, or None when they are missing or do not fit the segment."""
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("version") != VERSION or meta.get("doc_count") != doc_count:
                return None
            fields = {}
            for field in meta["fields"]:
                # plain arrays over the mapped files (np.asarray drops the memmap subclass, whose slicing is slow)
                arrays = {name: np.asarray(np.load(folder / f"{field}.{name}.npy", mmap_mode="r")) for name in ARRAYS}
                if arrays["post_at"][-1] != arrays["ids"].size or arrays["pos_at"][-1] != arrays["positions"].size:
                    return None
                fields[field] = FieldPostings(arrays)
            return cls(fields)
        except (OSError, ValueError, KeyError):
            return None


RETRY_SECONDS = 2.0  # a segment found without side arrays is looked at again after this (an update writes them
# just after its commit); found ones are kept, since a segment never changes once written


class OpenSegments:
    """The side arrays this process has opened, by side folder (the process's one `OPEN_SEGMENTS`); the
    request threads share it. A folder found without arrays is remembered as such for RETRY_SECONDS."""

    def __init__(self, kept: int = 256):
        self.kept = kept  # folders of replaced generations beyond this are forgotten, the oldest first
        self._found: dict[str, tuple[SegmentPostings | None, float]] = {}
        self._lock = threading.Lock()

    def get(self, folder: Path, doc_count: int) -> SegmentPostings | None:
        key = str(folder)
        with self._lock:
            found, when = self._found.get(key, (None, None))
        if found is not None or (when is not None and time.monotonic() - when < RETRY_SECONDS):
            return found
        found = SegmentPostings.open(folder, doc_count)
        with self._lock:
            self._found[key] = (found, time.monotonic())
            if len(self._found) > self.kept:
                self._found.pop(next(iter(self._found)))
        return found


OPEN_SEGMENTS = OpenSegments()


def side_folder(reader) -> Path:
    """Where the side arrays of a Whoosh segment reader live."""
    return whoosh_internals.segment_folder(reader) / (reader.segment().segment_id() + SUFFIX)


def for_reader(reader) -> SegmentPostings | None:
    """The side arrays of a segment, opened once per process; None when it has none (read Whoosh's postings)."""
    return OPEN_SEGMENTS.get(side_folder(reader), reader.doc_count_all())


# -- writing ------------------------------------------------------------------------------------------------


def _decode_positions(values: list[bytes]) -> tuple[np.ndarray, np.ndarray]:
    """(counts, positions) of Whoosh `Positions` values (a 4-byte count, then a pickled list of deltas), decoded
    with one `pickle.loads` for the whole list instead of one per posting."""
    import pickle

    bodies = [v[6:-1] if v.endswith(b".") else v[6:] for v in values]  # drop the count, PROTO 2 and STOP
    lists = pickle.loads(b"\x80\x02(" + b"".join(bodies) + b"l.")
    counts = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    deltas = np.fromiter(chain.from_iterable(lists), dtype=np.int64, count=int(counts.sum()))
    total = np.cumsum(deltas)
    ends = np.cumsum(counts)
    before = np.concatenate(([0], total[ends[:-1] - 1])) if counts.size else np.zeros(0, dtype=np.int64)
    return counts, (total - np.repeat(before, counts)).astype(np.int32)


def _field_arrays(reader, field: str) -> dict[str, np.ndarray]:
    """The side arrays of one field of a segment, from Whoosh's postings."""
    terms, post_counts = [], []
    ids, weights, values = [], [], []
    for text, matcher in whoosh_internals.term_matchers(reader, field):
        before = len(ids)
        if whoosh_internals.in_blocks(matcher):
            for block_ids, block_weights, block_values in whoosh_internals.blocks(matcher, values=True):
                ids.append(block_ids)
                weights.append(block_weights)
                values.extend(block_values)
        else:  # inline postings of a rare term
            block_ids, block_weights = [], []
            while matcher.is_active():
                block_ids.append(matcher.id())
                block_weights.append(matcher.weight())
                values.append(matcher.value())
                matcher.next()
            ids.append(np.asarray(block_ids, dtype=np.int64))
            weights.append(np.asarray(block_weights, dtype=np.float32))
        terms.append(text)
        post_counts.append(sum(a.size for a in ids[before:]))
    all_ids = np.concatenate(ids).astype(np.int32) if ids else EMPTY_IDS
    counts, positions = _decode_positions(values) if values else (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int32))
    blob = b"".join(terms)
    return {
        "terms": np.frombuffer(blob, dtype=np.uint8) if blob else np.zeros(0, dtype=np.uint8),
        "term_at": np.concatenate(([0], np.cumsum([len(t) for t in terms], dtype=np.int64))),
        "post_at": np.concatenate(([0], np.cumsum(post_counts, dtype=np.int64))),
        "ids": all_ids,
        "weights": np.concatenate(weights) if weights else EMPTY_WEIGHTS,
        "pos_at": np.concatenate(([0], np.cumsum(counts))),
        "positions": positions,
    }


def write_segment(reader, folder: Path) -> Path:
    """Write the side arrays of one segment into `folder`, atomically (a temporary folder renamed into place)."""
    schema = reader.schema
    fields = [f for f in TEXT_FIELDS if f in schema and schema[f].format and schema[f].format.supports("positions")]
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir(parents=True)
    for field in fields:
        for name, array in _field_arrays(reader, field).items():
            np.save(temporary / f"{field}.{name}.npy", array)
    meta = {"version": VERSION, "doc_count": reader.doc_count_all(), "fields": fields}
    (temporary / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.rmtree(folder, ignore_errors=True)
    os.rename(temporary, folder)
    return folder


def write_generation(generation: Path, only: set[str] | None = None) -> list[str]:
    """Write the side arrays of every segment of a generation that lacks them (or of the segment ids in `only`);
    remove side folders of segments the generation no longer has. Returns the segment ids written."""
    from whoosh import index as whoosh_index

    index = whoosh_index.open_dir(str(generation))  # plain, memory-mapped storage: one process reads it through
    written = []
    with index.searcher() as searcher:
        reader = searcher.reader()
        readers = [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]
        present = set()
        for segment in readers:
            folder = side_folder(segment)
            present.add(folder.name)
            segment_id = segment.segment().segment_id()
            if only is not None and segment_id not in only:
                continue
            if SegmentPostings.open(folder, segment.doc_count_all()) is None and segment.doc_count_all():
                write_segment(segment, folder)
                written.append(segment_id)
    for stale in Path(generation).glob(f"*{SUFFIX}"):
        if stale.name not in present:
            shutil.rmtree(stale, ignore_errors=True)
    return written
