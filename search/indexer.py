"""Building and updating an index from source folders.

Vocabulary:
- IndexEntry: a Document with its extracted Metadata, the facet values it is filed under, and the metadata as
  JSON for the document page. What the engine writes.
- run: an engine's writer for one rebuild or update, fed with `send(doc, context_year, stamp)`: extracting in
  this process (`InProcess`) or in worker processes (`ParallelEntries`, the Whoosh engine's `ParallelRebuild`).
- IndexReport, Plan: what a run did, and what it does with each item read (`search.ingest`).

`index_sources` is three steps: open the run (`open_run`), plan and write what `documents.read_changed` reads
(`write`), finish with the report. A rebuild (the default) writes a new generation and switches to it;
`update=True` changes the live index in place, touching only documents whose content hash changed, and removes
documents whose files are gone.
"""

from __future__ import annotations

import dataclasses
import functools
import multiprocessing
import os
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import duplicates
from .documents import read_changed
from .engine import ParallelRebuild
from .german import families
from .extract import Extractor, facet_roles, metadata_to_json
from .ingest import Held, IndexReport, Plan
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


class InProcess:
    """A writer's run fed in this process: each release extracted here, then added (an update, which touches few
    releases, or a rebuild without workers)."""

    def __init__(self, run, prepare):
        self.run, self.prepare = run, prepare
        self._extracted: list = []

    def known(self):
        return self.run.known()

    def groups(self):
        """(id, group, sketch) of every release the index holds (`duplicates.Grouper`)."""
        return self.run.groups()

    def send(self, *args) -> None:
        entry, report_item = self.prepare(*args)
        self._extracted.append(report_item)
        self.run.add(entry)

    def delete(self, doc_id: str) -> None:
        self.run.delete(doc_id)

    def join(self) -> list:
        """What `prepare` returned for the report, in reading order."""
        return self._extracted

    def finish(self, summary: dict) -> None:
        self.run.finish(summary)

    def abort(self) -> None:
        self.run.abort()


def open_run(root: Path, engine: str | None, url: str | None, update: bool, workers: int, prepare):
    """The run of the chosen engine's writer (see `api.writers`): an update in this process; a rebuild in
    `workers` processes when there are more than one (each writing its own segment on Whoosh, handing entries
    back for one bulk load elsewhere), else in this process."""
    from . import api

    rebuild, updater = api.writers(root, engine, url)
    if update:
        return InProcess(updater(), prepare)
    if workers <= 1:
        return InProcess(rebuild(), prepare)
    if api.engine_name(engine) == "whoosh":
        return ParallelRebuild(api.index_root(root), prepare, workers)
    return ParallelEntries(rebuild(), prepare, workers)


def write(run, plan: Plan, items: Iterable, grouper: duplicates.Grouper) -> list:
    """Send the run every release the plan writes, with the near-duplicate group `grouper` assigns it, delete what
    it removes; what extraction found, for the report (sorted by id when workers extracted it, in no particular
    order)."""
    for step in plan.writes(items):
        run.send(step.doc, step.context_year, step.stamp, grouper.assign(step.doc.id, step.doc.text))
    for doc_id in plan.removed():
        run.delete(doc_id)
        grouper.remove(doc_id)
    extracted = run.join()
    return extracted if isinstance(run, InProcess) else sorted(extracted, key=lambda pair: pair[0].id)


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
    follow_symlinks: bool = False,
) -> IndexReport:
    """Index every release under `sources` into the index at `root` (or the `engine` at `url`, see `api`); see the
    module docstring. `follow_symlinks` reads links that leave a source folder too (see `documents.files`)."""
    started = time.monotonic()
    extractor = extractor or Extractor()
    workers = default_workers() if workers is None else workers
    run = open_run(root, engine, url, update, workers, functools.partial(_prepared, extractor))
    report = IndexReport()
    try:
        plan = Plan(Held.of(run.known() if update else {}), report, context_year)
        grouper = duplicates.Grouper(run.groups() if update else ())
        items = read_changed([Path(s) for s in sources], plan.held.by_stamp, follow_symlinks)
        report.extraction = extractor.report(write(run, plan, progress(items), grouper))
        report.duplicates = grouper.groups()
        report.seconds = time.monotonic() - started
        run.finish(report.summary())
    except BaseException:
        run.abort()
        raise
    report.seconds = time.monotonic() - started  # with the writer's finish (a bulk load, the switch)
    return report
