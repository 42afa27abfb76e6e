"""Release files (`.txt` in the seed's layout: line 1 headline, line 2 lead, then one paragraph a line) and the
sidecar manifests (`manifest.csv` / `manifest.jsonl`) that give them a `date` and a `url`."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

from ..model import Document
from .files import MANIFEST_NAMES, SourceFile, read_bytes, read_text
from .items import Note, Skipped
from .records import date_problem
from .text import clean_text, cleaning_notes, decode

MAX_FILE_BYTES = 5 * 1024 * 1024  # a press release is a few KB; 5 MB is no release, and would stall analysis
MAX_MANIFEST_BYTES = 64 * 1024 * 1024


def parse_release(text: str) -> tuple[str, str, tuple[str, ...]] | None:
    """Headline, lead and paragraphs of a release in the seed's layout; None if it has no text."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    lines = [line for line in lines if line]
    if not lines:
        return None
    return lines[0], (lines[1] if len(lines) > 1 else ""), tuple(lines[2:])


def release_items(file: SourceFile, manifest: dict[str, dict]) -> Iterator[Document | Skipped | Note]:
    """The release of a `.txt` file, after the notes on what reading it guessed or changed; or why it is skipped."""
    source = file.relative
    decoded = read_text(file, MAX_FILE_BYTES)
    if isinstance(decoded, Skipped):
        yield decoded
        return
    text, controls, surrogates = clean_text(decoded.text)
    parsed = parse_release(text)
    if parsed is None:
        yield Skipped(source, "empty file", keep_indexed=True)
        return
    if decoded.guessed:
        yield Note(source, f"encoding guessed: {decoded.encoding}")
    yield from cleaning_notes(source, controls, surrogates)
    doc_id = source.rsplit(".", 1)[0]
    entry = manifest.get(doc_id) or manifest.get(source) or {}
    problem = date_problem(entry["date"]) if entry.get("date") else None
    if problem:
        yield Note(source, f"manifest: {problem}")
    date = None if problem else entry.get("date") or None
    title, lead, paragraphs = parsed
    yield Document(
        id=doc_id,
        title=title,
        lead=lead,
        paragraphs=paragraphs,
        source=source,
        date=date,
        date_origin="manifest" if date else None,
        url=entry.get("url") or None,
        content_hash=decoded.content_hash,
    )


def read_manifest(folder: Path) -> tuple[dict[str, dict], list[Skipped]]:
    """The sidecar manifest of a folder: key (file path without extension) -> {"date", "url"}; and the manifests
    that could not be read."""
    entries: dict[str, dict] = {}
    skipped: list[Skipped] = []
    for name in MANIFEST_NAMES:
        path = folder / name
        if not path.exists():
            continue
        data = read_bytes(SourceFile(path, folder), MAX_MANIFEST_BYTES)
        if isinstance(data, Skipped):
            skipped.append(data)
            continue
        text = decode(data) or ""
        rows = csv.DictReader(text.splitlines()) if name.endswith(".csv") else _jsonl_rows(text)
        for row in rows:
            key = str(row.get("file") or row.get("id") or "").strip()
            if key:
                entries[key.rsplit(".", 1)[0] if key.endswith(".txt") else key] = row
    return entries, skipped


def _jsonl_rows(text: str) -> Iterator[dict]:
    for line in text.splitlines():
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(row, dict):
            yield row
