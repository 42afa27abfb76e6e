"""Folding: one spelling for the letters a German typist may write several ways.

`fold` maps the letters with diacritics to the plain letters (ä -> a, ß -> ss, é -> e) and any hyphen to "-".
It needs nothing else, so every module of the package can use it: the lexicon hashes folded words, and
`normalize` adds the typed umlauts ("ue" for "ü") on top, with the lexicon's help.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_FOLD = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss", "ẞ": "ss", "‐": "-", "‑": "-", "ı": "i"})


@lru_cache(maxsize=100_000)
def fold(word: str) -> str:
    """The lower-case word with umlauts, ß and accents folded ("außenministerin" -> "aussenministerin"), and
    any hyphen written as "-"."""
    word = word.lower().translate(_FOLD)
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))
