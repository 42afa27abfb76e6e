"""The fields of a Depesche index in OpenSearch, derived from the field registry (`search.fields`), and a release
as a source document.

OpenSearch does no German analysis of its own: every text field F (title, lead, body) is indexed as the terms the
project's chain makes of it (`search.engine.analysis.index_terms`), one field `F_<kind>` per kind of term, the
terms space-joined and split again by the `whitespace` analyzer. `F_word` keeps positions (phrases, proximity),
the other kinds (`F_part`, the parts of compounds ...) only frequencies; all of F's term fields score with
Whoosh's BM25F weighting of F (`similarities`). F itself is kept in `_source`, not indexed, for display and the
engine-neutral snippets. So both engines search exactly the same terms, and a change
of the analysis is a reindex on both.

Facet fields are keyword arrays (one value per element, so values may contain commas). `date` is a date when the
full day is known; `arrived` when the release first entered the index (`search.arrival`); `datekey` is YYYYMMDD (00 for an unknown month or day), absent for no year, for sorting and
date ranges; `seq` is the order of indexing (an update continues it). `meta_json` is the extracted metadata as
JSON (not indexed).
"""

from __future__ import annotations

import json

from .. import arrival
from ..engine.analysis import index_terms
from ..fields import FACETS as FACET_FIELDS
from ..fields import ARRIVED_FIELD, FIELD_BOOSTS, GROUP_FIELD, SKETCH_FIELD, TEXT_FIELDS

KINDS = tuple(index_terms(""))  # the kinds of term the chain makes ("word", "part" ...): one indexed field each
POSITIONS_KIND = "word"  # the kind phrases and proximity read
ACTOR_ROLE_BUCKETS = 20_000
SHARDS = 2
REPLICAS = 1
MAX_RESULT_WINDOW = 100_100  # page 1000 of 100

_stored = {"type": "keyword", "index": False, "doc_values": False}
ARRIVED_MAPPING = {"type": "long"}  # epoch ms (`search.arrival`); an update adds it to an index built before it


def term_field(field: str, kind: str = POSITIONS_KIND) -> str:
    """The indexed field of one kind of term of a text field: ("title", "word") -> "title_word"."""
    return f"{field}_{kind}"


def _terms_mapping(field: str, kind: str) -> dict:
    options = "positions" if kind == POSITIONS_KIND else "freqs"
    return {"type": "text", "analyzer": "whitespace", "index_options": options, "similarity": similarity_name(field)}


# Whoosh's BM25F (B 0.75, K1 1.2), which weighs a text field twice: its weight multiplies each occurrence before
# the saturation (set at index time there, `field_boost`) and the query's boost multiplies the score; with Whoosh's
# idf, log(N / (df + 1)) + 1. Lucene's own BM25 has neither the first weighting nor this idf: the top hits differ.
BM25F_SCRIPT = (
    "double w = doc.freq * {weight}; double idf = Math.log(field.docCount / (term.docFreq + 1.0)) + 1.0;"
    " double avgfl = field.sumTotalTermFreq / (double) field.docCount;"
    " return query.boost * idf * (w * 2.2) / (w + 1.2 * (0.25 + 0.75 * doc.length / avgfl));"
)


def similarity_name(field: str) -> str:
    return f"bm25f_{field}"


def similarities() -> dict:
    """One scripted similarity per text field: Whoosh's BM25F with that field's weight."""
    return {
        similarity_name(name): {"type": "scripted", "script": {"source": BM25F_SCRIPT.format(weight=FIELD_BOOSTS[name])}}
        for name in TEXT_FIELDS
    }


def mappings() -> dict:
    return {
        "dynamic": "strict",
        "properties": {
            "id": {"type": "keyword"},
            **{name: {"type": "text", "index": False} for name in TEXT_FIELDS},
            **{term_field(name, kind): _terms_mapping(name, kind) for name in TEXT_FIELDS for kind in KINDS},
            "source": _stored,
            "url": _stored,
            "content_hash": _stored,
            "stamp": _stored,
            "date": {"type": "date", "format": "strict_date", "ignore_malformed": True},
            "datekey": {"type": "integer"},
            "seq": {"type": "long"},
            ARRIVED_FIELD: ARRIVED_MAPPING,
            "meta_json": _stored,
            "actor_role": {"type": "keyword"},  # "name\x1frole": which roles each person is seen with
            **{name: {"type": "keyword"} for name in FACET_FIELDS},
            **group_mapping(),
        },
    }


def group_mapping() -> dict:
    """The near-duplicate fields (search.duplicates): the group, a keyword searches collapse on, and the sketch."""
    return {GROUP_FIELD: {"type": "keyword"}, SKETCH_FIELD: _stored}


def index_settings(replicas: int = REPLICAS) -> dict:
    return {"number_of_shards": SHARDS, "number_of_replicas": replicas, "max_result_window": MAX_RESULT_WINDOW,
            "similarity": similarities()}


def analysed(entry) -> dict:
    """The term fields of an `IndexEntry` (see search.indexer): per text field and kind, its terms space-joined."""
    fields = {}
    for name in TEXT_FIELDS:
        terms = index_terms(getattr(entry.doc, name))
        for kind in KINDS:
            fields[term_field(name, kind)] = " ".join(terms.get(kind, ()))
    return fields


def source_of(entry, seq: int, terms: dict | None = None, arrived: int | None = None) -> dict:
    """The source document of an `IndexEntry`: stored text, its term fields (`terms`, else analysed here), facet
    values as keyword arrays; `arrived` (`search.arrival`), now if not given."""
    return {
        **entry.common_fields(),
        ARRIVED_FIELD: arrival.now_ms() if arrived is None else arrived,
        **(terms if terms is not None else analysed(entry)),
        "date": entry.metadata.date.iso,
        "datekey": entry.datekey or None,
        "seq": seq,
        "meta_json": json.dumps(entry.meta, ensure_ascii=False),
        "actor_role": list(entry.actor_roles),
        **{field: [v for v in entry.facets.get(field, ()) if v] for field in FACET_FIELDS},
    }


STORED = ("id", "title", "lead", "body", "source", "url", "content_hash", "stamp", "date", "datekey", "meta_json",
          GROUP_FIELD, *FACET_FIELDS)  # what a search reads back of a release (`_source` includes)


def stored_fields(source: dict) -> dict:
    """A source document in the engine-neutral shape of stored fields (see `search.results`)."""
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
        GROUP_FIELD: source.get(GROUP_FIELD) or source["id"],
        **{field: ",".join(v.replace(",", " ") for v in source.get(field) or ()) for field in FACET_FIELDS},
    }
