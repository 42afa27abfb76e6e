"""The publication date of a release, as far as it is known.

Vocabulary:
- record date: ``Document.date`` from the source record or a sidecar manifest (ISO ``YYYY``, ``YYYY-MM`` or
  ``YYYY-MM-DD``); its provenance is ``doc.date_origin`` ("metadata" or "manifest").
- event date: a date written in the headline, the lead or the first paragraph: "18. März 2024", "3 März 2024"
  (no ordinal dot, as machine translation writes it), "am 5. Oktober", "18.03.2024", "18.3.24", "2024-03-18",
  "18/03/2024", "März 2024", "Anfang April", "vom 3. bis 5. Mai 2021" and "4.-6.6.2025" (the first day counts),
  "Dienstag, 3. Juni 2025", a dateline ("Tiflis, 3. Juni 2025 –"), "am Dienstag" / "gestern" (only against a
  known reference date). Dates introduced by history markers ("seit", "begannen im", "im Jahr 2006") are never
  the date. Among the others the cue words of a date's clause decide (`weigh`): background ("wurde am 5. März
  1992 ... gegründet", "damals") and a year two or more years older than another date's are not the date, a
  planned date ("soll am ... stattfinden", "die nächste Sitzung") only when nothing else is, and a date marked
  as the event (dateline, "heute", "fand ... statt") comes first. Later paragraphs give the date only when the
  first ones give none and the date is marked as the event.
- context year: a year the caller knows from outside the text (``depesche index --year``, a ``2024/`` folder).
- precedence: record date > event date > context year. A day and month without a year are combined with the
  context year when there is one (source "context"); otherwise the year stays unknown: no year is ever invented.
- precision: the finest unit whose coarser units are all known: "day" (year, month, day), "month" (year, month),
  "year" (year), else "none". So "Am 18. März" without any year gives month=3, day=18, precision "none" and
  ``DateInfo.iso`` None: the release is counted under "ohne Jahr", yet its month and day stay searchable.

Month and weekday names and two-digit years are read through a German ``dateutil.parser.parserinfo``; weekday
and "gestern" arithmetic is ``dateutil.relativedelta``; validity is ``datetime.date``.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as du_parser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from search.model import DateInfo

MIN_YEAR = 1900  # record dates before this are placeholders ("0001-01-01"), not dates


class GermanParserInfo(du_parser.parserinfo):
    """dateutil's parserinfo with German (and Austrian, and English) month and weekday names."""

    MONTHS = [
        ("Jan", "Januar", "Jänner", "Jaenner", "January"),
        ("Feb", "Februar", "Feber", "February"),
        ("Mär", "Mrz", "März", "Maerz", "Mar", "March"),
        ("Apr", "April"),
        ("Mai", "May"),
        ("Jun", "Juni", "June"),
        ("Jul", "Juli", "July"),
        ("Aug", "August"),
        ("Sep", "Sept", "September"),
        ("Okt", "Oktober", "Oct", "October"),
        ("Nov", "November"),
        ("Dez", "Dezember", "Dec", "December"),
    ]
    WEEKDAYS = [
        ("Mo", "Montag", "Monday"),
        ("Di", "Dienstag", "Tuesday"),
        ("Mi", "Mittwoch", "Wednesday"),
        ("Do", "Donnerstag", "Thursday"),
        ("Fr", "Freitag", "Friday"),
        ("Sa", "Samstag", "Sonnabend", "Saturday"),
        ("So", "Sonntag", "Sunday"),
    ]

    def __init__(self) -> None:
        super().__init__(dayfirst=True, yearfirst=False)


INFO = GermanParserInfo()
RELATIVE_WEEKDAYS = (MO, TU, WE, TH, FR, SA, SU)

_MONTH_NAMES = "Januar|Jänner|Februar|Feber|März|Maerz|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember"
_MONTH_ABBR = r"Jan\.|Feb\.|Mrz\.|Apr\.|Jun\.|Jul\.|Aug\.|Sept?\.|Okt\.|Nov\.|Dez\."
MONTH = rf"(?:{_MONTH_NAMES})(?![\w-])|(?:{_MONTH_ABBR})"
YEAR4 = r"(?:1[89]\d\d|20\d\d)"

