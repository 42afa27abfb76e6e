"""Reading press releases from disk.

Vocabulary:
- source: a path given to `depesche index`: a folder (searched recursively) or a single file.
- release file: a `.txt` file in the seed's layout: line 1 headline, line 2 lead, then one paragraph a line.
- record file: a `.jsonl` file, one release a line: `id`, `title`, `lead`, `body` or `paragraphs`, and
  optional `date`, `url`, `actors`, `topics`.
- manifest: an optional sidecar `manifest.csv` / `manifest.jsonl` in a folder, mapping file names (relative to
  that folder, with or without extension) to `date` and `url`.
- Skipped: a file or record that could not be read, with the reason; reported, never silently dropped.

Only this module reads input files. It yields `Document`s and `Skipped`s; it never raises on bad input.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charset_normalizer import from_bytes

from .model import Document

RELEASE_SUFFIXES = (".txt",)
RECORD_SUFFIXES = (".jsonl",)
MANIFEST_NAMES = ("manifest.csv", "manifest.jsonl")
MAX_FILE_BYTES = 5 * 1024 * 1024  # a press release is a few KB; 5 MB is no release, and would stall analysis
UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")
YEAR_FOLDER = re.compile(r"^(19|20)\d\d$")


@dataclass(frozen=True)
class Skipped:
    source: str
    reason: str


@dataclass(frozen=True)
class SourceFile:
    """One input file with the folder it was found under (ids are relative to that root)."""

    path: Path
    root: Path

    @property
    def relative(self) -> str:
        return self.path.relative_to(self.root).as_posix() if self.path != self.root else self.path.name

    @property
    def context_year(self) -> int | None:
        """The year of the nearest enclosing folder named like `2024/`, if any."""
        for part in reversed(self.path.relative_to(self.root).parts[:-1] if self.path != self.root else ()):
            if YEAR_FOLDER.match(part):
                return int(part)
        return None


def find_files(sources: list[Path]) -> Iterator[SourceFile]:
    """Every release and record file under the sources, in a stable order."""
    for source in sources:
        if source.is_dir():
            for path in sorted(source.rglob("*")):
                if path.is_file() and path.suffix.lower() in RELEASE_SUFFIXES + RECORD_SUFFIXES:
                    yield SourceFile(path, source)
        elif source.is_file():
            yield SourceFile(source, source.parent)


def content_hash(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=12).hexdigest()


def decode(data: bytes) -> str | None:
    """Text of a file: UTF-8 (with or without BOM) first, else the encoding charset-normalizer detects.

    Returns None for binary data: NUL bytes, or no plausible text encoding.
    """
    if b"\x00" in data[:8192]:
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if UTF8_MULTIBYTE.search(data):  # UTF-8 with a few broken bytes: keep the UTF-8, mark the broken bytes
        return data.decode("utf-8-sig", errors="replace")
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in ("utf_16", "utf_32"):
        return None
    return data.decode(best.encoding, errors="replace")


def parse_release(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Headline, lead and paragraphs of a release in the seed's layout; None if it has no text."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None
    return lines[0], (lines[1] if len(lines) > 1 else ""), tuple(lines[2:])


def read_release(file: SourceFile, manifest: dict[str, dict]) -> Document | Skipped:
    source = file.relative
    try:
        data = file.path.read_bytes()
    except OSError as error:
        return Skipped(source, f"cannot read: {error.strerror or error}")
    if len(data) > MAX_FILE_BYTES:
        return Skipped(source, f"too large for a press release ({len(data) / 2**20:.1f} MB, limit {MAX_FILE_BYTES // 2**20} MB)")
    text = decode(data)
    if text is None:
        return Skipped(source, "binary file, not text")
    parsed = parse_release(text)
    if parsed is None:
        return Skipped(source, "empty file")
    title, lead, paragraphs = parsed
    doc_id = source.rsplit(".", 1)[0]
    entry = manifest.get(doc_id) or manifest.get(source) or {}
    date = entry.get("date") or None
    return Document(
        id=doc_id,
        title=title,
        lead=lead,
        paragraphs=paragraphs,
        source=source,
        date=date,
        date_origin="manifest" if date else None,
        url=entry.get("url") or None,
        content_hash=content_hash(data),
    )


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, (str, int)) and str(v).strip())
    return ()


def parse_record(line: str, source: str) -> Document:
    """One JSONL record as a Document. Raises ValueError with a readable reason if unusable."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    doc_id = str(record.get("id") or "").strip()
    if not doc_id:
        raise ValueError("record has no id")
    paragraphs = record.get("paragraphs")
    if not isinstance(paragraphs, list):
        body = record.get("body") or ""
        paragraphs = str(body).split("\n") if body else []
    paragraphs = [str(p).strip() for p in paragraphs if str(p).strip()]
    title = str(record.get("title") or "").strip()
    lead = str(record.get("lead") or "").strip()
    if paragraphs and lead and paragraphs[0] == lead:
        paragraphs = paragraphs[1:]  # wikinews-style records repeat the lead as the first paragraph
    if not (title or lead or paragraphs):
        raise ValueError("record has no text")
    date = record.get("date")
    return Document(
        id=doc_id,
        title=title or lead[:80],
        lead=lead,
        paragraphs=tuple(paragraphs),
        source=f"{source}#{doc_id}",
        date=str(date) if date else None,
        date_origin="metadata" if date else None,
        url=str(record["url"]) if record.get("url") else None,
        actors=_strings(record.get("actors")),
        topics=_strings(record.get("topics")),
        content_hash=content_hash(line.encode("utf-8")),
    )


def read_records(file: SourceFile) -> Iterator[Document | Skipped]:
    source = file.relative
    try:
        data = file.path.read_bytes()
    except OSError as error:
        yield Skipped(source, f"cannot read: {error.strerror or error}")
        return
    text = decode(data)
    if text is None:
        yield Skipped(source, "binary file, not text")
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            yield parse_record(line, source)
        except ValueError as error:
            yield Skipped(f"{source}:{number}", str(error))


def read_manifest(folder: Path) -> dict[str, dict]:
    """The sidecar manifest of a folder: key (file path without extension) -> {"date", "url"}."""
    entries: dict[str, dict] = {}
    for name in MANIFEST_NAMES:
        path = folder / name
        if not path.is_file():
            continue
        text = decode(path.read_bytes()) or ""
        rows = csv.DictReader(text.splitlines()) if name.endswith(".csv") else _jsonl_rows(text)
        for row in rows:
            key = str(row.get("file") or row.get("id") or "").strip()
            if key:
                entries[key.rsplit(".", 1)[0] if key.endswith(".txt") else key] = row
    return entries


def _jsonl_rows(text: str) -> Iterator[dict]:
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict):
            yield row


def read_sources(sources: list[Path]) -> Iterator[tuple[SourceFile, Document | Skipped]]:
    """Every document (or skip) under the sources, each with the file it came from."""
    manifests: dict[Path, dict[str, dict]] = {}
    for file in find_files(sources):
        if file.path.name in MANIFEST_NAMES:
            continue
        if file.path.suffix.lower() in RECORD_SUFFIXES:
            for item in read_records(file):
                yield file, item
            continue
        if file.root not in manifests:
            manifests[file.root] = read_manifest(file.root)
        yield file, read_release(file, manifests[file.root])
