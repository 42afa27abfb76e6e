"""Topics of a release, from the editable taxonomy (``search/data/topics.toml``).

Vocabulary:
- taxonomy: topics, each a German display name and a list of terms.
- term: a pattern for one word, written with ``*`` for "any letters": ``friedens*`` (word begins with),
  ``*verteidigung`` (word ends with, the head of a German compound), ``*minen*`` (word contains), or a plain
  word; a term with a space is a phrase. Terms in lower case match any case; a term with a capital letter
  (``EU``, ``WHO``) matches only as written, so the English "who" is not the health organisation.
- hit: a word of the release that a term matched. A topic is assigned when it has a hit in the headline or lead,
  or at least ``min_hits`` hits in the whole release (default 2; 1 for a short release of under ``SHORT`` words):
  one passing "Flugzeug" in paragraph five of a long article does not make a transport release. ``Topic.terms`` lists the distinct words that triggered it, as written
  ("Minenräumarbeiten").

Matching is per distinct word: each word is tested once against one compiled pattern per topic and the answer is
cached, so a corpus of 100,000 releases tests each vocabulary word only once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.model import Topic

WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*-?|\d+\w*(?:-[\w'’]+)+")
CACHE_LIMIT = 500_000


@dataclass(frozen=True)
class TopicRule:
    name: str
    word_any_case: re.Pattern | None  # fullmatch on the lower-cased word
    word_exact_case: re.Pattern | None  # fullmatch on the word as written
    phrases: re.Pattern | None  # searched in the whole text
    min_hits: int = 1


def term_regex(term: str) -> str:
    """``*minen*`` -> ``\\w*minen\\w*``; the result is meant for ``fullmatch`` on one word."""
    body = re.escape(term.strip("*"))
    return ("[\\w'’-]*" if term.startswith("*") else "") + body + ("[\\w'’-]*" if term.endswith("*") else "")


def phrase_regex(phrase: str) -> str:
    words = [term_regex(w) for w in phrase.split()]
    return r"\b" + r"\s+".join(words) + r"(?!\w)"


def compile_rule(name: str, terms: list[str], min_hits: int = 1) -> TopicRule:
    lower = [t for t in terms if " " not in t and t == t.lower()]
    exact = [t for t in terms if " " not in t and t != t.lower()]
    phrases = [t for t in terms if " " in t]

    def alt(items: list[str]) -> re.Pattern | None:
        return re.compile("|".join(term_regex(t) for t in items)) if items else None

    phrase_pattern = re.compile("|".join(phrase_regex(p) for p in phrases), re.IGNORECASE) if phrases else None
    return TopicRule(name, alt(lower), alt(exact), phrase_pattern, min_hits)


DEFAULT_MIN_HITS = 2
SHORT = 150  # words


def load_rules(taxonomies: list[dict]) -> tuple[TopicRule, ...]:
    """Merge taxonomies (later ones extend earlier ones by topic name) and compile them."""
    merged: dict[str, dict] = {}
    for taxonomy in taxonomies:
        for topic in taxonomy.get("topic", []):
            entry = merged.setdefault(topic["name"], {"terms": [], "min_hits": topic.get("min_hits", DEFAULT_MIN_HITS)})
            entry["terms"].extend(t for t in topic.get("terms", []) if t not in entry["terms"])
            if "min_hits" in topic:
                entry["min_hits"] = topic["min_hits"]
    return tuple(compile_rule(name, e["terms"], e["min_hits"]) for name, e in merged.items())


class TopicMatcher:
    """Assign topics to text; holds a word -> matching-topic-indices cache."""

    def __init__(self, rules: tuple[TopicRule, ...]):
        self.rules = rules
        self._cache: dict[str, tuple[int, ...]] = {}

    def _topics_of(self, word: str) -> tuple[int, ...]:
        found = self._cache.get(word)
        if found is None:
            low = word.lower().rstrip("-")
            bare = word.rstrip("-")
            found = tuple(
                i
                for i, rule in enumerate(self.rules)
                if (rule.word_any_case is not None and rule.word_any_case.fullmatch(low))
                or (rule.word_exact_case is not None and rule.word_exact_case.fullmatch(bare))
            )
            if len(self._cache) < CACHE_LIMIT:
                self._cache[word] = found
        return found

    def match(self, text: str, head: str = "") -> tuple[Topic, ...]:
        """Topics of ``text``; ``head`` (headline and lead) is part of ``text`` and one hit there suffices."""
        hits: dict[int, dict[str, None]] = {}
        counts: dict[int, int] = {}
        for word in WORD.findall(head):
            for i in self._topics_of(word):
                counts[i] = counts.get(i, 0) + 1000
        for i, rule in enumerate(self.rules):
            if rule.phrases is not None and head and rule.phrases.search(head):
                counts[i] = counts.get(i, 0) + 1000
        words = WORD.findall(text)
        short = len(words) < SHORT
        for word in words:
            for i in self._topics_of(word):
                hits.setdefault(i, {})[word.rstrip("-")] = None
                counts[i] = counts.get(i, 0) + 1
        for i, rule in enumerate(self.rules):
            if rule.phrases is None:
                continue
            for m in rule.phrases.finditer(text):
                hits.setdefault(i, {})[m.group(0)] = None
                counts[i] = counts.get(i, 0) + 1
        return tuple(
            Topic(self.rules[i].name, tuple(hits[i]))
            for i in sorted(hits)
            if counts[i] >= (1 if short else self.rules[i].min_hits)
        )
