"""A person's page: who they are in the archive, computed from the index's facet data, the same on every engine.

Vocabulary:
- person: a value of the actor facet, as filed ("Jens Stoltenberg"); its *spellings* are that value and the
  aliases filed under it across the archive ("J. Stoltenberg", see `search.results`).
- datekey: a release's date as YYYYMMDD with 00 for an unknown month or day, 0 for no year (the index's column).
- ActorFacts: what an engine counts about a person beyond a filtered search (the contract's `actor_facts`): the
  spellings, per role the first and last dated release (from the "name\\x1frole" values each release is filed
  under), the releases per month, and the people named in the person's releases with how many (a filtered
  search cannot say: a facet's counts ignore its own selection).
- ActorProfile: the page: its ActorFacts (`facts`) plus what one search of the person's releases answers from the
  facet counts (their countries, topics and organisations, the year timeline, the latest releases).

Nothing here reads a stored release except the page of latest hits: everything else is counted by the engine
(numpy masks over facet tables on Whoosh, aggregations on OpenSearch).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from .errors import DepescheError
from .model import ACTOR_ROLE_SEPARATOR, NO_YEAR, FacetValue, Hit, Results, SearchParams

CO_ACTORS = 10  # the people shown as named most often with the person
FACET_VALUES = 8  # countries, topics, organisations shown
COUNTED = ("country", "topic", "organisation", "year")  # the facets the page shows (year: its undated releases)
LATEST = 10  # latest releases shown
SUGGESTIONS = 5  # close names offered for an unknown one
MAX_NAME_CHARS = 200
PLAIN_NAME = re.compile(r"\w+(?:[ .-]+\w+)*\.?")  # words the query syntax keeps as they are
QUERY_SPELLINGS, QUERY_NAME_CHARS = 4, 100  # so the query stays well under the 500 characters an engine reads


class ActorNotFound(DepescheError):
    """No release names this person; `suggestions` are close names the index has."""

    def __init__(self, name: str, suggestions: Sequence[str] = ()):
        super().__init__(f"Keine Meldung nennt {name!r}.")
        self.name = name
        self.suggestions = tuple(suggestions)


@dataclass(frozen=True)
class RolePeriod:
    role: str
    releases: int
    first: int  # datekey of the first dated release naming the person in this role, 0 if none is dated
    last: int


@dataclass(frozen=True)
class ActorFacts:
    name: str
    spellings: tuple[str, ...]  # the name first, then the aliases filed under it
    roles: tuple[RolePeriod, ...]  # most releases first
    months: tuple[tuple[int, int], ...]  # (YYYYMM, releases) of the releases dated to the month, in order
    co_actors: tuple[tuple[str, int], ...] = ()  # (person, releases naming both), most first


@dataclass(frozen=True)
class ActorProfile:
    facts: ActorFacts
    results: Results  # the search filtered to the person, newest first: total, facets, year histogram, latest hits

    @property
    def name(self) -> str:
        return self.facts.name

    def facet(self, name: str) -> tuple[FacetValue, ...]:
        return self.results.facets.get(name, ())[:FACET_VALUES]

    @property
    def latest(self) -> tuple[Hit, ...]:
        return self.results.hits

    @property
    def undated(self) -> int:
        """Releases naming the person that give no year."""
        return next((fv.count for fv in self.results.facets.get("year", ()) if fv.value == NO_YEAR), 0)

    def timeline(self) -> tuple[tuple[str, int], ...]:
        """Releases per month ("YYYY-MM") when the dated ones fall in one year, else per year from the first to the
        last year with one (as the search page's timeline)."""
        years = [number for number, (_, count) in enumerate(self.results.histogram) if count]
        month_years = {key // 100 for key, _ in self.facts.months}
        if len(years) == 1 and len(month_years) == 1:
            year = month_years.pop()
            counts = dict(self.facts.months)
            return tuple((f"{year}-{month:02d}", counts.get(year * 100 + month, 0)) for month in range(1, 13))
        return self.results.histogram[years[0] : years[-1] + 1] if years else ()

    def to_json(self) -> dict:
        """The JSON of `/api/akteur/<name>` and `depesche actor NAME --json`."""
        values = lambda facet: [_value_json(fv) for fv in self.facet(facet)]  # noqa: E731
        hits = self.results.to_json()["hits"]
        return {
            "name": self.name,
            "releases": self.results.total,
            "spellings": list(self.facts.spellings),
            "roles": [
                {"role": p.role, "releases": p.releases, "first": datekey_text(p.first), "last": datekey_text(p.last)}
                for p in self.facts.roles
            ],
            "undated": self.undated,
            "timeline": [{"period": period, "releases": count} for period, count in self.timeline()],
            "co_actors": [{"name": name, "releases": count} for name, count in self.facts.co_actors],
            "countries": values("country"),
            "topics": values("topic"),
            "organisations": values("organisation"),
            "latest": [{key: hit[key] for key in ("id", "title", "date", "year", "actors")} for hit in hits],
        }


def _value_json(value: FacetValue) -> dict:
    return {"value": value.value, "releases": value.count, **({"label": value.label} if value.label else {})}


def datekey_text(key: int) -> str | None:
    """20240315 -> "2024-03-15", 20240300 -> "2024-03", 20240000 -> "2024", 0 -> None."""
    year, month, day = key // 10000, key // 100 % 100, key % 100
    if not year:
        return None
    if not month:
        return f"{year:04d}"
    return f"{year:04d}-{month:02d}-{day:02d}" if day else f"{year:04d}-{month:02d}"


# -- what engines share when reading ActorFacts ----------------------------------------------------------


def spellings(name: str, aliases: Mapping[str, str]) -> tuple[str, ...]:
    """The name and every value filed under it."""
    return (name, *sorted(alias for alias, filed in aliases.items() if filed == name))


def role_value_prefixes(names: Iterable[str]) -> tuple[str, ...]:
    """The start of the "name\\x1frole" values of each spelling."""
    return tuple(name + ACTOR_ROLE_SEPARATOR for name in names)


def actor_facts(
    name: str, names: Sequence[str], role_stats: Iterable[tuple[str, int, int, int]], month_counts: Mapping[int, int],
    actor_counts: Mapping[str, int],
) -> ActorFacts:
    """ActorFacts from what an engine counted: `role_stats` (actor_role value, releases, first, last datekey of
    the dated ones or 0) of the person's spellings `names`, `month_counts` YYYYMM -> releases (month 00, a year
    alone, is left out), `actor_counts` person as filed -> the person's releases naming them."""
    periods: dict[str, list[int]] = {}
    for value, releases, first, last in role_stats:
        spelling, _, role = value.partition(ACTOR_ROLE_SEPARATOR)
        if spelling not in names or not role:
            continue
        seen = periods.setdefault(role, [0, 0, 0])  # a release naming two spellings would count twice; extraction
        seen[0] += releases  # resolves names per release, so none does
        seen[1] = min((key for key in (seen[1], first) if key), default=0)  # 0: no dated release
        seen[2] = max(seen[2], last)
    roles = sorted(
        (RolePeriod(role, *numbers) for role, numbers in periods.items()),
        key=lambda period: (-period.releases, period.role.casefold()),
    )
    months = tuple(sorted((key, count) for key, count in month_counts.items() if key % 100 and count))
    others = [(other, count) for other, count in actor_counts.items() if other != name and count > 0]
    co_actors = tuple(sorted(others, key=lambda item: (-item[1], item[0].casefold()))[:CO_ACTORS])
    return ActorFacts(name, tuple(names), tuple(roles), months, co_actors)


# -- the page ---------------------------------------------------------------------------------------------


def profile(engine, name: str, latest: int = LATEST) -> ActorProfile:
    """The person's page, or ActorNotFound (with close names) if no release names `name`."""
    if len(name) > MAX_NAME_CHARS:  # no person's name is that long: a paste gone wrong, not worth comparing
        raise ActorNotFound(name[:MAX_NAME_CHARS] + " …")
    releases = lambda names: releases_named(names, latest)  # noqa: E731
    page = engine.actor_page(name.strip(), releases) or _by_other_case(engine, name, releases)
    if page is None:
        raise ActorNotFound(name, close_names(engine.facet_vocabulary("actor"), name))
    return ActorProfile(*page)


def facts_then_releases(engine, name: str, releases: Callable[[tuple[str, ...]], SearchParams]):
    """An engine's `actor_page` when asking twice costs nothing extra: its ActorFacts, then the search of
    `releases(spellings)`; None if no release names the person."""
    facts = engine.actor_facts(name)
    return (facts, engine.search(releases(facts.spellings))) if facts else None


def releases_of(facts: ActorFacts, latest: int = LATEST) -> SearchParams:
    return releases_named(facts.spellings, latest)


def releases_named(spellings: Sequence[str], latest: int = LATEST) -> SearchParams:
    """The search for the releases of the person with these spellings (the name first), newest first: a keyword
    query over the spellings when they are plain words, else the actor filter. Both find the same releases; the
    query is cheaper, because a facet's counts ignore its own selection, so under the filter the actor facet is
    counted over the whole index (4x the time on OpenSearch at 100,000 releases). Quotes or apostrophes in a name
    would not survive the query syntax."""
    plain = len(spellings) <= QUERY_SPELLINGS and all(
        len(spelling) <= QUERY_NAME_CHARS and PLAIN_NAME.fullmatch(spelling) for spelling in spellings
    )
    if plain:
        query = " OR ".join(f'actor:"{spelling}"' for spelling in spellings)
        return SearchParams(query=query, sort="newest", per_page=latest, facet_limit=FACET_VALUES, counted=COUNTED)
    return SearchParams(
        filters={"actor": (spellings[0],)}, sort="newest", per_page=latest, facet_limit=FACET_VALUES, counted=COUNTED
    )


def _by_other_case(engine, name: str, releases):
    """The page of the person whose name differs only in case or spaces ("jens  stoltenberg")."""
    wanted = " ".join(name.split()).casefold()
    match = next((value for value in engine.facet_vocabulary("actor") if value.casefold() == wanted), None)
    return engine.actor_page(match, releases) if match else None


def close_names(vocabulary: Sequence[str], name: str, limit: int = SUGGESTIONS) -> list[str]:
    """Names of the index like `name`: the same surname first, then by spelling (difflib's ratio)."""
    wanted = " ".join(name.split()).casefold()
    if not wanted:
        return []
    by_folded = {value.casefold(): value for value in vocabulary}
    last = wanted.split()[-1]
    same_word = [value for folded, value in by_folded.items() if last in folded.split()]
    alike = difflib.get_close_matches(wanted, list(by_folded), n=limit, cutoff=0.6)
    return list(dict.fromkeys([*same_word, *(by_folded[folded] for folded in alike)]))[:limit]
