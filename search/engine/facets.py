"""Facet counting from per-document value arrays, instead of scoring every hit.

Vocabulary:
- FacetTable: for one facet field, its distinct values and one row per (document, value) pair, as numpy arrays
  read once from the index's postings when a searcher opens.
- mask: a boolean numpy array over document numbers (True = in the set). A query's matches, a facet
  selection and a date range are all masks; combining filters is `&`, counting a facet is one `bincount`.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np


class FacetTable:
    def __init__(self, values: list[str], pair_doc: np.ndarray, pair_value: np.ndarray, doc_count: int):
        self.values = values
        self.index = {value: number for number, value in enumerate(values)}
        self.pair_doc = pair_doc
        self.pair_value = pair_value
        self.doc_count = doc_count

    @classmethod
    def from_reader(cls, reader, field: str, doc_count: int) -> FacetTable:
        values, docs, value_numbers = [], [], []
        for term in reader.lexicon(field):
            ids = np.fromiter(reader.postings(field, term).all_ids(), dtype=np.int32)
            if ids.size:
                docs.append(ids)
                value_numbers.append(np.full(ids.size, len(values), dtype=np.int32))
                values.append(term.decode("utf-8") if isinstance(term, bytes) else term)
        empty = np.zeros(0, dtype=np.int32)
        return cls(
            values,
            np.concatenate(docs) if docs else empty,
            np.concatenate(value_numbers) if value_numbers else empty,
            doc_count,
        )

    def mask_for(self, selected: Iterable[str]) -> np.ndarray:
        """Documents carrying any of the selected values (OR within a facet)."""
        wanted = np.zeros(len(self.values) + 1, dtype=bool)
        for value in selected:
            if value in self.index:
                wanted[self.index[value]] = True
        mask = np.zeros(self.doc_count, dtype=bool)
        mask[self.pair_doc[wanted[self.pair_value]]] = True
        return mask

    def counts(self, mask: np.ndarray) -> np.ndarray:
        """Per value, how many documents in the mask carry it."""
        return np.bincount(self.pair_value[mask[self.pair_doc]], minlength=len(self.values))

    def values_of(self, docnum: int) -> list[str]:
        return [self.values[v] for v in self.pair_value[self.pair_doc == docnum]]


def top_values(
    table: FacetTable, counts: np.ndarray, selected: tuple[str, ...], limit: int, contains: str = ""
) -> list[tuple[str, int, bool]]:
    """(value, count, selected) by count then value; selected values always included, even at count 0."""
    order = sorted(range(len(table.values)), key=lambda v: (-counts[v], table.values[v].casefold()))
    needle = contains.casefold().strip()
    rows = []
    for number in order:
        value = table.values[number]
        if counts[number] == 0 or (needle and needle not in value.casefold()):
            continue
        rows.append((value, int(counts[number]), value in selected))
    shown = rows[:limit] if limit else rows
    shown_values = {row[0] for row in shown}
    for value in selected:
        if value not in shown_values:
            number = table.index.get(value)
            shown.append((value, int(counts[number]) if number is not None else 0, True))
    return shown
