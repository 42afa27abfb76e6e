"""Name identity across transliterations: one key for the spellings of one name.

Vocabulary:
- spelling: a name as one release writes it ("Chodschajew", "Khodjaev", "Hodjaev"). German, English, Turkish and
  Azerbaijani writers transliterate the same Cyrillic or Persian name differently.
- name key: `name_key(word)`, a lower-case string that the spellings of one name share and other names, as far
  as the rules can tell, do not ("Chodschajew", "Khodjaev" -> "hodaev"; "Steinmeier" and "Steinmetz" differ).
  It is for identity (merging actors, matching a query to a name); it is not meant to be read.
- phonetic key: `phonetic_key(word)`, the Cologne phonetics code (package `cologne-phonetics`): coarser, it also
  joins names that merely sound alike in German, so it suits "did you mean" and never decides identity.

Why hand rules: no maintained package maps German (Duden), English (BGN/PCGN), Turkish and Azerbaijani spellings
of one name onto each other; the transliteration tables all go from Cyrillic to Latin, not between Latin
spellings. The rules below each fold one documented difference between those systems, in an order that lets the
longer letter clusters ("tsch", "dsch", "sch") win over their parts.

Pure and engine-neutral: nothing here imports Whoosh or OpenSearch.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import cologne_phonetics

# Upper-case letters stand for a sound class while the rules run; `_SPELL_OUT` turns them into the key's letters.
#   S: sch/sh/ş/zh        X: ch/kh/h/tsch/ç (one class: German "Ch" is English "Kh", English "Ch" is German
#      "Tsch", so the two cannot be told apart from a spelling)        D: dsch/dzh/dj (and Azerbaijani c)
#   Y: a consonantal j/y (German "j" is English "y"; English "j" is German "dsch", so D and Y end up one letter)
_LETTERS = str.maketrans({"ə": "a", "ä": "a", "ö": "o", "ü": "u", "ı": "i", "ğ": "g", "ş": "S", "ç": "X",
                          "ß": "s", "w": "v"})
_TURKIC = re.compile(r"[əşçğı]")  # a spelling with these letters is Turkish/Azerbaijani: its "c" is "dsch"
_CLUSTERS = [  # (pattern, replacement), applied in order on the folded word
    (r"tsch|tch", "X"), (r"dsch|dzh|dj", "D"), (r"sch|sh|zh", "S"),
    (r"ck", "k"), (r"ph", "f"), (r"th", "t"), (r"gh", "g"), (r"rh", "r"),
    (r"^x(?=[aeiou])", "X"),  # Azerbaijani initial x is "ch" (Xəlilov = Chalilow); elsewhere x is "ks"
    (r"x", "ks"), (r"ch|kh|h", "X"),
    (r"c(?=[eiy])", "s"), (r"c", "k"),
    (r"[gq]", "k"),  # Azerbaijani q is g in English, k in Russian: Qurbanov = Gurbanov = Kurbanow
    (r"tz|ts|z", "s"),  # German z is "ts"; English z is German s (Zelenskyy = Selenskyj)
    (r"(?<=e)y(?=[aeiou])", "i"),  # "ey" is the diphthong of Meier (Meyer), not a glide (Nazarbayev)
    (r"(?<=[^aeiouy])y(?![aeiou])", "i"),  # y after a consonant is a vowel (Selenskyy, Kyiv)
    (r"(?<=[^aeiouyj])[jy](?=[aeiou])", "i"),  # Tatjana = Tatiana = Tatyana
    (r"[jy]", "Y"),
    (r"(?<=[aeiou])Y(?=[aeiou])", ""),  # Chodschajew = Khodjaev, Bachtijor = Bakhtiyor, Marija = Maria
    (r"(?<=i)Y$", ""),  # Dmitrij = Dmitriy = Dmitri
    (r"of$", "ov"),  # Smirnoff = Smirnow = Smirnov (after doubles are collapsed)
]
_RULES = [(re.compile(pattern), replacement) for pattern, replacement in _CLUSTERS]
_SPELL_OUT = str.maketrans({"S": "sh", "X": "h", "D": "j", "Y": "j"})
_DOUBLE = re.compile(r"(.)\1+")
_WORD_SEP = re.compile(r"[\s\-‐‑]+")


def _plain(word: str) -> str:
    """The lower-case word with the letters the rules know made sound-class markers and other accents dropped."""
    word = word.lower()
    if _TURKIC.search(word):
        word = word.replace("c", "D")
    word = word.translate(_LETTERS)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if ch.isalpha() and not unicodedata.combining(ch))


@lru_cache(maxsize=50_000)
def _word_key(word: str) -> str:
    key = _DOUBLE.sub(r"\1", _plain(word))
    for pattern, replacement in _RULES:
        key = pattern.sub(replacement, key)
    return _DOUBLE.sub(r"\1", key.translate(_SPELL_OUT))


@lru_cache(maxsize=100_000)
def name_key(word: str) -> str:
    """The name key of `word`; a name of several words keys each word ("Jamshid Khodjaev" -> "jamshid hodaev").

    >>> name_key("Chodschajew") == name_key("Khodjaev") == name_key("Hodjaev")
    True
    """
    return " ".join(_word_key(part) for part in _WORD_SEP.split(word.strip()) if part)


_PHONETIC_LETTERS = str.maketrans({"ə": "a", "ı": "i", "ş": "sch", "ç": "tsch", "ğ": "g"})


# the first letters a spelling can start with, by the first letter of its key: a cheap test before computing a key
_FIRST_LETTERS = {"h": "chkxtç", "j": "djycı", "s": "szctş", "k": "kcqxgğ", "v": "vw", "i": "iyıj", "a": "aäəe",
                  "o": "oö", "u": "uü", "f": "fp", "t": "tt", "r": "r"}


def first_letters(key: str) -> str:
    """The letters (lower case) a spelling with this name key may begin with: "hojaev" -> "chkxtç"."""
    return _FIRST_LETTERS.get(key[:1], key[:1])


def phonetic_key(word: str) -> str:
    """The Cologne phonetics code of `word`, one code per word ("Meier" -> "67", "Mayer Schmidt" -> "67 862").

    Letters the package drops (ə, ı) or reads wrongly (ş, ç) are spelled the German way first, so Azerbaijani and
    Turkish spellings get the code of their German spelling."""
    parts = [part.lower().translate(_PHONETIC_LETTERS) for part in _WORD_SEP.split(word.strip()) if part]
    return " ".join(cologne_phonetics.encode(part)[0][1] for part in parts)
