"""Spelling variants: ä/ae, ö/oe, ü/ue and ß/ss are one letter for search.

`fold` (see `folding`) maps the letters with diacritics to the plain letters (ä -> a, ß -> ss). A typist without umlauts
writes "ae", "oe", "ue" instead, but "ue" is also just "u" + "e" in "Quelle", "aktuell", "Duell", "Israel"
("ae"), "genaue", "Boeing". So `normalize` folds a typed "ae"/"oe"/"ue" (after a consonant, before a consonant
or "u") to "a"/"o"/"u" only when the word as typed is not German (not in the lexicon, not even with an inflection
ending taken off): "bruessel" -> "brussel", "minenraeumung" -> "minenraumung", "uebergibt" -> "ubergibt";
"quelle", "aktuell" and "eventueller" stay. Index and query use the same function, so both sides agree.
"""

from __future__ import annotations

import re
from functools import lru_cache
from itertools import product

from . import compounds, lexicon
from .folding import fold

__all__ = ["fold", "normalize", "typed_umlaut_spellings"]  # `fold` is re-exported: the usual place to import it
_TYPED_UMLAUT = re.compile(r"(?<![aeiouyq])[aou]e(?=[b-df-hj-np-tv-zu])")  # "bruessel", "raeumung"; not "neue"
MAX_TYPED_UMLAUTS = 3  # 2**3 spellings to try at most
INFLECTIONS = ("e", "er", "en", "es", "em", "s", "n")
MIN_RESTORED_HEAD = 6  # a compound's head must be this long to vouch for a typed umlaut ("minenraeumung")


def typed_umlaut_spellings(folded: str):
    """The spellings of `folded` with some of its "ae"/"oe"/"ue" read as umlauts, fewest changes first."""
    spots = [m.start() for m in _TYPED_UMLAUT.finditer(folded)][:MAX_TYPED_UMLAUTS]
    choices = sorted(product((False, True), repeat=len(spots)), key=sum)[1:]
    for choice in choices:
        chars = list(folded)
        for spot, umlaut in zip(reversed(spots), reversed(choice)):
            if umlaut:
                del chars[spot + 1]
        yield "".join(chars)


@lru_cache(maxsize=200_000)
def normalize(word: str) -> str:
    """The folded word, with typed umlauts ("ue" for "ü") folded unless the word is German as typed; see the module doc."""
    folded = fold(word)
    if "-" in folded:
        return "-".join(normalize(part) for part in folded.split("-"))
    if "e" not in folded or not _TYPED_UMLAUT.search(folded) or _is_german(folded):
        return folded
    for spelling in typed_umlaut_spellings(folded):
        if lexicon.is_word(spelling):
            return spelling
        found = compounds.split(spelling)
        if found and len(found[-1]) >= MIN_RESTORED_HEAD:
            return spelling
    return _TYPED_UMLAUT.sub(lambda m: m.group(0)[0], folded)  # neither spelling known: fold, like Lucene


def _is_german(folded: str) -> bool:
    """A word of the lexicon, or one with an inflection ending the lexicon lacks ("eventueller")."""
    if lexicon.is_word(folded):
        return True
    return any(folded.endswith(e) and lexicon.is_word(folded[: -len(e)]) for e in INFLECTIONS if len(folded) > len(e) + 3)
