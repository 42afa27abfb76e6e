"""A folder of hostile files: each is indexed correctly or skipped with a stated reason; the rest all land."""

import json
import os

import pytest

from bench.attack_files import png
from search import SearchParams, open_engine
from search.indexer import index_sources

RELEASE = "Außenminister trifft Amtskollegen\nDer Außenminister empfing seinen Amtskollegen in Baku.\nBeide sprachen über Minenräumung und Grüße.\n"


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    files = {
        "cp1252.txt": RELEASE.replace("Amtskollegen", "Kollegen aus Wien").encode("cp1252"),
        "latin1.txt": "Grüße aus Brüssel\nÄußerst wichtige Maßnahmen wurden beschlossen.\n".encode("latin-1"),
        "invalid-utf8.txt": RELEASE.encode("utf-8").replace("Minenräumung".encode(), b"Minenr\xe4umung\xff"),
        "bom.txt": "\ufeff".encode() + "Meldung mit BOM\nVorspann\n".encode(),
        "crlf.txt": RELEASE.replace("\n", "\r\n").replace("Amtskollegen", "Partner").encode(),
        "leer.txt": b"",
        "nur-leerraum.txt": b"  \n\t\n   \n",
        "bild.txt": png(),
        "zufall.txt": os.urandom(4096) + b"\x00",
        "riesig.txt": ("Titel\nVorspann\n" + "Ein Satz über Diplomatie. " * 800_000).encode(),
        "eine-lange-zeile.txt": ("Eine einzige sehr lange Zeile " * 35_000).encode(),
        "kopie-a.txt": "Doppelt\nGleicher Inhalt unter zwei Namen.\n".encode(),
        "kopie-b.txt": "Doppelt\nGleicher Inhalt unter zwei Namen.\n".encode(),
        "Name mit Leerzeichen und Ümlaut.txt": "Meldung mit Ümlaut im Namen\nVorspann\n".encode(),
        "records.jsonl": "\n".join(
            [json.dumps({"id": "j1", "title": "Erster Datensatz", "lead": "Vorspann"}), "{kaputt", json.dumps({"id": "j2", "title": "Zweiter Datensatz"})]
        ).encode(),
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    root = tmp_path_factory.mktemp("hostile-index")
    return index_sources([folder], root), root


def test_every_file_is_indexed_or_skipped_with_a_reason(hostile):
    report, root = hostile
    skipped = {s.source: s.reason for s in report.skipped}
    assert skipped.keys() == {"leer.txt", "nur-leerraum.txt", "bild.txt", "zufall.txt", "riesig.txt", "records.jsonl:2"}
    assert skipped["bild.txt"] == skipped["zufall.txt"] == "binary file, not text"
    assert skipped["leer.txt"] == skipped["nur-leerraum.txt"] == "empty file"
    assert "too large" in skipped["riesig.txt"] and "not valid JSON" in skipped["records.jsonl:2"]
    assert report.indexed == 11 and not report.ok


def test_legacy_encodings_are_searchable_as_text(hostile):
    _, root = hostile
    engine = open_engine(root)
    found = lambda query: {hit.id for hit in engine.search(SearchParams(query=query, per_page=50)).hits}  # noqa: E731
    assert {"cp1252", "crlf", "invalid-utf8"} <= found("Außenminister")
    assert "latin1" in found("Maßnahmen")
    assert "Name mit Leerzeichen und Ümlaut" in found("Ümlaut")
    # duplicate content under two names is two releases: one entry in a search, two when every version is asked for
    assert found("Doppelt") == {"kopie-a"}
    every = engine.search(SearchParams(query="Doppelt", every_version=True))
    assert {hit.id for hit in every.hits} == {"kopie-a", "kopie-b"}
    assert {"j1", "j2"} <= found("Datensatz")
