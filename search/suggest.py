"""Did-you-mean: a corrected query, in the words a reader writes, for a query with (almost) no hits.

Vocabulary:
- unknown word: a query word whose term is in no release and that is no German word (a correctly spelt word is
  never replaced).
- candidate: an index term within a small edit distance of the unknown word's term (1 for words up to 7
  letters, 2 above), with the same first letter, in `RARER` times more releases than the word (any, if none).
- names: the terms of the names and places the index files releases under (actor, speaker, country and
  organisation facet values). A candidate that is a name wins over one that is not ("Baerbok" -> "Baerbock").
  With no candidate a few edits away, a name with the same Cologne phonetics code ("Schtainmeier" -> "Steinmeier").
- display form: how the candidate is written in the releases that contain it, the most common spelling; never
  the stem the index stores ("Stoltenberg", not "stoltenberg"; "Brüssel", not "brussel").

No suggestion when the query already has `GOOD_HITS` hits, or when no word is unknown.

Engine-neutral: it reads the index only through an engine's vocabulary (`engines.Vocabulary`: document
frequencies, terms near a word, texts containing a term, facet values). What is derived from a vocabulary once (the
names) is kept as long as that vocabulary object lives (a Whoosh snapshot; an OpenSearch engine's vocabulary of
the minute).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter

from . import params
from .engine.analysis import word_terms
from .german import lexicon
from .german.names import phonetic_key
from .german.normalize import fold

GOOD_HITS = 3
RARER = 10  # a word found in some releases is corrected only to a word found in this many times more
NAME_FIELDS = ("actor", "speaker", "country", "organisation")
WORD = re.compile(r"\w+")
QUERY_WORD = re.compile(r'"[^"]*"?|\w+:\S*|\w+')
DISPLAY_DOCS = 5  # releases read to find how a candidate is written
MIN_PHONETIC_CODE = 3  # shorter codes join too many names
_names: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_phonetics: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def suggestion(vocabulary, text: str, hits: int, budget=None) -> str | None:
    """`text` with its unknown words replaced by their best candidates' display forms, or None. With a budget
    (`querycost.Budget`), words left when it is spent stay as typed: each word scans the vocabulary."""
    if hits >= GOOD_HITS or not text.strip():
        return None
    changed = False
    out = []
    last = 0
    for m in QUERY_WORD.finditer(text):
        word = m.group(0)
        if not WORD.fullmatch(word) or word in params.OPERATORS:
            continue
        if budget is not None and budget.spent():
            break
        better = _correct(vocabulary, word)
        if better and better != word:
            out.append(text[last : m.start()] + better)
            last = m.end()
            changed = True
    out.append(text[last:])
    return "".join(out) if changed else None


def term_of(word: str) -> str | None:
    """The one term a query word searches for, or None (a stop word, a hyphenated compound)."""
    terms = word_terms(word).stems
    return terms[0] if len(terms) == 1 else None


def _correct(vocabulary, word: str) -> str | None:
    term = term_of(word)
    if term is None or not term.isalpha() or len(term) < 4:
        return None
    df = vocabulary.doc_frequency(term)
    if df or lexicon.is_word(fold(word)):  # a word the releases or the German lexicon contain is never replaced:
        return None  # "Telefonat" is no typo of "Telefon"
    names = names_of(vocabulary)
    limit = 1 if len(term) <= 7 else 2  # "Macron" is not two letters away from being "Macao"
    best = None
    for candidate in _nearby_terms(vocabulary, term, limit):
        cdf = vocabulary.doc_frequency(candidate)
        if cdf < max(1, RARER * df):
            continue
        rank = (candidate not in names, distance(term, candidate, limit), -cdf, candidate)
        if best is None or rank < best[0]:
            best = (rank, candidate)
    if best is None:  # no spelling a few edits away: a name that sounds the same ("Schtainmeier" -> "Steinmeier")
        return sounds_like(vocabulary, word)
    return display_form(vocabulary, best[1])


def sounds_like(vocabulary, word: str) -> str | None:
    """The name in the vocabulary's facets with the same Cologne phonetics code as `word`, the most frequent."""
    code = phonetic_key(word)
    found = _phonetic_names(vocabulary).get(code) if len(code) >= MIN_PHONETIC_CODE else None
    return found.most_common(1)[0][0] if found else None


def _phonetic_names(vocabulary) -> dict[str, Counter]:
    with _lock:
        table = _phonetics.get(vocabulary)
        if table is None:
            table = {}
            for field in NAME_FIELDS:
                for value in vocabulary.facet_vocabulary(field):
                    for name in WORD.findall(str(value)):
                        if len(name) >= 4:
                            table.setdefault(phonetic_key(name), Counter())[name] += 1
            _phonetics[vocabulary] = table
    return table


def _nearby_terms(vocabulary, term: str, limit: int):
    """Index terms within `limit` edits of `term` that start with its first letter."""
    seen = set()
    for candidate in vocabulary.terms_near(term, limit):
        if candidate in seen or candidate == term or abs(len(candidate) - len(term)) > limit or candidate[:1] != term[:1]:
            continue
        seen.add(candidate)
        if candidate.isalpha() and distance(term, candidate, limit) <= limit:
            yield candidate


def distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein distance (adjacent transpositions count one), or limit + 1 once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1] if previous[-1] <= limit else limit + 1


def names_of(vocabulary) -> frozenset[str]:
    """The terms of the names and places in the vocabulary's facets, built once per vocabulary object."""
    with _lock:
        names = _names.get(vocabulary)
        if names is None:
            terms = set()
            for field in NAME_FIELDS:
                for value in vocabulary.facet_vocabulary(field):
                    for word in WORD.findall(str(value)):
                        term = term_of(word)
                        if term:
                            terms.add(term)
            names = frozenset(terms)
            _names[vocabulary] = names
    return names


def display_form(vocabulary, term: str) -> str | None:
    """The most common spelling, in the releases, of the words whose term is `term`."""
    forms: Counter[str] = Counter()
    for text in vocabulary.texts_with(term, DISPLAY_DOCS):
        for word in WORD.findall(text):
            if fold(word[0]) == term[0] and term_of(word) == term:
                forms[word] += 1
    if not forms:
        return None
    return max(forms.items(), key=lambda item: (item[1], item[0][:1].isupper()))[0]