DAY_END = r"(?:\.\s*|\s+)"  # "3. März" and, as machine translation writes it, "3 März"
DAY_MONTH = re.compile(
    rf"(?<![\d.,])(?P<day>[0-3]?\d){DAY_END}(?:(?:bis(?:\s+zum)?|-|–|und|/)\s*(?P<day2>[0-3]?\d){DAY_END})?"
    rf"(?P<month>{MONTH})(?:,?\s+(?P<year>{YEAR4})(?!\d))?"
)
NUMERIC = re.compile(
    r"(?<![\d.,])(?P<day>[0-3]?\d)\.(?:\s*[-–]\s*[0-3]?\d\.)?(?P<month>[01]?\d)\.(?P<year>\d{4}|\d{2})?(?![\d]|\.\d)"
)
# these two begin with a digit, not a look-behind, so the regex engine skips to digits; `candidates` checks the
# character before
ISO = re.compile(r"(?P<year>(?:19|20)\d\d)-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\d])")
SLASHED = re.compile(r"(?P<day>[0-3]?\d)/(?P<month>[01]?\d)/(?P<year>(?:19|20)\d\d)(?![\d])")
MONTH_YEAR = re.compile(
    rf"(?:(?P<lead>\b(?:[Ii]m|[Aa]nfang|[Mm]itte|[Ee]nde|[Ss]eit|[Bb]is|[Vv]om|[Zz]um|[Dd]es)\s+)(?:Monats?\s+)?)?"
    rf"(?P<month>{MONTH})(?:\s+(?P<year>{YEAR4})(?!\d))?"
)
RANGE_TAIL = re.compile(rf"\s*(?:bis(?:\s+zum)?|-|–)\s*[0-3]?\d\.\s*(?:(?:{MONTH})\s*)?(?P<year>{YEAR4})(?!\d)")
WEEKDAY = re.compile(
    r"\b(?P<mod>vergangenen|letzten|diesen|kommenden|nächsten|am|Am)?\s*"
    r"(?P<weekday>Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonnabend|Sonntag)(?:abend|morgen|nachmittag|vormittag)?\b"
)
WRITTEN_OUT = re.compile(r",?\s*(?:den\s+)?[0-3]?\d[.\s]")
RELATIVE_DAY = re.compile(r"\b(?P<word>[Hh]eute|[Gg]estern|[Vv]orgestern)\b")
RELATIVE_OFFSETS = {"heute": 0, "gestern": -1, "vorgestern": -2}
HISTORY = re.compile(
    r"(?:\bseit|\bbegann\w*|\bgegründet|\bdamals|\b[Ii]m\s+(?:selben\s+)?Jahr(?:e)?|\bbereits|\bzuvor|\bfrüher|"
    r"\behemals|\bbis(?:\s+(?:zum|spätestens))?|\bab(?:\s+dem)?|\bvor\s+\d+\s+Jahren|\bJahrestag|\bGeburtstag|\bgeboren|\bunterzeichnet\w*\s+(?:am|im))\W*\w*\W*$",
    re.IGNORECASE,
)
HISTORY_WINDOW = 40



def make_date(year: int | None, month: int | None, day: int | None, source: str | None) -> DateInfo:
    """A DateInfo whose precision is the finest unit with all coarser units known (see module docstring)."""
    if year is not None and month is not None and day is not None:
        precision = "day"
    elif year is not None and month is not None:
        precision = "month"
    elif year is not None:
        precision = "year"
    else:
        precision = "none"
    if year is None and month is None and day is None:
        source = None
    return DateInfo(year=year, month=month, day=day, precision=precision, source=source)


def _valid(year: int | None, month: int | None, day: int | None) -> bool:
    if month is None or not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        dt.date(year or 2000, month, day)  # 2000 is a leap year: 29 February stays possible without a year
    except ValueError:
        return False
    return True


def parse_record_date(value: str | None) -> tuple[int | None, int | None, int | None]:
    """``"2024-03-18"`` -> (2024, 3, 18); ``"2024-03"`` -> (2024, 3, None); junk -> (None, None, None)."""
    if not value:
        return None, None, None
    m = re.fullmatch(r"\s*(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?(?:[T ].*)?\s*", str(value))
    if not m:
        return None, None, None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    if year < MIN_YEAR or (month is not None and not _valid(year, month, day)):
        return None, None, None
    return year, month, day


CLAUSE_HISTORY = re.compile(r"\b(?:[Nn]achdem|[Ss]eit|[Ss]eitdem|[Bb]ereits|[Dd]amals|[Zz]uvor|[Ff]rüher|[Ee]hemals)\b")
CLAUSE_START = re.compile(r"[.,;:!?(]\s*(?=[^.,;:!?(]*$)")


