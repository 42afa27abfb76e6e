"""The search API: which engine, where its index is, and `search(params) -> Results` over it.

The engine is chosen here, so the CLI and the web app never name one: `whoosh` (embedded, the default; the index
is a folder) or `opensearch` (a cluster; the index is an alias on it). `--engine` / $DEPESCHE_ENGINE choose;
`--index` / $DEPESCHE_INDEX locate a Whoosh index, `--url` / $DEPESCHE_OPENSEARCH_URL an OpenSearch cluster.
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import DepescheError
from .model import Results, SearchParams

DEFAULT_INDEX = Path("index")
SAMPLE_CORPUS = Path(__file__).parent / "sample"  # releases written for the project, shipped in the package
INDEX_ENV = "DEPESCHE_INDEX"
ENGINE_ENV = "DEPESCHE_ENGINE"
ENGINES = ("whoosh", "opensearch")


def index_root(explicit: str | os.PathLike | None = None) -> Path:
    """`--index DIR`, else $DEPESCHE_INDEX, else ./index."""
    return Path(explicit or os.environ.get(INDEX_ENV) or DEFAULT_INDEX)


def engine_name(explicit: str | None = None) -> str:
    name = (explicit or os.environ.get(ENGINE_ENV) or "whoosh").lower()
    if name not in ENGINES:
        raise DepescheError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
    return name


def open_engine(root: str | os.PathLike | None = None, engine: str | None = None, url: str | None = None):
    """The engine answering searches: a WhooshEngine over `root`, or an OpenSearchEngine at `url`."""
    if engine_name(engine) == "opensearch":
        from .opensearch import OpenSearchEngine  # imported only when chosen: opensearch-py is an optional extra

        return OpenSearchEngine(url)
    from .engine import WhooshEngine

    return WhooshEngine(index_root(root))


def writers(root: str | os.PathLike | None = None, engine: str | None = None, url: str | None = None):
    """The (Rebuild, Update) writer factories of the chosen engine, each called with no arguments."""
    if engine_name(engine) == "opensearch":
        from . import opensearch

        return (lambda: opensearch.Rebuild(url)), (lambda: opensearch.Update(url))
    from . import engine as whoosh

    path = index_root(root)
    return (lambda: whoosh.Rebuild(path)), (lambda: whoosh.Update(path))


def has_index(root: str | os.PathLike | None = None, engine: str | None = None, url: str | None = None) -> bool:
    if engine_name(engine) == "opensearch":
        from .opensearch import index_exists

        return index_exists(url)
    from .engine import index_exists

    return index_exists(index_root(root))


def search(params: SearchParams, root=None, engine: str | None = None, url: str | None = None) -> Results:
    return open_engine(root, engine, url).search(params)
