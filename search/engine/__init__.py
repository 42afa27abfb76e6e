"""The Whoosh engine: every line of Depesche that knows Whoosh lives in this package.

- analysis: the German analyzer chain;  schema: the fields;  store: generations and the atomic switch;
- writer: rebuilds and updates;  searcher: queries, facets, snippets;  facets: counting from numpy arrays.
The rest of Depesche talks to it through `WhooshEngine` (search) and `Rebuild` / `Update` (write).
"""

from .searcher import WhooshEngine
from .store import exists as index_exists
from .writer import Rebuild, Update

__all__ = ["WhooshEngine", "Rebuild", "Update", "index_exists"]
