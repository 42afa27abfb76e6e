"""What one search may cost, the same for every engine: no query a user can type holds a server for long.

Vocabulary:
- word cap: a query searches at most `MAX_WORDS` words (each word asks for a stem, its family, name key, compound
  part and synonyms in three fields); the rest is cut with a note.
- nesting: brackets at most `MAX_DEPTH` deep; deeper, the words are searched without the brackets.
- range: `field:[low TO high]` (`{}` for exclusive bounds) means something only for years; there it becomes the
  years it spans (`MAX_RANGE_YEARS` in all the query's ranges). On text (`[a TO z]`, once 45,330 term matchers
  and minutes of work) a range is not searched, and a note says so.
- size: the term lookups a planned tree asks for; above `MAX_TERMS` the query is refused with a message.
- budget: the time one search may take (`SEARCH_SECONDS`). An engine checks it between the steps of a search
  and skips the optional ones (a relaxed second search, did-you-mean) once it is spent; the answer carries what
  was found and the note `ABORTED`. OpenSearch also gets it as the request's own `timeout`.
"""

from __future__ import annotations

import dataclasses
import re
import time

from .errors import BadQuery

MAX_WORDS = 32
MAX_DEPTH = 8
MAX_RANGE_YEARS = 250
MAX_TERMS = 3000
SEARCH_SECONDS = 2.0
OPEN_RANGE = (1900, 2100)  # what `*` stands for at a range's end: the years the CLI's --year accepts
RANGE_FIELDS = ("year",)
RANGE = re.compile(r"(?:(\w+):)?([\[{])\s*([^\s\[\]{}]*)\s+TO\s+([^\s\[\]{}]*)\s*([\]}])")
ASCII_YEAR = re.compile(r"[0-9]{4}")
COST_WORD = re.compile(r"\w+")
KEYWORD = re.compile(rf"\b(?!(?:{'|'.join(('title', 'lead', 'body'))}):)\w+:(?:\"[^\"]*\"|[^\s()]+)")  # `year:2024`, not `title:x`
ABORTED = "Suche abgebrochen: sie hätte länger als {seconds:g} s gebraucht; gezeigt wird, was bis dahin gefunden war."


def cap_words(text: str, operators) -> tuple[str, str | None]:
    """`text` cut after its MAX_WORDS-th word, with brackets and quotes it leaves open closed, and a note when it
    was cut. Each part of a hyphenated compound is a word (each is searched); operators and facet values
    (`year:2024`, one cheap lookup each) are not."""
    keywords = [m.span() for m in KEYWORD.finditer(text)]
    words = [
        m for m in COST_WORD.finditer(text)
        if m.group(0) not in operators and not any(start <= m.start() < end for start, end in keywords)
    ]
    if len(words) <= MAX_WORDS:
        return text, None
    cut = text[: words[MAX_WORDS - 1].end()]
    cut += '"' * (cut.count('"') % 2) + ")" * max(0, cut.count("(") - cut.count(")"))
    return cut, f"Die Suchanfrage hatte {len(words)} Wörter: gesucht wurde nach den ersten {MAX_WORDS}."


def depth(text: str) -> int:
    deepest = level = 0
    for char in text:
        level += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, level)
    return deepest


def ranges(text: str) -> tuple[str, str | None]:
    """`text` with each year range spelt out as `(year:2020 OR year:2021 ...)` and every other range removed; a
    note for what was not searched."""
    left = MAX_RANGE_YEARS
    refused, clipped = [], False

    def spelt_out(match: re.Match) -> str:
        nonlocal left, clipped
        years = _years(match)
        if years is None:
            refused.append(match.group(0))
            return " "
        if len(years) > left:
            clipped, years = True, years[:left]
        left -= len(years)
        return "(" + " OR ".join(f"year:{y}" for y in years) + ")" if years else " "

    text = RANGE.sub(spelt_out, text)
    notes = []
    if refused:
        shown = ", ".join(refused[:3]) + (" …" if len(refused) > 3 else "")
        notes.append(f"Bereiche gibt es nur für Jahre, z. B. year:[2020 TO 2024] (für Daten: Von/Bis): {shown} wurde nicht gesucht.")
    if clipped:
        notes.append(f"Die Jahresbereiche umfassen mehr als {MAX_RANGE_YEARS} Jahre: gesucht wurde in den ersten {MAX_RANGE_YEARS}.")
    return text, " ".join(notes) or None


def _years(match: re.Match) -> list[int] | None:
    """The years a range spans, or None when it is no year range."""
    field, opening, low, high, closing = match.groups()
    if field not in RANGE_FIELDS:
        return None
    bounds = []
    for bound, default in ((low, OPEN_RANGE[0]), (high, OPEN_RANGE[1])):
        if bound == "*":
            bounds.append(default)
        elif ASCII_YEAR.fullmatch(bound):
            bounds.append(int(bound))
        else:
            return None
    first = bounds[0] + (opening == "{")
    last = bounds[1] - (closing == "}")
    return list(range(first, last + 1))


def size(node) -> int:
    """The term lookups a query tree (`search.querytree` nodes) asks for: its leaves."""
    if node is None:
        return 0
    children = [
        child
        for field in dataclasses.fields(node)
        for child in _flat(getattr(node, field.name))
        if dataclasses.is_dataclass(child)
    ]
    return sum(size(child) for child in children) if children else 1


def _flat(value):
    if isinstance(value, tuple):
        for item in value:
            yield from _flat(item)
    else:
        yield value


def check_size(*trees) -> None:
    terms = max((size(tree) for tree in trees), default=0)
    if terms > MAX_TERMS:
        raise BadQuery(
            f"Die Suchanfrage ist zu aufwendig ({terms} Suchbegriffe mit allen Wortformen und Synonymen, höchstens "
            f"{MAX_TERMS}): bitte mit weniger Wörtern oder ohne ODER-Ketten suchen."
        )


class Budget:
    """The time one search may still take; `cut` records that a step was skipped because it was spent."""

    def __init__(self, seconds: float | None = None):
        self.seconds = SEARCH_SECONDS if seconds is None else seconds
        self.deadline = time.monotonic() + self.seconds
        self.cut = False

    def left(self) -> float:
        return max(0.0, self.deadline - time.monotonic())

    def spent(self) -> bool:
        """True once the time is up, and from then on the answer is marked as cut."""
        if time.monotonic() >= self.deadline:
            self.cut = True
        return self.cut

    def note(self, note: str | None) -> str | None:
        """The answer's note, with ABORTED in front when a step was skipped."""
        if not self.cut:
            return note
        aborted = ABORTED.format(seconds=self.seconds)
        return f"{aborted} {note}" if note else aborted
