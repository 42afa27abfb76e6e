"""The snippet's shortcut: a word is decompounded only when it holds a query's part term (see highlight._Wanted)."""

from __future__ import annotations

import random

from search import api
from search.engine.analysis import MARKS
from search.highlight import WORD_TERMS, _Wanted, _word_spans

TRICKY = ["Bruessel", "Brüssel", "Außenministerin", "Präsidentinnen", "Verteidigungsministers", "NATO-Generalsekretär",
          "Café", "Abkommens", "Sicherheitsrat", "Quelle", "Gespräche", "ÖSTERREICH", "Südkorea", "Außen\u00administer",
          "festgenommen", "Saidow", "Minenräumung", "Sicherheitsratssitzung"]


def sample_words() -> list[str]:
    words = list(TRICKY)
    for path in sorted(api.SAMPLE_CORPUS.rglob("*.txt")):
        words.extend(word for _, _, word in _word_spans(path.read_text(encoding="utf-8")))
    return list(dict.fromkeys(words))


def test_the_shortcut_matches_exactly_the_words_the_full_analysis_matches():
    words = sample_words()
    assert len(words) > 500
    terms = sorted({t for w in words for t in WORD_TERMS(w)})
    assert any(t.startswith(MARKS["part"]) for t in terms) and any(t.startswith(MARKS["family"]) for t in terms)
    rng = random.Random(7)
    for _ in range(200):
        query = frozenset(rng.sample(terms, 3))
        wanted = _Wanted(query)
        for word in words:
            assert wanted.match(word) == (not WORD_TERMS(word).isdisjoint(query)), (word, query)
