"""Every parameter of a search, checked in one place, the same way for every client and every engine.

The web routes (query string), the CLI (`depesche search` flags) and library callers (a SearchParams) all pass
through here; what is refused is a BadQuery with a German message saying what to change, never a traceback.

Vocabulary:
- number / day: a value as typed, read strictly: ASCII digits only ("²", "③" and "١" are digits to Python's
  `str.isdigit` and `int`, not to a user), a date as YYYY-MM-DD.
- check: a SearchParams an engine can answer (sort, page, sizes, dates, facet values bounded in number and
  length, years as ASCII digits or "ohne Jahr"), or BadQuery.
- prepare: the typed text made safe for an engine's query parser, with a note telling the user what was changed:
  cut to length and to a number of words at a word boundary (see `querycost`), field names the index does not
  have dropped, unbalanced or too deeply nested quotes or brackets (which parsers turn into a query that finds
  nothing) reduced to the plain words, and range syntax kept only where it means something (years).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from . import querycost
from .errors import BadQuery
from .german.characters import WORD_PATTERN
from .model import FACETS, NO_YEAR, SORTS, SearchParams

MAX_PER_PAGE = 100
MAX_PAGE = 1000
MAX_QUERY_LENGTH = 500
MAX_FACET_VALUES = 50  # values selected in one facet
MAX_FACET_VALUE = 300  # characters of one selected value or facet search
MAX_DOCUMENT_ID = 1000
FIELD_PREFIX = re.compile(r"(\w+):")
QUERYABLE_FIELDS = frozenset({"title", "lead", "body", "id", *FACETS})  # what `field:value` may name, in any engine
OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE", "TO"}
WORD = re.compile(WORD_PATTERN)  # the index's word, joined by any dash
INTEGER = re.compile(r"-?[0-9]{1,9}")  # ASCII only: re's [0-9] is, str.isdigit and int() are not
ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEAR = re.compile(r"[0-9]{1,4}")


# -- single values, as typed ----------------------------------------------------------------------------


def number(text: str | None, label: str, default: int) -> int:
    """An int written in ASCII digits (an optional minus), else BadQuery naming `label`."""
    value = (text or "").strip()
    if not value:
        return default
    if not INTEGER.fullmatch(value):
        raise BadQuery(f"{label} muss eine ganze Zahl aus den Ziffern 0–9 sein, nicht {_shown(value)}.")
    return int(value)


def day(text: str | None, label: str) -> date | None:
    """A date written as YYYY-MM-DD in ASCII digits, and one the calendar has, else BadQuery naming `label`."""
    value = (text or "").strip()
    if not value:
        return None
    try:
        if not ISO_DAY.fullmatch(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise BadQuery(f"{label}: bitte ein Datum als JJJJ-MM-TT angeben (z. B. 2024-03-01), nicht {_shown(value)}.") from None


def document_id(doc_id: str) -> str:
    if len(doc_id) > MAX_DOCUMENT_ID:
        raise BadQuery(f"Die Kennung der Meldung ist zu lang (höchstens {MAX_DOCUMENT_ID} Zeichen).")
    return doc_id


def _shown(value: str) -> str:
    """A refused value as the message quotes it: short, and with invisible characters as escapes."""
    return repr(value if len(value) <= 40 else value[:40] + "…")


# -- a whole request --------------------------------------------------------------------------------------


def check(params: SearchParams) -> None:
    if params.sort not in SORTS:
        raise BadQuery(f"Unbekannte Sortierung {params.sort!r}: relevance, newest oder oldest.")
    if not 1 <= params.per_page <= MAX_PER_PAGE:
        raise BadQuery(f"Treffer pro Seite: 1 bis {MAX_PER_PAGE}.")
    if not 1 <= params.page <= MAX_PAGE:
        raise BadQuery(f"Seite: 1 bis {MAX_PAGE}.")
    if params.facet_limit < 0:
        raise BadQuery("facet_limit darf nicht negativ sein (0 = alle Werte).")
    if params.date_from and params.date_to and params.date_from > params.date_to:
        raise BadQuery("Das Anfangsdatum liegt nach dem Enddatum.")
    _check_filters(params.filters)
    _check_facet_search(params.facet_filter)


def validate(params: SearchParams) -> SearchParams:
    """`check`, and what a client (a web request, the CLI's flags) must also get right: a year is a year. (A
    library caller's unknown year, like any unknown facet value, just finds nothing.)"""
    check(params)
    for value in params.selected("year"):
        if value != NO_YEAR and not is_year(value):
            raise BadQuery(f"Jahr: bitte eine Jahreszahl aus den Ziffern 0–9 (z. B. 2024) oder „{NO_YEAR}“, nicht {_shown(value)}.")
    return params


def is_year(value: str) -> bool:
    """A year as the index files it: ASCII digits ("²".isdigit() is True, int("²") fails)."""
    return bool(YEAR.fullmatch(value))


def _check_filters(filters: Mapping[str, tuple[str, ...]]) -> None:
    for facet, values in filters.items():
        if facet not in FACETS:
            raise BadQuery(f"Unbekannte Facette {_shown(str(facet))}. Möglich sind: {', '.join(FACETS)}.")
        if len(values) > MAX_FACET_VALUES:
            raise BadQuery(f"Zu viele Werte für {facet}: höchstens {MAX_FACET_VALUES} auf einmal.")
        for value in values:
            if not isinstance(value, str) or len(value) > MAX_FACET_VALUE:
                raise BadQuery(f"Ein Wert für {facet} ist zu lang: höchstens {MAX_FACET_VALUE} Zeichen.")


def _check_facet_search(facet_filter: Mapping[str, str]) -> None:
    for facet, needle in facet_filter.items():
        if facet not in FACETS:
            raise BadQuery(f"Unbekannte Facette {_shown(str(facet))}. Möglich sind: {', '.join(FACETS)}.")
        if len(needle) > MAX_FACET_VALUE:
            raise BadQuery(f"Die Suche in {facet} ist zu lang: höchstens {MAX_FACET_VALUE} Zeichen.")


def datekey(day_: date) -> int:
    """A date as the index's sortable int, YYYYMMDD (00 for an unknown month or day)."""
    return day_.year * 10000 + day_.month * 100 + day_.day


def date_range(params: SearchParams) -> tuple[int, int, tuple[int, int]] | None:
    """The date filter as datekeys: (low, high, partial), or None without one. A release dated to the day is in it
    when low <= key <= high; one dated only to a month or a year also when the range starts inside that month or
    year: `partial` holds those two keys (YYYYMM00 and YYYY0000). Other partial keys order correctly by themselves."""
    if not (params.date_from or params.date_to):
        return None
    low = datekey(params.date_from) if params.date_from else 1
    high = datekey(params.date_to) if params.date_to else 99991231
    return low, high, ((low // 100) * 100, (low // 10000) * 10000)


# -- the query text ---------------------------------------------------------------------------------------


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
    notes = []
    if not is_balanced(text):
        notes.append("Anführungszeichen oder Klammern waren nicht geschlossen: es wurde nach den Wörtern gesucht.")
        text = plain_words(text)
    elif querycost.depth(text) > querycost.MAX_DEPTH:
        notes.append(f"Mehr als {querycost.MAX_DEPTH} Klammerebenen ineinander: es wurde nach den Wörtern gesucht.")
        text = plain_words(text)
    for step in (querycost.ranges, lambda t: querycost.cap_words(t, OPERATORS)):
        text, note = step(text)
        notes.append(note)
    unknown = sorted({f for f in FIELD_PREFIX.findall(text) if f not in queryable_fields})
    if unknown:
        notes.append(f"Unbekanntes Feld {', '.join(unknown)}: es wurde ohne Feld gesucht.")
        text = FIELD_PREFIX.sub(lambda m: m.group(0) if m.group(1) in queryable_fields else " ", text)
    return (text.strip() or None), (" ".join(n for n in notes if n) or None)
