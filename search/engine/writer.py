"""Writing documents into an index: a full rebuild into a new generation, or an in-place update.

Both hold the root's writer lock for their whole run. A rebuild becomes visible only when `finish` switches
`current` to it; an update only when Whoosh commits its new segment (an atomic TOC write). A run that fails or
is killed before that leaves the live index exactly as it was.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import queue
import shutil
import time
import traceback
from contextlib import ExitStack
from pathlib import Path

from .. import arrival
from ..fields import ARRIVED_FIELD
from ..german import families
from . import postings, store, whoosh_internals
from .schema import FACET_FIELDS, GROUP_FIELD, SKETCH_FIELD

WRITER_MEMORY_MB = 256
# Segments stay separate files: Whoosh reads a compound segment file by copying each part into memory (BytesIO),
# which at 100,000 releases is over 1 GB resident in every searching process; separate files are read in place.


def whoosh_fields(entry, arrived: int | None = None) -> dict:
    """The Whoosh fields of an `IndexEntry` (see search.indexer): facet values comma-joined; `arrived` (see
    `search.arrival`) now if not given."""
    joined = lambda values: ",".join(v.replace(",", " ") for v in values)  # noqa: E731
    return {
        **entry.common_fields(),
        ARRIVED_FIELD: arrival.now_ms() if arrived is None else arrived,
        "date": entry.metadata.date.iso or "",
        "datekey": entry.datekey,
        "meta": json.dumps(entry.meta, ensure_ascii=False),
        "actor_role": joined(entry.actor_roles),
        **{field: joined(entry.facets.get(field, ())) for field in FACET_FIELDS},
    }


def column_strings(searcher, name: str) -> list[str]:
    """Every document's value of a string column, each segment's read in one piece (not one read a value)."""
    reader = searcher.reader()
    segments = [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]
    return [value for segment in segments for value in whoosh_internals.string_column(segment, name)]


def arrivals_of(generation: Path | None) -> arrival.Arrivals:
    """The arrivals a run writes into the index whose live generation is `generation` (None: no index yet)."""
    if generation is None:
        return arrival.Arrivals({})
    from .facets import leaf_readers
    from .searcher import int_column

    with store.open_generation(generation).searcher() as searcher:
        reader = searcher.reader()
        if ARRIVED_FIELD not in searcher.schema.names() or not reader.doc_count_all():
            return arrival.Arrivals({})  # an index from before arrivals: its releases count as arrived now
        ids, arrived = column_strings(searcher, "id"), int_column(leaf_readers(searcher), ARRIVED_FIELD)
        live = set(reader.all_doc_ids()) if reader.has_deletions() else None
        return arrival.Arrivals({ids[n]: int(arrived[n]) for n in range(len(ids)) if live is None or n in live})


def segment_writer(index, **options):
    """`index.writer(**options)`, with the faster postings commit of `whoosh_internals.LengthsWriter`."""
    return whoosh_internals.LengthsWriter(index, **options)


def _known_fields(schema, fields: dict) -> dict:
    """The fields the index's own schema has: an index built before a field was added stays updatable."""
    return {name: value for name, value in fields.items() if name in schema}


class _Run:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._stack = ExitStack()
        self._stack.enter_context(store.writer_lock(self.root))
        self.started = time.time()

    def known(self) -> dict[str, tuple[str, str]]:
        return {}

    def groups(self) -> list[tuple[str, str, str]]:
        """(id, near-duplicate group, sketch) of every live document (see search.duplicates)."""
        return []

    def info(self, summary: dict) -> dict:
        return {"built": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(time.time() - self.started, 2), **summary}

    def release(self):
        self._stack.close()


