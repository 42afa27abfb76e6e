"""The one registry of a release's searchable fields: everything that is derived per field is derived from here.

Vocabulary:
- TextField: analysed German text (title, lead, body); its `boost` weighs a match in it (BM25F field weight on
  Whoosh, a query boost on OpenSearch); `analysis` names the term kinds `search.engine.analysis.index_terms`
  gives for it (one indexed field per kind on OpenSearch).
- FacetField: a metadata value a release is filed under (actor, topic ...): a keyword field in both engines, a
  box in the web page's sidebar (`label`), a repeatable `--flag` of `depesche search` (`cli_help`), and, when a
  hit carries it (`hit_attribute`), a column of the CSV export (`csv_column`).

The Whoosh schema (`engine/schema`), the OpenSearch mapping (`opensearch/mapping`), the CLI's filter options,
the facet sidebar (`web/facets_view`) and the CSV export (`web/exports`) read these: adding a facet is one entry
in FACET_REGISTRY (plus, for the extraction, the value it is filed under in `indexer.facet_values`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TextField:
    name: str
    boost: float
    analysis: str = "german"  # the project's chain, `search.engine.analysis`


@dataclass(frozen=True)
class FacetField:
    name: str
    label: str  # the sidebar's title, German
    csv_column: str | None = None  # None: not exported
    hit_attribute: str | None = None  # the Hit attribute holding its values, if a hit shows them
    cli_help: str | None = None
    person: bool = False  # values name people: a partial name is filed under the full one seen elsewhere

    @property
    def cli_flag(self) -> str:
        return f"--{self.name}"


TEXT_REGISTRY = (TextField("title", 3.0), TextField("lead", 1.8), TextField("body", 1.0))

FACET_REGISTRY = (
    FacetField("actor", "Akteur", "akteure", "actors", "Only releases naming this actor (repeatable: any of them).", person=True),
    FacetField("role", "Rolle", "rollen", "roles"),
    FacetField("speaker", "Sprecher/in", person=True),
    FacetField("topic", "Thema", "themen", "topics"),
    FacetField("year", "Jahr", cli_help='A year, or "ohne Jahr".'),  # a hit's year is its own column, beside the date
    FacetField("country", "Land", "länder", "countries"),
    FacetField("organisation", "Organisation", "organisationen", "organisations"),
)

TEXT_FIELDS = tuple(field.name for field in TEXT_REGISTRY)
FIELD_BOOSTS = {field.name: field.boost for field in TEXT_REGISTRY}
FACETS = tuple(field.name for field in FACET_REGISTRY)
PERSON_FACETS = tuple(field.name for field in FACET_REGISTRY if field.person)
LIST_ATTRIBUTES = tuple(field.hit_attribute for field in FACET_REGISTRY if field.hit_attribute)  # Hit tuples of values
ID_FIELD = "id"
ARRIVED_FIELD = "arrived"  # when a release first entered the index, epoch ms (`search.arrival`): what alerts call new
GROUP_FIELD = "dup_group"  # the near-duplicate group of a release (`search.duplicates`): both engines collapse on it
SKETCH_FIELD = "dup_sketch"  # the release's MinHash, stored only: an update compares new releases with it


def facet(name: str) -> FacetField:
    return next(field for field in FACET_REGISTRY if field.name == name)
