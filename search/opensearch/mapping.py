"""The fields of a Depesche index in OpenSearch, with their names as constants, and a release as a source document.

Text fields (title, lead, body) are analysed for German. Facet fields are keyword arrays (one value per element,
so values may contain commas). `date` is a date when the full day is known; `datekey` is YYYYMMDD (00 for an
unknown month or day), absent for no year, for sorting and date ranges; `seq` is the order of indexing, the
tie-break the Whoosh engine gets from document numbers. `meta` is the extracted metadata as JSON (not indexed),
`preview` the start of lead and body for the snippet of a hit without a match.
"""

from __future__ import annotations

import json

from ..model import FACETS

ID_FIELD = "id"
TEXT_FIELDS = ("title", "lead", "body")
FACET_FIELDS = FACETS
FIELD_BOOSTS = {"title": 3.0, "lead": 1.8, "body": 1.0}
PREVIEW_CHARS = 400
ACTOR_ROLE_BUCKETS = 20_000
SHARDS = 2
REPLICAS = 1
MAX_RESULT_WINDOW = 100_100  # page 1000 of 100
HIGHLIGHT_MAX_OFFSET = 1_000_000

_stored = {"type": "keyword", "index": False, "doc_values": False}


def mappings() -> dict:
    text = {"type": "text", "analyzer": "depesche_german", "search_analyzer": "depesche_german_search"}
    return {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "keyword"},
            **{name: dict(text) for name in TEXT_FIELDS},
            "source": _stored,
            "url": _stored,
            "content_hash": _stored,
            "stamp": _stored,
            "date": {"type": "date", "format": "strict_date", "ignore_malformed": True},
            "datekey": {"type": "integer"},
            "seq": {"type": "long"},
            "meta_json": _stored,
            "preview": {"type": "text", "index": False},
            "actor_role": {"type": "keyword"},  # "name\x1frole": which roles each person is seen with
            **{name: {"type": "keyword"} for name in FACET_FIELDS},
        },
    }


def index_settings(analysis: dict, replicas: int = REPLICAS) -> dict:
    return {
        "number_of_shards": SHARDS,
        "number_of_replicas": replicas,
        "max_result_window": MAX_RESULT_WINDOW,
        "highlight": {"max_analyzed_offset": HIGHLIGHT_MAX_OFFSET},
        "analysis": analysis,
    }


def source_of(entry, seq: int) -> dict:
    """The source document of an `IndexEntry` (see search.indexer): facet values as keyword arrays."""
    text = "\n".join(filter(None, (entry.doc.lead, entry.doc.body)))
    return {
        **entry.common_fields(),
        "date": entry.metadata.date.iso,
        "datekey": entry.datekey or None,
        "seq": seq,
        "meta_json": json.dumps(entry.meta, ensure_ascii=False),
        "preview": text[:PREVIEW_CHARS],
        "actor_role": list(entry.actor_roles),
        **{field: [v for v in entry.facets.get(field, ()) if v] for field in FACET_FIELDS},
    }


def stored_fields(source: dict) -> dict:
    """A source document in the shape of the Whoosh engine's stored fields (facets comma-joined, datekey 0 ...)."""
    return {
        "id": source["id"],
        "title": source.get("title", ""),
        "lead": source.get("lead", ""),
        "body": source.get("body", ""),
        "source": source.get("source", ""),
        "url": source.get("url", ""),
        "content_hash": source.get("content_hash", ""),
        "stamp": source.get("stamp", ""),
        "date": source.get("date") or "",
        "datekey": source.get("datekey") or 0,
        "meta": source.get("meta_json", "{}"),
        **{field: ",".join(v.replace(",", " ") for v in source.get(field) or ()) for field in FACET_FIELDS},
    }
