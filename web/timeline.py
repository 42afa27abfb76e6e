"""The timeline: Results.histogram as bars of an SVG chart drawn on the server, each bar a link.

Vocabulary:
- Bar: one year (or one month, when exactly one year is selected) with its count, its geometry in the chart's
  viewBox, and the URL that filters to it: a year sets ``year``; a month sets ``from``/``to`` to that month.
- Timeline: the bars, the chart's size and a caption. Templates draw rects and labels from these numbers.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass

from search import Results
from search.model import NO_YEAR

from .facets_view import MONTHS
from .state import href, replaced

WIDTH, HEIGHT = 640, 150
TOP, BOTTOM = 18, 24  # room for the count above a bar and the label below the axis
PLOT = HEIGHT - TOP - BOTTOM
GAP = 0.25  # share of a slot left empty between bars
MAX_BAR = 56  # a few years should not look like a wall
MIN_LABEL_SLOT = 44  # room a year label needs


@dataclass(frozen=True)
class Bar:
    key: str  # "2023", "2023-05" or NO_YEAR
    label: str  # below the bar
    count: int
    url: str | None  # None for an empty bar: nothing to filter to
    selected: bool
    x: float
    y: float
    width: float
    height: float
    title: str  # accessible name and tooltip
    cx: float  # the bar's centre, where its count and label sit
    count_y: float
    label_y: float
    undated: bool = False


@dataclass(frozen=True)
class Timeline:
    bars: tuple[Bar, ...]
    width: int
    height: int
    baseline: float
    caption: str
    monthly: bool


def timeline(results: Results, args, base: str) -> Timeline | None:
    rows = list(results.histogram)
    monthly = bool(rows) and "-" in rows[0][0]
    rows = rows if monthly else _year_rows(results, rows)
    if not rows or not any(count for _, count in rows):
        return None
    peak = max(count for _, count in rows)
    slot = WIDTH / len(rows)
    label_every = max(1, round(MIN_LABEL_SLOT / slot))  # thin bars: label every n-th so labels do not overlap
    bars = []
    for number, (key, count) in enumerate(rows):
        if monthly:
            link = _month_link(key, count, args, base)
        else:
            shown = key == NO_YEAR or number % label_every == 0 or number == len(rows) - 1
            link = _year_link(key, count, args, base, shown)
        bars.append(_bar(number, slot, peak, key, count, link))
    caption = (
        f"Treffer je Monat {rows[0][0][:4]}: ein Balken wählt den Monat"
        if monthly
        else "Treffer je Jahr: ein Balken wählt das Jahr"
    )
    return Timeline(tuple(bars), WIDTH, HEIGHT, TOP + PLOT, caption, monthly)


def _year_rows(results: Results, rows: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Only the span of years that has matches (an archive can reach back a century), then the undated ones."""
    dated = [number for number, (_, count) in enumerate(rows) if count]
    rows = rows[dated[0] : dated[-1] + 1] if dated else []
    undated = next((fv.count for fv in results.facets.get("year", ()) if fv.value == NO_YEAR), 0)
    return [*rows, (NO_YEAR, undated)] if undated else rows


def _month_link(key: str, count: int, args, base: str) -> tuple[str, str, bool, str]:
    """(label, URL, selected, title) of a month's bar: it sets ``from``/``to`` to the month."""
    year, month = (int(part) for part in key.split("-"))
    first, last = f"{key}-01", f"{key}-{calendar.monthrange(year, month)[1]:02d}"
    url = href(base, replaced(args, **{"from": first, "to": last}))
    selected = ((args.get("from") or ""), (args.get("to") or "")) == (first, last)
    return MONTHS[month - 1][:3], url, selected, f"{MONTHS[month - 1]} {year}: {count} Treffer"


def _year_link(key: str, count: int, args, base: str, shown: bool) -> tuple[str, str, bool, str]:
    """(label, URL, selected, title) of a year's bar: it sets ``year`` (and clears a month's range)."""
    label = "o. J." if key == NO_YEAR else (key if shown else "")
    url = href(base, replaced(args, year=key, **{"from": None, "to": None}))
    selected = [v for v in args.getlist("year") if v] == [key]
    return label, url, selected, f"{key}: {count} Treffer"


def _bar(number: int, slot: float, peak: int, key: str, count: int, link: tuple[str, str, bool, str]) -> Bar:
    """The bar in slot `number`, as high against the `peak` as its count, with its link (an empty bar links
    nowhere)."""
    label, url, selected, title = link
    height = max(PLOT * count / peak, 1.5 if count else 0)
    bar_width = min(slot * (1 - GAP), MAX_BAR)
    return Bar(
        key=key,
        label=label,
        count=count,
        url=url if count else None,
        selected=selected,
        x=round(number * slot + (slot - bar_width) / 2, 2),
        y=round(TOP + PLOT - height, 2),
        width=round(bar_width, 2),
        height=round(height, 2),
        title=title,
        cx=round(number * slot + slot / 2, 2),
        count_y=round(TOP + PLOT - height - 5, 2),
        label_y=HEIGHT - 6,
        undated=key == NO_YEAR,
    )
