"""The German analyzer chain for the text fields.

Vocabulary (Whoosh's): a Tokenizer turns text into tokens; a Filter is a generator over tokens that drops,
changes or adds tokens; an Analyzer is a chain `Tokenizer | Filter | Filter ...`. The German word functions the
filters call are in `search.german` (engine-neutral, each with its own tests).

The chain, in order:
1. RegexTokenizer: words, keeping hyphenated compounds ("NATO-Generalsekretär") whole.
2. LowercaseFilter.
3. NormalizeFilter: ä/ae -> a, ö/oe -> o, ü/ue -> u, ß -> ss where the lexicon agrees ("Bruessel" = "Brüssel";
   "Quelle" stays), see `search.german.normalize`.
4. StopFilter: German stop words, folded alike ("fuer" is "für").
5. HyphenPartsFilter: each part of a hyphenated compound, after the compound and over its own letters,
   so "NATO" and "Generalsekretär" find "NATO-Generalsekretär". Parts written by the author are words: a query
   for them is a whole-word match, and a phrase "NATO Generalsekretär" matches too.
6. DecompoundFilter: the parts of a compound found with the lexicon, as *part terms* (`#minister`) at the
   compound's position ("Außenminister" -> `aussenminister`, `#aussen`, `#minister`). A query word searches its
   part term with a lower boost, so "Minister" finds "Außenminister" below releases that say "Minister"; phrases
   never see part terms, so "Minister Bayramov" does not match "Außenminister Bayramov".
7. VariantsFilter: beside a word, at its position, the terms that let a query prefer or widen: a feminine
   form as written (`=ministerin`), the word family's key (`~wahl` for "gewählt", see `search.german.families`),
   a capitalised unknown word's transliteration key (`%saidov` for "Saidow", see `search.german.names`).
8. StemFilter: light German stemming (Savoy), `#` part terms stemmed alike; see `search.german.stemmer`.

At query time (`mode="query"`) steps 5 and 6 differ: a hyphenated query word becomes its parts only, and no part
terms are made (the query side adds them, see `query`). Highlighting analyses with `mode="index"` so a compound
lights up for a query that matched one of its parts.

The index stores this chain by import path: keep the classes here, and treat any change as "reindex".
"""

from __future__ import annotations

import re

from dataclasses import dataclass
from functools import lru_cache

from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.lang import stopwords_for_language

from ..german import compounds, families, lexicon, names
from ..german.characters import DASHES, WORD_PATTERN, clean_word
from ..german.normalize import fold, normalize
from ..german.stemmer import is_feminine, stem

HYPHENS = re.compile(f"[{DASHES}]")
PART_MARK = "#"  # prefix of a part term: "#minister" is "minister" inside a compound
EXACT_MARK = "="  # a feminine form as written (folded, unstemmed): "=verteidigungsministerin"
FAMILY_MARK = "~"  # the word family's key: "~wahl" for "gewählt" and "wählen"
NAME_MARK = "%"  # a transliteration key of a name: "Saidow" and "Saidov" share one
MARKS = {"word": "", "part": PART_MARK, "exact": EXACT_MARK, "family": FAMILY_MARK, "name": NAME_MARK}
MIN_NAME = 4  # shorter words get no name key
STOP_WORDS = frozenset(fold(w) for w in stopwords_for_language("de"))


class CharacterFilter(Filter):
    """Invisible characters out, every dash a hyphen: a word copied from a web page is the word it shows; see
    `search.german.characters`. Offsets stay those of the original text."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = clean_word(token.text)
            if token.text:
                yield token


class SurfaceFilter(Filter):
    """Keeps the word as written on the token: lower case with its umlauts (for the word-family lookup and name
    keys) and whether it was capitalised (only a capitalised word gets a name key)."""

    def __call__(self, tokens):
        for token in tokens:
            token.capital = token.text[:1].isupper()
            token.surface = token.text.lower()
            yield token


class NormalizeFilter(Filter):
    """"außenminister" -> "aussenminister", "bruessel" -> "brussel"; see `search.german.normalize`."""

    def __call__(self, tokens):
        for token in tokens:
            token.text = normalize(token.text)
            yield token


class HyphenPartsFilter(Filter):
    """Emit "nato-generalsekretar", then "nato" and "generalsekretar" over their letters at the next positions
    (later words move on by as many), so a phrase typed with the parts ("NATO Generalsekretär Stoltenberg") or
    with the hyphens matches; the same order of terms `index_terms` gives an engine that takes terms.

    In query mode only the parts are emitted (the query then needs all of them)."""

    def __init__(self, stoplist=STOP_WORDS):
        self.stoplist = frozenset(stoplist)

    def __call__(self, tokens):
        shift = 0
        for token in tokens:
            positions = getattr(token, "positions", False)
            if positions:
                token.pos += shift
            text = token.text
            if "-" not in text:
                yield token
                continue
            start = token.startchar if token.chars else None
            parts = [(p, m.start()) for m in re.finditer(r"[^-]+", text) if (p := m.group()) not in self.stoplist]
            whole = token.mode != "query" or not parts
            if whole:
                yield token
            first = token.pos + (1 if whole else 0) if positions else 0
            for number, (part, offset) in enumerate(parts):
                token.text = part
                if positions:
                    token.pos = first + number
                if start is not None:
                    token.startchar = start + offset
                    token.endchar = start + offset + len(part)
                yield token
            shift += len(parts) - (0 if whole else 1)


class DecompoundFilter(Filter):
    """After a compound, its parts as part terms at its position and over its letters; see `search.german.compounds`."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            yield token
            if token.mode == "query" or token.stopped or len(text) < compounds.MIN_WORD or not text.isalpha():
                continue
            for part in compounds.parts(text):
                token.text = PART_MARK + part
                yield token


