"""Index size and indexing speed: the Depesche German analyzer against a plain `LanguageAnalyzer('de')`.

Both indexes have the same three text fields (title, lead, body, stored, with the schema's field boosts), are
written by one Whoosh writer with the same memory, and read the same releases. The lexicon that decompounding
and spelling normalization use is loaded before timing (a one-time cost per process, printed separately).

    PYTHONPATH=. python bench/analysis_size.py [FOLDER ...]   (default: ../shared/corpus/wikinews-de/txt)
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

from whoosh import index
from whoosh.analysis import LanguageAnalyzer
from whoosh.fields import TEXT, Schema

from search.documents import Skipped, read_sources
from search.engine.analysis import german_analyzer
from search.engine.schema import FIELD_BOOSTS
from search.german import lexicon

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "wikinews-de" / "txt"
ROUNDS = 3


def schema(analyzer) -> Schema:
    return Schema(**{f: TEXT(analyzer=analyzer, stored=True, field_boost=b) for f, b in FIELD_BOOSTS.items()})


def build(docs, analyzer) -> tuple[float, int]:
    """Seconds to index `docs`, and the index's size in bytes."""
    folder = Path(tempfile.mkdtemp(prefix="depesche-bench-"))
    try:
        started = time.process_time()  # CPU time: steadier than wall time on a shared machine
        ix = index.create_in(folder, schema(analyzer))
        writer = ix.writer(limitmb=256)
        for doc in docs:
            writer.add_document(title=doc.title, lead=doc.lead, body=doc.body)
        writer.commit()
        seconds = time.process_time() - started
        size = sum(p.stat().st_size for p in folder.iterdir())
        return seconds, size
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main(folders: list[str]) -> None:
    sources = [Path(f) for f in folders] or [DEFAULT]
    docs = [item for _, item in read_sources(sources) if not isinstance(item, Skipped)]
    started = time.perf_counter()
    lexicon.is_word("minister"), lexicon.is_noun("minister")
    load = time.perf_counter() - started
    rows = {}
    for name, make in (("plain LanguageAnalyzer('de')", lambda: LanguageAnalyzer("de")), ("Depesche german_analyzer()", german_analyzer)):
        runs = [build(docs, make()) for _ in range(ROUNDS)]  # a fresh analyzer each run: cold per-word caches
        seconds = min(r[0] for r in runs)
        rows[name] = (len(docs) / seconds, runs[0][1])
    (base_rate, base_size), (rate, size) = rows.values()
    print(f"{len(docs)} releases from {', '.join(map(str, sources))}; best of {ROUNDS}, CPU time; lexicon load {load:.2f} s (once per process)")
    print(f"{'analyzer':32} {'docs/s':>8} {'index MB':>9}")
    for name, (r, s) in rows.items():
        print(f"{name:32} {r:8.0f} {s / 1e6:9.2f}")
    print(f"{'Depesche vs plain':32} {100 * (rate / base_rate - 1):+7.0f}% {100 * (size / base_size - 1):+8.0f}%")


if __name__ == "__main__":
    main(sys.argv[1:])
