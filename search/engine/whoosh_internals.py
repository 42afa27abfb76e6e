"""Every use of a private Whoosh attribute, in one place: what the engine reads past Whoosh's public API to read
a segment's postings, columns and lengths in one piece instead of one call per posting or document.

They are Whoosh 2.7's (`whoosh-reloaded==2.7.5`) codec `whoosh3` and its file-backed columns:
- a postings block (`W3LeafMatcher._data`, `_values`, `_read_data`, `_read_values`, `_next_block`, `_byteids`);
- the term table walked in order (`SegmentReader._terms`, `_codec`, the table's `_postfile`);
- a segment's folder (`SegmentReader._storage.folder`) and a file's path in it (`FileStorage._fpath`);
- a column's bytes (`_dbfile`, `_basepos`, `_count`, `_fixedlen`, `_typecode`, `_default`, `_offsets`,
  `_lengths`) and the length column (`_perdoc._cached_reader`, `whoosh3._lenfield`);
- BM25F's per-field B (`BM25F._field_B`) and a span matcher's test of the current document (`_get_spans`);
- the segment writer's steps (`_flush_segment`, `_finalize_segment`, `_close_segment`, `_commit_toc`,
  `_finish`), which a parallel rebuild calls one by one.

`tests/test_whoosh_internals.py` pins each of them against Whoosh's public answers, so an upgrade that changes
one fails there, not in a query. There is no fallback: a reader of another codec is an error, said loudly.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
from whoosh.columns import EmptyColumnReader
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

PINNED_VERSION = "2.7.5"  # whoosh-reloaded: the version whose internals these are (see the test)


# -- postings ---------------------------------------------------------------------------------------------


def leaf_matcher(reader, field: str, text: bytes):
    """The postings matcher of a term in one segment, without the deletion filters around it."""
    matcher = reader.postings(field, text)
    while hasattr(matcher, "child") and not isinstance(matcher, W3LeafMatcher):
        matcher = matcher.child
    return matcher


def in_blocks(matcher) -> bool:
    """True for a term's postings stored in blocks; False for the few inline postings of a rare term, which the
    public `id()` / `weight()` / `value()` / `next()` read."""
    return isinstance(matcher, W3LeafMatcher) and not matcher._byteids


def blocks(matcher, values: bool = False) -> Iterator[tuple[np.ndarray, np.ndarray, list]]:
    """(ids, weights, values) of each postings block; ids are delta-coded on disk, weights are None (all 1),
    one float for all, or an array; values (the encoded positions) only when asked for, else []."""
    while matcher.is_active():
        if values:
            matcher._read_values()
        if matcher._data is None:
            matcher._read_data()
        ids = np.cumsum(np.asarray(matcher._data[0], dtype=np.int64))
        raw = matcher._data[1]
        weights = (np.ones(ids.size, dtype=np.float32) if raw is None
                   else np.full(ids.size, raw, dtype=np.float32) if isinstance(raw, float)
                   else np.asarray(raw, dtype=np.float32))
        yield ids, weights, (list(matcher._values) if values else [])
        matcher._next_block()


def term_matchers(reader, field: str):
    """(term, its postings matcher) for every term of a field, in lexicon order: one sequential walk of the term
    table instead of a look-up by hash per term."""
    terms = reader._terms
    postings_reader, postfile, fmt = reader._codec.postings_reader, terms._postfile, reader.schema[field].format
    for (name, text), info in terms.items_from(field, b""):
        if name != field:
            break
        yield text, postings_reader(postfile, info, fmt, term=(field, text))


def segment_folder(reader) -> Path:
    """The folder of the storage a segment reader reads."""
    return Path(reader._storage.folder)


def storage_path(storage, name: str) -> str:
    """The path of a file of a FileStorage (what its own `open_file` opens)."""
    return storage._fpath(name)


# -- columns and lengths ----------------------------------------------------------------------------------


def fixed_column(reader, name: str) -> np.ndarray:
    """Every document's value of a fixed-width numeric column of one segment, read in one piece."""
    column = reader.column_reader(name, translate=False)
    count = reader.doc_count_all()
    if isinstance(column, EmptyColumnReader):  # a segment none of whose documents has the column
        return np.array(list(column), dtype=np.int64)
    raw = bytes(column._dbfile.get(column._basepos, column._count * column._fixedlen))
    values = np.full(count, column._default, dtype=np.int64)
    stored = np.frombuffer(raw, dtype=">" + column._typecode).astype(np.int64)[:count]
    values[: stored.size] = stored
    return values


def string_column(reader, name: str) -> list[str]:
    """Every document's value of a variable-width string column of one segment, read in one piece."""
    column = reader.column_reader(name, translate=False)
    if isinstance(column, EmptyColumnReader):  # a segment none of whose documents has the column
        return [value.decode("utf-8") if isinstance(value, bytes) else value for value in column]
    offsets, lengths = column._offsets, column._lengths
    end = max((o + n for o, n in zip(offsets, lengths)), default=0)
    blob = bytes(column._dbfile.get(column._basepos, end))
    return [blob[o : o + n].decode("utf-8") for o, n in zip(offsets, lengths)]


def perdoc_length_codes(perdoc, field: str) -> bytes | None:
    """The byte-coded field lengths of a per-document reader's segment (None: the field stores no lengths)."""
    column = perdoc._cached_reader(_lenfield(field), LENGTHS_COLUMN)
    if column is None:
        return None
    return bytes(column._dbfile.get(column._basepos, column._count))


def length_codes(reader, field: str) -> np.ndarray:
    """`perdoc_length_codes` of a segment reader, one byte per document (0: no length)."""
    codes = np.zeros(reader.doc_count_all(), dtype=np.uint8)
    stored = perdoc_length_codes(reader._perdoc, field)
    if stored:
        stored = stored[: codes.size]
        codes[: len(stored)] = np.frombuffer(stored, dtype=np.uint8)
    return codes


# -- scoring ----------------------------------------------------------------------------------------------


def field_b(weighting, field: str) -> float:
    """BM25F's length normalisation B of one field (its per-field setting, else the default)."""
    return weighting._field_B.get(field, weighting.B)


def spans_match(span_matcher) -> bool:
    """Whether the document a span matcher's child stands on has spans that match (without moving on)."""
    return bool(span_matcher._get_spans())


# -- writing ----------------------------------------------------------------------------------------------


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
        codes = perdoc_length_codes(self.perdoc, fieldname)
        if codes is None:
            return None
        table = [byte_to_length(code) if code else None for code in codes]  # as W3PerDocReader answers
        return table + [None] * (self.perdoc.doc_count_all() + 1 - len(table))  # documents past the column: 0


class LengthsWriter(SegmentWriter):
    """Whoosh's SegmentWriter, writing its postings with the document lengths of `_Lengths`."""

    def _flush_segment(self):
        self.perdocwriter.close()
        perdoc = self.per_document_reader() if self.codec.length_stats else None
        try:
            self.fieldwriter.add_postings(self.schema, _Lengths(perdoc) if perdoc is not None else None,
                                          self.pool.iter_postings())
        finally:
            self.fieldwriter.close()
            if perdoc is not None:
                perdoc.close()


def finalize_segment(writer):
    """Write a worker's documents as a segment without committing it (the parent's TOC will name it)."""
    return writer._finalize_segment()


def close_segment(writer) -> None:
    """Close a writer's (empty) segment files without writing a segment."""
    writer._close_segment()


def commit_segments(writer, segments: list) -> None:
    """Commit the segments the workers wrote, as one TOC, with the writer that holds Whoosh's lock."""
    writer._close_segment()
    writer._commit_toc(segments)
    writer._finish()
