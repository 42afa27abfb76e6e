"""Building and updating an index from source folders.

Vocabulary:
- IndexEntry: a Document with its extracted Metadata, the facet values it is filed under, and the metadata as
  JSON for the document page. What the engine writes.
- IndexReport: what a run did: indexed, updated, unchanged, removed, skipped (with reasons), seconds, and the
  extraction report (releases without date or topic, unresolved names).

A rebuild (the default) writes a new generation and switches to it; `update=True` changes the live index in
place, touching only documents whose content hash changed, and removes documents whose files are gone.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .documents import (
    MANIFEST_NAMES, RECORD_SUFFIXES, RELEASE_SUFFIXES, Skipped, SourceFile, read_manifest, read_records, read_release,
)
from . import duplicates
from .engine import ParallelRebuild, Rebuild, Update
from .german import families
from .extract import Extractor, facet_roles, metadata_to_json
from .model import ACTOR_ROLE_SEPARATOR, NO_YEAR, Document, Metadata


@dataclass(frozen=True)
class IndexEntry:
    doc: Document
    metadata: Metadata
    facets: dict[str, tuple[str, ...]]
    meta: dict
    stamp: str = ""  # see `file_stamp`
    group: str = ""  # its near-duplicate group and MinHash (see `duplicates`)
    sketch: str = ""

    def common_fields(self) -> dict:
        """What every engine stores of a release as it is."""
        doc = self.doc
        return {
            "id": doc.id,
            "title": doc.title,
            "lead": doc.lead,
            "body": doc.body,
            "source": doc.source,
            "url": doc.url or "",
            "content_hash": doc.content_hash,
            "stamp": self.stamp,
            duplicates.GROUP_FIELD: self.group or doc.id,
            duplicates.SKETCH_FIELD: self.sketch,
        }

    @property
    def datekey(self) -> int:
        """YYYYMMDD as an int, 00 for an unknown month or day; 0 when the year is unknown (sorts and ranges)."""
        date = self.metadata.date
        return date.year * 10000 + (date.month or 0) * 100 + (date.day or 0) if date.year else 0

    @property
    def actor_roles(self) -> tuple[str, ...]:
        """"name\x1frole" for each role each actor is seen with."""
        return tuple(f"{a.name}{ACTOR_ROLE_SEPARATOR}{role}" for a in self.metadata.actors for role in a.roles)


@dataclass(frozen=True)
class Unchanged:
    """A file whose stamp is the one the index holds: its documents, not read again."""

    ids: tuple[str, ...]


def file_stamp(file: SourceFile, manifest_stamp: str = "") -> str:
    """The file's path, size and change times (and its folder's manifest's): equal stamps, unchanged file.

    The same test as git's and rsync's: a rewrite that keeps size and both nanosecond times is not seen.
    """
    return _stamp(str(file.path), str(file.root), manifest_stamp)


def _stamp(path: str, root: str, manifest_stamp: str) -> str:
    try:
        st = os.stat(path)
    except OSError:
        return ""
    relative = path[len(root) + 1 :] if path.startswith(root + os.sep) else os.path.basename(path)
    return f"{relative.replace(os.sep, '/')}|{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}|{manifest_stamp}"


def _scan_paths(sources: list[Path]) -> Iterator[tuple[str, Path]]:
    """(path, root) of every release and record file, in `documents.find_files` order, with os.scandir."""
    suffixes = RELEASE_SUFFIXES + RECORD_SUFFIXES

    def scan(folder: str, root: Path) -> Iterator[tuple[str, Path]]:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            return
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                yield from scan(entry.path, root)
            elif entry.is_file() and os.path.splitext(entry.name)[1].lower() in suffixes:
                yield entry.path, root

    for source in sources:
        if source.is_dir():
            yield from scan(str(source), source)
        elif source.is_file():
            yield str(source), source.parent


def _manifest_stamp(folder: Path) -> str:
    stamps = []
    for name in MANIFEST_NAMES:
        try:
            st = (folder / name).stat()
        except OSError:
            continue
        stamps.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ",".join(stamps)


def read_changed(sources: list[Path], known: dict[str, tuple[str, ...]]) -> Iterator[tuple[SourceFile | None, str, object]]:
    """`documents.read_sources` with each file's stamp, except that a file whose stamp is in `known` (stamp -> ids
    the index holds from it) is not read: it yields `Unchanged(ids)`. An update of a large archive reads only
    what changed."""
    manifests: dict[Path, dict[str, dict]] = {}
    manifest_stamps: dict[Path, tuple[str, str]] = {}
    for path, root in _scan_paths(sources):
        if os.path.basename(path) in MANIFEST_NAMES:
            continue
        if root not in manifest_stamps:
            manifest_stamps[root] = (str(root), _manifest_stamp(root))
        stamp = _stamp(path, *manifest_stamps[root])
        if stamp and stamp in known:
            yield None, stamp, Unchanged(known[stamp])  # no SourceFile built: most of an archive is unchanged
            continue
        file = SourceFile(Path(path), root)
        if file.path.suffix.lower() in RECORD_SUFFIXES:
            for item in read_records(file):
                yield file, stamp, item
            continue
        if file.root not in manifests:
            manifests[file.root] = read_manifest(file.root)
        yield file, stamp, read_release(file, manifests[file.root])


@dataclass
class IndexReport:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    extraction: dict = field(default_factory=dict)
    duplicates: dict[str, tuple[str, ...]] = field(default_factory=dict)  # group -> its versions (more than one)

    @property
    def ok(self) -> bool:
        return not self.skipped

    def summary(self) -> dict:
        return {
            "indexed": self.indexed,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": [{"source": s.source, "reason": s.reason} for s in self.skipped],
            "seconds": round(self.seconds, 2),
            "duplicate_groups": duplicates.report(self.duplicates),
        }


def facet_values(doc: Document, md: Metadata) -> dict[str, tuple[str, ...]]:
    """The facet values a release is filed under: what extraction found, plus what its record declared."""
    actors = dict.fromkeys([a.name for a in md.actors] + list(doc.actors))
    topics = dict.fromkeys([t.name for t in md.topics] + list(doc.topics))
    return {
        "actor": tuple(actors),
        "role": facet_roles(md),
        "speaker": md.speakers,
        "topic": tuple(topics),
        "year": (str(md.date.year),) if md.date.year else (NO_YEAR,),
        "country": md.countries,
        "organisation": md.organisations,
    }


def make_entry(extractor: Extractor, doc: Document, context_year: int | None) -> IndexEntry:
    md = extractor.extract(doc, context_year=context_year)
    return IndexEntry(doc, md, facet_values(doc, md), metadata_to_json(doc, md))


def _prepared(extractor: Extractor, doc: Document, context_year: int | None, stamp: str = "", dup=("", "")):
    """An entry (with `dup`, its near-duplicate group and sketch), and what the extraction report needs of it (the
    text is not kept)."""
    entry = dataclasses.replace(make_entry(extractor, doc, context_year), stamp=stamp, group=dup[0], sketch=dup[1])
    return entry, (dataclasses.replace(doc, paragraphs=()), entry.metadata)


class ParallelEntries:
    """Entries prepared in worker processes for a writer that writes in one place (an OpenSearch bulk load), handed
    to its `add` in the order sent. The workers run `prepare(item, context_year, stamp)` (the extraction, as a
    Whoosh ParallelRebuild's workers do) and the writer's `analyse(entry)`, if it has one (its analysed terms)."""

    BATCH = 32

    def __init__(self, run, prepare, workers: int):
        global _worker_job
        self.run = run
        _worker_job = (prepare, getattr(run, "analyse", None))  # inherited by the forked workers, never pickled
        families.warm()  # the word data once, shared by the workers
        try:
            self._pool = multiprocessing.get_context("fork").Pool(workers)
        except BaseException:
            run.abort()  # the writer's lock must not outlive a run that never started
            raise
        self._batch: list = []
        self._pending: deque = deque()
        self._extracted: list = []
        self._ahead = 4 * workers  # batches in flight at most: memory stays bounded

    def known(self):
        return self.run.known()

    def send(self, *args) -> None:
        self._batch.append(args)
        if len(self._batch) >= self.BATCH:
            self._flush()

    def delete(self, doc_id: str) -> None:
        self.run.delete(doc_id)

    def join(self) -> list:
        """Wait for the workers; what `prepare` returned for the report."""
        self._flush()
        self._drain(0)
        self._pool.close()
        self._pool.join()
        return self._extracted

    def finish(self, summary: dict) -> None:
        self.run.finish(summary)

    def abort(self) -> None:
        self._pool.terminate()
        self.run.abort()

    def _flush(self) -> None:
        if self._batch:
            self._pending.append(self._pool.apply_async(_prepare_batch, (self._batch,)))
            self._batch = []
        self._drain(self._ahead)

    def _drain(self, keep: int) -> None:
        while len(self._pending) > keep or (self._pending and self._pending[0].ready()):
            for entry, report_item, extra in self._pending.popleft().get():
                if extra is None:
                    self.run.add(entry)
                else:
                    self.run.add(entry, extra)
                self._extracted.append(report_item)


_worker_job = None  # (prepare, analyse) of the ParallelEntries that forked this worker


def _prepare_batch(batch: list) -> list:
    prepare, analyse = _worker_job
    done = []
    for args in batch:
        entry, report_item = prepare(*args)
        done.append((entry, report_item, analyse(entry) if analyse else None))
    return done


def default_workers() -> int:
    """Worker processes for a rebuild: one per core, none (in-process) on a single core."""
    count = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return count if count > 1 else 0


def index_sources(
    sources: Iterable[Path],
    root: Path,
    *,
    update: bool = False,
    context_year: int | None = None,
    extractor: Extractor | None = None,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
    workers: int | None = None,
    engine: str | None = None,
    url: str | None = None,
) -> IndexReport:
    """Index every release under `sources` into the index at `root` (or the `engine` at `url`, see `api`); see the
    module docstring.

    A rebuild extracts and analyses in `workers` processes (default: one per core): on Whoosh each worker writes
    its own segment, on OpenSearch they hand entries back for the bulk load (`ParallelEntries`); an update, which
    touches few documents, runs in this process.
    """
    from . import api

    started = time.monotonic()
    extractor = extractor or Extractor()
    report = IndexReport()
    workers = default_workers() if workers is None else workers
    if api.engine_name(engine) != "whoosh":
        rebuild, updater = api.writers(root, engine, url)
        run = updater() if update else rebuild()
        if not update and workers > 1:
            run = ParallelEntries(run, functools.partial(_prepared, extractor), workers)
    elif update:
        run = Update(root)
    elif workers > 1:
        run = ParallelRebuild(root, functools.partial(_prepared, extractor), workers)
    else:
        run = Rebuild(root)
    parallel = isinstance(run, (ParallelRebuild, ParallelEntries))
    try:
        known = run.known() if update else {}
        existing = {doc_id: content_hash for doc_id, (content_hash, _) in known.items()}
        by_stamp: dict[str, tuple[str, ...]] = {}
        by_path: dict[str, tuple[str, ...]] = {}  # the ids the index holds from each file
        for doc_id, (_, stamp) in known.items():
            if stamp:
                by_stamp[stamp] = (*by_stamp.get(stamp, ()), doc_id)
                path = stamp.split("|", 1)[0]
                by_path[path] = (*by_path.get(path, ()), doc_id)
        seen: set[str] = set()
        extracted = []
        grouper = duplicates.Grouper(run.groups() if update else ())
        for file, stamp, item in progress(read_changed([Path(s) for s in sources], by_stamp)):
            if isinstance(item, Unchanged):
                fresh = [doc_id for doc_id in item.ids if doc_id not in seen]
                seen.update(fresh)
                report.unchanged += len(fresh)
                continue
            if isinstance(item, Skipped):
                report.skipped.append(item)
                # a file that is there but unreadable now (half-written, emptied) keeps its indexed version:
                # an update removes only the releases whose files are gone
                seen.update(by_path.get(file.relative, ()) if item.source == file.relative else ())
                continue
            if item.id in seen:
                report.skipped.append(Skipped(item.source, f"duplicate id {item.id!r}, already indexed from another file"))
                continue
            seen.add(item.id)
            same = existing.get(item.id) == item.content_hash
            if same and known[item.id][1] in (stamp, ""):  # "": an index from before stamps, not rewritten for them
                report.unchanged += 1
                continue
            dup = grouper.assign(item.id, item.text)
            if parallel:
                run.send(item, context_year or file.context_year, stamp, dup)
            else:
                entry, report_item = _prepared(extractor, item, context_year or file.context_year, stamp, dup)
                extracted.append(report_item)
                run.add(entry)
            if same:  # only the file's stamp is new (touched, copied): rewritten so the next update skips it unread
                report.unchanged += 1
            elif item.id in existing:
                report.updated += 1
            else:
                report.indexed += 1
        for doc_id in set(existing) - seen:
            run.delete(doc_id)
            grouper.remove(doc_id)
            report.removed += 1
        report.duplicates = grouper.groups()
        if parallel:
            extracted = sorted(run.join(), key=lambda pair: pair[0].id)
        report.extraction = extractor.report(extracted)
        report.seconds = time.monotonic() - started
        run.finish(report.summary())
    except BaseException:
        run.abort()
        raise
    report.seconds = time.monotonic() - started  # with the writer's finish (a bulk load, the switch)
    return report
