"""The query plan for what a user typed, with the project's one analysis and synonym table: what both engines
ask before they translate the tree (`search.querytree`) into their own query language.

- `plan(text)`: the tree, the relaxed tree, the note (see `search.querytree.Planner`);
- `synonyms_table()`: `search/data/synonyms.toml`, reread when the file changes, so an edit needs no reindex;
- `highlight_terms(plan)`: the index terms, with their kinds' marks, that snippets and document pages mark.
"""

from __future__ import annotations

import os
from functools import lru_cache

from . import querytree as qt
from .engine.analysis import MARKS, word_terms
from .german.synonyms import DEFAULT_PATH as SYNONYMS_PATH
from .german.synonyms import Synonyms, read_groups


@lru_cache(maxsize=2)
def _synonyms(path: str, mtime: float) -> Synonyms:
    return Synonyms(read_groups(path), key=lambda name: word_terms(name).key)


def synonyms_table() -> Synonyms:
    """The synonym table, reread when the file changes (no reindex: synonyms apply to the query)."""
    return _synonyms(str(SYNONYMS_PATH), os.path.getmtime(SYNONYMS_PATH))


def plan(text: str) -> qt.QueryPlan:
    """The query plan for what the user typed (see `search.querytree`)."""
    return qt.Planner(word_terms, synonyms_table()).plan(text)


def highlight_terms(plan_: qt.QueryPlan) -> set[str]:
    """The index terms a snippet marks: every positive term of the query, with its kind's mark."""
    return {MARKS[kind] + text for kind, text in plan_.terms}
