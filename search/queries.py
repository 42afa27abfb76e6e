"""The query plan for what a user typed, with the project's one analysis and synonym table: what both engines
ask before they translate the tree (`search.querytree`) into their own query language.

- `plan(text)`: the tree, the relaxed tree, the note (see `search.querytree.Planner`);
- `synonyms_table()`: `search/data/synonyms.toml`, reread when the file changes, so an edit needs no reindex, plus
  the archive's own acronyms (an organisation the releases name both ways, see `archive_acronyms`);
- `highlight_terms(plan)`: the index terms, with their kinds' marks, that snippets and document pages mark.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import lru_cache

from . import querycost
from . import querytree as qt
from .engine.analysis import MARKS, word_terms
from .german.synonyms import Synonyms
from .german_data import SYNONYMS_PATH, read_synonym_groups

ORGANISATION = "organisation"  # the facet whose labels are acronyms' long forms (see `search.results`)


@lru_cache(maxsize=4)
def _synonyms(path: str, mtime: float, archive: tuple[tuple[str, str], ...]) -> Synonyms:
    return Synonyms(read_synonym_groups(path) + archive, key=lambda name: word_terms(name).key)


def synonyms_table(archive: tuple[tuple[str, str], ...] = ()) -> Synonyms:
    """The synonym table, reread when the file changes (no reindex: synonyms apply to the query), with the
    archive's own acronyms after the file's groups (a file group wins where both name one word)."""
    return _synonyms(str(SYNONYMS_PATH), os.path.getmtime(SYNONYMS_PATH), archive)


def archive_acronyms(labels: Mapping[str, Mapping[str, str]] | None) -> tuple[tuple[str, str], ...]:
    """(acronym, long form) of the organisations the archive files under an acronym (`results.facet_labels`):
    a search for "AGRP" also finds "Agentur für Grenzschutz der Republik Polen" spelled out, and the reverse."""
    return tuple(sorted((labels or {}).get(ORGANISATION, {}).items()))


def plan(text: str, acronyms: tuple[tuple[str, str], ...] = ()) -> qt.QueryPlan:
    """The query plan for what the user typed (see `search.querytree`); `acronyms` are the engine's
    `archive_acronyms`, read once per index state, which join the synonyms."""
    found = qt.Planner(word_terms, synonyms_table(acronyms)).plan(text)
    querycost.check_size(found.tree, found.relaxed)
    return found


def highlight_terms(plan_: qt.QueryPlan) -> set[str]:
    """The index terms a snippet marks: every positive term of the query, with its kind's mark."""
    return {MARKS[kind] + text for kind, text in plan_.terms}
