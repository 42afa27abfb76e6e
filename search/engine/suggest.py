"""Did-you-mean: a corrected query, in the words a reader writes, for a query with (almost) no hits.

Vocabulary:
- unknown word: a query word whose term is in fewer than `GOOD_HITS` releases and is not a name.
- candidate: an index term within a small edit distance of the unknown word's term (1 for words up to 5
  letters, 2 above), with the same first letter, in `RARER` times more releases than the word (any, if none).
- names: the terms of the names and places the index files releases under (actor, speaker, country and
  organisation facet values). A candidate that is a name wins over one that is not ("Baerbok" -> "Baerbock").
- display form: how the candidate is written in the releases that contain it, the most common spelling; never
  the stem the index stores ("Stoltenberg", not "stoltenberg"; "Brüssel", not "brussel").

No suggestion when the query already has `GOOD_HITS` hits, or when no word is unknown. What is derived from the
index once (the names) is kept per snapshot and dropped with it.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter

from whoosh.query import Or, Term

from .. import request
from ..german.normalize import fold
from .schema import TEXT_FIELDS

GOOD_HITS = 3
RARER = 10  # a word found in some releases is corrected only to a word found in this many times more
NAME_FIELDS = ("actor", "speaker", "country", "organisation")
WORD = re.compile(r"\w+")
QUERY_WORD = re.compile(r'"[^"]*"?|\w+:\S*|\w+')
DISPLAY_DOCS = 5  # releases read to find how a candidate is written
_names: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def suggestion(snapshot, text: str, hits: int) -> str | None:
    """`text` with its unknown words replaced by their best candidates' display forms, or None."""
    if hits >= GOOD_HITS or not text.strip():
        return None
    reader = snapshot.searcher.reader()
    changed = False
    out = []
    last = 0
    for m in QUERY_WORD.finditer(text):
        word = m.group(0)
        if not WORD.fullmatch(word) or word in request.OPERATORS:
            continue
        better = _correct(snapshot, reader, word)
        if better and better != word:
            out.append(text[last : m.start()] + better)
            last = m.end()
            changed = True
    out.append(text[last:])
    return "".join(out) if changed else None


def _term(analyzer, word: str) -> str | None:
    terms = [t.text for t in analyzer(word, mode="query")]
    return terms[0] if len(terms) == 1 else None


def _df(reader, term: str) -> int:
    return max((reader.doc_frequency(field, term) for field in TEXT_FIELDS), default=0)


def _correct(snapshot, reader, word: str) -> str | None:
    term = _term(snapshot.analyzer, word)
    if term is None or not term.isalpha() or len(term) < 4:
        return None
    df = _df(reader, term)
    names = names_of(snapshot)
    if df >= GOOD_HITS or (df and term in names):
        return None
    limit = 1 if len(term) <= 5 else 2
    best = None
    for candidate in _nearby_terms(reader, term, limit):
        cdf = _df(reader, candidate)
        if cdf < max(1, RARER * df):
            continue
        rank = (candidate not in names, distance(term, candidate, limit), -cdf, candidate)
        if best is None or rank < best[0]:
            best = (rank, candidate)
    return display_form(snapshot, best[1]) if best else None


def _nearby_terms(reader, term: str, limit: int):
    """Index terms within `limit` edits of `term` that start with its first letter."""
    seen = set()
    for field in ("title", "body"):
        for raw in reader.expand_prefix(field, term[0]):
            candidate = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if candidate in seen or candidate == term or abs(len(candidate) - len(term)) > limit:
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


def names_of(snapshot) -> frozenset[str]:
    """The terms of the names and places in the snapshot's facets, built once per snapshot."""
    with _lock:
        names = _names.get(snapshot)
        if names is None:
            terms = set()
            for field in NAME_FIELDS:
                table = snapshot.tables.get(field)
                for value in getattr(table, "values", ()):
                    for word in WORD.findall(str(value)):
                        term = _term(snapshot.analyzer, word)
                        if term:
                            terms.add(term)
            names = frozenset(terms)
            _names[snapshot] = names
    return names


def display_form(snapshot, term: str) -> str | None:
    """The most common spelling, in the releases, of the words whose term is `term`."""
    query = Or([Term(field, term) for field in TEXT_FIELDS])
    forms: Counter[str] = Counter()
    for hit in snapshot.searcher.search(query, limit=DISPLAY_DOCS):
        for field in TEXT_FIELDS:
            for word in WORD.findall(hit.get(field) or ""):
                if fold(word[0]) == term[0] and _term(snapshot.analyzer, word) == term:
                    forms[word] += 1
    if not forms:
        return None
    return max(forms.items(), key=lambda item: (item[1], item[0][:1].isupper()))[0]

