"""Word families: the noun, the verb and the participle of one subject share one key.

"Festnahme", "festnehmen", "festgenommen"; "Wahl", "wählen", "gewählt"; "Verhandlungen", "verhandeln",
"verhandelten"; "Reise", "reisen", "gereist" each give one `family_key`. The inflection (participle, past tense,
plural) comes from simplemma's German lemma data (MIT licence, a maintained package): "festgenommen" ->
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

from functools import lru_cache

from simplemma import Lemmatizer
from simplemma.strategies import DefaultStrategy
from simplemma.strategies.dictionaries import TrieDictionaryFactory

from .normalize import fold
from .stemmer import stem

MIN_KEY = 3
ABLAUT = (("nahme", "nehm"), ("gabe", "geb"), ("fahrt", "fahr"))  # noun ending -> verb stem: Festnahme/festnehmen


@lru_cache(maxsize=1)
def _lemmatizer() -> Lemmatizer:
    """simplemma over its German data in a MARISA trie (cached on disk by simplemma after a one-off build of a few
    seconds): the plain dictionary costs a server about 100 MB of memory, the trie a few."""
    return Lemmatizer(lemmatization_strategy=DefaultStrategy(dictionary_factory=TrieDictionaryFactory()))


def warm() -> None:
    """Load (or, the first time on a machine, build) the lemma trie now: before indexing workers fork, so they share
    it and no two of them build it at once."""
    _lemmatizer().lemmatize("wählen", lang="de")


@lru_cache(maxsize=200_000)
def lemma(word: str) -> str:
    """simplemma's German lemma of `word`, folded: "festgenommen" -> "festnehmen", "wahlen" -> "wahl"."""
    found = _lemmatizer().lemmatize(word, lang="de")
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
