"""The hostile-file corpus run: a folder with every hostile path the attack run of issue 18 tried (and those of
tests/test_hostile_files.py), indexed, then every path in it accounted for as indexed or skipped with a reason.

Vocabulary:
- case: one hostile path, built by `build` into a fresh folder (texts written for this script, no corpus text):
  encodings, binary and empty files, huge files, control characters, JSONL records with bad lines and dates,
  symlink loops, dangling links, links out of the folder (to a file outside, to /etc/passwd, to /dev/zero),
  folder link loops, FIFOs, sockets, names that are not UTF-8, unreadable files and folders, deep nesting.
- account: each path of the built folder (listed here independently of the indexer, bytes names and all),
  looked up in the index run's report and the index: `indexed` (its release is found in the index), `skipped`
  (listed with its reason), `not input` (no `.txt` / `.jsonl` name: ignored by design) or `MISSING`. A JSONL file
  is accounted line by line; a path inside a skipped folder by that folder's skip.

The run then updates the index from the same folder (`--update`), which must list the same skipped paths. It fails
(exit 1) when any path is MISSING or the update's skips differ.

Example:
    python -m bench.attack_files                       # Whoosh, into a temporary folder
    python -m bench.attack_files --engine opensearch   # the same through the OpenSearch engine
    python -m bench.attack_files --follow-symlinks --markdown
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import struct
import sys
import tempfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GERMAN = "Gespräch über Maßnahmen\nDer Außenminister äußerte sich.\n"
RELEASE = "Außenminister trifft Amtskollegen\nDer Außenminister empfing seinen Amtskollegen in Baku.\nBeide sprachen über Minenräumung.\n"
DEPTH = 600  # folders nested in one another (deeper than Python's recursion limit in frames of a recursive walk)


def png() -> bytes:
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    chunk = lambda kind, data: struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00")) + chunk(b"IEND", b"")


def records() -> str:
    lines = [
        {"id": "j-gut", "title": "Datensatz mit Datum", "date": "2024-03-18"},
        "{kaputt",
        ["keine", "Tabelle"],
        {"title": "ohne id"},
        {"id": "j-leer"},
        {"id": "j-feb", "title": "Datensatz am 30. Februar", "date": "2024-02-30"},
        {"id": "j-fern", "title": "Datensatz in ferner Zukunft", "date": "99999-01-01"},
        {"id": "j-alt", "title": "Datensatz von 1066", "date": "1066-10-14"},
        {"id": "j-nul", "title": "Null\u0000zeichen", "lead": "Halbes \ud800 Zeichen und \u001b[31m Farbe"},
        {"id": "j-zeile", "title": "Zeilen\u2028trenner im Titel"},
    ]
    text = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines)
    return text + '\n{"id": "j-roh", "title": "Rohes \x01 Steuerzeichen"}\n\n'


def file_cases() -> dict[str, bytes]:
    """Regular files: name -> bytes."""
    return {
        "utf8.txt": RELEASE.encode(),
        "latin1-kurz.txt": GERMAN.encode("latin-1"),
        "cp1252-kurz.txt": ("„" + GERMAN + "Kosten: 5 €.\n").encode("cp1252"),
        "cp1252.txt": RELEASE.replace("Amtskollegen", "Kollegen aus Wien").encode("cp1252"),
        "latin1.txt": "Grüße aus Brüssel\nÄußerst wichtige Maßnahmen wurden beschlossen.\n".encode("latin-1"),
        "cp1251.txt": "Министр иностранных дел\nВстреча в Москве прошла успешно.\n".encode("cp1251"),
        "utf16-le.txt": GERMAN.encode("utf-16"),
        "utf16-be.txt": b"\xfe\xff" + GERMAN.encode("utf-16-be"),
        "utf32.txt": GERMAN.encode("utf-32"),
        "utf16-ohne-bom.txt": GERMAN.encode("utf-16-le"),
        "invalid-utf8.txt": RELEASE.encode().replace("Minenräumung".encode(), b"Minenr\xe4umung\xff"),
        "bom.txt": "\ufeffMeldung mit BOM\nVorspann\n".encode(),
        "crlf.txt": RELEASE.replace("\n", "\r\n").encode(),
        "cr.txt": RELEASE.replace("\n", "\r").encode(),
        "steuerzeichen.txt": b"Titel \x01mit\x07 Steuerzeichen\x1b[2J\nVorspann\x0b\x0c\n" + b"Absatz. " * 1200 + b"\x00Ende\n",
        "leer.txt": b"",
        "nur-leerraum.txt": b"  \n\t\n   \n",
        "bild.txt": png(),
        "zufall.txt": os.urandom(4096) + b"\x00",
        "riesig.txt": b"Titel\nVorspann\n" + b"Ein Satz \xc3\xbcber Diplomatie. " * 800_000,
        "eine-lange-zeile.txt": ("Eine einzige sehr lange Zeile " * 35_000).encode(),
        "kopie-a.txt": "Doppelt\nGleicher Inhalt unter zwei Namen.\n".encode(),
        "kopie-b.txt": "Doppelt\nGleicher Inhalt unter zwei Namen.\n".encode(),
        "Name mit Leerzeichen und Ümlaut.txt": "Meldung mit Ümlaut im Namen\nVorspann\n".encode(),
        "zeilen\numbruch.txt": "Meldung mit Zeilenumbruch im Namen\nVorspann\n".encode(),
        "-rf.txt": "Meldung mit Bindestrich am Anfang\nVorspann\n".encode(),
        "n" * 251 + ".txt": "Meldung mit langem Namen\nVorspann\n".encode(),
        "GROSS.TXT": "Meldung mit großer Endung\nVorspann\n".encode(),
        "records.jsonl": records().encode(),
        "notiz.pdf": b"%PDF-1.4 no release",
        "unlesbar.txt": RELEASE.encode(),
        "/".join(["d"] * DEPTH) + "/unten.txt": "Meldung ganz unten\nVorspann\n".encode(),
    }


def build(base: Path) -> Path:
    """The hostile folder under `base` (with a folder outside it that links point to)."""
    folder = base / "quelle"
    folder.mkdir(parents=True)
    (base / "draussen").mkdir()
    (base / "draussen" / "datei.txt").write_text("Fremde Datei\nAußerhalb des Quellordners.\n", encoding="utf-8")
    for name, data in file_cases().items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    (folder / "unlesbar.txt").chmod(0)
    _special_paths(folder, base)
    return folder


def _special_paths(folder: Path, base: Path) -> None:
    links = {
        "schleife.txt": "schleife.txt", "ping.txt": "pong.txt", "pong.txt": "ping.txt", "verwaist.txt": "fehlt.txt",
        "passwd.txt": "/etc/passwd", "null.txt": "/dev/zero", "draussen.txt": str(base / "draussen" / "datei.txt"),
        "verweis.txt": "utf8.txt", "ordner-zurueck": ".", "ordner-draussen": str(base / "draussen"), "ordner.txt": "d",
    }
    for name, target in links.items():
        os.symlink(target, folder / name)
    os.mkfifo(folder / "fifo.txt")
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(folder / "socket.txt"))
    bad = os.fsencode(folder) + b"/"
    Path(os.fsdecode(bad + b"caf\xe9.txt")).write_text("Meldung mit Latin-1-Namen\nVorspann\n", encoding="utf-8")
    Path(os.fsdecode(bad + b"ordner-\xff")).mkdir()
    Path(os.fsdecode(bad + b"ordner-\xff/drin.txt")).write_text("Meldung im Ordner ohne UTF-8-Namen\n", encoding="utf-8")
    (folder / "verschlossen").mkdir()
    (folder / "verschlossen" / "drin.txt").write_text("Meldung im verschlossenen Ordner\n", encoding="utf-8")
    (folder / "verschlossen").chmod(0)


@dataclass(frozen=True)
class Row:
    path: str
    outcome: str  # "indexed" | "skipped" | "not input" | "MISSING"
    detail: str = ""


def paths(folder: Path) -> list[tuple[str, str]]:
    """(shown relative path, kind: "folder", "folder link" or "file") of everything in the folder, links not
    followed."""
    from search.documents.files import shown

    found = []
    for current, folders, files in os.walk(os.fsencode(folder)):
        folders.sort()
        for name in sorted(folders) + sorted(files):
            full = os.path.join(current, name)
            relative = os.fsdecode(os.path.relpath(full, os.fsencode(folder))).replace(os.sep, "/")
            kind = "file" if not os.path.isdir(full) else "folder link" if os.path.islink(full) else "folder"
            found.append((shown(relative), kind))
    return found


def account(folder: Path, report, sources: set[str]) -> list[Row]:
    """Each path of the folder against the report (skips, notes) and the index (the sources of its releases)."""
    skipped = {skip.source: skip.reason for skip in report.skipped}
    notes: dict[str, list[str]] = {}
    for note in report.notes:
        notes.setdefault(note.source, []).append(note.message)
    rows = []
    for relative, kind in paths(folder):
        row = _row(folder, relative, kind, skipped, notes, sources)
        rows.extend(row if isinstance(row, list) else [row] if row else [])
    return rows


def _row(folder, relative, kind, skipped, notes, sources):
    parents = ["/".join(relative.split("/")[:n]) for n in range(1, relative.count("/") + 1)]
    if relative in skipped:
        return Row(relative, "skipped", skipped[relative])
    if any(parent in skipped for parent in parents):
        return Row(relative, "skipped", "inside a skipped folder") if kind != "folder" else None
    if kind == "folder":
        return None  # accounted by what is inside it
    if kind == "folder link":
        return Row(relative, "followed", "a link to a folder, walked (--follow-symlinks)")
    if os.path.splitext(relative)[1].lower() not in (".txt", ".jsonl"):
        return Row(relative, "not input", "no .txt or .jsonl name: not a release")
    if relative.lower().endswith(".jsonl"):
        return _record_rows(folder / relative, relative, skipped, notes, sources)
    detail = "; ".join(notes.get(relative, []))
    return Row(relative, "indexed", detail) if relative in sources else Row(relative, "MISSING")


def _record_rows(path: Path, relative: str, skipped, notes, sources) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        where = f"{relative}:{number}"
        if not line.strip():
            continue
        if where in skipped:
            rows.append(Row(where, "skipped", skipped[where]))
            continue
        indexed = [source for source in sources if source.startswith(f"{relative}#")]
        record_id = _record_id(line)
        found = f"{relative}#{record_id}" in indexed
        rows.append(Row(where, "indexed" if found else "MISSING", "; ".join(notes.get(where, []))))
    return rows


def _record_id(line: str) -> str:
    try:
        return str(json.loads(line.replace("\x01", ""), strict=False).get("id"))
    except (ValueError, AttributeError):
        return ""


def indexed_sources(engine) -> set[str]:
    from search import SearchParams

    sources: set[str] = set()
    for page in range(1, 100):
        results = engine.search(SearchParams(per_page=100, page=page, every_version=True))  # copies are versions
        sources.update(hit.source for hit in results.hits)
        if page * 100 >= results.total:
            return sources
    return sources


def run(base: Path, engine: str = "whoosh", follow_symlinks: bool = False):
    """Build the folder under `base`, index it, account for every path, then update the index from it:
    (rows, the rebuild's report, the update's report)."""
    from search import api
    from search.indexer import index_sources

    folder = build(base)
    root = base / "index"
    url = os.environ.get("DEPESCHE_OPENSEARCH_URL") if engine == "opensearch" else None
    report = index_sources([folder], root, engine=engine, url=url, follow_symlinks=follow_symlinks)
    try:
        rows = account(folder, report, indexed_sources(api.open_engine(root, engine, url)))
        update = index_sources([folder], root, update=True, engine=engine, url=url, follow_symlinks=follow_symlinks)
        return rows, report, update
    finally:
        (folder / "verschlossen").chmod(0o755)  # so the temporary folder can be removed


def markdown(rows: list[Row], report, update) -> str:
    outcomes = ("indexed", "skipped", "followed", "not input", "MISSING")
    counts = {outcome: sum(row.outcome == outcome for row in rows) for outcome in outcomes}
    lines = [
        f"{len(rows)} paths and records: " + ", ".join(f"{count} {outcome}" for outcome, count in counts.items()),
        f"(report: {report.indexed} indexed, {len(report.skipped)} skipped, {len(report.notes)} notes, "
        f"{report.control_characters_removed} control characters removed)",
        f"(--update after it: {update.unchanged} unchanged, {update.indexed + update.updated} written, "
        f"{update.removed} removed, {len(update.skipped)} skipped, "
        f"{'the same skips' if skipped_paths(update) == skipped_paths(report) else 'OTHER SKIPS'})",
        "",
        "| path | outcome | reason or note |",
        "|---|---|---|",
    ]
    for row in rows:
        path = row.path if len(row.path) < 60 else row.path[:28] + "…" + row.path[-28:]
        lines.append(f"| `{path.replace(chr(10), chr(92) + 'n')}` | {row.outcome} | {row.detail.replace('|', '/')} |")
    return "\n".join(lines)


def skipped_paths(report) -> list[tuple[str, str]]:
    """The skipped paths (not records: an update does not read an unchanged record file again, so the bad lines
    of one are reported by the run that read it)."""
    return [(skip.source, skip.reason) for skip in report.skipped if ".jsonl:" not in skip.source]


@contextmanager
def _own_alias(engine: str):
    """On OpenSearch, an alias of this run's own under $DEPESCHE_OPENSEARCH_INDEX, its indices deleted after."""
    if engine != "opensearch":
        yield
        return
    from search.opensearch import connect

    alias = f"{os.environ.get('DEPESCHE_OPENSEARCH_INDEX', 'depesche')}_attack_{os.getpid()}"
    os.environ["DEPESCHE_OPENSEARCH_INDEX"] = alias
    try:
        yield
    finally:
        client = connect(os.environ.get("DEPESCHE_OPENSEARCH_URL"))
        for name in client.indices.get(index=f"{alias}-*", ignore=[404]):
            client.indices.delete(index=name, ignore=[404])


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh")
    parser.add_argument("--follow-symlinks", action="store_true")
    parser.add_argument("--markdown", action="store_true", help="print every path's row as a Markdown table")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="depesche-attack-") as base, _own_alias(args.engine):
        rows, report, update = run(Path(base), args.engine, args.follow_symlinks)
    table = markdown(rows, report, update)
    print(table if args.markdown else table.split("\n\n")[0])
    missing = [row.path for row in rows if row.outcome == "MISSING"]
    if skipped_paths(update) != skipped_paths(report):
        missing.append("(the update's skips differ from the rebuild's)")
    if missing:
        print("MISSING: " + ", ".join(missing), file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