def _is_history(text: str, start: int) -> bool:
    """A date introduced by a history marker, right before it or earlier in its clause ("Nachdem ... am 20. Mai")."""
    if HISTORY.search(text[max(0, start - HISTORY_WINDOW, _sentence_start(text, start)) : start]):
        return True
    before = text[max(0, start - 120, _sentence_start(text, start)) : start]
    clause = CLAUSE_START.search(before)
    return bool(CLAUSE_HISTORY.search(before[clause.end() :] if clause else before))


def _month_number(name: str) -> int | None:
    return INFO.month(name.rstrip("."))


def candidates(text: str, reference_date: dt.date | None = None) -> list[tuple[int, int, int | None, int | None, int | None]]:
    """Dates written in ``text``: (rank, position, year, month, day); rank 0 is the most complete."""
    found: list[tuple[int, int, int | None, int | None, int | None]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match, year: int | None, month: int | None, day: int | None) -> None:
        if any(s < m.end() and m.start() < e for s, e in taken):
            return
        if not _valid(year, month, day) or _is_history(text, m.start()):
            return
        taken.append((m.start(), m.end()))
        rank = (0 if year else 1) if day else (2 if year else 3)
        found.append((rank, m.start(), year, month, day))

    for m in DAY_MONTH.finditer(text):
        year = int(m.group("year")) if m.group("year") else None
        if year is None:
            tail = RANGE_TAIL.match(text, m.end())
            if tail:
                year = int(tail.group("year"))
        add(m, year, _month_number(m.group("month")), int(m.group("day")))
    for m in NUMERIC.finditer(text):
        year = INFO.convertyear(int(m.group("year"))) if m.group("year") else None
        add(m, year, int(m.group("month")), int(m.group("day")))
    for m in (*ISO.finditer(text), *(SLASHED.finditer(text) if "/" in text else ())):
        if m.start() == 0 or text[m.start() - 1] not in "0123456789.-/":
            add(m, int(m.group("year")), int(m.group("month")), int(m.group("day")))
    for m in MONTH_YEAR.finditer(text):
        if m.group("year") is None and m.group("lead") is None:
            continue  # a bare "August" may be a first name
        lead = (m.group("lead") or "").strip().lower()
        if lead in ("seit", "bis", "des"):
            continue
        add(m, int(m.group("year")) if m.group("year") else None, _month_number(m.group("month")), None)
    if reference_date is not None:
        for m in WEEKDAY.finditer(text):
            mod = (m.group("mod") or "").lower()
            if not mod or WRITTEN_OUT.match(text, m.end()):
                continue  # "am Dienstag, 3. Juni": the date is written out, the weekday only names it
            weekday = INFO.weekday(m.group("weekday"))
            direction = 1 if mod in ("kommenden", "nächsten") else -1
            day = reference_date + relativedelta(weekday=RELATIVE_WEEKDAYS[weekday](direction))
            add(m, day.year, day.month, day.day)
        for m in RELATIVE_DAY.finditer(text):
            day = reference_date + relativedelta(days=RELATIVE_OFFSETS[m.group("word").lower()])
            add(m, day.year, day.month, day.day)
    return found


def _cue(*words: str) -> re.Pattern:
    """Any of `words` (regular expressions) as a whole word."""
    return re.compile(rf"\b(?:{'|'.join(words)})\b")


# cue words around a date, read in its clause (from the last , ; : before it to the next one after it)
EVENT_CUE = _cue("[Hh]eute", r"fand(?:en)?\b[^.;]*\bstatt", r"findet\s+heute")
FUTURE_CUE = _cue("wird", "werden", "soll", "sollen", r"geplant\w*", r"vorgesehen\w*", "nächste[nmrs]?", "kommende[nmrs]?",
                  r"künftig\w*", "bevorstehende[nmrs]?", r"anberaumt\w*")
BACKGROUND_CUE = _cue("gegründet", "begründet", r"ins\s+Leben\s+gerufen", "geboren", "gestiftet", "damals")
DATELINE = re.compile(r"^\s*[A-ZÄÖÜ][\w.'’-]*(?:\s+[A-ZÄÖÜ][\w.'’-]*)?\s*(?:\([^)]*\))?\s*,\s*(?:den\s+)?$")
LATER_PARAGRAPHS = 3  # after the first paragraph, this many more are read, for an event-marked date only


