"""The plain data that crosses module boundaries.

Vocabulary:
- Document: one press release as read from disk (id, headline, lead, paragraphs) plus any metadata its
  source record carried (JSONL ``date``, ``url``, ``actors``, ``topics``).
- Metadata: what extraction read out of a document's text: its date (with precision and provenance),
  actors with roles, speakers, topics with the terms that triggered them, countries, organisations.
- SearchParams / Hit / FacetValue / Results: the search API's request and answer. They serialise to the
  JSON contract of ``depesche search --json`` and ``/api/search``.

All of them are frozen dataclasses: engine-neutral, easy to compare in tests, easy to serialise.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date as Date

from .fields import FACETS, LIST_ATTRIBUTES


@dataclass(frozen=True)
class Document:
    id: str
    title: str
    lead: str
    paragraphs: tuple[str, ...]
    source: str  # path relative to the indexed folder, or "file.jsonl#id"
    date: str | None = None  # ISO date from record metadata or a sidecar manifest, if there was one
    date_origin: str | None = None  # "metadata" | "manifest": where `date` came from
    url: str | None = None
    actors: tuple[str, ...] = ()  # given by the record, if any
    topics: tuple[str, ...] = ()  # given by the record, if any
    content_hash: str = ""

    @property
    def body(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def text(self) -> str:
        """Headline, lead and body, one paragraph per line: the release as a reader sees it."""
        return "\n".join([self.title, self.lead, *self.paragraphs])


@dataclass(frozen=True)
class Actor:
    name: str  # canonical display name, "Jens Stoltenberg"
    roles: tuple[str, ...] = ()  # roles seen in the release, "NATO-Generalsekretär", "Generaloberst"
    mentions: tuple[str, ...] = ()  # the surface forms seen, "Y. Stoltenberg", "Stoltenbergs"


@dataclass(frozen=True)
class Topic:
    name: str
    terms: tuple[str, ...] = ()  # the words in the text that triggered the topic


@dataclass(frozen=True)
class DateInfo:
    """A publication date as far as it is known; never a guessed year."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    precision: str = "none"  # "day" | "month" | "year" | "none"
    source: str | None = None  # "metadata" | "manifest" | "text" | "context"

    @property
    def iso(self) -> str | None:
        """YYYY-MM-DD only when the full day is known."""
        if self.year and self.month and self.day:
            return Date(self.year, self.month, self.day).isoformat()
        return None


@dataclass(frozen=True)
class Metadata:
    date: DateInfo = field(default_factory=DateInfo)
    actors: tuple[Actor, ...] = ()
    speakers: tuple[str, ...] = ()
    topics: tuple[Topic, ...] = ()
    countries: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()  # canonical forms: an acronym, else the long form
    organisation_labels: tuple[tuple[str, str], ...] = ()  # (canonical form, long form) where the two differ

    @property
    def roles(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for actor in self.actors:
            for role in actor.roles:
                seen[role] = None
        return tuple(seen)


SORTS = ("relevance", "newest", "oldest")
NO_YEAR = "ohne Jahr"
ACTOR_ROLE_SEPARATOR = "\x1f"  # joins an actor and a role into one indexed value, "name\x1frole"


@dataclass(frozen=True)
class SearchParams:
    query: str = ""
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)  # facet name -> selected values (OR)
    date_from: Date | None = None
    date_to: Date | None = None
    sort: str = "relevance"
    page: int = 1
    per_page: int = 10
    facet_limit: int = 10  # values shown per facet; 0 means all
    facet_filter: dict[str, str] = field(default_factory=dict)  # facet name -> substring to search its values
    arrived: tuple[int, int] | None = None  # (after, until]: only releases that arrived then (`search.arrival`)
    every_version: bool = False  # near-duplicates (search.duplicates) each shown and counted, not once per group
    counted: tuple[str, ...] | None = None  # the facets counted (None: all); a page that shows fewer asks less

    def selected(self, facet: str) -> tuple[str, ...]:
        return tuple(self.filters.get(facet, ()))

    def counted_facets(self) -> tuple[str, ...]:
        """The facets whose counts the answer carries, in FACETS order (the others' are not counted)."""
        return FACETS if self.counted is None else tuple(facet for facet in FACETS if facet in self.counted)


@dataclass(frozen=True)
class FacetValue:
    value: str
    count: int
    selected: bool = False
    label: str = ""  # words shown with the value, when it needs them: an acronym's long form


@dataclass(frozen=True)
class Hit:
    id: str
    title: str
    date: str | None
    year: int | None
    score: float
    actors: tuple[str, ...]
    roles: tuple[str, ...]
    topics: tuple[str, ...]
    countries: tuple[str, ...]
    organisations: tuple[str, ...]
    snippet: str  # HTML: escaped text, matches in <mark>
    source: str
    group: str = ""  # its near-duplicate group (search.duplicates)
    versions: int = 0  # the other releases of that group in the index ("2 weitere Fassungen")


@dataclass(frozen=True)
class Results:
    query: str
    total: int
    page: int
    per_page: int
    hits: tuple[Hit, ...]
    facets: dict[str, tuple[FacetValue, ...]]
    suggestion: str | None = None
    note: str | None = None  # e.g. "query did not parse; searched for the plain words"
    histogram: tuple[tuple[str, int], ...] = ()  # (year or YYYY-MM, count) for the timeline
    relaxed: tuple[int, int, int] | None = None  # (matched, asked, complete): fewer than a few releases had every
    # word (`complete` of them); the results are ranked by how many they have, the best `matched` of `asked`

    def to_json(self) -> dict:
        """The documented JSON contract of `depesche search --json` and `/api/search`."""
        return {
            "query": self.query,
            "total": self.total,
            "page": self.page,
            "per_page": self.per_page,
            "hits": [
                {**asdict(hit), **{k: list(getattr(hit, k)) for k in LIST_ATTRIBUTES}}
                for hit in self.hits
            ],
            "facets": {
                name: [{"value": fv.value, "count": fv.count, **({"label": fv.label} if fv.label else {})} for fv in values]
                for name, values in self.facets.items()
            },
            "suggestion": self.suggestion,
            "relaxed": dict(zip(("matched", "words", "complete"), self.relaxed)) if self.relaxed else None,
            "note": self.note,
        }
