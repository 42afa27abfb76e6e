"""The OpenSearch engine: the same search API as `search.engine` (Whoosh), served by an OpenSearch cluster.

Vocabulary:
- cluster: one or more OpenSearch nodes reached over HTTP (`connect(url)`; several URLs may be comma-separated).
- alias: the name the API searches (`depesche` by default). It points at exactly one index at a time.
- index: one complete build, `<alias>-<timestamp>-<pid>`. A rebuild writes a new index and moves the alias to it
  in one `_aliases` call, so a reader sees the old build or the new one, never a half-built one.
- analysis: the German chain of the index (see `analysis`); mapping: the fields (see `mapping`);
  query: SearchParams -> an OpenSearch request body (see `query`), testable without a cluster.
The rest of Depesche talks to it through `OpenSearchEngine` (search) and `Rebuild` / `Update` (write), exactly as
to the Whoosh engine. Nothing here imports Whoosh.
"""

from .client import DEFAULT_ALIAS, BackendUnavailable, connect
from .searcher import OpenSearchEngine
from .writer import Rebuild, Update, index_exists

__all__ = ["OpenSearchEngine", "Rebuild", "Update", "index_exists", "connect", "BackendUnavailable", "DEFAULT_ALIAS"]