class Rebuild(_Run):
    """A new generation, switched to at the end. Leftovers of killed runs are removed first."""

    def __init__(self, root: Path):
        super().__init__(root)
        try:
            store.remove_stale_generations(self.root)
            self.arrivals = self._previous_arrivals()
            self.generation, index = store.new_generation(self.root)
            self.writer = segment_writer(index, limitmb=WRITER_MEMORY_MB, compound=False)
        except BaseException:
            self.release()
            raise

    def add(self, entry) -> None:
        fields = whoosh_fields(entry, self.arrivals.of(entry.doc.id))
        self.writer.add_document(**_known_fields(self.writer.schema, fields))

    def delete(self, doc_id: str) -> None:  # nothing to delete in a fresh generation
        pass

    def finish(self, summary: dict) -> None:
        try:
            self.writer.commit()
            self._switch(summary)
        finally:
            self.release()

    def _switch(self, summary: dict) -> None:
        """Make the finished generation live, with its build info (and the side postings of any segment still
        without them: they are part of the generation, written before it goes live)."""
        postings.write_generation(self.generation)
        store.write_build_info(self.generation, self.info(summary))
        previous = self._live()
        store.switch_to(self.root, self.generation)
        # keep the replaced generation one run longer: a reader may still be reading it
        store.remove_stale_generations(self.root, keep=(previous,) if previous else ())

    def abort(self) -> None:
        try:
            self.writer.cancel()
        finally:
            shutil.rmtree(self.generation, ignore_errors=True)
            self.release()

    def _previous_arrivals(self) -> arrival.Arrivals:
        """A rebuild keeps when each release arrived, unless the index it replaces cannot be read: a rebuild is how
        a broken index is repaired, so it must not fail for that (its releases then count as arrived now)."""
        try:
            return arrivals_of(self._live())
        except Exception:
            return arrival.Arrivals({})

    def _live(self) -> Path | None:
        try:
            return store.current_generation(self.root)
        except Exception:
            return None


class ParallelRebuild(Rebuild):
    """A rebuild whose documents are prepared and analysed by `procs` worker processes, one segment each.

    The parent reads sources and hands items out in batches (`send`); each worker turns an item into an entry with
    `prepare(item, context_year)` (metadata extraction), writes it into its own Whoosh segment and, at `join`,
    hands back its segment and what `prepare` extracted. `finish` commits the workers' segments in one TOC,
    then switches `current` as `Rebuild` does; nothing is visible before that.
    """

    BATCH = 64

    def __init__(self, root: Path, prepare, procs: int = 2):
        super().__init__(root)
        families.warm()  # the word data once, before the workers fork: they share it
        try:
            context = multiprocessing.get_context("fork")
            self._jobs = context.Queue(maxsize=4 * procs)
            self._results = context.Queue()
            self._batch: list = []
            self._segments: list = []
            self._workers = [
                context.Process(
                    target=_segment_worker, daemon=True,
                    args=(self.root, self.generation, prepare, self.arrivals, self._jobs, self._results),
                )
                for _ in range(procs)
            ]
            for worker in self._workers:
                worker.start()
        except BaseException:
            self.abort()
            raise

    def send(self, *args) -> None:
        """Queue `prepare(*args)` for a worker."""
        self._batch.append(args)
        if len(self._batch) >= self.BATCH:
            self._put(self._batch)
            self._batch = []

    def join(self) -> list:
        """Wait for the workers; what `prepare` returned for the report, in no particular order."""
        if self._batch:
            self._put(self._batch)
            self._batch = []
        for _ in self._workers:
            self._put(None)
        extracted = []
        for _ in self._workers:
            kind, payload = self._get()
            if kind == "error":
                raise RuntimeError(f"an indexing worker failed:\n{payload}")
            segment, worker_extracted = payload
            if segment is not None:
                self._segments.append(segment)
            extracted.extend(worker_extracted)
        for worker in self._workers:
            worker.join()
        return extracted

    def finish(self, summary: dict) -> None:
        try:
            writer = self.writer  # the parent's writer holds Whoosh's lock and writes the TOC naming every segment
            whoosh_internals.commit_segments(writer, self._segments)
            self._switch(summary)
        finally:
            self.release()

    def abort(self) -> None:
        for worker in getattr(self, "_workers", ()):
            if worker.is_alive():
                worker.terminate()
            worker.join()
        super().abort()

    def _put(self, job) -> None:
        while True:
            try:
                self._jobs.put(job, timeout=1)
                return
            except queue.Full:
                self._check_workers()

    def _get(self):
        while True:
            try:
                return self._results.get(timeout=1)
            except queue.Empty:
                self._check_workers()

    def _check_workers(self) -> None:
        for worker in self._workers:
            if not worker.is_alive() and worker.exitcode not in (0, None):
                raise RuntimeError(f"an indexing worker died (exit code {worker.exitcode})")


