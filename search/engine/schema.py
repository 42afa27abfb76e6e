"""The one Whoosh schema of a Depesche index, derived from the field registry (`search.fields`).

Text fields (title, lead, body) are analysed for German and stored for highlighting. Facet fields are
comma-separated keywords, stored so hits can show them. `datekey` is YYYYMMDD as an int (00 for an unknown month
or day, 0 for no year) in a column, for sorting and date ranges. `meta` keeps the whole extracted metadata as JSON
for the document page. `id`, `content_hash` and `stamp` (the file's size and times) are also columns, so an update
reads what the index holds without unpickling every stored document. `arrived` (a column) is when the release
first entered the index (`search.arrival`); `dup_group` and `dup_sketch` are a release's near-duplicate group and
MinHash (`search.duplicates`), columns too.
"""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from ..fields import FACETS as FACET_FIELDS
from ..fields import ARRIVED_FIELD, FIELD_BOOSTS, GROUP_FIELD, ID_FIELD, SKETCH_FIELD, TEXT_FIELDS  # noqa: F401 - re-exported
from .analysis import german_analyzer


def facet_field():
    return KEYWORD(stored=True, commas=True, scorable=False, lowercase=False)


def build_schema() -> Schema:
    analyzer = german_analyzer()
    return Schema(
        id=ID(stored=True, unique=True, sortable=True),
        **{name: TEXT(analyzer=analyzer, stored=True, field_boost=boost) for name, boost in FIELD_BOOSTS.items()},
        source=STORED(),
        url=STORED(),
        content_hash=ID(stored=True, sortable=True),  # columns: an update reads every id and hash in one pass
        stamp=ID(sortable=True),  # size and times of the release's file: an update skips unchanged files unread
        date=STORED(),
        datekey=NUMERIC(int, bits=32, stored=True, sortable=True, signed=False),
        **{ARRIVED_FIELD: NUMERIC(int, bits=64, sortable=True, signed=False, default=0)},  # a column: alerts filter on it
        meta=STORED(),
        # "name\x1frole" per actor and role: which roles each person is seen with, read from the lexicon alone
        actor_role=KEYWORD(commas=True, scorable=False, lowercase=False),
        **{name: facet_field() for name in FACET_FIELDS},
        # the near-duplicate group (see search.duplicates), a column read once per snapshot for collapsing, and
        # the MinHash sketch, a column only: an update reads every release's sketch without its stored text
        **{GROUP_FIELD: ID(stored=True, sortable=True), SKETCH_FIELD: ID(sortable=True)},
    )
