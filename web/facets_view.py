"""Facets and active filters as plain data for the templates (the Datasette pattern).

Vocabulary:
- FacetLink: one value of one facet as the sidebar shows it: value, label (the value, with what an acronym stands
  for), count, selected, and the URL that
  toggles it (adds it to the filter, or removes it). ``dom_id`` is stable across requests, so htmx can put the
  keyboard focus back on the link the user just pressed after the sidebar is swapped.
- FacetGroup: one facet's box: its German title, its links, and the "mehr anzeigen"/"weniger" and
  search-inside-facet controls (with the hidden pairs a plain GET form needs to keep the rest of the state).
- Chip: one active filter, with the URL that removes it.

Pure: data in (Results, the query string), data out. Templates only loop and print.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

from search import Results
from search.fields import FACET_REGISTRY
from search.model import FACETS, NO_YEAR, FacetValue

from .state import FACET_LIMIT, FACET_SEARCH_SUFFIX, href, replaced, search_pairs, toggled

TITLES = {field.name: field.label for field in FACET_REGISTRY}


@dataclass(frozen=True)
class FacetLink:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str
    dom_id: str
    hint: str = ""  # e.g. an actor's roles


@dataclass(frozen=True)
class FacetGroup:
    name: str
    title: str
    links: tuple[FacetLink, ...]
    total_values: int  # values with matches (before "mehr anzeigen" cuts the list)
    more_url: str | None  # "mehr anzeigen", when values are hidden
    less_url: str | None  # "weniger anzeigen", when expanded
    searchable: bool  # long enough to offer a search inside it
    search_name: str  # the query-string key of the search inside it
    search_value: str
    search_reset_url: str | None
    hidden_pairs: tuple[tuple[str, str], ...]  # the rest of the state, for the plain-GET facet search form


@dataclass(frozen=True)
class Chip:
    facet: str
    title: str
    label: str
    remove_url: str


def dom_id(facet: str, value: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")[:30]
    return f"f-{facet}-{slug}-{hashlib.sha1(value.encode()).hexdigest()[:6]}"


def labelled(value: str, label: str) -> str:
    """A value as the page shows it: with its label when it has one ("AGRP – Agentur für Grenzschutz der Republik
    Polen"), so an acronym says what it stands for."""
    return f"{value} – {label}" if label and label != value else value


def _year_order(value: FacetValue):
    return (value.value == NO_YEAR, -int(value.value) if value.value.isdigit() else 0, value.value)


def facet_groups(
    results: Results, args, base: str, hints: dict[str, dict[str, tuple[str, ...]]] | None = None
) -> list[FacetGroup]:
    """One group per facet, in FACETS order. ``results`` must carry all values (searched with facet_limit=0)."""
    hints = hints or {}
    expanded = set(v for v in args.getlist("more") if v in FACETS)
    groups = []
    for facet in FACETS:
        values = _ordered(facet, results.facets.get(facet, ()))
        total = len(values)
        if facet not in expanded and total > FACET_LIMIT:
            values = values[:FACET_LIMIT] + [fv for fv in values[FACET_LIMIT:] if fv.selected]
        # links only for the values shown: an archive has thousands of actors, a page shows ten
        shown = tuple(_link(facet, fv, args, base, hints.get(facet, {})) for fv in values)
        groups.append(_group(facet, shown, total, args, base, expanded))
    return groups


def _ordered(facet: str, values) -> list[FacetValue]:
    """What is chosen first, then by count (years newest first); the sort is stable."""
    values = list(values)
    if facet == "year":
        values.sort(key=_year_order)
    values.sort(key=lambda fv: not fv.selected)
    return values


def _link(facet: str, fv: FacetValue, args, base: str, hints: dict[str, tuple[str, ...]]) -> FacetLink:
    return FacetLink(
        value=fv.value,
        label=labelled(fv.value, fv.label),
        count=fv.count,
        selected=fv.selected,
        toggle_url=href(base, toggled(args, facet, fv.value)),
        dom_id=dom_id(facet, fv.value),
        hint=", ".join(hints.get(fv.value, ())[:2]),  # e.g. an actor's two commonest roles
    )


def _group(facet: str, shown: tuple[FacetLink, ...], total: int, args, base: str, expanded: set[str]) -> FacetGroup:
    """The group of a facet: its links, and the URLs that show more or fewer values or search among them."""
    others = [name for name in expanded if name != facet]
    search_name = facet + FACET_SEARCH_SUFFIX
    search_value = (args.get(search_name) or "").strip()
    keep = ("more", *(name + FACET_SEARCH_SUFFIX for name in FACETS if name != facet))
    searched = {search_name: search_value or None}
    return FacetGroup(
        name=facet,
        title=TITLES[facet],
        links=shown,
        total_values=total,
        more_url=href(base, replaced(args, keep=keep, more=sorted([*others, facet]), **searched))
        if len(shown) < total else None,
        less_url=href(base, replaced(args, keep=keep, more=sorted(others) or None, **searched))
        if facet in expanded and total > FACET_LIMIT else None,
        searchable=total > FACET_LIMIT or bool(search_value),
        search_name=search_name,
        search_value=search_value,
        search_reset_url=href(base, replaced(args, keep=keep, **{search_name: None})) if search_value else None,
        hidden_pairs=tuple(pair for pair in search_pairs(args, keep=keep) if pair[0] != search_name),
    )


def chips(args, base: str) -> list[Chip]:
    """The active filters, each with the URL that removes it; then the date range."""
    result = []
    for facet in FACETS:
        for value in dict.fromkeys(v for v in args.getlist(facet) if v):
            result.append(Chip(facet, TITLES[facet], value, href(base, toggled(args, facet, value))))
    for key, title in (("from", "Von"), ("to", "Bis")):
        value = (args.get(key) or "").strip()
        if value:
            result.append(Chip(key, title, german_date(value), href(base, replaced(args, **{key: None}))))
    return result


def clear_url(args, base: str) -> str:
    """All filters removed, the words kept."""
    return href(base, [pair for pair in search_pairs(args) if pair[0] in ("q", "sort", "per_page")])


MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember")


def german_date(value: str | None, year: int | None = None) -> str:
    """'2023-05-09' -> '9. Mai 2023'; a bare year as itself; nothing -> 'ohne Jahr'."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = (int(part) for part in value.split("-"))
        if 1 <= m <= 12:
            return f"{d}. {MONTHS[m - 1]} {y}"
    if value and re.fullmatch(r"\d{4}-\d{2}", value):
        y, m = (int(part) for part in value.split("-"))
        if 1 <= m <= 12:
            return f"{MONTHS[m - 1]} {y}"
    if value:
        return value
    return str(year) if year else NO_YEAR
