"""The OpenSearch engine: the same search API as `search.engine` (Whoosh), served by an OpenSearch cluster.

Vocabulary:
- cluster: one or more OpenSearch nodes reached over HTTP (`connect(url)`; several URLs may be comma-separated).
- alias: the name the API searches (`depesche` by default). It points at exactly one index at a time.
- index: one complete build, `<alias>-<timestamp>-<pid>`. A rebuild writes a new index and moves the alias to it
  in one `_aliases` call, so a reader sees the old build or the new one, never a half-built one.
- mapping: the fields, holding the terms of the project's own analysis chain (no OpenSearch analysis);
  query: the engine-neutral query tree and SearchParams -> an OpenSearch request body, testable without a cluster.
The rest of Depesche talks to it through `OpenSearchEngine` (the engine contract of `search.engines`) and
`Rebuild` / `Update` (write), exactly as to the Whoosh engine; hits, snippets, facet order, aliases and
did-you-mean come from the engine-neutral layer (`search.results`, `search.highlight`, `search.suggest`).
"""

from .client import DEFAULT_ALIAS, BackendUnavailable, connect
from .searcher import OpenSearchEngine
from .writer import Rebuild, Update, index_exists

__all__ = ["OpenSearchEngine", "Rebuild", "Update", "index_exists", "connect", "BackendUnavailable", "DEFAULT_ALIAS"]
