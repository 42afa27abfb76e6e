"""Dates: German forms, precision, provenance, background history, never an invented year."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from search.extract import Extractor
from search.extract.dates import GermanParserInfo, candidates, extract_date, make_date, parse_record_date
from search.model import DateInfo, Document


def date_of(*parts: str, **kw) -> tuple:
    d = extract_date(list(parts), **kw)
    return (d.year, d.month, d.day, d.precision, d.source)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Am 18. März 2024 trafen sich die Minister.", (2024, 3, 18, "day", "text")),
        ("Baku, 18.03.2024 – Erklärung", (2024, 3, 18, "day", "text")),
        ("Treffen am 18.3.24 in Baku", (2024, 3, 18, "day", "text")),
        ("Im März 2024 begann die Sitzung nicht.", (2024, 3, None, "month", "text")),
        ("Die Konferenz fand vom 3. bis 5. Mai 2021 in Wien statt.", (2021, 5, 3, "day", "text")),
        ("Am 5. Oktober trafen sie sich.", (None, 10, 5, "none", "text")),
        ("Anfang April öffnet das Konsulat.", (None, 4, None, "none", "text")),
        ("Ohne jedes Datum.", (None, None, None, "none", None)),
        ("Um 18.30 Uhr begann die 30-jährige Feier.", (None, None, None, "none", None)),
    ],
)
def test_german_date_forms(text, expected):
    assert date_of("Titel", text) == expected


def test_seed_gets_march_18_and_no_background_year(shared_seed_doc):
    md = Extractor().extract(shared_seed_doc)
    assert (md.date.year, md.date.month, md.date.day) == (None, 3, 18)
    assert md.date.precision == "none" and md.date.iso is None


@pytest.fixture
def shared_seed_doc():
    from tests.conftest import SEED_ID, shared_path

    path = shared_path("seeds", SEED_ID + ".txt")
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return Document(id=SEED_ID, title=lines[0], lead=lines[1], paragraphs=tuple(lines[2:]), source=path.name)


@pytest.mark.parametrize(
    "text",
    [
        "Die Beziehungen zwischen Aserbaidschan und der NATO begannen im März 1992.",
        "Seit März 1998 bestehen diplomatische Beziehungen.",
        "Im Jahr 2006 nahm das Informationszentrum seinen Betrieb auf.",
        "Nachdem bei der Regierungsbildung am 20. Mai keine Einigung erzielt wurde, gelang es heute.",
        "Die Frist läuft bis zum 30. November.",
    ],
)
def test_background_history_is_not_the_date(text):
    assert date_of("Titel", text)[:3] == (None, None, None)


def test_only_headline_lead_and_first_paragraph_are_read():
    doc = Document(id="t", title="Titel", lead="Lead", paragraphs=("Erster Absatz", "Am 1. Mai 2020 war etwas."), source="t")
    assert Extractor().extract(doc).date == DateInfo()


def test_most_complete_date_wins_and_same_month_lends_its_year():
    assert date_of("Am 18. März trafen sie sich", "Im März 2024 ...")[:3] == (2024, 3, 18)
    assert date_of("Am 18. März trafen sie sich", "am 2. April 2024")[:3] == (2024, 4, 2)


def test_precedence_record_then_text_then_context():
    parts = ["Titel", "Am 18. März 2023 trafen sie sich."]
    assert date_of(*parts, record_date="2024-01-02") == (2024, 1, 2, "day", "metadata")
    assert date_of(*parts, record_date="2024-01-02", record_origin="manifest")[-1] == "manifest"
    assert date_of(*parts, context_year=2023) == (2023, 3, 18, "day", "text")
    assert date_of("Titel", "Am 18. März trafen sie sich.", context_year=2024) == (2024, 3, 18, "day", "context")
    assert date_of("Titel", "Kein Datum.", context_year=2024) == (2024, None, None, "year", "context")
    assert date_of("Titel", "Am 29. Februar war Sitzung.", context_year=2023) == (2023, None, None, "year", "context")


def test_old_text_date_in_a_context_year_release_is_history():
    assert date_of("Titel", "Die Beziehungen wurden am 30. August 1992 aufgenommen.", context_year=2024)[:3] == (2024, None, None)


def test_weekday_and_gestern_only_against_reference_date():
    ref = dt.date(2024, 5, 16)  # a Thursday
    assert date_of("Titel", "Am Dienstag trafen sie sich.")[:3] == (None, None, None)
    assert date_of("Titel", "Am Dienstag trafen sie sich.", reference_date=ref)[:3] == (2024, 5, 14)
    assert date_of("Titel", "Er kam gestern an.", reference_date=ref)[:3] == (2024, 5, 15)
    assert date_of("Titel", "Am kommenden Montag reist er.", reference_date=ref)[:3] == (2024, 5, 20)


def test_record_dates_partial_and_bogus():
    assert parse_record_date("2024-03-18") == (2024, 3, 18)
    assert parse_record_date("2024-03") == (2024, 3, None)
    assert parse_record_date("2024") == (2024, None, None)
    assert parse_record_date("0001-01-01") == (None, None, None)
    assert parse_record_date("gestern") == (None, None, None)


def test_precision_is_finest_unit_with_all_coarser_known():
    assert make_date(None, 3, 18, "text") == DateInfo(None, 3, 18, "none", "text")
    assert make_date(2024, 3, None, "text").precision == "month"
    assert make_date(2024, None, None, "context").precision == "year"


def test_german_parserinfo():
    info = GermanParserInfo()
    assert info.month("März") == 3 and info.month("Jänner") == 1 and info.weekday("Dienstag") == 1


def test_candidates_report_positions():
    assert candidates("am 1. Mai 2020 und am 2. Mai")[0][1:] == (3, 2020, 5, 1)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Am 3 März 2024 trafen sich die Delegationen.", (2024, 3, 3)),
        ("Die Gespräche fanden am 12 Oktober statt.", (None, 10, 12)),
        ("Veröffentlicht am 2024-03-18 in Baku.", (2024, 3, 18)),
        ("Erklärung vom 18/03/2024", (2024, 3, 18)),
        ("Am Dienstag, 3. Juni 2025, kamen sie zusammen.", (2025, 6, 3)),
        ("Das Forum tagte vom 4.–6. Juni 2025 in Astana.", (2025, 6, 4)),
        ("Das Forum tagte am 4.-6.6.2025 in Astana.", (2025, 6, 4)),
        ("Die Konferenz dauerte vom 30. September bis 2. Oktober 2024.", (2024, 9, 30)),
    ],
)
def test_more_written_and_numeric_forms(text, expected):
    assert date_of("Titel", text)[:3] == expected


def test_dateline_gives_the_date():
    assert date_of("Titel", "Tiflis, 3. Juni 2025 – Die nächste Sitzung ist für den 1. Juli 2025 geplant.")[:3] == (2025, 6, 3)
    assert date_of("Titel", "BAKU (AZERTAC), 5. Mai 2024. Der Minister reiste ab.")[:3] == (2024, 5, 5)


def test_history_first_event_later_takes_the_event():
    lead = ("Der Rat der Ostseestaaten wurde am 5. März 1992 in Kopenhagen gegründet. "
            "Am 9. Oktober 2023 fand in Vilnius eine weitere Tagung statt.")
    assert date_of("Tagung des Ostseerats", lead)[:3] == (2023, 10, 9)
    assert date_of("Titel", "Das Zentrum entstand damals, am 1. Mai 2001. Am 4. Mai 2024 tagte es.")[:3] == (2024, 5, 4)


def test_a_planned_date_gives_way_to_the_date_of_the_release():
    assert date_of("Titel", "Die nächste Runde soll am 12. Mai 2025 stattfinden. Am 3. März 2025 trafen sich beide.")[:3] \
        == (2025, 3, 3)
    assert date_of("Titel", "Heute, am 3. März 2025, wird über die Sitzung am 5. März 2025 berichtet.")[:3] == (2025, 3, 3)


def test_an_event_date_in_a_later_paragraph_only_with_an_event_cue():
    parts = ["Titel", "Der Rat wurde am 5. März 1992 gegründet.", "Er hat zwölf Mitglieder.", "Mehr dazu."]
    assert date_of(*parts, "Am 9. Oktober 2023 fand in Vilnius eine Tagung statt.")[:3] == (2023, 10, 9)
    assert date_of(*parts, "Am 9. Oktober 2023 war Wahl.")[:3] == (None, None, None)
