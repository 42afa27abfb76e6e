"""Depesche: search German diplomatic press releases.

Data flows one way: files -> documents -> metadata (extract) -> index (engine) -> results.
The public API is `search(params) -> Results` with the dataclasses of `search.model`.
"""

from . import german_data

german_data.install()  # the German lexicon's word lists, read (and cached on disk) outside the pure package

from .api import has_index, index_root, open_engine, search
from .errors import BadQuery, DepescheError, DocumentNotFound, IndexBusy, IndexMissing
from .model import FacetValue, Hit, Results, SearchParams

__all__ = [
    "search", "open_engine", "index_root", "has_index",
    "SearchParams", "Results", "Hit", "FacetValue",
    "DepescheError", "IndexMissing", "IndexBusy", "BadQuery", "DocumentNotFound",
]
