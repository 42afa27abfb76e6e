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
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from .documents import Skipped, read_sources
from .engine import Rebuild, Update
from .extract import Extractor, facet_roles, metadata_to_json
from .model import NO_YEAR, Document, Metadata


@dataclass(frozen=True)
class IndexEntry:
    doc: Document
    metadata: Metadata
    facets: dict[str, tuple[str, ...]]
    meta: dict


@dataclass
class IndexReport:
    indexed: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    seconds: float = 0.0
    extraction: dict = field(default_factory=dict)

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


def index_sources(
    sources: Iterable[Path],
    root: Path,
    *,
    update: bool = False,
    context_year: int | None = None,
    extractor: Extractor | None = None,
    progress: Callable[[Iterable], Iterable] = lambda items: items,
) -> IndexReport:
    """Index every release under `sources` into the index at `root`; see the module docstring."""
    started = time.monotonic()
    extractor = extractor or Extractor()
    report = IndexReport()
    run = Update(root) if update else Rebuild(root)
    try:
        existing = run.existing()
        seen: set[str] = set()
        extracted = []
        for file, item in progress(read_sources([Path(s) for s in sources])):
            if isinstance(item, Skipped):
                report.skipped.append(item)
                continue
            if item.id in seen:
                report.skipped.append(Skipped(item.source, f"duplicate id {item.id!r}, already indexed from another file"))
                continue
            seen.add(item.id)
            if existing.get(item.id) == item.content_hash:
                report.unchanged += 1
                continue
            entry = make_entry(extractor, item, context_year or file.context_year)
            extracted.append((dataclasses.replace(item, paragraphs=()), entry.metadata))  # text not kept
            run.add(entry)
            if item.id in existing:
                report.updated += 1
            else:
                report.indexed += 1
        for doc_id in set(existing) - seen:
            run.delete(doc_id)
            report.removed += 1
        report.extraction = extractor.report(extracted)
        report.seconds = time.monotonic() - started
        run.finish(report.summary())
    except BaseException:
        run.abort()
        raise
    return report
