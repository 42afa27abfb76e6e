"""Test corpora made from the bundled sample releases (the project's own texts, so they may be copied)."""

from __future__ import annotations

from pathlib import Path

from search import api


def copied_sample(folder: Path, copies: int) -> int:
    """The bundled sample, copied `copies` times under `folder` (`kopie0/00.txt` ...); how many releases."""
    releases = sorted(api.SAMPLE_CORPUS.rglob("*.txt"))
    for copy in range(copies):
        for number, path in enumerate(releases):
            target = folder / f"kopie{copy}" / f"{number:02d}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return copies * len(releases)
