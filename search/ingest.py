"""What an index run does with what it reads: the plan between reading the sources and writing the index.

Vocabulary:
- Held: what the index holds before the run (empty for a rebuild): each release's content hash and stamp, and
  the ids filed under each stamp and under each file.
- Write: one release to write, with its context year and stamp, and how the report counts it: `indexed` (new),
  `updated` (changed), or `unchanged` (the same text under a new stamp: rewritten so the next update skips the
  file unread).
- Plan: goes through the items `documents.read_changed` yields (documents, skips, notes, unchanged files),
  counts them into the `IndexReport`, and yields the Writes; `removed()` is what the index holds that no source
  gave any more.
- IndexReport: what a run did: indexed, updated, unchanged, removed, skipped (with reasons), notes (what reading
  guessed or changed), seconds, and the extraction report (releases without date or topic, unresolved names).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from . import duplicates
from .documents import Note, Skipped, SourceFile, Unchanged, stamp_path
from .model import Document


MAX_ID_BYTES = 512  # OpenSearch refuses longer ids; one limit for both engines, so they index the same releases


@dataclass
class IndexReport:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    seconds: float = 0.0
    extraction: dict = field(default_factory=dict)
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group -> its versions (more than one)

    @property
    def ok(self) -> bool:
        return not self.skipped

    @property
    def control_characters_removed(self) -> int:
        return sum(note.controls for note in self.notes)

    COUNTS = ("indexed", "updated", "unchanged", "removed")

    def summary(self) -> dict:
        """The report as `depesche index --json` prints it and the index's build info keeps it."""
        return {
            **{name: getattr(self, name) for name in self.COUNTS},
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "notes": [{"source": n.source, "note": n.message} for n in self.notes],
            "control_characters_removed": self.control_characters_removed,
            "seconds": round(self.seconds, 2),
            "duplicate_groups": duplicates.report(self.duplicates),
        }


@dataclass(frozen=True)
class Held:
    hashes: dict[str, str]  # id -> content hash
    stamps: dict[str, str]  # id -> stamp ("" in an index from before stamps)
    by_stamp: dict[str, tuple[str, ...]]
    by_path: dict[str, tuple[str, ...]]

    @classmethod
    def of(cls, known: dict[str, tuple[str, str]]) -> Held:
        """From an engine's `known()`: id -> (content hash, stamp)."""
        by_stamp: dict[str, tuple[str, ...]] = {}
        by_path: dict[str, tuple[str, ...]] = {}
        for doc_id, (_, stamp) in known.items():
            if stamp:
                by_stamp[stamp] = (*by_stamp.get(stamp, ()), doc_id)
                path = stamp_path(stamp)
                by_path[path] = (*by_path.get(path, ()), doc_id)
        hashes = {doc_id: content_hash for doc_id, (content_hash, _) in known.items()}
        return cls(hashes, {doc_id: stamp for doc_id, (_, stamp) in known.items()}, by_stamp, by_path)

    def ids_under(self, path: str) -> tuple[str, ...]:
        """The ids the index holds from the file `path`, or from the files under the folder `path`."""
        if path == ".":  # the source folder itself
            return tuple(self.hashes)
        folder = path.rstrip("/") + "/"
        inside = (ids for held, ids in self.by_path.items() if held.startswith(folder))
        return (*self.by_path.get(path, ()), *(doc_id for ids in inside for doc_id in ids))


@dataclass(frozen=True)
class Write:
    doc: Document
    context_year: int | None
    stamp: str
    change: str  # "indexed" | "updated" | "unchanged"


class Plan:
    """Decides item by item what a run does (see the module doc). `context_year` is `--year`, else the file's."""

    def __init__(self, held: Held, report: IndexReport, context_year: int | None = None):
        self.held, self.report, self.context_year = held, report, context_year
        self.seen: set[str] = set()

    def writes(self, items: Iterable[tuple[SourceFile | None, object]]) -> Iterator[Write]:
        for file, item in items:
            write = self.decide(file, item)
            if write is not None:
                yield write

    def decide(self, file: SourceFile | None, item) -> Write | None:
        if isinstance(item, Unchanged):
            fresh = [doc_id for doc_id in item.ids if doc_id not in self.seen]
            self.seen.update(fresh)
            self.report.unchanged += len(fresh)
        elif isinstance(item, Note):
            self.report.notes.append(item)
        elif isinstance(item, Skipped):
            self.report.skipped.append(item)
            if item.keep_indexed:  # there, but unreadable for now: what the index holds of it stays
                self.seen.update(self.held.ids_under(item.source))
        else:
            return self._document(file, item)
        return None

    def _document(self, file: SourceFile, doc: Document) -> Write | None:
        if len(doc.id.encode("utf-8")) > MAX_ID_BYTES:
            reason = f"id longer than {MAX_ID_BYTES} bytes ({len(doc.id.encode('utf-8'))}): shorten its path or id"
            self.report.skipped.append(Skipped(doc.source, reason))
            return None
        if doc.id in self.seen:
            self.report.skipped.append(Skipped(doc.source, f"duplicate id {doc.id!r}, already indexed from another file"))
            return None
        self.seen.add(doc.id)
        same = self.held.hashes.get(doc.id) == doc.content_hash
        if same and self.held.stamps[doc.id] in (file.stamp, ""):  # "": an index from before stamps, not rewritten
            self.report.unchanged += 1
            return None
        change = "unchanged" if same else "updated" if doc.id in self.held.hashes else "indexed"
        setattr(self.report, change, getattr(self.report, change) + 1)
        return Write(doc, self.context_year or file.context_year, file.stamp, change)

    def removed(self) -> list[str]:
        """The ids the index holds that no source gave in this run, counted as removed."""
        gone = sorted(set(self.held.hashes) - self.seen)
        self.report.removed += len(gone)
        return gone
