"""The Whoosh engine: every line of Depesche that knows Whoosh lives in this package.

- analysis: the German analyzer chain (whose terms the OpenSearch engine indexes too);  schema: the fields;
- store: generations and the atomic switch;  writer: rebuilds (in worker processes) and updates;
- query: the engine-neutral query tree as Whoosh queries;  searcher: matches, facet counts, the vocabulary;
- facets: match sets and counting from numpy arrays;  scoring: Whoosh's BM25F ranking over posting arrays;
- files: thread-safe reads of the index files.
The rest of Depesche talks to it through `WhooshEngine` (the engine contract of `search.engines`) and
`Rebuild` / `Update` (write); hits, snippets, facet order and did-you-mean are the engine-neutral layer's.
"""

from .searcher import WhooshEngine
from .store import exists as index_exists
from .writer import ParallelRebuild, Rebuild, Update

__all__ = ["WhooshEngine", "Rebuild", "ParallelRebuild", "Update", "index_exists"]
