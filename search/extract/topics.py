"""Topics of a release, from the editable taxonomy (``search/data/topics.toml``).

Vocabulary:
- taxonomy: topics, each a German display name and a list of terms.
- term: a pattern for one word, written with ``*`` for "any letters": ``friedens*`` (word begins with),
  ``*verteidigung`` (word ends with, the head of a German compound), ``*minen*`` (word contains), or a plain
  word; a term with a space is a phrase. Terms in lower case match any case; a term with a capital letter
  (``EU``, ``WHO``) matches only as written, so the English "who" is not the health organisation.
- hit: a word of the release that a term matched. ``Topic.terms`` lists the distinct words that triggered a
  topic, as written ("Minenräumarbeiten").
- evidence: a topic's hits by zone: headline, lead, body (`Evidence`). Its weight counts a headline word
  ``HEADLINE_WEIGHT`` times, a lead word ``LEAD_WEIGHT`` times, and every body hit once.
- threshold: a topic needs a hit in the headline, or ``min_hits`` hits in the release (default 2: a lead word
  seen again, two words, one word twice); one passing "Flugzeug" in paragraph five does not make a transport
  release. A release of under ``SHORT`` words is all subject: there one hit suffices, and no cap applies.
- passing mention: a topic that weighs less than a ``WEAKEST_SHARE`` of the strongest and is named by fewer than
  ``SEVERAL_WORDS`` distinct words: the release names it on the way to its subject ("the UN had warned",
  "students had protested"). In a release of under ``SHORT`` words only a topic under ``FAR_WEAKER`` of the
  strongest is one.
- borrowed word: a word two topics share ("Gaskorridor": energy and transport). A topic named by one borrowed word
  only is not a topic when the other topic weighs more: the word speaks for the topic the release's other words
  name too (`without_borrowed`).
- choice: of the topics past the threshold, the borrowed and the passing ones left out, the ``MAX_TOPICS``
  heaviest; a further one only when the headline or lead names it and it weighs at least half as much as the
  heaviest (the release really spans it) (`choose`).

Matching is per distinct word: each word is tested once against one compiled pattern per topic and the answer is
cached, so a corpus of 100,000 releases tests each vocabulary word only once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
SHORT = 100  # words: in a release this short every sentence is a subject, so one hit suffices
HEADLINE_WEIGHT = 4
LEAD_WEIGHT = 1
MAX_TOPICS = 3
WEAKEST_SHARE = 4  # a topic with less than a quarter of the strongest topic's weight may be a passing mention ...
FAR_WEAKER = 8  # in a short release, a topic with less than an eighth of the strongest topic's weight is dropped
SEVERAL_WORDS = 4  # ... unless this many distinct words name it (checked on wikinews-de: below a quarter, topics
# named by one or two words were mostly side remarks; an eighth, the earlier share, kept them)
STRONG_SHARE = 2  # a fourth topic or more needs half the strongest topic's weight


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

    def evidence(self, parts: list[str]) -> tuple[dict[int, "Evidence"], int]:
        """Per topic (rule index) the hits in the headline (`parts[0]`), the lead (`parts[1]`) and the body; and
        how many words the parts have."""
        found: dict[int, Evidence] = {}
        count = 0
        for where, part in enumerate(parts):
            zone = min(where, 2)  # 0 headline, 1 lead, 2 body
            words = WORD.findall(part)
            count += len(words)
            for word in words:
                for i in self._topics_of(word):
                    found.setdefault(i, Evidence()).add(zone, word.rstrip("-"))
            for i, rule in enumerate(self.rules):
                if rule.phrases is not None:
                    for m in rule.phrases.finditer(part):
                        found.setdefault(i, Evidence()).add(zone, m.group(0))
        return found, count

    def match(self, text: str, head: str = "", title: str | None = None) -> tuple[Topic, ...]:
        """Topics of a release (see the module docstring for the thresholds). `title` and `head` (the lead) are
        part of `text`; without `title`, `head` counts as the headline and lead together."""
        if title is None:
            parts = [head, "", _without(text, head)]
        else:
            parts = [title, head, _without(_without(text, title), head)]
        evidence, words = self.evidence(parts)
        short = words < SHORT
        candidates = {i: e for i, e in evidence.items() if e.enough(self.rules[i].min_hits, short)}
        chosen = choose(without_borrowed(candidates), short)
        return tuple(Topic(self.rules[i].name, tuple(evidence[i].words)) for i in sorted(chosen))


def _without(text: str, part: str) -> str:
    """`text` with its first occurrence of `part` taken out (the head is part of the text)."""
    if not part:
        return text
    at = text.find(part)
    return text if at < 0 else text[:at] + text[at + len(part) :]


@dataclass
class Evidence:
    """The hits of one topic in one release: distinct words per zone (headline, lead, body), and all body hits."""

    words: dict[str, None] = field(default_factory=dict)  # distinct words as written, in order of first hit
    zone_words: tuple[set, set, set] = field(default_factory=lambda: (set(), set(), set()))
    body_hits: int = 0

    def add(self, zone: int, word: str) -> None:
        self.words[word] = None
        self.zone_words[zone].add(word.lower())
        if zone == 2:
            self.body_hits += 1

    @property
    def in_head(self) -> bool:
        """A word of the topic stands in the headline or the lead."""
        return bool(self.zone_words[0] or self.zone_words[1])

    @property
    def weight(self) -> int:
        """How strongly the release is about the topic: a headline word counts most, then lead words, then
        each hit in the body."""
        headline, lead, body = self.zone_words
        return HEADLINE_WEIGHT * len(headline) + LEAD_WEIGHT * len(lead) + self.body_hits

    def enough(self, min_hits: int, short: bool = False) -> bool:
        """The threshold: a word in the headline; or `min_hits` hits (a word in the lead seen again, two words
        of the topic, one word twice); in a `short` release one hit."""
        headline, lead, _ = self.zone_words
        hits = len(headline) + len(lead) + self.body_hits
        return bool(headline) or hits >= (1 if short else min_hits)


def without_borrowed(candidates: dict[int, "Evidence"]) -> dict[int, "Evidence"]:
    """The candidates less those named by one borrowed word only (see the module docstring)."""
    def borrowed(i: int) -> bool:
        own = set(candidates[i].words)
        return len(own) == 1 and any(
            j != i and candidates[j].weight > candidates[i].weight and own <= set(candidates[j].words) for j in candidates
        )
    return {i: e for i, e in candidates.items() if not borrowed(i)}


def choose(candidates: dict[int, Evidence], short: bool = False) -> list[int]:
    """At most `MAX_TOPICS` of the topics past the threshold, by weight; more only for topics the headline or lead
    names and about as strong as the strongest (the release really spans them); a passing mention is dropped."""
    if not candidates:
        return []
    ranked = sorted(candidates, key=lambda i: -candidates[i].weight)
    top = candidates[ranked[0]].weight
    if short:  # a short release names no subject in passing: only a topic far weaker than the strongest is dropped
        return [i for i in ranked if candidates[i].weight * FAR_WEAKER >= top]
    kept = [i for i in ranked if candidates[i].weight * WEAKEST_SHARE >= top or len(candidates[i].words) >= SEVERAL_WORDS]
    strong = [i for i in kept[MAX_TOPICS:] if candidates[i].weight * STRONG_SHARE >= top and candidates[i].in_head]
    return kept[:MAX_TOPICS] + strong
