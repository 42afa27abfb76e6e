"""The machine views of a search: an Atom feed (newest first) and a CSV export of the hits with metadata.

Pure functions from Results to text; the views fetch the results and pick the URLs. The CSV's facet columns
are those of the field registry (`search.fields`) that a hit carries.
CSV cells that a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a
leading apostrophe (OWASP's "CSV injection" advice).
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from search import Hit
from search.fields import FACET_REGISTRY

from .urls import atom_id
from .xmlsafe import xml_safe

ATOM = "http://www.w3.org/2005/Atom"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FACET_COLUMNS = tuple((field.csv_column, field.hit_attribute) for field in FACET_REGISTRY if field.csv_column)
CSV_COLUMNS = ("id", "titel", "datum", "jahr", *(column for column, _ in FACET_COLUMNS), "quelle", "adresse")
LIST_SEPARATOR = "; "


def safe_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_text(hits: Iterable[Hit], doc_url: Callable[[str], str]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for hit in hits:
        row = (
            hit.id,
            hit.title,
            hit.date or "",
            hit.year or "",
            *(LIST_SEPARATOR.join(getattr(hit, attribute)) for _, attribute in FACET_COLUMNS),
            hit.source,
            doc_url(hit.id),
        )
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()


def plain(snippet_html: str) -> str:
    return html.unescape(re.sub(r"</?mark>", "", snippet_html))


def _stamp(hit: Hit, fallback: str) -> str:
    if hit.date:
        return f"{hit.date}T00:00:00Z"
    if hit.year:
        return f"{hit.year}-01-01T00:00:00Z"
    return fallback


def atom_feed(
    hits: list[Hit], *, title: str, feed_url: str, page_url: str, doc_url: Callable[[str], str], now: datetime | None = None
) -> bytes:
    """An Atom 1.0 document (RFC 4287). Entries without a date are stamped with the feed's time; every text and
    attribute is XML-safe (`xmlsafe`), so a control character in a release or the query cannot break the feed."""
    ET.register_namespace("", ATOM)
    now_text = (now or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
    feed = ET.Element(f"{{{ATOM}}}feed", {"xml:lang": "de"})

    def add(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM}}}{tag}", {name: xml_safe(value) for name, value in attrs.items()})
        if text is not None:
            element.text = xml_safe(text)
        return element

    add(feed, "id", atom_id(feed_url))
    add(feed, "title", title)
    add(feed, "updated", max((_stamp(hit, now_text) for hit in hits if hit.date or hit.year), default=now_text))
    add(feed, "link", rel="self", type="application/atom+xml", href=feed_url)
    add(feed, "link", rel="alternate", type="text/html", href=page_url)
    author = add(feed, "author")
    add(author, "name", "Depesche")
    add(feed, "generator", "Depesche")
    for hit in hits:
        entry = add(feed, "entry")
        url = doc_url(hit.id)
        add(entry, "id", atom_id(url))
        add(entry, "title", hit.title)
        add(entry, "updated", _stamp(hit, now_text))
        add(entry, "link", rel="alternate", type="text/html", href=url)
        add(entry, "summary", plain(hit.snippet))
        for topic in hit.topics:
            add(entry, "category", term=topic)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
