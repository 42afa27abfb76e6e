"""Writing documents into an index: a full rebuild into a new generation, or an in-place update.

Both hold the root's writer lock for their whole run. A rebuild becomes visible only when `finish` switches
`current` to it; an update only when Whoosh commits its new segment (an atomic TOC write). A run that fails or
is killed before that leaves the live index exactly as it was.
"""

from __future__ import annotations

import json
import shutil
import time
from contextlib import ExitStack
from pathlib import Path

from . import store
from .schema import FACET_FIELDS

WRITER_MEMORY_MB = 256


def whoosh_fields(entry) -> dict:
    """The Whoosh fields of an `IndexEntry` (see search.indexer)."""
    doc, date = entry.doc, entry.metadata.date
    return {
        "id": doc.id,
        "title": doc.title,
        "lead": doc.lead,
        "body": doc.body,
        "source": doc.source,
        "url": doc.url or "",
        "content_hash": doc.content_hash,
        "date": date.iso or "",
        "datekey": (date.year or 0) * 10000 + (date.month or 0) * 100 + (date.day or 0) if date.year else 0,
        "meta": json.dumps(entry.meta, ensure_ascii=False),
        **{field: ",".join(v.replace(",", " ") for v in entry.facets.get(field, ())) for field in FACET_FIELDS},
    }


class _Run:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._stack = ExitStack()
        self._stack.enter_context(store.writer_lock(self.root))
        self.started = time.time()

    def existing(self) -> dict[str, str]:
        return {}

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
            self.writer = index.writer(limitmb=WRITER_MEMORY_MB)
        except BaseException:
            self.release()
            raise

    def add(self, entry) -> None:
        self.writer.add_document(**whoosh_fields(entry))

    def delete(self, doc_id: str) -> None:  # nothing to delete in a fresh generation
        pass

    def finish(self, summary: dict) -> None:
        try:
            self.writer.commit()
            store.write_build_info(self.generation, self.info(summary))
            previous = self._live()
            store.switch_to(self.root, self.generation)
            # keep the replaced generation one run longer: a reader may still be reading it
            store.remove_stale_generations(self.root, keep=(previous,) if previous else ())
        finally:
            self.release()

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


class Update(_Run):
    """Add, replace and delete documents in the live generation; one Whoosh commit at the end."""

    def __init__(self, root: Path):
        super().__init__(root)
        try:
            self.generation = store.current_generation(self.root)
            self.index = store.open_generation(self.generation)
            self.writer = self.index.writer(limitmb=WRITER_MEMORY_MB)
        except BaseException:
            self.release()
            raise

    def existing(self) -> dict[str, str]:
        """id -> content hash of every live document."""
        with self.index.searcher() as searcher:
            return {fields["id"]: fields.get("content_hash", "") for _, fields in searcher.reader().iter_docs()}

    def add(self, entry) -> None:
        self.writer.update_document(**whoosh_fields(entry))

    def delete(self, doc_id: str) -> None:
        self.writer.delete_by_term("id", doc_id)

    def finish(self, summary: dict) -> None:
        try:
            self.writer.commit()
            info = store.read_build_info(self.generation)
            store.write_build_info(self.generation, {**info, "updated": self.info(summary)})
        finally:
            self.release()

    def abort(self) -> None:
        try:
            self.writer.cancel()
        finally:
            self.release()
