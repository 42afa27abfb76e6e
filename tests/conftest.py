"""Shared fixtures: where ../shared is, and small indexes built once per test session.

Tests that need ../shared (the licensed corpora and the seed) use the `shared` fixture and skip with a reason on
a fresh clone that has no ../shared beside it; the rest run on the project's bundled sample.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import pytest

from search import api
from search.indexer import index_sources

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DEPESCHE_SHARED") or REPO.parent / "shared")
SEED_ID = "000_dafee6e7240ce84c"
OPENSEARCH_URL = os.environ.get("DEPESCHE_OPENSEARCH_URL")


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


def opensearch_alias(name: str) -> str:
    """An alias of this test run's own (prefixed by $DEPESCHE_OPENSEARCH_INDEX): a shared cluster keeps others'."""
    return f"{os.environ.get('DEPESCHE_OPENSEARCH_INDEX', 'depesche')}_{name}_{os.getpid()}"


@contextmanager
def opensearch_index(sources, alias: str):
    """An OpenSearchEngine over `sources` indexed under `alias`; its indices are deleted afterwards."""
    if not OPENSEARCH_URL:
        pytest.skip("needs a cluster: run opensearch/start.sh and set DEPESCHE_OPENSEARCH_URL=http://127.0.0.1:9200")
    pytest.importorskip("opensearchpy")
    from search.opensearch import OpenSearchEngine, connect

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DEPESCHE_OPENSEARCH_INDEX", alias)
        report = index_sources(sources, Path("unused"), engine="opensearch", url=OPENSEARCH_URL)
    assert report.ok, report.skipped
    try:
        yield OpenSearchEngine(OPENSEARCH_URL, alias)
    finally:
        client = connect(OPENSEARCH_URL)
        for name in client.indices.get(index=f"{alias}-*", ignore=[404]):
            client.indices.delete(index=name, ignore=[404])


@pytest.fixture(scope="session")
def opensearch_corpus(seed_dir, wikinews_txt):
    """The releases of `corpus_index` (wikinews-de, the seed, the sample) on OpenSearch, indexed once."""
    with opensearch_index([wikinews_txt, seed_dir, api.SAMPLE_CORPUS], opensearch_alias("corpus")) as engine:
        yield engine
