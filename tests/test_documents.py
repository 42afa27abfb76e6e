"""Reading releases: the seed's layout, JSONL records, manifests, year folders, and bad files."""

import json

from search.documents import Skipped, decode, parse_release, read_sources


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
    return path


def read_all(*sources):
    return [item for _, item in read_sources(list(sources))]


def test_release_layout_headline_lead_paragraphs(tmp_path):
    write(tmp_path / "a.txt", "Titel\nDer Vorspann.\nErster Absatz.\n\nZweiter Absatz.\n")
    [doc] = read_all(tmp_path)
    assert (doc.id, doc.title, doc.lead, doc.paragraphs) == ("a", "Titel", "Der Vorspann.", ("Erster Absatz.", "Zweiter Absatz."))
    assert doc.source == "a.txt" and doc.content_hash


def test_id_is_the_relative_path_without_extension(tmp_path):
    write(tmp_path / "2024" / "mai" / "treffen.txt", "Titel\nVorspann")
    [(file, doc)] = list(read_sources([tmp_path]))
    assert doc.id == "2024/mai/treffen"
    assert file.context_year == 2024


def test_jsonl_records_with_body_or_paragraphs(tmp_path):
    lines = [
        {"id": "r1", "title": "Eins", "lead": "Vorspann", "body": "A\nB", "date": "2024-03-18", "actors": ["Jens Stoltenberg"]},
        {"id": "r2", "title": "Zwei", "lead": "L", "paragraphs": ["L", "P"], "topics": ["Energie"], "url": "https://x"},
    ]
    write(tmp_path / "r.jsonl", "\n".join(json.dumps(line) for line in lines))
    one, two = read_all(tmp_path)
    assert one.paragraphs == ("A", "B") and one.date == "2024-03-18" and one.date_origin == "metadata"
    assert one.actors == ("Jens Stoltenberg",)
    assert two.paragraphs == ("P",), "a lead repeated as first paragraph is not indexed twice"
    assert two.topics == ("Energie",) and two.url == "https://x" and two.source == "r.jsonl#r2"


def test_bad_files_are_skipped_with_reasons_and_the_rest_is_read(tmp_path):
    write(tmp_path / "gut.txt", "Gute Meldung\nVorspann")
    write(tmp_path / "leer.txt", "  \n\n")
    write(tmp_path / "bild.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "r.jsonl", '{"id": "ok", "title": "T"}\n{kaputt\n["liste"]\n{"title": "ohne id"}\n')
    items = read_all(tmp_path)
    skipped = {item.source: item.reason for item in items if isinstance(item, Skipped)}
    assert {item.id for item in items if not isinstance(item, Skipped)} == {"gut", "ok"}
    assert skipped == {
        "bild.txt": "binary file, not text",
        "leer.txt": "empty file",
        "r.jsonl:2": "not valid JSON (Expecting property name enclosed in double quotes)",
        "r.jsonl:3": "not a JSON object",
        "r.jsonl:4": "record has no id",
    }


def test_legacy_encodings_bom_and_crlf_are_decoded():
    assert decode("Außenminister Grüße".encode("cp1252")) == "Außenminister Grüße"
    assert decode("\ufeffTitel".encode("utf-8")) == "Titel"
    assert parse_release("Titel\r\nVorspann\r\nAbsatz\r\n") == ("Titel", "Vorspann", ("Absatz",))


def test_manifest_gives_date_and_url(tmp_path):
    write(tmp_path / "a.txt", "Titel\nVorspann")
    write(tmp_path / "manifest.csv", "file,date,url\na.txt,2024-03-18,https://mfa.example/a\n")
    [doc] = read_all(tmp_path)
    assert (doc.date, doc.date_origin, doc.url) == ("2024-03-18", "manifest", "https://mfa.example/a")