def _segment_worker(root: Path, generation: Path, prepare, arrivals, jobs, results) -> None:
    """One worker of a ParallelRebuild: prepare, write its own segment, report back."""
    try:
        store.HELD_LOCKS.drop_inherited()  # the parent's writer lock is the parent's: it dies with the parent
        parent = os.getppid()
        _die_with_parent(parent)

        writer = segment_writer(store.open_generation(generation), _lk=False, limitmb=WRITER_MEMORY_MB // 2, compound=False)
        extracted, added = [], 0
        while True:
            try:
                batch = jobs.get(timeout=2)
            except queue.Empty:
                if os.getppid() != parent:  # the parent was killed: give up (and with it the inherited lock)
                    os._exit(1)
                continue
            if batch is None:
                break
            for args in batch:
                entry, report_item = prepare(*args)
                fields = whoosh_fields(entry, arrivals.of(entry.doc.id))
                writer.add_document(**_known_fields(writer.schema, fields))
                extracted.append(report_item)
                added += 1
        segment = whoosh_internals.finalize_segment(writer) if added else None
        if segment is None:
            whoosh_internals.close_segment(writer)
        else:  # this worker's segment's side postings, here, in parallel with the other workers'
            from whoosh.filedb.filestore import FileStorage
            from whoosh.reading import SegmentReader

            reader = SegmentReader(FileStorage(str(generation)), writer.schema, segment)  # memory-mapped reads
            try:
                postings.write_segment(reader, postings.side_folder(reader))
            finally:
                reader.close()
        results.put(("done", (segment, extracted)))
    except BaseException:
        results.put(("error", traceback.format_exc()))


def _die_with_parent(parent: int) -> None:
    """Ask Linux to kill this worker when the run that forked it dies (a worker can block on a half-written job)."""
    try:
        import ctypes
        import signal

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: the getppid() check in the job loop remains
    if os.getppid() != parent:
        os._exit(1)


class Update(_Run):
    """Add, replace and delete documents in the live generation; one Whoosh commit at the end."""

    def __init__(self, root: Path):
        super().__init__(root)
        try:
            self.generation = store.current_generation(self.root)
            self.index = store.open_generation(self.generation)
            self.arrivals = arrivals_of(self.generation)  # a rewritten release keeps when it arrived
            self.writer = segment_writer(self.index, limitmb=WRITER_MEMORY_MB, compound=False)
        except BaseException:
            self.release()
            raise

    def known(self) -> dict[str, tuple[str, str]]:
        """id -> (content hash, file stamp) of every live document, read from columns (stored fields if none)."""
        with self.index.searcher() as searcher:
            reader = searcher.reader()
            if not all(reader.has_column(name) for name in ("id", "content_hash", "stamp")):
                return {fields["id"]: (fields.get("content_hash", ""), "") for _, fields in reader.iter_docs()}
            ids, hashes, stamps = (column_strings(searcher, name) for name in ("id", "content_hash", "stamp"))
            live = set(reader.all_doc_ids()) if reader.has_deletions() else None
            return {ids[n]: (hashes[n], stamps[n]) for n in range(len(ids)) if live is None or n in live}

    def groups(self) -> list[tuple[str, str, str]]:
        names = ("id", GROUP_FIELD, SKETCH_FIELD)
        with self.index.searcher() as searcher:
            reader = searcher.reader()
            if not all(reader.has_column(name) for name in names):  # an index from before the groups
                return [(doc_id, doc_id, "") for doc_id in self.known()]
            ids, groups, sketches = (column_strings(searcher, name) for name in names)
            live = set(reader.all_doc_ids()) if reader.has_deletions() else None
            return [(ids[n], groups[n], sketches[n]) for n in range(len(ids)) if live is None or n in live]

    def add(self, entry) -> None:
        fields = whoosh_fields(entry, self.arrivals.of(entry.doc.id))
        self.writer.update_document(**_known_fields(self.writer.schema, fields))

    def delete(self, doc_id: str) -> None:
        self.writer.delete_by_term("id", doc_id)

    def finish(self, summary: dict) -> None:
        try:
            self.writer.commit()
            # the new segment's side postings: until they are written, readers read it from Whoosh's postings
            postings.write_generation(self.generation)
            info = store.read_build_info(self.generation)
            store.write_build_info(self.generation, {**info, "updated": self.info(summary)})
        finally:
            self.release()

    def abort(self) -> None:
        try:
            self.writer.cancel()
        finally:
            self.release()
