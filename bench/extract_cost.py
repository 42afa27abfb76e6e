"""Extraction cost per release: CPU time of `Extractor.extract` over a folder of releases.

The extractor (gazetteer, taxonomy, country tables) is built before timing; each round extracts every release
once; the first round (cold caches) and the best round are reported (CPU time, so the figure is steady on a shared machine). With `--facets`, it also
checks the actor facet the releases would give: no two values may share a name key (one person, one value).

    PYTHONPATH=. python bench/extract_cost.py [--facets] [FOLDER]   (default: $DEPESCHE_SHARED or ../shared, corpus/wikinews-de/txt)
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from search.documents import Skipped, read_sources
from search.extract import Extractor

SHARED = Path(os.environ.get("DEPESCHE_SHARED") or Path(__file__).resolve().parents[1].parent / "shared")
DEFAULT = SHARED / "corpus" / "wikinews-de" / "txt"
ROUNDS = 3


def measure(docs, extractor: Extractor) -> tuple[float, float, list]:
    """CPU seconds per release in the first round (cold caches) and the best of `ROUNDS`, and the metadata."""
    rounds, results = [], []
    for _ in range(ROUNDS):
        started = time.process_time()
        results = [extractor.extract(doc) for doc in docs]
        rounds.append((time.process_time() - started) / len(docs))
    return rounds[0], min(rounds), results


def split_persons(metadata) -> list[list[str]]:
    """Groups of actor facet values (after the archive-wide merge) that share a name key."""
    from search.extract import canonical_names
    from search.german.names import name_key

    counts: dict[str, int] = {}
    for md in metadata:
        for actor in md.actors:
            counts[actor.name] = counts.get(actor.name, 0) + 1
    merged = canonical_names(counts)
    shown = {merged.get(name, name) for name in counts}
    by_key: dict[str, list[str]] = {}
    for name in shown:
        by_key.setdefault(name_key(name), []).append(name)
    return [sorted(names) for names in by_key.values() if len(names) > 1]


def main(argv: list[str]) -> None:
    facets = "--facets" in argv
    folders = [Path(a) for a in argv if not a.startswith("--")] or [DEFAULT]
    docs = [doc for _, doc in read_sources(folders) if not isinstance(doc, Skipped)]
    if not docs:
        sys.exit(f"no releases in {', '.join(map(str, folders))} (set DEPESCHE_SHARED or name a folder)")
    extractor = Extractor()
    first, best, metadata = measure(docs, extractor)
    print(f"{len(docs)} releases: {first * 1000:.2f} ms CPU per release in the first round, "
          f"{best * 1000:.2f} ms in the best of {ROUNDS}")
    if facets:
        groups = split_persons(metadata)
        print(f"actor facet values sharing a name key: {len(groups)}")
        for names in groups:
            print("  " + " | ".join(names))


if __name__ == "__main__":
    main(sys.argv[1:])
