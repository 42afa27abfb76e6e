"""The snippet's shortcut: a word is analysed only when its skeleton can hold a query term's (see highlight.skeleton)."""

from __future__ import annotations

import pytest

from search import api
from search.engine.analysis import german_analyzer
from search.engine.highlight import _word_spans, skeleton, wanted

TRICKY = ["Baueinheit", "Trauerfeier", "Bauernverband", "Neuerung", "Bruessel", "Brüssel", "Außenministerin", "Präsidentinnen", "Verteidigungsministers", "NATO-Generalsekretär",
          "Café", "Abkommens", "Sicherheitsrat", "Quelle", "Gespräche", "ÖSTERREICH", "Eu", "2024", "Ministerpräsident"]


def sample_words() -> list[str]:
    analyzer = german_analyzer()
    words = list(TRICKY)
    for path in sorted(api.SAMPLE_CORPUS.rglob("*.txt")):
        words.extend(word for _, _, word in _word_spans(path.read_text(encoding="utf-8"), analyzer))
    return list(dict.fromkeys(words))


@pytest.mark.parametrize("mode", ["index", "query"])
def test_every_term_of_a_word_is_inside_its_skeleton(mode):
    analyzer = german_analyzer()
    words = sample_words()
    assert len(words) > 500
    for word in words:
        for token in analyzer(word, mode=mode):
            assert wanted(token.text) in skeleton(word), (word, token.text)


def test_snippets_by_search_equal_snippets_over_every_word():
    """The fast path (`_fragments_by_search`) gives the fragments of the general one (`_fragments`)."""
    import random

    from search.engine.highlight import _fragments, _fragments_by_search

    analyzer = german_analyzer()
    rng = random.Random(12)
    texts = [path.read_text(encoding="utf-8") for path in sorted(api.SAMPLE_CORPUS.rglob("*.txt"))]
    texts.append("NATO-Generalsekretär Rutte traf den NATO-Botschafter; die NATO und Außenministerin Baerbock, "
                 "Bundesaußenministerin, Ministerin-Treffen, Minister--Rat " * 6)
    terms = sorted({t.text for text in texts for t in analyzer(text, mode="index")})
    compared = 0
    for text in texts:
        for _ in range(12):
            words = frozenset(rng.sample(terms, rng.choice((1, 2, 3))) + rng.sample(["nato", "#minister", "minist"], 1))
            for top in (1, 2, 3):
                expected = _fragments(text, _word_spans(text, analyzer), words, analyzer, top)
                assert _fragments_by_search(text, words, analyzer, top) == expected, (words, top)
                compared += bool(expected)
    assert compared > 50
