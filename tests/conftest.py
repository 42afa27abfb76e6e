"""Shared fixtures: where ../shared is, and small indexes built once per test session.

Tests that need ../shared (the licensed corpora and the seed) use the `shared` fixture and skip with a reason on
a fresh clone that has no ../shared beside it; the rest run on the project's bundled sample.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from search import api
from search.indexer import index_sources

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DEPESCHE_SHARED") or REPO.parent / "shared")
SEED_ID = "000_dafee6e7240ce84c"


def shared_path(*parts: str) -> Path:
    """A path inside ../shared, or a skip when this checkout has none (a user's fresh clone)."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs {path} (the shared test corpora, present in CI, absent from a fresh clone)")
    return path


@pytest.fixture(scope="session")
def seed_dir() -> Path:
    return shared_path("seeds")


@pytest.fixture(scope="session")
def wikinews_txt() -> Path:
    return shared_path("corpus", "wikinews-de", "txt")


@pytest.fixture(scope="session")
def sample_index(tmp_path_factory) -> Path:
    """An index of the bundled sample releases, built once."""
    root = tmp_path_factory.mktemp("sample-index")
    index_sources([api.SAMPLE_CORPUS], root)
    return root


@pytest.fixture(scope="session")
def corpus_index(tmp_path_factory, seed_dir, wikinews_txt) -> Path:
    """An index of the seed, the wikinews-de articles and the bundled sample, built once."""
    root = tmp_path_factory.mktemp("corpus-index")
    index_sources([wikinews_txt, seed_dir, api.SAMPLE_CORPUS], root)
    return root
