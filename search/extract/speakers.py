"""Who is quoted or reported as speaking in a release.

Vocabulary:
- speech cue: a finite verb of saying ("sagte", "betonte", "erklärte", "informierte", "beschrieb" ...), or the
  reporting words "so" (", so Bayramov"), "laut" ("laut Stoltenberg") and "zufolge" ("Bayramov zufolge").
- speaker: the person a cue belongs to, taken from the actors' mentions in the same sentence:
  1. after the cue, before any comma (inverted order: "„...“, sagte Stoltenberg");
  2. otherwise the first mention before the cue in the sentence (the subject: "Y. Stoltenberg betonte, dass");
  3. a pronoun ("Er sagte", "sagte sie") is the nearest named person before it in its sentence, else the first
     person (the subject) of the latest sentence that names someone; with none, it is dropped;
  4. a role without a name ("Der Verteidigungsminister sagte") is the one person of the release holding a
     role with that head, else dropped.
  Speakers are display names of actors, never pronouns.
"""

from __future__ import annotations

from search.extract.mentions import SINGULAR_SPEECH, SPEECH_VERBS, Analysis, Mention, Token

INVERSION_WINDOW = 5
REPORTING = {"so", "laut", "zufolge"}
QUOTE_END = {",", "“", "”", '"', "»", "«"}
QUOTES = {"„", "“", "”", '"', "»", "«"}
PASSIVE = {"wurde", "wird", "werden", "wurden", "worden"}


def _mention_after(mentions: list[Mention], sent: list[Token], v: int) -> Mention | None:
    for m in mentions:
        if v < m.start <= v + INVERSION_WINDOW and all(t.text != "," for t in sent[v + 1 : m.start]):
            return m
    return None


def _role_speaker(sent: list[Token], v: int, analysis: Analysis) -> str | None:
    for si_tok in range(max(0, v - 3), v):
        word = sent[si_tok].text
        if not word[:1].isupper():
            continue
        head = word.lower()
        holders = {
            name for name, roles in analysis.known_roles.items() if any(r.lower().endswith(head) for r in roles)
        }
        if len(holders) == 1:
            return holders.pop()
    return None


def find_speakers(analysis: Analysis) -> tuple[str, ...]:
    by_sent: dict[int, list[Mention]] = {}
    for m in analysis.mentions:
        by_sent.setdefault(m.sent, []).append(m)
    for ms in by_sent.values():
        ms.sort(key=lambda m: m.start)
    role_words = {(si, ti) for si, ti, _ in analysis.role_only}
    speakers: dict[str, None] = {}
    last_named: str | None = None
    for si, sent in enumerate(analysis.sents):
        mentions = by_sent.get(si, [])
        for v, tok in enumerate(sent):
            if tok.kind != "word" or (tok.text.lower() not in SPEECH_VERBS and tok.text.lower() not in REPORTING):
                continue
            if v > 0 and sent[v - 1].text in PASSIVE:
                continue
            role_named = any((si, t) in role_words for t in range(max(0, v - 3), v))
            speaker = _speaker_of(sent, v, mentions, last_named, (analysis if role_named else None))
            if speaker:
                speakers[speaker] = None
        if mentions:
            last_named = mentions[0].person_name or last_named  # the subject of the latest sentence naming someone
    return tuple(speakers)


def _speaker_of(sent: list[Token], v: int, mentions: list[Mention], last_named: str | None,
                roles: Analysis | None) -> str | None:
    """The speaker of the cue at token `v` (see the module doc): `mentions` are the sentence's, `last_named` the
    subject of the latest sentence naming someone; `roles`, when a role without a name stands just before the
    cue, is the analysis whose holders of that role may be the speaker."""
    word = sent[v].text
    low = word.lower()
    before = [m for m in mentions if m.end <= v]
    if word == "so":
        m = _mention_after(mentions, sent, v) if v > 0 and sent[v - 1].text == "," else None
        return m.person_name if m else None
    if low == "laut":
        m = _mention_after(mentions, sent, v)
        return m.person_name if m and m.start <= v + 3 else None
    if low == "zufolge":
        return before[-1].person_name if before and before[-1].end >= v - 1 else None
    after = _mention_after(mentions, sent, v)
    if v + 1 < len(sent) and sent[v + 1].text in ("er", "sie") and low in SINGULAR_SPEECH:
        return (before[-1].person_name if before else None) or last_named
    if after is not None:
        return after.person_name
    if v > 0 and sent[v - 1].text in QUOTE_END and any(t.text in QUOTES for t in sent[:v]):
        later = [m for m in mentions if m.start > v]  # „...“, sagte der General ..., General George Casey
        return later[0].person_name if later else None  # „...“, schrieb die Zeitung: nobody
    if v > 0 and sent[v - 1].text in ("Er", "Sie", "er", "sie") and low in SINGULAR_SPEECH:
        return (before[-1].person_name if before else None) or last_named
    if before:
        return before[0].person_name
    return _role_speaker(sent, v, roles) if roles is not None else None
