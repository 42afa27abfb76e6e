"""The result list as plain data: hits with their links and German dates, sort options, pagination.

Vocabulary:
- HitView: a Hit with the URL of its document page (carrying the search state, so the page can highlight the
  words and link back), its date as German text, and its metadata lists.
- Pagination: previous/next URLs and a window of page links with gaps (None) between them.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from search import Hit, Results, SearchParams

from .facets_view import german_date
from .state import href, replaced, search_pairs

SORT_LABELS = {"relevance": "Relevanz", "newest": "Neueste zuerst", "oldest": "Älteste zuerst"}


@dataclass(frozen=True)
class HitView:
    hit: Hit
    url: str
    date_label: str
    dated: bool


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    page: int
    pages: int
    previous_url: str | None
    next_url: str | None
    links: tuple[PageLink | None, ...]  # None: a gap ("…")


def hit_views(results: Results, args, doc_url) -> list[HitView]:
    """``doc_url(id, pairs)`` makes a document page's URL (the view passes Flask's url_for)."""
    state = search_pairs(args)
    return [
        HitView(hit, doc_url(hit.id, state), german_date(hit.date, hit.year), bool(hit.date or hit.year))
        for hit in results.hits
    ]


def sort_options(params: SearchParams) -> list[tuple[str, str, bool]]:
    """(value, label, selected). The selected option is the requested sort, so that typing words into a search
    that was sorted by default gets relevance; without words the default option says what it does."""
    labels = dict(SORT_LABELS)
    if not params.query:
        labels["relevance"] = "Standard (neueste zuerst)"
    return [(value, label, value == params.sort) for value, label in labels.items()]


def pagination(results: Results, args, base: str, window: int = 2) -> Pagination | None:
    pages = max(1, ceil(results.total / results.per_page))
    if pages == 1 and results.page == 1:
        return None
    page = results.page

    def url(number: int) -> str:
        return href(base, replaced(args, keep=("more",), page=str(number) if number > 1 else None))

    numbers = sorted({1, pages, *range(max(1, page - window), min(pages, page + window) + 1)})
    links: list[PageLink | None] = []
    for number in numbers:
        if links and links[-1] is not None and number - links[-1].number > 1:
            links.append(None)
        links.append(PageLink(number, url(number), number == page))
    return Pagination(
        page=page,
        pages=pages,
        previous_url=url(page - 1) if page > 1 else None,
        next_url=url(page + 1) if page < pages else None,
        links=tuple(links),
    )


def summary(results: Results, params: SearchParams) -> str:
    """'12 Treffer für „Stoltenberg“' / 'Keine Treffer' — the text the count's live region announces."""
    if results.total == 0:
        text = "Keine Treffer"
    elif results.total == 1:
        text = "1 Treffer"
    else:
        text = f"{results.total:,} Treffer".replace(",", ".")
    if params.query:
        text += f" für „{params.query}“"
    pages = max(1, ceil(results.total / results.per_page))
    if pages > 1:
        text += f", Seite {results.page} von {pages}"
    return text
