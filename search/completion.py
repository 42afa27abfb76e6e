"""Name completion for the search box: the people, countries and organisations of the index whose names hold the
typed text, with how many releases name each; engine-neutral (one browsing search with a search inside each
facet's values, `SearchParams.facet_filter`), so both engines complete alike.

Vocabulary: a *completion* is one facet value offered for the typed text, with its facet, count and label (an
acronym's long form). Values with a word that starts with the text come first ("Stol" -> "Jens Stoltenberg"
before "Aristoles"), then by count.
"""

from __future__ import annotations

from dataclasses import dataclass

from .fields import facet as facet_field
from .model import SearchParams

COMPLETED_FACETS = ("actor", "country", "organisation")
MIN_CHARS = 2
MAX_CHARS = 100  # a name is shorter; more is a paste, not typing
CANDIDATES = 30  # values asked of each facet before ranking
LIMIT = 8


@dataclass(frozen=True)
class Completion:
    facet: str
    value: str
    count: int
    label: str = ""

    @property
    def kind(self) -> str:
        return facet_field(self.facet).label  # "Akteur", "Land", "Organisation"


def completions(engine, text: str, limit: int = LIMIT) -> list[Completion]:
    """Up to `limit` completions of `text` (none for fewer than MIN_CHARS letters)."""
    wanted = " ".join(text.split())
    if len(wanted) < MIN_CHARS or len(wanted) > MAX_CHARS:
        return []
    found = engine.search(
        SearchParams(facet_filter={facet: wanted for facet in COMPLETED_FACETS}, facet_limit=CANDIDATES, per_page=1)
    )
    offered = [
        Completion(facet, fv.value, fv.count, fv.label)
        for facet in COMPLETED_FACETS
        for fv in found.facets.get(facet, ())
        if fv.count
    ]
    needle = wanted.casefold()
    return sorted(offered, key=lambda c: (not _word_starts(c, needle), -c.count, c.value.casefold()))[:limit]


def _word_starts(completion: Completion, needle: str) -> bool:
    """Whether a word of the value or its label starts with the text ("stol" in "Jens Stoltenberg")."""
    for name in (completion.value, completion.label):
        folded = name.casefold()
        if folded.startswith(needle) or f" {needle}" in folded or f"-{needle}" in folded:
            return True
    return False
