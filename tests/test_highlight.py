"""The snippet's shortcut: a word is analysed only when its skeleton can hold a query term's (see highlight.skeleton)."""

from __future__ import annotations

import pytest

from search import api
from search.engine.analysis import PART_MARK, german_analyzer
from search.engine.highlight import _word_spans, skeleton

TRICKY = ["Bruessel", "Brüssel", "Außenministerin", "Präsidentinnen", "Verteidigungsministers", "NATO-Generalsekretär",
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
            assert skeleton(token.text.lstrip(PART_MARK)) in skeleton(word), (word, token.text)
