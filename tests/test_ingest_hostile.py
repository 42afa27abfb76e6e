"""Ingest never stops on one path: every hostile path is indexed or listed as skipped with its reason, on a
rebuild and an update, on both engines; what the reader changed or guessed (an encoding, control characters, an
invalid record date) is listed as a note.

The hostile cases are issue 18's attack run: symlink loops named *.txt, names that are not UTF-8, FIFOs, sockets,
dangling links, unreadable files, links out of the source folder, invalid JSONL dates, UTF-16/32 with a BOM,
short Latin-1 and cp1252 files, and control characters in the text.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from search import SearchParams, open_engine
from search.indexer import index_sources
from tests.conftest import OPENSEARCH_URL, REPO, opensearch_alias

GERMAN = "Gespräch über Maßnahmen\nDer Außenminister äußerte sich.\n"
RELEASE = "Treffen in Baku\nDer Botschafter sprach über die Zusammenarbeit.\n"
NOT_UTF8 = os.fsdecode(b"caf\xe9.txt")  # shown as caf\xe9.txt


def hostile_folder(base: Path) -> Path:
    """A source folder with one file of each hostile kind, and an outside file a link points to."""
    folder = base / "quelle"
    folder.mkdir()
    outside = base / "draussen.txt"
    outside.write_text("Fremde Datei\nAußerhalb des Quellordners.\n", encoding="utf-8")
    (folder / "gut.txt").write_text(RELEASE, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(GERMAN.encode("latin-1"))
    (folder / "cp1252.txt").write_bytes(("„" + GERMAN.replace("\n", "“\n", 1) + "Kosten: 5 €.\n").encode("cp1252"))
    (folder / "utf16.txt").write_bytes(GERMAN.replace("Gespräch", "Unterredung").encode("utf-16"))
    (folder / "utf16be.txt").write_bytes(b"\xfe\xff" + "Grüße aus Bern\nVorspann\n".encode("utf-16-be"))
    (folder / "utf32.txt").write_bytes("Grüße aus Wien\nVorspann\n".encode("utf-32"))
    (folder / "steuerzeichen.txt").write_bytes(b"Titel mit \x01Steuer\x07zeichen\nVorspann\x0b\n" + b"x" * 9000 + b"\x00Ende\n")
    (folder / "records.jsonl").write_text(
        "\n".join(
            json.dumps(record)
            for record in (
                {"id": "r-gut", "title": "Gültiges Datum", "date": "2024-03-18"},
                {"id": "r-feb", "title": "Datum am 30. Februar", "date": "2024-02-30"},
                {"id": "r-fern", "title": "Datum in ferner Zukunft", "date": "99999-01-01"},
                {"id": "r-nul", "title": "Null\u0000zeichen im Titel", "lead": "Halbes \ud800 Zeichen"},
            )
        ),
        encoding="utf-8",
    )
    os.symlink("schleife.txt", folder / "schleife.txt")
    os.symlink("fehlt.txt", folder / "verwaist.txt")
    os.symlink(outside, folder / "passwd.txt")
    os.symlink("gut.txt", folder / "verweis.txt")  # a link inside the folder: indexed
    os.mkfifo(folder / "fifo.txt")
    (folder / os.fsencode(NOT_UTF8).decode("utf-8", "surrogateescape")).write_text(RELEASE, encoding="utf-8")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "socket.txt"))
    return folder


HOSTILE_SKIPS = {
    "schleife.txt": "symbolic link loop",
    "verwaist.txt": "dangling symbolic link",
    "passwd.txt": "symbolic link out of the source folder",
    "fifo.txt": "not a regular file (a named pipe)",
    "socket.txt": "not a regular file (a socket)",
    "caf\\xe9.txt": "file name is not valid UTF-8",
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    base = tmp_path_factory.mktemp("ingest")
    folder = hostile_folder(base)
    report = index_sources([folder], base / "index")
    return folder, base / "index", report


def reasons(report) -> dict[str, str]:
    return {skip.source: skip.reason for skip in report.skipped}


def notes(report) -> dict[str, str]:
    found: dict[str, str] = {}
    for note in report.notes:
        found[note.source] = f"{found[note.source]}; {note.message}" if note.source in found else note.message
    return found


def found(root, query) -> set[str]:
    return {hit.id for hit in open_engine(root).search(SearchParams(query=query, per_page=50, every_version=True)).hits}


def test_every_hostile_path_is_skipped_with_its_reason_and_the_run_goes_on(hostile):
    folder, root, report = hostile
    skipped = reasons(report)
    assert skipped.keys() == HOSTILE_SKIPS.keys()
    for source, reason in HOSTILE_SKIPS.items():
        assert skipped[source].startswith(reason), (source, skipped[source])
    assert "--follow-symlinks" in skipped["passwd.txt"]
    assert report.indexed == 12  # 7 files, the link inside, 4 records
    assert found(root, "Botschafter") == {"gut", "verweis"}


def test_short_latin1_and_cp1252_files_are_german_text_and_the_report_says_it_guessed(hostile):
    _, root, report = hostile
    assert {"latin1", "cp1252"} <= found(root, "Außenminister")
    document = open_engine(root).document("latin1")
    assert (document["title"], document["lead"]) == ("Gespräch über Maßnahmen", "Der Außenminister äußerte sich.")
    assert open_engine(root).document("cp1252")["title"] == "„Gespräch über Maßnahmen“"
    assert "encoding guessed: Latin-1" in notes(report)["latin1.txt"]
    assert "encoding guessed: Windows-1252" in notes(report)["cp1252.txt"]


def test_utf16_and_utf32_with_a_bom_are_decoded_not_skipped_as_binary(hostile):
    _, root, report = hostile
    assert "utf16" in found(root, "Außenminister")
    assert {"utf16be", "utf32"} == found(root, "Grüße")
    assert not {"utf16.txt", "utf16be.txt", "utf32.txt"} & (reasons(report).keys() | notes(report).keys())


def test_control_characters_are_stripped_and_counted(hostile):
    _, root, report = hostile
    document = open_engine(root).document("steuerzeichen")
    assert document["title"] == "Titel mit Steuerzeichen" and document["lead"] == "Vorspann"
    assert document["body"].endswith("xEnde")
    record = open_engine(root).document("r-nul")
    assert (record["title"], record["lead"]) == ("Nullzeichen im Titel", "Halbes \ufffd Zeichen")
    assert "removed 4 control characters" in notes(report)["steuerzeichen.txt"]
    assert report.summary()["control_characters_removed"] == 5


def test_invalid_jsonl_dates_are_reported_per_line_and_the_release_indexed_without_them(hostile):
    _, root, report = hostile
    assert "invalid date '2024-02-30'" in notes(report)["records.jsonl:2"]
    assert "invalid date '99999-01-01'" in notes(report)["records.jsonl:3"]
    assert "indexed without it" in notes(report)["records.jsonl:2"]
    assert {"r-feb", "r-fern"} <= found(root, "Datum")
    assert open_engine(root).document("r-gut")["meta"]["date"] == "2024-03-18"
    assert open_engine(root).document("r-feb")["meta"]["date"] is None


def test_follow_symlinks_indexes_a_link_out_of_the_source_folder(hostile, tmp_path):
    folder, _, _ = hostile
    report = index_sources([folder], tmp_path / "index", follow_symlinks=True)
    assert "passwd.txt" not in reasons(report) and "schleife.txt" in reasons(report)
    assert found(tmp_path / "index", "Quellordners") == {"passwd"}


def test_update_lists_the_same_skips_and_keeps_the_rest(hostile, tmp_path):
    folder, _, first = hostile
    root = tmp_path / "index"
    index_sources([folder], root)
    again = index_sources([folder], root, update=True)
    assert reasons(again) == reasons(first)
    assert (again.indexed, again.updated, again.removed, again.unchanged) == (0, 0, 0, first.indexed)


def test_a_folder_link_loop_is_walked_once(tmp_path):
    folder = tmp_path / "quelle"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "eins.txt").write_text(RELEASE, encoding="utf-8")
    os.symlink("..", folder / "a" / "zurück")
    plain = index_sources([folder], tmp_path / "i1")
    assert plain.indexed == 1 and list(reasons(plain)) == ["a/zurück"]
    assert "not followed" in reasons(plain)["a/zurück"]
    followed = index_sources([folder], tmp_path / "i2", follow_symlinks=True)
    assert followed.indexed == 1 and reasons(followed) == {"a/zurück": "folder already walked (a link loop)"}


@contextmanager
def unreadable(path: Path):
    """`path` unreadable for this process: by its mode, or (as root, who reads any mode) by refusing its open."""
    path.chmod(0)
    if os.geteuid() != 0:
        yield
        return
    real_open = os.open
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(os, "open", lambda name, *a, **k: _refuse(name) if Path(name) == path else real_open(name, *a, **k))
        yield


def _refuse(name):
    raise PermissionError(13, "Permission denied", str(name))


def test_an_unreadable_file_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "quelle"
    folder.mkdir()
    (folder / "gut.txt").write_text(RELEASE, encoding="utf-8")
    (folder / "geheim.txt").write_text(RELEASE, encoding="utf-8")
    with unreadable(folder / "geheim.txt"):
        report = index_sources([folder], tmp_path / "index")
    assert reasons(report) == {"geheim.txt": "cannot read: Permission denied"} and report.indexed == 1


def test_cli_lists_skips_and_notes_as_text_and_json_with_exit_status_3(hostile, tmp_path):
    folder, _, _ = hostile
    command = [sys.executable, "-m", "search", "index", str(folder), "--index", str(tmp_path / "index")]
    env = {**os.environ, "PYTHONPATH": str(REPO), "PYTHONIOENCODING": "utf-8"}
    text = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert text.returncode == 3, text.stderr
    assert "Traceback" not in text.stderr
    assert "skipped caf\\xe9.txt: file name is not valid UTF-8" in text.stdout
    assert "note latin1.txt: encoding guessed: Latin-1" in text.stdout
    assert "control characters removed: 5" in text.stdout
    answer = subprocess.run([*command, "--json"], capture_output=True, text=True, env=env, timeout=120, cwd=REPO)
    assert answer.returncode == 3, answer.stderr
    summary = json.loads(answer.stdout)
    assert {skip["source"] for skip in summary["skipped"]} == HOSTILE_SKIPS.keys()
    assert {"source": "records.jsonl:2", "note": notes_of(summary)["records.jsonl:2"]} in summary["notes"]


def notes_of(summary) -> dict[str, str]:
    return {note["source"]: note["note"] for note in summary["notes"]}


def test_opensearch_reports_the_same_skips_and_notes(hostile):
    if not OPENSEARCH_URL:
        pytest.skip("needs a cluster: run opensearch/start.sh and set DEPESCHE_OPENSEARCH_URL=http://127.0.0.1:9200")
    pytest.importorskip("opensearchpy")
    from search.opensearch import OpenSearchEngine, connect

    folder, _, whoosh = hostile
    alias = opensearch_alias("ingest")
    try:
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DEPESCHE_OPENSEARCH_INDEX", alias)
            report = index_sources([folder], Path("unused"), engine="opensearch", url=OPENSEARCH_URL)
        assert reasons(report) == reasons(whoosh) and notes(report) == notes(whoosh)
        assert report.indexed == whoosh.indexed
        hits = OpenSearchEngine(OPENSEARCH_URL, alias).search(SearchParams(query="Außenminister", per_page=50)).hits
        assert {"latin1", "cp1252", "utf16"} <= {hit.id for hit in hits}
    finally:
        client = connect(OPENSEARCH_URL)
        for name in client.indices.get(index=f"{alias}-*", ignore=[404]):
            client.indices.delete(index=name, ignore=[404])


def test_the_hostile_file_corpus_run_accounts_for_every_path(tmp_path):
    from bench import attack_files

    rows, report, update = attack_files.run(tmp_path)
    outcomes = {row.path: row.outcome for row in rows}
    assert [path for path, outcome in outcomes.items() if outcome == "MISSING"] == []
    assert len(rows) > 50 and not report.ok
    assert outcomes["passwd.txt"] == outcomes["ping.txt"] == outcomes["caf\\xe9.txt"] == "skipped"
    assert outcomes["records.jsonl:6"] == outcomes["latin1-kurz.txt"] == "indexed"
    assert attack_files.skipped_paths(update) == attack_files.skipped_paths(report)
    assert (update.removed, update.unchanged) == (0, report.indexed)
