"""The engine-neutral half of answering a search: from what an engine counted and stored to `Results`.

Every engine (see `engines`) finds the matches, counts facet values and years, and reads the stored fields of one
page of hits; everything after that is here, so both engines answer in the same shape and order.

Vocabulary:
- stored fields: a release as an engine stores it, in one shape for every engine: `id`, `title`, `lead`, `body`,
  `date`, `year`, `source`, `meta` (the extracted metadata as JSON) and each facet's values (a comma-joined string
  or a list; `values_of` reads both).
- ordered counts: (value, count) pairs by count, then by value case-insensitively: a facet's order.
- aliases: per merged facet (`MERGED_FACETS`), a value -> the value it is filed under, found from the facet's own
  values: for persons a partial name or another spelling -> the full name ("L. Tschanturia" -> "Lewan
  Tschanturia", see `search.extract.canonical_names`); for organisations a long form -> the acronym the archive
  uses for it ("Agentur für Grenzschutz der Republik Polen" -> "AGRP", `search.extract.canonical_organisations`).
- labels: per facet, a value -> the words shown with it: an acronym's long form ("AGRP" -> "Agentur für
  Grenzschutz der Republik Polen"), the long form filed under it that most releases write.
- words: the analysed terms of the query (see `highlight`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping

from . import highlight
from .extract import canonical_names, canonical_organisations
from .fields import FACET_REGISTRY, GROUP_FIELD, PERSON_FACETS
from .model import NO_YEAR, FacetValue, Hit, SearchParams
from .params import is_year

Aliases = Mapping[str, Mapping[str, str]]  # merged facet -> value -> the value it is filed under
ORGANISATION = "organisation"
MERGED_FACETS = (*PERSON_FACETS, ORGANISATION)  # facets whose values are filed under another one (see `aliases`)


def values_of(value) -> tuple[str, ...]:
    """A stored facet value as its values: "a,b" or ["a", "b"] -> ("a", "b")."""
    if isinstance(value, str):
        value = value.split(",")
    return tuple(v for v in value or () if v)


def merge_rule(facet: str) -> Callable | None:
    """The function that files a facet's values under others (values, or value -> releases -> {value: filed
    under}), or None for a facet whose values stand as they are."""
    if facet in PERSON_FACETS:
        return canonical_names
    return canonical_organisations if facet == ORGANISATION else None


def facet_aliases(vocabulary: Callable[[str], Iterable[str]]) -> dict[str, dict[str, str]]:
    """The aliases of every merged facet, from `vocabulary(facet)`, that facet's values across the index (with how
    many releases carry each, when known: a spelling is shown as the one used most, as on the Whoosh engine)."""
    found = {facet: vocabulary(facet) for facet in MERGED_FACETS}  # values, or value -> releases carrying it
    return {facet: merge_rule(facet)(v if isinstance(v, Mapping) else list(v)) for facet, v in found.items()}


def facet_labels(aliases: Aliases, counts: Mapping[str, Mapping[str, int]] | None = None) -> dict[str, dict[str, str]]:
    """Labels of the organisation facet's acronyms: the long form filed under each (the one most releases write,
    when `counts` (facet -> value -> releases) says; ties and no counts: the alphabetically first). Person
    facets need none: the value is the name."""
    filed = aliases.get(ORGANISATION, {})
    releases = (counts or {}).get(ORGANISATION, {})
    labels: dict[str, str] = {}
    for long, acronym in sorted(filed.items(), key=lambda item: (-releases.get(item[0], 0), item[0])):
        labels.setdefault(acronym, long)
    return {ORGANISATION: labels} if labels else {}


def canonical(values: Iterable[str], aliases: Mapping[str, str]) -> tuple[str, ...]:
    """Values with partial names replaced by full ones, each once."""
    return tuple(dict.fromkeys(aliases.get(v, v) for v in values))


def merged_counts(counts: Mapping[str, int], aliases: Mapping[str, str]) -> dict[str, int]:
    """Counts with each alias's count added to its full name's (for an engine that counts the values as indexed;
    a release naming both forms is then counted twice, which extraction avoids by resolving names per release)."""
    merged: dict[str, int] = {}
    for value, count in counts.items():
        name = aliases.get(value, value)
        merged[name] = merged.get(name, 0) + count
    return merged


def ordered_counts(counts: Mapping[str, int]) -> list[tuple[str, int]]:
    """(value, count) with a count, by count and then by value case-insensitively."""
    return sorted(((v, c) for v, c in counts.items() if c > 0), key=lambda item: (-item[1], item[0].casefold()))


def facet_values(
    ordered: Iterable[tuple[str, int]], selected: tuple[str, ...], limit: int, contains: str, count_of: Callable[[str], int],
    labels: Mapping[str, str] | None = None,
) -> tuple[FacetValue, ...]:
    """The values a facet shows: the first `limit` (0: all) of `ordered` whose value or label contains `contains`
    (case-insensitive, the search inside a facet: "Grenzschutz" finds "AGRP"), then every selected value not among
    them, with `count_of(value)` (0 if none); each with its label from `labels`, if it has one."""
    labels = labels or {}
    needle = contains.casefold().strip()
    shown: list[FacetValue] = []
    for value, count in ordered:
        label = labels.get(value, "")
        if needle and needle not in value.casefold() and needle not in label.casefold():
            continue
        shown.append(FacetValue(value, count, value in selected, label))
        if limit and len(shown) >= limit:
            break
    seen = {fv.value for fv in shown}
    shown.extend(FacetValue(value, count_of(value), True, labels.get(value, "")) for value in selected if value not in seen)
    return tuple(shown)


def histogram(params: SearchParams, years: Mapping[str, int], months: Mapping[int, int]) -> tuple[tuple[str, int], ...]:
    """The timeline: matches per month (YYYY-MM) of the one selected year, else per year of the index (0 where
    none matched; releases without a year are left out). `years`: year value -> count; `months`: 1..12 -> count."""
    selected = params.selected("year")
    if len(selected) == 1 and is_year(selected[0]):
        return tuple((f"{selected[0]}-{month:02d}", int(months.get(month, 0))) for month in range(1, 13))
    return tuple(sorted((year, int(count)) for year, count in years.items() if year != NO_YEAR))


def hit(fields: Mapping, score: float, words: set[str], aliases: Aliases) -> Hit:
    """A hit from its stored fields: person names filed as the facets file them, a snippet for `words`."""
    listed = {
        field.hit_attribute: canonical(values_of(fields.get(field.name)), aliases.get(field.name, {}))
        for field in FACET_REGISTRY
        if field.hit_attribute
    }
    year = str(fields.get("year") or "")
    text = "\n".join(filter(None, (fields.get("lead", ""), fields.get("body", ""))))
    return Hit(
        id=fields["id"],
        title=fields.get("title", ""),
        date=fields.get("date") or None,
        year=int(year) if year.isdigit() else None,
        score=round(float(score or 0.0), 4),
        snippet=highlight.snippet(text, words),
        source=fields.get("source", ""),
        group=fields.get(GROUP_FIELD) or fields["id"],
        **listed,
    )


def document(fields: dict, words: set[str], aliases: Aliases) -> dict:
    """The document page's data: the stored fields, the metadata with names as the facets file them, and title,
    lead and paragraphs marked for `words`."""
    mark = lambda text: highlight.mark_all(text, words)  # noqa: E731
    return {
        **fields,
        "meta": canonical_meta(json.loads(fields.get("meta") or "{}"), aliases),
        "title_html": mark(fields.get("title", "")),
        "lead_html": mark(fields.get("lead", "")),
        "paragraphs_html": [mark(p) for p in fields.get("body", "").split("\n") if p],
    }


def canonical_meta(meta: dict, aliases: Aliases) -> dict:
    """A release's metadata with values replaced by those the facets file them under: partial names by full
    ones, a long form by the archive's acronym (which then gets the long form as its label)."""
    actors, speakers = aliases.get("actor", {}), aliases.get("speaker", {})
    for actor in meta.get("actors") or ():
        actor["name"] = actors.get(actor.get("name"), actor.get("name"))
    meta["speakers"] = list(canonical(meta.get("speakers") or (), speakers))
    organisations = aliases.get(ORGANISATION, {})
    if meta.get("organisations"):
        labels = dict(meta.get("organisation_labels") or {})
        for name in meta["organisations"]:
            if name in organisations:
                labels.setdefault(organisations[name], name)
        meta["organisations"] = list(canonical(meta["organisations"], organisations))
        meta["organisation_labels"] = {name: labels[name] for name in meta["organisations"] if name in labels}
    return meta


def roles_by_actor(pairs: Iterable[tuple[str, str, int]], aliases: Mapping[str, str]) -> dict[str, tuple[str, ...]]:
    """Each actor's roles, most frequent first, from (actor, role, releases) triples; partial names filed under the
    full name."""
    seen: dict[str, dict[str, int]] = {}
    for name, role, count in pairs:
        roles = seen.setdefault(aliases.get(name, name), {})
        roles[role] = roles.get(role, 0) + count
    return {name: tuple(sorted(roles, key=lambda r: -roles[r])) for name, roles in seen.items()}
