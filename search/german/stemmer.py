"""Light German stemming: strip inflection endings, never derivation suffixes.

The design is Jacques Savoy's light stemmer (as in Lucene's GermanLightStemmer): two steps that remove the
common plural and case endings (-e, -en, -er, -ern, -em, -es, -s after a consonant that may take it, then -er,
-en, -est, -st), so "Wahlen" -> "wahl", "Abkommens" -> "abkomm" = "Abkommen" -> "abkomm", "Ministers" ->
"minist". Unlike Snowball it leaves "-heit", "-keit", "-ung" alone, so "Sicherheit" stays "sicherheit" and never
meets "sicher" or "sich". One addition: the feminine "-in"/"-innen" after an agent noun ("Ministerin",
"Sprecherinnen", "Präsidentin") is removed first, so a search for the office finds both.

Input is a folded word (see `normalize`): no umlauts or ß, lower case.
"""

from __future__ import annotations

from functools import lru_cache

ST_ENDING = frozenset("bdfghklmnrt")  # consonants after which a final "s" (and "st") is an ending
FEMININE = ("erinnen", "orinnen", "entinnen", "arinnen", "erin", "orin", "entin", "arin")
MIN_FEMININE_STEM = 5  # "Ministerin" -> "minister", "Autorin" -> "autor"; "Erin" stays


def _feminine(word: str) -> str:
    for ending in FEMININE:
        if word.endswith(ending):
            stem = word[: -5 if ending.endswith("innen") else -2]
            return stem if len(stem) >= MIN_FEMININE_STEM else word
    return word


def is_feminine(word: str) -> bool:
    """True when the stem drops a feminine ending: "ministerin", "sprecherinnen"."""
    return _feminine(word) != word


def _step1(w: str) -> str:
    n = len(w)
    if n > 5 and w.endswith("ern"):
        return w[:-3]
    if n > 4 and w[-2:] in ("em", "en", "er", "es"):
        return w[:-2]
    if n > 3 and w[-1] == "e":
        return w[:-1]
    if n > 3 and w[-1] == "s" and w[-2] in ST_ENDING:
        return w[:-1]
    return w


def _step2(w: str) -> str:
    n = len(w)
    if n > 5 and w.endswith("est"):
        return w[:-3]
    if n > 4 and w[-2:] in ("er", "en"):
        return w[:-2]
    if n > 4 and w.endswith("st") and w[-3] in ST_ENDING:
        return w[:-2]
    return w


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The light stem of a folded word; words with digits and hyphenated words keep their hyphenated parts whole."""
    if not word.isalpha():
        if "-" in word:
            head, _, last = word.rpartition("-")
            return f"{head}-{stem(last)}" if last.isalpha() else word
        return word
    return _step2(_step1(_feminine(word)))
