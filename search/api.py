"""The search API: where the index is, and `search(params) -> Results` over it.

The engine is chosen here, so the CLI and the web app never name one.
"""

from __future__ import annotations

import os
from pathlib import Path

from .engine import WhooshEngine, index_exists
from .model import Results, SearchParams

DEFAULT_INDEX = Path("index")
SAMPLE_CORPUS = Path(__file__).parent / "sample"  # releases written for the project, shipped in the package
INDEX_ENV = "DEPESCHE_INDEX"


def index_root(explicit: str | os.PathLike | None = None) -> Path:
    """`--index DIR`, else $DEPESCHE_INDEX, else ./index."""
    return Path(explicit or os.environ.get(INDEX_ENV) or DEFAULT_INDEX)


def open_engine(root: str | os.PathLike | None = None) -> WhooshEngine:
    return WhooshEngine(index_root(root))


def has_index(root: str | os.PathLike | None = None) -> bool:
    return index_exists(index_root(root))


def search(params: SearchParams, root: str | os.PathLike | None = None) -> Results:
    return open_engine(root).search(params)