class VariantsFilter(Filter):
    """After a word, at its position: its exact form (`=`, for a feminine form, which the stem joins to the
    masculine), its word family's key (`~`, when it differs from the stem) and, for a capitalised word the lexicon
    does not know, its name key (`%`, when it differs from the stem). Only what a query can tell apart is indexed:
    an exact term for every inflected word would double the index for little (Wahl/Wahlen). Index mode only: the
    query side asks for these terms itself (see `word_terms`)."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            yield token
            if token.mode == "query" or token.stopped or text.startswith(PART_MARK) or not text.isalpha():
                continue
            surface = getattr(token, "surface", text)  # its umlauts for the lemma data, unless typed as "ue"
            capital = getattr(token, "capital", True)
            for variant in _variants(text, surface if fold(surface) == text else text, capital):
                token.text = variant
                yield token


@lru_cache(maxsize=200_000)
def _variants(word: str, surface: str, capital: bool) -> tuple[str, ...]:
    stemmed = stem(word)
    found = []
    if is_feminine(word):  # the stem makes "Ministerin" and "Minister" one term: the exact form keeps them apart
        found.append(EXACT_MARK + word)
    family = families.family_key(surface)
    if family and family != stemmed:
        found.append(FAMILY_MARK + family)
    key = name_key(word, surface) if capital else None
    if key and key != stemmed:
        found.append(NAME_MARK + key)
    return tuple(found)


@lru_cache(maxsize=200_000)
def name_key(word: str, surface: str | None = None) -> str | None:
    """The transliteration key of a folded word that may be a name (not a German word, not a compound), made
    from its spelling as written where there is one: folding loses letters the key needs ("ş" is "sch")."""
    if len(word) < MIN_NAME or not word.isalpha() or lexicon.is_word(word) or compounds.split(word):
        return None
    return names.name_key(surface or word) or None


class GermanStemFilter(Filter):
    """Light German stemming of words and part terms; see `search.german.stemmer`. Variant terms stay as made."""

    is_morph = True

    def __call__(self, tokens):
        for token in tokens:
            text = token.text
            if text.startswith(PART_MARK):
                token.text = PART_MARK + stem(text[1:])
            elif text[:1] not in VARIANT_MARKS:
                token.text = stem(text)
            yield token


VARIANT_MARKS = frozenset((EXACT_MARK, FAMILY_MARK, NAME_MARK))


def german_analyzer(decompound: bool = True):
    """The chain; `decompound=False` leaves out the part terms (the costly step), for a snippet that first asks
    whether a word can match at all (see `search.highlight`)."""
    chain = (
        RegexTokenizer(WORD_PATTERN)
        | CharacterFilter()
        | SurfaceFilter()
        | LowercaseFilter()
        | NormalizeFilter()
        | StopFilter(stoplist=STOP_WORDS, minsize=1)
        | HyphenPartsFilter()
    )
    if decompound:
        chain = chain | DecompoundFilter()
    return chain | VariantsFilter() | GermanStemFilter()


def index_terms(text: str, analyzer=None) -> dict[str, list[str]]:
    """The terms the chain indexes for `text`, by kind (see `MARKS`), for an engine that takes analysed terms
    rather than text. "word": the terms in reading order (what BM25, phrases and proximity see; the parts of a
    hyphenated compound follow the compound, where Whoosh puts them at its position); the other kinds without
    their mark. Every engine indexes exactly these, so both engines search the same terms."""
    analyzer = analyzer or shared_analyzer()
    terms: dict[str, list[str]] = {kind: [] for kind in MARKS}
    for token in analyzer(text, mode="index"):
        kind = _KIND_OF.get(token.text[:1], "word")
        terms[kind].append(token.text if kind == "word" else token.text[1:])
    return terms


_KIND_OF = {mark: kind for kind, mark in MARKS.items() if mark}


@dataclass(frozen=True)
class WordTerms:
    """What one typed word searches (see `search.querytree`): its stems (a hyphenated word: one per piece),
    the pieces as typed, and, for a single word, its exact form, word-family key and name key."""

    stems: tuple[str, ...]
    pieces: tuple[str, ...] = ()
    exact: str | None = None
    family: str | None = None
    name: str | None = None

    @property
    def key(self) -> tuple[str, ...]:
        """What the synonym table matches names by."""
        return self.stems


@lru_cache(maxsize=50_000)
def word_terms(word: str) -> WordTerms:
    analyzer = shared_analyzer()
    stems = tuple(token.text for token in analyzer(word, mode="query"))
    cleaned = clean_word(word)
    if len(stems) != 1 or HYPHENS.search(cleaned):
        pieces = tuple(p for p in HYPHENS.split(cleaned) if p)
        return WordTerms(stems, pieces if len(pieces) > 1 else ())
    lower = cleaned.lower()
    folded = normalize(lower)
    if not folded.isalpha():
        return WordTerms(stems)
    exact = folded if is_feminine(folded) else None
    return WordTerms(stems, (), exact, families.family_key(lower), name_key(folded, lower))


@lru_cache(maxsize=1)
def shared_analyzer():
    """One analyzer per process for what is not the index's own (queries, engines that take terms)."""
    return german_analyzer()
