"""Record files: `.jsonl`, one release a line (`id`, `title`, `lead`, `body` or `paragraphs`, optional `date`, `url`,
`actors`, `topics`).

A line that is no usable record is a `Skipped` at "file:line"; a record is never half-read silently: control
characters removed from it, or a `date` that is no calendar date ("2024-02-30", "99999-01-01"), are a `Note` at
"file:line". A record with an invalid date is indexed without it, dated from its text as a release without a
record date is: that keeps the release and loses only what was wrong (skipping it would lose the text too).
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from ..extract.dates import MIN_YEAR, parse_record_date
from ..model import Document
from .items import Note, Skipped
from .text import clean_text, cleaning_notes, content_hash


def _strings(value) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        return tuple(str(v) for v in value if isinstance(v, (str, int)) and str(v).strip())
    return ()


class _Cleaner:
    """Cleans every string of a parsed record (see `text.clean_text`), counting what it removed."""

    def __init__(self):
        self.controls = self.surrogates = 0

    def __call__(self, value):
        if isinstance(value, str):
            text, controls, surrogates = clean_text(value)
            self.controls += controls
            self.surrogates += surrogates
            return text
        if isinstance(value, list):
            return [self(item) for item in value]
        if isinstance(value, dict):
            return {self(key): self(item) for key, item in value.items()}
        return value


def _load(line: str, cleaner: _Cleaner) -> dict:
    """The JSON object of a line, its strings cleaned. Raw control characters are never JSON's own syntax, so they
    are removed before parsing (`strict=False` lets a raw tab inside a string through)."""
    try:
        record = json.loads(cleaner(line), strict=False)
    except json.JSONDecodeError as error:
        raise ValueError(f"not valid JSON ({error.msg})") from None
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    return cleaner(record)


def _paragraphs(record: dict, lead: str) -> list[str]:
    paragraphs = record.get("paragraphs")
    if not isinstance(paragraphs, list):
        body = record.get("body") or ""
        paragraphs = str(body).split("\n") if body else []
    paragraphs = [str(p).strip() for p in paragraphs if str(p).strip()]
    if paragraphs and lead and paragraphs[0] == lead:
        paragraphs = paragraphs[1:]  # wikinews-style records repeat the lead as the first paragraph
    return paragraphs


def date_problem(value) -> str | None:
    """Why a record's `date` is no date the index can file (the extraction's own rule), or None if it is one."""
    if parse_record_date(str(value))[0] is not None:
        return None
    return f"invalid date {str(value)!r} (no calendar date YYYY-MM-DD, YYYY-MM or YYYY from {MIN_YEAR} on): indexed without it"


def parse_record(line: str, source: str, where: str = "") -> tuple[Document, list[Note]]:
    """One JSONL record of `source` as a Document, with notes (at `where`, its "file:line") on what was changed
    in it. Raises ValueError with a readable reason if unusable."""
    cleaner = _Cleaner()
    record = _load(line, cleaner)
    doc_id = str(record.get("id") or "").strip()
    if not doc_id:
        raise ValueError("record has no id")
    title, lead = str(record.get("title") or "").strip(), str(record.get("lead") or "").strip()
    paragraphs = _paragraphs(record, lead)
    if not (title or lead or paragraphs):
        raise ValueError("record has no text")
    date = record.get("date") or None
    problem = date_problem(date) if date is not None else None
    date = None if problem else date
    doc = Document(
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
    notes = [Note(where or source, problem)] if problem else []
    return doc, notes + cleaning_notes(where or source, cleaner.controls, cleaner.surrogates)


def record_items(text: str, source: str) -> Iterator[Document | Skipped | Note]:
    """The records of a decoded `.jsonl` file, line by line. Lines are split at newlines only: U+2028 and the
    other characters `str.splitlines` also breaks at are text inside a JSON string, not line ends."""
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            doc, notes = parse_record(line, source, where)
        except ValueError as error:
            yield Skipped(where, str(error))
            continue
        yield from notes
        yield doc
