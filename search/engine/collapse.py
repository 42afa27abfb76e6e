"""Near-duplicates as one entry on the Whoosh engine: every version of a release counted and listed once.

Vocabulary (see `search.duplicates` for how groups are made):
- Groups: each document's group number (from the `dup_group` column, read once per snapshot), and `shared`, the
  mask of live documents whose group has other live members: only those need collapsing, so an archive without
  near-duplicates pays nothing.
- collapsing a mask: a group counts once, under every facet value any of its matching versions has (as
  OpenSearch's `cardinality` of the group field per bucket counts); a page lists the best-placed version of each
  group only.
"""

from __future__ import annotations

import numpy as np

from .facets import FacetTable
from .schema import GROUP_FIELD
from .writer import column_strings


class Groups:
    def __init__(self, searcher, live: np.ndarray, collapse: bool = True):
        """The groups of the searcher's documents; `collapse=False`: each document alone (every version counted)."""
        doc_count = live.size
        if collapse and doc_count and searcher.reader().has_column(GROUP_FIELD):
            _, self.of = np.unique(np.array(column_strings(searcher, GROUP_FIELD), dtype=str), return_inverse=True)
        else:  # an index from before the groups: every release its own
            self.of = np.arange(doc_count)
        self.size = np.bincount(self.of[live], minlength=int(self.of.max()) + 1 if doc_count else 0)
        self.shared = live & (self.size[self.of] > 1) if doc_count else np.zeros(0, dtype=bool)
        self.any = bool(self.shared.any())

    def versions(self, docnum: int) -> int:
        """The other live releases of a document's group."""
        return int(self.size[self.of[docnum]]) - 1

    def members(self, docnum: int, live: np.ndarray) -> np.ndarray:
        """The other live documents of a document's group."""
        found = np.flatnonzero((self.of == self.of[docnum]) & live)
        return found[found != docnum]

    def total(self, mask: np.ndarray) -> int:
        if not self.any:
            return int(mask.sum())
        shared = mask & self.shared
        return int((mask & ~self.shared).sum()) + np.unique(self.of[shared]).size

    def counts(self, table: FacetTable, mask: np.ndarray) -> np.ndarray:
        """`table.counts(mask)`, a group counted once per value."""
        if not self.any:
            return table.counts(mask)
        shared = mask & self.shared
        if not shared.any():
            return table.counts(mask)
        docs, values = table.pairs(np.flatnonzero(shared))
        pairs = np.unique(self.of[docs].astype(np.int64) * len(table.values) + values)
        once = np.bincount(pairs % len(table.values), minlength=len(table.values))
        return table.counts(mask & ~self.shared) + once

    def first_each(self, ordered: np.ndarray) -> np.ndarray:
        """`ordered` (document numbers, best first) without the later versions of a group already listed."""
        if not self.any or not ordered.size:
            return ordered
        _, first = np.unique(self.of[ordered], return_index=True)
        return ordered[np.sort(first)]

    def one_each(self, mask: np.ndarray) -> np.ndarray:
        """`mask` with one version (the lowest document number) of each group: what a timeline counts."""
        if not self.any:
            return mask
        docs = np.flatnonzero(mask & self.shared)
        _, first = np.unique(self.of[docs], return_index=True)
        result = mask & ~self.shared
        result[docs[first]] = True
        return result

    def extra(self, mask: np.ndarray) -> int:
        """How many documents of `mask` collapsing drops: a page needs that many more candidates at most."""
        return int(mask.sum()) - self.total(mask) if self.any else 0
