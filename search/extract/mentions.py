"""The words of a release as the actor and speaker steps read them, and what they hand each other.

Vocabulary:
- token: a word, an initial ("Z."), a title ("Dr."), a number or a punctuation mark, with its offset; a release
  is a list of sentences of tokens (`sentences`: an initial does not end a sentence).
- speech verb: a verb of saying ("sagte", "betonte", "erklärt"); `SINGULAR_SPEECH` the ones a single speaker
  says ("sagte", not "sagten").
- mention: one occurrence of a person in the text, as written ("Y. Stoltenberg", "Bayramovs"): where it stands
  (sentence, first and past-the-end token), its words, the roles written with it, and, once resolved, the
  display name of its person.
- found: the mentions of a release before they are resolved, the tokens they cover (one token is in one
  mention at most) and the roles named without a name; `Found.add` keeps a mention only where it may be one.
- analysis: a release's sentences, mentions, actors, roles named without a name, and the roles each person is
  known to hold; `search.extract.speakers` reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from search.model import Actor

TOKEN = re.compile(r"[^\W\d_](?:[\w'’]|-(?=[\w]))*\.?|\d[\d.,:]*\w*|[^\w\s]")
TITLES = {"Dr.", "Prof.", "Dr", "Prof", "Mag.", "Ing.", "Sen.", "Jr.", "St."}
SENTENCE_END = {".", "!", "?"}


class Token(NamedTuple):
    text: str
    start: int
    kind: str  # "word" | "initial" | "title" | "num" | "punct"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    add = tokens.append
    make = tuple.__new__  # Token(...) without the NamedTuple's Python-level __new__: tokens are most of the cost
    for m in TOKEN.finditer(text):
        word = m.group(0)
        first = word[0]
        if first.isdigit():
            add(make(Token, (word, m.start(), "num")))
        elif not first.isalpha():
            add(make(Token, (word, m.start(), "punct")))
        elif word in TITLES:
            add(make(Token, (word, m.start(), "title")))
        elif word[-1] == ".":
            if len(word) == 2 and first.isupper():
                add(make(Token, (word, m.start(), "initial")))
            else:
                add(make(Token, (word[:-1], m.start(), "word")))
                add(make(Token, (".", m.end() - 1, "punct")))
        else:
            add(make(Token, (word, m.start(), "word")))
    return tokens


def sentences(text: str) -> list[list[Token]]:
    """Split one paragraph into sentences of tokens (an initial "Z." does not end a sentence)."""
    out: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokenize(text):
        current.append(tok)
        if tok.kind == "punct" and tok.text in SENTENCE_END:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


SPEECH_VERBS = {
    "sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "unterstrich", "unterstreicht", "bekräftigte",
    "meinte", "meint", "warnte", "warnt", "forderte", "fordert", "kritisierte", "kritisiert", "äußerte",
    "versicherte", "bemerkte", "informierte", "berichtete", "teilte", "kündigte", "fügte", "hob", "stellte",
    "verwies", "beschrieb", "bezeichnete", "dementierte", "bestätigte", "versprach", "appellierte", "verkündete",
    "mahnte", "räumte", "antwortete", "erläuterte", "argumentierte", "behauptete", "kommentierte", "schrieb",
    "twitterte", "wies", "sprach", "zitierte", "hinzufügte", "sagten", "erklärten",
    "gesagt", "angekündigt", "bekanntgegeben", "mitgeteilt", "betont", "bekräftigt", "versichert", "gewarnt",
    "gefordert", "bestätigt", "dementiert", "unterstrichen", "geäußert",
}
SINGULAR_SPEECH = {v for v in SPEECH_VERBS if not v.endswith("en")}


@dataclass(frozen=True)
class Mention:
    sent: int  # sentence index in the release
    start: int  # first token index (inclusive)
    end: int  # last token index (exclusive)
    words: tuple[str, ...]  # name tokens as written
    roles: tuple[str, ...] = ()
    person_name: str | None = None  # the display name of the person this mention resolved to


@dataclass
class Analysis:
    """Everything actors found in one release; the speakers module reads it."""

    sents: list[list[Token]]
    mentions: list[Mention]
    actors: tuple[Actor, ...]
    role_only: list[tuple[int, int, str]] = field(default_factory=list)  # (sent, token, role) without a name
    known_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person -> roles seen or in the gazetteer


OPENING_QUOTES = {"„", "“", '"', "»", "«", "‚", "'"}
CLOSING_QUOTES = {"“", "”", '"', "«", "»", "‘", "'"}


def _quoted(sent: list[Token], first: int, end: int) -> bool:
    """The phrase from token `first` to `end` is the whole of a quotation: a title, not a person."""
    return first > 0 and sent[first - 1].text in OPENING_QUOTES and end < len(sent) and sent[end].text in CLOSING_QUOTES


@dataclass
class Found:
    """What the mention finder found in a release, in the order found."""

    sents: list[list[Token]]
    mentions: list[Mention] = field(default_factory=list)
    role_only: list[tuple[int, int, str]] = field(default_factory=list)  # (sent, token, role) without a name
    covered: set[tuple[int, int]] = field(default_factory=set)  # (sent, token) inside a mention

    def add(self, si: int, start: int, end: int, roles: list[str] | tuple[str, ...] = (),
            first: int | None = None) -> None:
        """Keep tokens `start`..`end` of sentence `si` as a mention (with the `roles` written from token `first`
        on), unless they overlap one, are the whole of a quotation, or are initials only."""
        if end <= start or any((si, t) in self.covered for t in range(start, end)):
            return
        if _quoted(self.sents[si], start if first is None else first, end):
            return  # the frigate „Admiral Makarow“, the programme „Aliyev 2030“: a name of a thing
        words = tuple(t.text for t in self.sents[si][start:end])
        if all(len(w) == 2 and w.endswith(".") for w in words):
            return
        self.mentions.append(Mention(si, start, end, words, tuple(roles)))
        self.covered.update((si, t) for t in range(start, end))
