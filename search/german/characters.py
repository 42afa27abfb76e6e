"""One character normalisation for index and query: text copied from web pages and word processors reads as
what it shows.

- dashes: the hyphen-minus, the Unicode hyphen, the non-breaking hyphen, the figure dash, the en dash and the
  minus sign inside a word are one hyphen ("Nord–Süd-Korridor" is "Nord-Süd-Korridor");
- invisible characters (soft hyphen, zero-width space and joiners, word joiner, byte-order mark) are removed:
  "Außen\u00administer" is "Außenminister";
- spaces: no-break, narrow no-break, thin and other Unicode spaces are a space;
- quotes: typographic double quotes („…“, “…”, »…«) are '"', so they quote phrases; single ones are "'";
- Unicode: NFC (a letter typed as base + combining mark is the precomposed letter), plus NFKC for ligatures and
  full-width forms only (NFKC everywhere would change "²" or "½", which are not the letters they look like).

`DASHES` and `word_pattern` are what a tokenizer needs to keep such a word in one piece before `clean_word`:
`WORD_PATTERN` is the index's word (joined by any dash), `QUERY_WORD_PATTERN` a word of cleaned query text
(joined by "-" or "'", which `clean` made of every dash and apostrophe between letters).
"""

from __future__ import annotations

import re
import unicodedata

DASHES = "-\u2010\u2011\u2012\u2013\u2212"  # hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, minus
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
SPACES = "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000"
LETTER = rf"[\w\u0300-\u036f{INVISIBLE}]"  # letters, combining marks, and the invisible characters inside words


def word_pattern(joiners: str) -> str:
    """A word: runs of letters joined by one of `joiners` ("NATO-Generalsekretär" is one word)."""
    return rf"{LETTER}+(?:[{joiners}]{LETTER}+)*"


WORD_PATTERN = word_pattern(DASHES)
QUERY_WORD_PATTERN = word_pattern("-'")
_WORD_DASHES = re.compile(f"[{DASHES[1:]}]")
_INVISIBLE = re.compile(f"[{INVISIBLE}]")
_TABLE = str.maketrans(
    {
        **{ch: " " for ch in SPACES},
        **{ch: '"' for ch in "„“”‟«»"},
        **{ch: "'" for ch in "‚‘’‛‹›"},
    }
)
_COMPATIBLE = re.compile("[\ufb00-\ufb06\uff01-\uff5e]")  # ligatures ("ﬁ"), full-width letters and digits
_DASH_BETWEEN_LETTERS = re.compile(rf"(?<=\w)[{DASHES[1:]}](?=\w)")


def clean(text: str) -> str:
    """Text as it reads: see the module doc. Dashes between letters become "-"; a dash between spaces stays."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFC", text)
    text = _COMPATIBLE.sub(lambda m: unicodedata.normalize("NFKC", m.group(0)), text)
    text = _INVISIBLE.sub("", text.translate(_TABLE))
    return _DASH_BETWEEN_LETTERS.sub("-", text)


def clean_word(word: str) -> str:
    """One token as it reads: invisible characters removed, every dash a hyphen, NFC."""
    if word.isascii():
        return word
    word = _WORD_DASHES.sub("-", _INVISIBLE.sub("", word))
    return unicodedata.normalize("NFC", word)
