"""Word families: the noun, the verb and the participle of one subject share one key.

"Festnahme", "festnehmen", "festgenommen"; "Wahl", "wählen", "gewählt"; "Verhandlungen", "verhandeln",
"verhandelten"; "Reise", "reisen", "gereist" each give one `family_key`. The inflection (participle, past tense,
plural) comes from simplemma's German lemma data (MIT licence, a maintained package, read by `search.german_data`
and given with `use`): "festgenommen" ->
"festnehmen", "verhandelten" -> "verhandeln". Derivation has no such data, so a few hand rules join a lemma to
its family, the same rules for nouns and verbs:
- a verb loses its infinitive ending: "wählen" -> "wähl", "verhandeln" -> "verhandl", "erörtern" -> "erörter";
- a noun loses "-ung" and a final "-e": "Verhandlung" -> "verhandl", "Reise" -> "reis";
- the ablaut of "-nahme" nouns is the verb's: "Festnahme" -> "festnehm" (Teilnahme, Übernahme, Aufnahme ...);
- a weak verb form the data lacks loses its ending after -ig- and -ier-: "begnadigt" -> "begnadig";
then the result is folded and stemmed like any word, so the key is what the index's stem of the family's
plainest member would be ("wahl").

Input is a lower-case word with its umlauts as written (the lemma data needs them: "gewählt", not "gewahlt"); the
key is None for words too short to have a family.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from .normalize import fold
from .stemmer import stem

Lemmatize = Callable[[str], str | None]  # a word (lower case, umlauts as written) -> its German lemma, or None

MIN_KEY = 3
ABLAUT = (("nahme", "nehm"), ("gabe", "geb"), ("fahrt", "fahr"))  # noun ending -> verb stem: Festnahme/festnehmen


def _no_lemmatizer(word: str) -> str | None:
    raise LookupError("no lemma data: call search.german.families.use(...) first")


_lemmatize: Lemmatize = _no_lemmatizer


def use(lemmatize: Lemmatize) -> None:
    """Take lemmas from `lemmatize` from now on (the process's lemma data: `search.german_data.lemmatize` reads
    simplemma's; a test may give a dictionary's `get`). This module reads no file itself."""
    global _lemmatize
    _lemmatize = lemmatize
    lemma.cache_clear()
    family_key.cache_clear()


def warm() -> None:
    """Load (or, the first time on a machine, build) the lemma data now: before indexing workers fork, so they share
    it and no two of them build it at once."""
    _lemmatize("wählen")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """The German lemma of `word`, folded: "festgenommen" -> "festnehmen", "wahlen" -> "wahl"."""
    found = _lemmatize(word)
    return fold(found) if found else word


def _weak_verb_stem(word: str) -> str:
    """The stem of a weak verb form the lemma data lacks: "begnadigt" -> "begnadig", "kritisierten" ->
    "kritisier" (the endings -t, -te, -ten, -tet after the unambiguous verb suffixes -ig- and -ier-)."""
    for ending in ("ten", "tet", "te", "t"):
        base = word[: -len(ending)]
        if word.endswith(ending) and base.endswith(("ig", "ier")) and len(base) > 4:
            return base
    return word


def _derivation_base(word: str) -> str:
    for noun, verb in ABLAUT:
        if word.endswith(noun) and len(word) > len(noun):
            return word[: -len(noun)] + verb
    if word.endswith("ung") and len(word) > 6:
        return word[:-3]
    if word.endswith(("eln", "ern")) and len(word) > 6:
        return word[:-3] + word[-2] if word.endswith("eln") else word[:-1]
    if word.endswith("en") and len(word) > 5:
        return word[:-2]
    if word.endswith("e") and len(word) > 4:
        return word[:-1]
    return word


@lru_cache(maxsize=200_000)
def family_key(word: str) -> str | None:
    """The key the members of `word`'s family share, or None."""
    if len(word) < MIN_KEY + 1 or not word.isalpha():
        return None
    found = lemma(word)
    if found == fold(word):  # not in the lemma data
        found = _weak_verb_stem(found)
    key = stem(fold(_derivation_base(found)))
    return key if len(key) >= MIN_KEY else None
