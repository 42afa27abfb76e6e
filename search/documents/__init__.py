"""Reading press releases from disk: the only code that touches the input files.

Vocabulary:
- source: a path given to `depesche index`: a folder (searched recursively) or a single file.
- release file: a `.txt` file in the seed's layout: line 1 headline, line 2 lead, then one paragraph a line
  (`releases`).
- record file: a `.jsonl` file, one release a line: `id`, `title`, `lead`, `body` or `paragraphs`, and
  optional `date`, `url`, `actors`, `topics` (`records`).
- manifest: an optional sidecar `manifest.csv` / `manifest.jsonl` in a folder, mapping file names (relative to
  that folder, with or without extension) to `date` and `url`.
- SourceFile, stamp: a file found under a source, and what says it is unchanged (`files`).
- Skipped: a path or record that could not be read, with the reason; Note: what reading a release guessed or
  changed (an encoding, control characters, an invalid date); Unchanged: a file an update need not read (`items`).

It yields `Document`s, `Skipped`s and `Note`s; it never raises on bad input, and no path stops a run (`files`).
Decoding and the characters no release may hold are `text`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..model import Document
from .files import (
    MANIFEST_NAMES, RECORD_SUFFIXES, RELEASE_SUFFIXES, SourceFile, list_files, read_bytes, read_text, stamp_path,
)
from .items import Note, Skipped, Unchanged
from .records import parse_record, record_items
from .releases import MAX_FILE_BYTES, parse_release, read_manifest, release_items
from .text import content_hash, decode, decode_text

__all__ = [
    "MANIFEST_NAMES", "MAX_FILE_BYTES", "RECORD_SUFFIXES", "RELEASE_SUFFIXES", "Note", "Skipped",
    "SourceFile", "Unchanged", "content_hash", "decode", "decode_text", "find_files", "parse_record",
    "parse_release", "read_bytes", "read_changed", "read_sources", "read_text", "stamp_path",
]
MAX_RECORD_FILE_BYTES = 2**30  # a record file is an archive's export: large, but read whole

Item = Document | Skipped | Note | Unchanged


def find_files(sources: list[Path], follow_symlinks: bool = False) -> Iterator[SourceFile]:
    """Every release and record file under the sources, in a stable order (see `files.list_files`)."""
    return (found for found in list_files(sources, follow_symlinks) if isinstance(found, SourceFile))


def read_changed(
    sources: list[Path], known: dict[str, tuple[str, ...]], follow_symlinks: bool = False
) -> Iterator[tuple[SourceFile | None, Item]]:
    """Every document, skip and note under the sources, each with the file it came from (None for a path that is
    no file to read); except that a file whose stamp is in `known` (stamp -> ids the index holds from it) is not
    read: it yields `Unchanged(ids)`. An update of a large archive reads only what changed."""
    manifests: dict[Path, dict[str, dict]] = {}
    for found in list_files(sources, follow_symlinks):
        if isinstance(found, Skipped):
            yield None, found
        elif found.stamp in known:
            yield found, Unchanged(known[found.stamp])
        else:
            for item in _file_items(found, manifests):
                yield found, item


def read_sources(
    sources: list[Path], follow_symlinks: bool = False, notes: bool = False
) -> Iterator[tuple[SourceFile | None, Document | Skipped | Note]]:
    """Every document (or skip, and with `notes` every note) under the sources, each with its file."""
    for file, item in read_changed(sources, {}, follow_symlinks):
        if notes or not isinstance(item, Note):
            yield file, item


def _file_items(file: SourceFile, manifests: dict[Path, dict[str, dict]]) -> Iterator[Document | Skipped | Note]:
    if file.is_records:
        yield from _record_file(file)
        return
    if file.root not in manifests:
        manifests[file.root], unreadable = read_manifest(file.root)
        yield from unreadable
    yield from release_items(file, manifests[file.root])


def _record_file(file: SourceFile) -> Iterator[Document | Skipped | Note]:
    decoded = read_text(file, MAX_RECORD_FILE_BYTES)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    if decoded.guessed:
        yield Note(file.relative, f"encoding guessed: {decoded.encoding}")
    yield from record_items(decoded.text, file.relative)