SENTENCE_END = re.compile(r"(?<![\d\s])[.!?](?=\s+[A-ZÄÖÜ„\"»])")  # not the dot of "9. Oktober"
CLAUSE_MARKS = re.compile(r"[,;:]")


def _sentence_start(text: str, pos: int, reach: int = 300) -> int:
    """Where the sentence holding `pos` begins (looking back `reach` characters at most)."""
    start = max(0, pos - reach)
    for m in SENTENCE_END.finditer(text, start, pos):
        start = m.end()
    return start


def _clause(text: str, pos: int) -> str:
    """The clause a date at `pos` stands in: from the last , ; : or sentence end before it to the first after it
    (the date itself, "3. Juni 2025", is skipped over)."""
    start = _sentence_start(text, pos)
    for m in CLAUSE_MARKS.finditer(text, start, pos):
        start = m.end()
    after = [m.start() for m in (SENTENCE_END.search(text, pos + 8), CLAUSE_MARKS.search(text, pos + 8)) if m]
    return text[start : min(after) if after else len(text)]


def weigh(text: str, pos: int, part_index: int) -> tuple[int, int]:
    """(demotion, event) of the date at `pos` of part `part_index`: demotion 1 for a planned date ("wird am ...
    stattfinden", "die nächste Sitzung am ..."), 2 for background the words after it give away ("wurde am 5. März
    1992 ... gegründet"); event 1 for a dateline ("Tiflis, 3. Juni 2025 –") or an event cue ("heute",
    "fand ... statt")."""
    clause = _clause(text, pos)
    if BACKGROUND_CUE.search(clause):
        return 2, 0
    event = 1 if (part_index > 0 and DATELINE.match(text[:pos])) or EVENT_CUE.search(clause) else 0
    if not event and FUTURE_CUE.search(clause):
        return 1, 0
    return 0, event


def event_date(parts: list[str], reference_date: dt.date | None = None) -> tuple[int | None, int | None, int | None]:
    """The event date of a release: from its headline, lead and first paragraph (in that order of trust), a date
    that is neither planned nor background (see `weigh`), marked as the event first, the most complete next; a
    year older than another date's year (by two or more) is background. When those parts give no such date, a
    date marked as the event in the next few paragraphs ("Am 9. Oktober 2023 fand in Vilnius ... statt")."""
    found = []  # (demotion, -event, rank, part, pos, year, month, day)
    year_for_month: dict[int, int] = {}
    for part_index, part in enumerate(parts[: 3 + LATER_PARAGRAPHS]):
        if part_index >= 3 and any(f[0] == 0 for f in found):
            break  # the first paragraphs gave a date: later ones are background
        for rank, pos, year, month, day in candidates(part, reference_date):
            demotion, event = weigh(part, pos, part_index)
            if part_index >= 3 and (not event or demotion):
                continue
            found.append((demotion, -event, rank, part_index, pos, year, month, day))
            if year and month and demotion == 0:
                year_for_month.setdefault(month, year)
    if not found:
        return None, None, None
    latest = max((f[5] for f in found if f[5] and f[0] == 0), default=None)
    found = [(2, *f[1:]) if f[5] and latest and f[5] < latest - 1 and f[0] == 0 else f for f in found]
    best = min(found, key=lambda f: (f[0], f[3] >= 3, f[1], f[2], f[3], f[4]))
    if best[0] == 2:
        return None, None, None  # only background: the release does not say when it happened
    year, month, day = best[5:]
    if year is None and month in year_for_month:
        year = year_for_month[month]  # "am 18. März ... im März 2024": the same text gives the year
    return year, month, day


def extract_date(
    parts: list[str],
    record_date: str | None = None,
    record_origin: str | None = None,
    context_year: int | None = None,
    reference_date: dt.date | None = None,
) -> DateInfo:
    """Apply the precedence: record date > event date in the text > context year."""
    year, month, day = parse_record_date(record_date)
    if year is not None:
        return make_date(year, month, day, record_origin or "metadata")
    year, month, day = event_date(parts, reference_date)
    if year is not None and context_year is not None and year < context_year - 1:
        year = month = day = None  # "am 30. August 1992 aufgenommen" in a 2024 release: history, not the date
    if year is not None:
        return make_date(year, month, day, "text")
    if context_year is not None:
        if month is not None and not _valid(context_year, month, day):
            month = day = None  # 29 February in a non-leap context year
        return make_date(context_year, month, day, "context")
    return make_date(None, month, day, "text")
