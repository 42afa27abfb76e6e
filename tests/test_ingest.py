"""The steps of an index run, each on its own: listing the sources (`documents.files`), decoding (`documents.text`),
records, what the index holds (`Held`), the plan (`Plan`), opening the run and writing (`indexer`)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from search import api, duplicates
from search.documents import Note, Skipped, SourceFile, Unchanged, decode_text, read_changed, read_sources
from search.documents.files import list_files, stamp_path
from search.documents.text import clean_text, reads_as_german
from search.indexer import InProcess, ParallelEntries, index_sources, open_run, write
from search.ingest import Held, IndexReport, Plan
from search.model import Document

RELEASE = "Treffen in Baku\nDer Botschafter sprach über die Zusammenarbeit.\n"


def doc(doc_id: str, content_hash: str = "h1") -> Document:
    return Document(id=doc_id, title="Titel", lead="", paragraphs=(), source=f"{doc_id}.txt", content_hash=content_hash)


def source_file(name: str, stamp: str) -> SourceFile:
    return SourceFile(Path("/q") / name, Path("/q"), stamp)


# listing


def test_listing_is_sorted_depth_first_with_stamps_naming_the_relative_path(tmp_path):
    for name in ("b.txt", "a/z.txt", "a/c.jsonl", "notiz.pdf", "manifest.csv"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(RELEASE, encoding="utf-8")
    found = list(list_files([tmp_path]))
    assert [file.relative for file in found] == ["a/c.jsonl", "a/z.txt", "b.txt"]
    assert [stamp_path(file.stamp) for file in found] == ["a/c.jsonl", "a/z.txt", "b.txt"]
    assert {file.stamp.split("|")[2].split(":")[0] for file in found} == {"manifest.csv"}, "a new manifest: new stamps"


def test_a_folder_that_cannot_be_listed_is_skipped_and_an_update_keeps_its_releases(tmp_path, monkeypatch):
    folder = tmp_path / "quelle"
    (folder / "zu").mkdir(parents=True)
    (folder / "offen.txt").write_text(RELEASE, encoding="utf-8")
    (folder / "zu" / "eins.txt").write_text(RELEASE, encoding="utf-8")
    root = tmp_path / "index"
    assert index_sources([folder], root).indexed == 2
    real_scandir = os.scandir

    def refuse(path):
        if Path(path) == folder / "zu":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    report = index_sources([folder], root, update=True)
    assert [(s.source, s.reason) for s in report.skipped] == [("zu", "cannot list folder: Permission denied")]
    assert (report.removed, report.unchanged) == (0, 1)


def test_a_source_that_is_no_file_or_folder_is_skipped(tmp_path):
    os.mkfifo(tmp_path / "rohr")
    items = list(read_sources([tmp_path / "rohr", tmp_path / "fehlt"]))
    assert items == [(None, Skipped("rohr", "not a regular file (a named pipe)")), (None, Skipped(str(tmp_path / "fehlt"), "No such file or directory"))]


# decoding


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
def test_a_bom_declares_the_encoding(codec):
    bom = "\ufeff".encode(codec)
    decoded = decode_text(bom + "Grüße aus Bern".encode(codec))
    assert (decoded.text, decoded.guessed) == ("Grüße aus Bern", False)


def test_a_code_page_that_does_not_read_as_german_is_left_to_the_detector():
    russian = "Министр иностранных дел встретился с послом. Переговоры прошли в Москве.\n" * 3
    decoded = decode_text(russian.encode("cp1251"))
    assert decoded.text == russian and decoded.guessed and decoded.encoding not in ("Windows-1252", "Latin-1")


def test_mojibake_does_not_read_as_german_and_german_does():
    assert reads_as_german("Gespräch über Maßnahmen. Der Außenminister äußerte sich.")
    assert not reads_as_german("Gespr‰ch ¸ber Maþnahmen. Der Auþenminister ‰uþerte sich.")
    assert not reads_as_german("GesprŠch Ÿber Ma§nahmen")  # Mac Roman bytes read as Windows-1252


def test_utf8_with_broken_bytes_keeps_the_utf8_and_says_it_guessed():
    decoded = decode_text("Grüße ".encode() + b"\xff")
    assert decoded.text == "Grüße \ufffd" and decoded.guessed


def test_clean_text_removes_controls_but_tab_newline_return():
    assert clean_text("a\x00b\x1fc\td\ne\rf\x7f\ud800") == ("abc\td\ne\rf\x7f\ufffd", 2, 1)


# records


def test_a_record_with_a_line_separator_inside_a_string_stays_one_record(tmp_path):
    records = [{"id": "r1", "title": "Erste\u2028Zeile", "lead": "Vorspann\x1c"}, {"id": "r2", "title": "Zweite"}]
    (tmp_path / "r.jsonl").write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    items = [item for _, item in read_sources([tmp_path], notes=True)]
    assert [item.id for item in items if isinstance(item, Document)] == ["r1", "r2"]
    assert Note("r.jsonl:1", "removed 1 control characters", controls=1) in items


def test_a_raw_control_character_in_a_record_line_is_removed_not_a_broken_record(tmp_path):
    (tmp_path / "r.jsonl").write_bytes(b'{"id": "r1", "title": "Mit\x01 Steuerzeichen\tund Tab"}\n')
    [note, record] = [item for _, item in read_sources([tmp_path], notes=True)]
    assert record.title == "Mit Steuerzeichen\tund Tab" and note.controls == 1


def test_an_unchanged_file_is_not_read_again(tmp_path):
    (tmp_path / "a.txt").write_text(RELEASE, encoding="utf-8")
    [(file, _)] = list(read_changed([tmp_path], {}))
    assert list(read_changed([tmp_path], {file.stamp: ("a",)})) == [(file, Unchanged(("a",)))]


# what the index holds, and the plan


def test_held_files_ids_under_their_stamp_and_their_path():
    held = Held.of({"a": ("h1", "a.txt|1:2:3|"), "r1": ("h2", "d/r.jsonl|4:5:6|"), "r2": ("h3", "d/r.jsonl|4:5:6|"), "x": ("h4", "")})
    assert held.by_stamp == {"a.txt|1:2:3|": ("a",), "d/r.jsonl|4:5:6|": ("r1", "r2")}
    assert held.by_path == {"a.txt": ("a",), "d/r.jsonl": ("r1", "r2")}
    assert held.ids_under("d") == ("r1", "r2") and held.ids_under("a.txt") == ("a",) and held.ids_under("e") == ()


def plan_of(known: dict, items: list) -> tuple[list, IndexReport, Plan]:
    report = IndexReport()
    plan = Plan(Held.of(known), report)
    return list(plan.writes(items)), report, plan


def test_the_plan_writes_new_and_changed_releases_and_counts_the_rest():
    known = {"same": ("h1", "same.txt|1|"), "touched": ("h1", "touched.txt|1|"), "changed": ("h1", "changed.txt|1|")}
    items = [
        (source_file("same.txt", "same.txt|1|"), doc("same")),
        (source_file("touched.txt", "touched.txt|2|"), doc("touched")),
        (source_file("changed.txt", "changed.txt|2|"), doc("changed", "h2")),
        (source_file("new.txt", "new.txt|1|"), doc("new")),
        (source_file("copy.txt", "copy.txt|1|"), doc("new")),
    ]
    writes, report, plan = plan_of(known, items)
    assert [(w.doc.id, w.change, w.stamp) for w in writes] == [
        ("touched", "unchanged", "touched.txt|2|"), ("changed", "updated", "changed.txt|2|"), ("new", "indexed", "new.txt|1|"),
    ]
    assert (report.indexed, report.updated, report.unchanged) == (1, 1, 2)
    assert [s.source for s in report.skipped] == ["new.txt"] and "duplicate id 'new'" in report.skipped[0].reason
    assert plan.removed() == [] and report.removed == 0


def test_the_plan_removes_what_is_gone_and_keeps_what_is_unreadable_for_now():
    known = {"gone": ("h1", "gone.txt|1|"), "busy": ("h1", "busy.txt|1|"), "kept": ("h1", "kept.txt|1|"), "link": ("h1", "link.txt|1|")}
    items = [
        (source_file("busy.txt", "busy.txt|2|"), Skipped("busy.txt", "empty file", keep_indexed=True)),
        (None, Skipped("link.txt", "dangling symbolic link")),
        (source_file("kept.txt", "kept.txt|1|"), Unchanged(("kept",))),
        (source_file("x.txt", "x.txt|1|"), Note("x.txt", "encoding guessed: Latin-1")),
    ]
    writes, report, plan = plan_of(known, items)
    assert writes == [] and plan.removed() == ["gone", "link"]
    assert (report.unchanged, report.removed, len(report.skipped)) == (1, 2, 2)
    assert report.summary()["notes"] == [{"source": "x.txt", "note": "encoding guessed: Latin-1"}]


# opening the run and writing


class Recorder:
    def __init__(self, known=None):
        self.calls, self._known = [], known or {}

    def known(self):
        return self._known

    def add(self, entry, terms=None):
        self.calls.append(("add", entry))

    def delete(self, doc_id):
        self.calls.append(("delete", doc_id))

    def finish(self, summary):
        self.calls.append(("finish", summary["indexed"]))

    def abort(self):
        self.calls.append(("abort",))


def test_open_run_chooses_in_process_for_an_update_and_workers_for_a_rebuild(monkeypatch):
    rebuild, update = Recorder(), Recorder()
    monkeypatch.setattr(api, "writers", lambda *args: ((lambda: rebuild), (lambda: update)))
    assert open_run(Path("x"), "opensearch", None, True, 4, None).run is update
    assert open_run(Path("x"), "opensearch", None, False, 1, None).run is rebuild
    parallel = open_run(Path("x"), "opensearch", None, False, 2, None)
    assert isinstance(parallel, ParallelEntries) and parallel.run is rebuild
    parallel.abort()


def test_write_sends_the_plan_then_deletes_and_returns_what_was_extracted():
    recorder = Recorder()
    run = InProcess(recorder, lambda item, year, stamp, dup: ((item.id, year, stamp, dup[0]), item.id))
    plan = Plan(Held.of({"gone": ("h1", "gone.txt|1|")}), IndexReport(), context_year=2024)
    grouper = duplicates.Grouper([("gone", "gone", "")])
    extracted = write(run, plan, [(source_file("a.txt", "a.txt|1|"), doc("a"))], grouper)
    assert recorder.calls == [("add", ("a", 2024, "a.txt|1|", "a")), ("delete", "gone")] and extracted == ["a"]
    assert "gone" not in grouper.group_of  # a removed release leaves its group


def test_an_id_longer_than_opensearch_takes_is_skipped_on_every_engine():
    long_id = "ä" * 257  # 514 bytes
    writes, report, _ = plan_of({}, [(source_file("lang.txt", "lang.txt|1|"), doc(long_id))])
    assert writes == [] and report.skipped[0].reason.startswith("id longer than 512 bytes (514)")


def test_an_invalid_manifest_date_is_noted_and_the_release_dated_from_its_text(tmp_path):
    (tmp_path / "a.txt").write_text("Titel\nVorspann\n", encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("file,date\na.txt,2023-13-01\n", encoding="utf-8")
    note, release = [item for _, item in read_sources([tmp_path], notes=True)]
    assert note.source == "a.txt" and note.message.startswith("manifest: invalid date '2023-13-01'")
    assert (release.date, release.date_origin) == (None, None)
