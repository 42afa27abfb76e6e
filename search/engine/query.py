"""From what a user typed to a Whoosh query.

Whoosh's syntax works (AND/OR/NOT, "phrases", field:value). Words combine with AND. A query that does not
parse, or that names a field the index does not have, falls back to a plain-words search, with a note saying so.
"""

from __future__ import annotations

import re

from whoosh import qparser
from whoosh.query import NullQuery, Query

from .schema import FACET_FIELDS, FIELD_BOOSTS, TEXT_FIELDS

MAX_QUERY_LENGTH = 500
FIELD_PREFIX = re.compile(r"(\w+):")
QUERYABLE_FIELDS = set(TEXT_FIELDS) | set(FACET_FIELDS) | {"id"}


def make_parser(schema) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=qparser.AndGroup)
    parser.remove_plugin_class(qparser.WildcardPlugin)  # "*" in a pasted text must not expand to every term
    return parser


def plain_words(text: str) -> str:
    return " ".join(re.findall(r"\w+(?:[-‐‑]\w+)*", text))


def parse(parser: qparser.QueryParser, text: str) -> tuple[Query | None, str | None]:
    """The query for `text` and a note for the user, or (None, None) when there is nothing to search for."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return None, None
    unknown = sorted({f for f in FIELD_PREFIX.findall(text) if f not in QUERYABLE_FIELDS})
    note = None
    if unknown:
        note = f"Unbekanntes Feld {', '.join(unknown)}: es wurde nach den Wörtern gesucht."
        text = plain_words(text)
    try:
        query = parser.parse(text)
    except Exception:  # Whoosh's parser raises assorted errors on odd syntax; the user gets a plain search
        query, note = parser.parse(plain_words(text)), "Die Suchanfrage war nicht lesbar: es wurde nach den Wörtern gesucht."
    if query is None or query is NullQuery or not list(query.leaves()):
        return None, note
    return query, note


def query_words(query: Query | None) -> set[str]:
    """The analysed terms of a query's text fields, for highlighting."""
    if query is None:
        return set()
    words = set()
    for field, text in query.iter_all_terms():
        if field in TEXT_FIELDS:
            words.add(text.decode("utf-8") if isinstance(text, bytes) else text)
    return words
