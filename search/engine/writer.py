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

from ..german import families
from . import postings, store
from .schema import FACET_FIELDS, GROUP_FIELD, SKETCH_FIELD

WRITER_MEMORY_MB = 256
# Segments stay separate files: Whoosh reads a compound segment file by copying each part into memory (BytesIO),
# which at 100,000 releases is over 1 GB resident in every searching process; separate files are read in place.


def whoosh_fields(entry) -> dict:
    """The Whoosh fields of an `IndexEntry` (see search.indexer): facet values comma-joined."""
    joined = lambda values: ",".join(v.replace(",", " ") for v in values)  # noqa: E731
    return {
        **entry.common_fields(),
        "date": entry.metadata.date.iso or "",
        "datekey": entry.datekey,
        "meta": json.dumps(entry.meta, ensure_ascii=False),
        "actor_role": joined(entry.actor_roles),
        **{field: joined(entry.facets.get(field, ())) for field in FACET_FIELDS},
    }


def _column_strings(searcher, name: str) -> list[str]:
    """Every document's value of a string column, each segment's read in one piece (not one read a value)."""
    reader = searcher.reader()
    segments = [reader] if reader.is_atomic() else [r for r, _ in reader.leaf_readers()]
    values: list[str] = []
    for segment in segments:
        column = segment.column_reader(name, translate=False)
        try:
            offsets, lengths = column._offsets, column._lengths
            end = max((o + n for o, n in zip(offsets, lengths)), default=0)
            blob = bytes(column._dbfile.get(column._basepos, end))
            values.extend(blob[o : o + n].decode("utf-8") for o, n in zip(offsets, lengths))
        except AttributeError:  # another column layout: value by value
            values.extend(v.decode("utf-8") if isinstance(v, bytes) else v for v in column)
    return values


class _Lengths:
    """What Whoosh's postings writer asks the per-document reader for every posting it writes (the document's
    length of the field, for the block's statistics), answered from one list per field read once: Whoosh's own
    answer decodes a length byte from a column per posting, the largest single cost of its commit."""

    def __init__(self, perdoc):
        self.perdoc = perdoc
        self.tables: dict[str, list | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str, default=0):
        table = self.tables.get(fieldname, False)
        if table is False:
            table = self.tables[fieldname] = self._table(fieldname)
        if table is None:
            return default
        return table[docnum]

    def _table(self, fieldname: str) -> list | None:
        from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
        from whoosh.util.numeric import byte_to_length

        column = self.perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
        if column is None:
            return None
        codes = bytes(column._dbfile.get(column._basepos, column._count))
        table = [byte_to_length(code) if code else None for code in codes]  # as W3PerDocReader answers
        return table + [None] * (self.perdoc.doc_count_all() + 1 - len(table))  # documents past the column: 0


def _segment_writer_class():
    from whoosh.writing import SegmentWriter

    class LengthsWriter(SegmentWriter):
        """Whoosh's SegmentWriter, writing its postings with the document lengths of `_Lengths`."""

        def _flush_segment(self):
            self.perdocwriter.close()
            perdoc = self.per_document_reader() if self.codec.length_stats else None
            try:
                lengths = _Lengths(perdoc) if perdoc is not None and hasattr(perdoc, "_cached_reader") else perdoc
                self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
            finally:
                self.fieldwriter.close()
                if perdoc is not None:
                    perdoc.close()

    return LengthsWriter


def segment_writer(index, **options):
    """`index.writer(**options)`, with the faster postings commit of `_Lengths`."""
    return _segment_writer_class()(index, **options)


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
            self.generation, index = store.new_generation(self.root)
            self.writer = segment_writer(index, limitmb=WRITER_MEMORY_MB, compound=False)
        except BaseException:
            self.release()
            raise

    def add(self, entry) -> None:
        self.writer.add_document(**_known_fields(self.writer.schema, whoosh_fields(entry)))

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
                    target=_segment_worker, args=(self.root, self.generation, prepare, self._jobs, self._results), daemon=True
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
            writer._close_segment()
            writer._commit_toc(self._segments)
            writer._finish()
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


def _segment_worker(root: Path, generation: Path, prepare, jobs, results) -> None:
    """One worker of a ParallelRebuild: prepare, write its own segment, report back."""
    try:
        parent = os.getppid()
        _die_with_parent(parent)  # (store drops this process's copy of the writer lock at fork)

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
                writer.add_document(**_known_fields(writer.schema, whoosh_fields(entry)))
                extracted.append(report_item)
                added += 1
        segment = writer._finalize_segment() if added else None
        if segment is None:
            writer._close_segment()
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
            ids, hashes, stamps = (_column_strings(searcher, name) for name in ("id", "content_hash", "stamp"))
            live = set(reader.all_doc_ids()) if reader.has_deletions() else None
            return {ids[n]: (hashes[n], stamps[n]) for n in range(len(ids)) if live is None or n in live}

    def groups(self) -> list[tuple[str, str, str]]:
        names = ("id", GROUP_FIELD, SKETCH_FIELD)
        with self.index.searcher() as searcher:
            reader = searcher.reader()
            if not all(reader.has_column(name) for name in names):  # an index from before the groups
                return [(doc_id, doc_id, "") for doc_id in self.known()]
            ids, groups, sketches = (_column_strings(searcher, name) for name in names)
            live = set(reader.all_doc_ids()) if reader.has_deletions() else None
            return [(ids[n], groups[n], sketches[n]) for n in range(len(ids)) if live is None or n in live]

    def add(self, entry) -> None:
        self.writer.update_document(**_known_fields(self.writer.schema, whoosh_fields(entry)))

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
