"""Decompounding: the words inside a German compound, found with the lexicon.

`split("verteidigungsminister")` -> ("verteidigungs", "minister"): a compound is one or more modifiers, each a
German word optionally followed by a linking element (Fugenelement: -s-, -es-, -n-, -en-, -er-, -e-, -ns-), and a
head, a German noun (lemma or inflected). Modifiers are nouns too, or one of a few listed words ("außen",
"neu", "Gas"). The split with the fewest parts wins, then the one with the more even parts ("bundes|tag", not "bunde|stag"), then the one with the longest head ("gipfel|treffen", not
"gipfelt|reffen"). Parts have at least 4 letters (a few three-letter words like "Gas", "Bau", "Tag", "Rat" are
listed), so "Botschafter" is not "Bot" + "Schafter"; prefixes ("aus", "unter", "vor") are not nouns, so "Ausland"
and "Unterstützung" stay whole. The lexicon is broad, so some nouns that are mostly word endings ("-enden",
"-ismus") are listed as never parts.

`parts(word)` is what the index stores beside the whole word: every part, the parts of parts, and the longer
head compounds, so "bundesaussenminister" gives "bundes", "aussenminister", "aussen" and "minister".

Input is a normalized word (see `normalize`): folded, lower case, no hyphens.
"""

from __future__ import annotations

from functools import lru_cache

from . import lexicon

MIN_WORD = 7  # shorter words are not split
MIN_PART = 4
MIN_WORD_MODIFIER = 6  # a modifier this long may be any word of the lexicon, not only a noun
LINKS = ("", "s", "es", "n", "en", "er", "e", "ns", "ens")
MODIFIER_WORDS = frozenset(
    # modifiers that are not nouns, or nouns shorter than MIN_PART: "Außenminister", "Gaskorridor", "Erdbeben"
    "aussen innen neu alt gross klein hoch nord sud ost west mittel gas bau erd tag rat amt not see ol weg zug "
    "hof kur".split()
)
COMPASS_PREFIXES = ("sudost", "sudwest", "nordost", "nordwest", "sud", "nord", "ost", "west", "zentral")
MIN_PREFIXED_HEAD = 6
WORD_PREFIXES = ("ex", "vize", "bundes", "welt", "landes", "staats", "ober", "haupt")  # only before a known word
SHORT_HEADS = frozenset("amt ort rat see tag".split())  # three-letter heads: "Bundestag", "Sicherheitsrat"
NOT_PARTS = frozenset(
    # nouns in the lexicon that are mostly word endings or fragments when found inside a longer word
    "ende enden heit keit lich schaft tum ische isch after ster ismus rungen ionen ehen esse amen dung tort "
    "scher listen weise dings falls zivi deut forde regie verb ischen alen giere gieren ache tete leich ions anten "
    "atzes rinnen genen barten turen stutzen stutzer unter zuruck fort miss eins sozi passa demons tran tats star "
    "gele burge tempera seiner weih sterin".split()
)


def _modifier_ok(text: str) -> bool:
    for link in LINKS:
        if link and not text.endswith(link):
            continue
        base = text[: len(text) - len(link)] if link else text
        if base in MODIFIER_WORDS:
            return True
        if len(base) >= MIN_PART and base not in NOT_PARTS and lexicon.is_noun(base):
            return True
        if len(base) >= MIN_WORD_MODIFIER and base not in NOT_PARTS and lexicon.is_word(base):
            return True  # "stipendien|programm", "konsular|abteilung": plurals and adjectives the noun list lacks
    return False


def _head_ok(text: str) -> bool:
    long_enough = len(text) >= MIN_PART or text in SHORT_HEADS
    return long_enough and text not in NOT_PARTS and lexicon.is_noun(text)


@lru_cache(maxsize=200_000)
def split(word: str) -> tuple[str, ...]:
    """The parts of a compound, modifiers as written (with their linking element), or () if it is not one."""
    if len(word) < MIN_WORD or not word.isalpha():
        return ()
    if compass := _compass_prefixed(word):
        return compass
    candidates = []
    for cut in range(3, len(word) - 2):
        modifier, rest = word[:cut], word[cut:]
        if not _modifier_ok(modifier):
            continue
        if _head_ok(rest):
            candidates.append((modifier, rest))
        elif len(rest) >= MIN_WORD and (tail := split(rest)):
            candidates.append((modifier, *tail))
    if not candidates:
        return _word_prefixed(word)
    # fewest parts; then long parts rather than one long and one short ("bundes|tag", not "bunde|stag");
    # then the longest head ("gipfel|treffen", not "gipfelt|reffen")
    return min(candidates, key=lambda c: (len(c), -sum(len(p) ** 2 for p in c), -len(c[-1])))


def _compass_prefixed(word: str) -> tuple[str, ...]:
    """A compass prefix and the name after it ("sud|korea", "nord|afrika", "ost|europa", "ost|erweiterung"):
    the head is often a proper name the lexicon does not list, so any rest of MIN_PART letters counts, and the
    prefix wins over other splits ("ost|europa", not "oste|uropa")."""
    for prefix in COMPASS_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= MIN_PART:
            return (prefix, *(split(rest) or (rest,)))
    return ()


def _word_prefixed(word: str) -> tuple[str, ...]:
    """A prefix that is no noun of its own before a noun of MIN_PREFIXED_HEAD letters ("ex|kanzler",
    "vize|prasident"); the length keeps words that merely start alike whole ("export", "experte", "existenz")."""
    for prefix in WORD_PREFIXES:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= MIN_PREFIXED_HEAD and rest not in NOT_PARTS and lexicon.is_noun(rest):
            return (prefix, rest)
    return ()


@lru_cache(maxsize=200_000)
def parts(word: str) -> tuple[str, ...]:
    """The words to index beside a compound: its parts, their own parts, and its head compounds; () if it is not
    a compound. "bundesaussenminister" -> ("bundes", "aussenminister", "aussen", "minister")."""
    found = split(word)
    if not found:
        return ()
    heads = ["".join(found[i:]) for i in range(1, len(found) - 1)]
    inner = [p for part in found for p in parts(part)]
    return tuple(dict.fromkeys([*found, *heads, *inner]))
