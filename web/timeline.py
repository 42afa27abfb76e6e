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
    if not monthly:  # years: only the span that has matches (an archive can reach back a century)
        dated = [number for number, (_, count) in enumerate(rows) if count]
        rows = rows[dated[0] : dated[-1] + 1] if dated else []
    selected_years = [v for v in args.getlist("year") if v]
    if not monthly:
        undated = next((fv.count for fv in results.facets.get("year", ()) if fv.value == NO_YEAR), 0)
        if undated:
            rows.append((NO_YEAR, undated))
    if not rows or not any(count for _, count in rows):
        return None
    peak = max(count for _, count in rows)
    slot = WIDTH / len(rows)
    label_every = max(1, round(MIN_LABEL_SLOT / slot))  # thin bars: label every n-th so labels do not overlap
    plot = HEIGHT - TOP - BOTTOM
    date_from, date_to = (args.get("from") or ""), (args.get("to") or "")
    bars = []
    for number, (key, count) in enumerate(rows):
        height = max(plot * count / peak, 1.5 if count else 0)
        bar_width = min(slot * (1 - GAP), MAX_BAR)
        if monthly:
            year, month = (int(part) for part in key.split("-"))
            first, last = f"{key}-01", f"{key}-{calendar.monthrange(year, month)[1]:02d}"
            label = MONTHS[month - 1][:3]
            url = href(base, replaced(args, **{"from": first, "to": last}))
            selected = (date_from, date_to) == (first, last)
            title = f"{MONTHS[month - 1]} {year}: {count} Treffer"
        else:
            label = "o. J." if key == NO_YEAR else (key if number % label_every == 0 or number == len(rows) - 1 else "")
            url = href(base, replaced(args, year=key, **{"from": None, "to": None}))
            selected = selected_years == [key]
            title = f"{key}: {count} Treffer"
        bars.append(
            Bar(
                key=key,
                label=label,
                count=count,
                url=url if count else None,
                selected=selected,
                x=round(number * slot + (slot - bar_width) / 2, 2),
                y=round(TOP + plot - height, 2),
                width=round(bar_width, 2),
                height=round(height, 2),
                title=title,
                cx=round(number * slot + slot / 2, 2),
                count_y=round(TOP + plot - height - 5, 2),
                label_y=HEIGHT - 6,
                undated=key == NO_YEAR,
            )
        )
    caption = (
        f"Treffer je Monat {rows[0][0][:4]}: ein Balken wählt den Monat"
        if monthly
        else "Treffer je Jahr: ein Balken wählt das Jahr"
    )
    return Timeline(tuple(bars), WIDTH, HEIGHT, TOP + plot, caption, monthly)
