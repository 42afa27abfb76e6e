"""What a user asks for, checked and made ready for an engine, the same way for every engine.

Vocabulary:
- check: a SearchParams an engine can answer, or BadQuery with a message saying what to change.
- prepare: the typed text made safe for an engine's query parser: cut to length at a word boundary, field names
  the index does not have dropped, and unbalanced quotes or brackets (which parsers turn into a query that finds
  nothing) reduced to the plain words; with a note telling the user what was changed.
"""

from __future__ import annotations

import re

from .errors import BadQuery
from .model import FACETS, SORTS, SearchParams

MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_QUERY_LENGTH = 500
FIELD_PREFIX = re.compile(r"(\w+):")
QUERYABLE_FIELDS = frozenset({"title", "lead", "body", "id", *FACETS})  # what `field:value` may name, in any engine
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
WORD = re.compile(r"\w+(?:[-‐‑]\w+)*")


def check(params: SearchParams) -> None:
    if params.sort not in SORTS:
        raise BadQuery(f"Unbekannte Sortierung {params.sort!r}: relevance, newest oder oldest.")
    if not 1 <= params.per_page <= MAX_PER_PAGE:
        raise BadQuery(f"Treffer pro Seite: 1 bis {MAX_PER_PAGE}.")
    if not 1 <= params.page <= MAX_PAGE:
        raise BadQuery(f"Seite: 1 bis {MAX_PAGE}.")
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise BadQuery("Das Anfangsdatum liegt nach dem Enddatum.")


def datekey(day) -> int:
    """A date as the index's sortable int, YYYYMMDD (00 for an unknown month or day)."""
    return day.year * 10000 + day.month * 100 + day.day


def date_range(params: SearchParams) -> tuple[int, int, tuple[int, int]] | None:
    """The date filter as datekeys: (low, high, partial), or None without one. A release dated to the day is in it
    when low <= key <= high; one dated only to a month or a year also when the range starts inside that month or
    year: `partial` holds those two keys (YYYYMM00 and YYYY0000). Other partial keys order correctly by themselves."""
    if not (params.date_from or params.date_to):
        return None
    low = datekey(params.date_from) if params.date_from else 1
    high = datekey(params.date_to) if params.date_to else 99991231
    return low, high, ((low // 100) * 100, (low // 10000) * 10000)


def plain_words(text: str) -> str:
    """The words of `text`, without syntax or operators."""
    return " ".join(word for word in WORD.findall(text) if word not in OPERATORS)


def is_balanced(text: str) -> bool:
    """Quotes come in pairs and brackets close."""
    depth = 0
    for char in text:
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and text.count('"') % 2 == 0


def prepare(text: str, queryable_fields=QUERYABLE_FIELDS) -> tuple[str | None, str | None]:
    """(text for the engine's parser, note for the user); text is None when there is nothing to search for."""
    text = text.strip()
    if len(text) > MAX_QUERY_LENGTH:  # cut at a word boundary: a half word would be ANDed in and find nothing
        text = text[:MAX_QUERY_LENGTH].rsplit(None, 1)[0]
    note = None
    unknown = sorted({f for f in FIELD_PREFIX.findall(text) if f not in queryable_fields})
    if unknown:
        note = f"Unbekanntes Feld {', '.join(unknown)}: es wurde ohne Feld gesucht."
        text = FIELD_PREFIX.sub(lambda m: m.group(0) if m.group(1) in queryable_fields else " ", text)
    if not is_balanced(text):
        note = "Anführungszeichen oder Klammern waren nicht geschlossen: es wurde nach den Wörtern gesucht."
        text = plain_words(text)
    return (text.strip() or None), note
