"""Synonyms and acronyms: groups of names that mean one thing, from an editable TOML file.

`search/data/synonyms.toml` holds `[[group]] names = [...]` (read by `search.german_data`); a name may have
several words. A `Synonyms` table matches names in a sequence of words by their keys (what the analyzer makes
of each word, so case, umlaut spellings, inflection and stop words do not matter) and answers with the group's
names, which the query side turns into alternatives. Applied at query time only, so editing the file needs no reindex.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

Key = tuple[str, ...]


@dataclass(frozen=True)
class Match:
    start: int  # index of the first word of the match
    end: int  # index after its last word
    names: tuple[str, ...]  # every name of the group, as written in the file


class Synonyms:
    """Names of groups, looked up by key; `key(name)` gives the terms of a name, as the query side analyses it."""

    def __init__(self, groups: Sequence[Sequence[str]], key: Callable[[str], Key]):
        self.groups = tuple(tuple(g) for g in groups)
        self._groups: dict[Key, int] = {}
        for number, names in enumerate(self.groups):
            for name in names:
                terms = key(name)
                if terms:
                    self._groups.setdefault(terms, number)
        self._longest = max((len(k) for k in self._groups), default=0)

    def match(self, words: Sequence[Key]) -> list[Match]:
        """The names found in `words` (each word's key; () for a stop word), longest first, left to right."""
        found, i = [], 0
        while i < len(words):
            hit = None
            if words[i]:
                for end in range(min(len(words), i + self._longest * 2), i, -1):  # stop words make names longer
                    terms = tuple(t for w in words[i:end] for t in w)
                    if terms in self._groups and words[end - 1]:
                        hit = Match(i, end, self.groups[self._groups[terms]])
                        break
            if hit:
                found.append(hit)
                i = hit.end
            else:
                i += 1
        return found
