"""The set the near-duplicate grouping is measured on, built at test time (the corpora's text stays in ../shared).

Vocabulary:
- Case: one release of the set: its id, its text (headline, lead, paragraphs, one a line) and `story`, the
  release it is a version of (the truth: two cases are one group exactly when their stories are equal).
- the versions made of a real wikinews-de article: republished unchanged, updated (a few words, a sentence added
  and one removed), shortened (headline, lead and the first half of the paragraphs), translated again (words
  replaced by other German words for the same thing, as a second machine translation words them); plus
  `duplicates/paraphrases.jsonl`, pairs of releases written for the project, each the same sentences worded twice.
- boilerplate pairs: two different articles that both end in the same long block of boilerplate paragraphs
  (`duplicates/boilerplate.txt`): different news, never one group.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).parent / "duplicates"

# the wording a second translation chooses (written for the project): word -> another word for the same thing
RETRANSLATION = {
    "sagte": "erklärte", "erklärte": "sagte", "Präsident": "Staatschef", "Regierung": "Führung", "Land": "Staat",
    "Menschen": "Personen", "mehr als": "über", "rund": "etwa", "etwa": "ungefähr", "wurde": "ist", "wurden": "sind",
    "bekannt": "mitgeteilt", "berichtet": "gemeldet", "berichtete": "meldete", "Angaben": "Aussagen",
    "Mittwoch": "Mittwochabend", "Dienstag": "Dienstagabend", "Montag": "Montagabend", "Donnerstag": "Donnerstagabend",
    "Freitag": "Freitagabend", "Sonntag": "Sonntagabend", "Samstag": "Samstagabend", "soll": "solle",
    "hatte": "habe", "gegen": "wider", "zwischen": "unter", "Teil": "Anteil", "Ende": "Schluss",
    "Beginn": "Anfang", "Jahr": "Kalenderjahr", "Jahre": "Jahresfrist", "Woche": "Kalenderwoche", "Stadt": "Ortschaft",
    "Polizei": "Polizeibehörden", "Minister": "Ressortchef", "Gespräche": "Unterredungen", "Treffen": "Zusammenkunft",
    "erneut": "wieder", "bereits": "schon", "jedoch": "aber", "allerdings": "indes", "sowie": "und",
    "zudem": "außerdem", "bisher": "bislang", "sei": "wäre", "seien": "wären", "Ziel": "Zweck", "große": "bedeutende",
    "neue": "frische", "ersten": "anfänglichen", "wichtig": "bedeutsam", "Unternehmen": "Firma", "Bevölkerung": "Einwohner",
}
_RETRANSLATED = re.compile(r"\b(" + "|".join(sorted(map(re.escape, RETRANSLATION), key=len, reverse=True)) + r")\b")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Case:
    id: str
    text: str
    story: str


def _article_text(record: dict) -> tuple[str, str, list[str]]:
    return record["title"], record["lead"], list(record["paragraphs"])


def _joined(title: str, lead: str, paragraphs: list[str]) -> str:
    return "\n".join([title, lead, *paragraphs])


def updated(title: str, lead: str, paragraphs: list[str], rng: random.Random) -> str:
    """A corrected and updated version: a number changed, one sentence dropped, one added."""
    sentences = [s for p in paragraphs for s in _SENTENCE_END.split(p)]
    if len(sentences) > 3:
        del sentences[rng.randrange(1, len(sentences))]
    text = " ".join(sentences)
    text = re.sub(r"\d+", lambda m: str(int(m.group()) + 1), text, count=1)
    return _joined(title + " (aktualisiert)", lead, [text, "Diese Meldung wurde nach Rückfragen ergänzt und berichtigt."])


def shortened(title: str, lead: str, paragraphs: list[str]) -> str:
    body = " ".join(paragraphs)
    sentences = _SENTENCE_END.split(body)
    return _joined(title, lead, [" ".join(sentences[: max(1, (len(sentences) + 1) // 2)])])


def retranslated(title: str, lead: str, paragraphs: list[str]) -> str:
    swap = lambda text: _RETRANSLATED.sub(lambda m: RETRANSLATION[m.group()], text)  # noqa: E731
    return _joined(swap(title), swap(lead), [swap(p) for p in paragraphs])


def with_boilerplate(title: str, lead: str, paragraphs: list[str]) -> str:
    return _joined(title, lead, [*paragraphs, *(HERE / "boilerplate.txt").read_text(encoding="utf-8").splitlines()])


def paraphrase_cases() -> list[Case]:
    cases = []
    for number, line in enumerate((HERE / "paraphrases.jsonl").read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        cases.append(Case(f"{record['pair']}-{number}", f"{record['title']}\n{record['text']}", record["pair"]))
    return cases


def build(docs_jsonl: Path, originals: int = 120, seed: int = 15) -> list[Case]:
    """The whole set: `originals` real articles, versions of a third of them of each kind, a sixth as many other
    articles ending in the same boilerplate, the paraphrase pairs."""
    records = [json.loads(line) for line in docs_jsonl.read_text(encoding="utf-8").splitlines()]
    rng = random.Random(seed)
    extra = originals // 6  # articles seen only with the boilerplate
    records = rng.sample([r for r in records if len(r["paragraphs"]) >= 2], originals + extra)
    boilerplated, records = records[originals:], records[:originals]
    cases = [Case(r["id"], _joined(*_article_text(r)), r["id"]) for r in records]
    third = originals // 3
    for record in records[:third]:
        parts = _article_text(record)
        story = record["id"]
        cases += [
            Case(f"{story}-kopie", _joined(*parts), story),
            Case(f"{story}-aktualisiert", updated(*parts, rng), story),
            Case(f"{story}-gekuerzt", shortened(*parts), story),
            Case(f"{story}-uebersetzt", retranslated(*parts), story),
        ]
    for record in boilerplated:  # different news ending in the same boilerplate
        cases.append(Case(record["id"], with_boilerplate(*_article_text(record)), record["id"]))
    return cases + paraphrase_cases()


def pairwise(truth: dict[str, str], found: dict[str, str]) -> tuple[float, float]:
    """Precision and recall over pairs of cases: a pair is positive when both are one story (`truth`: id ->
    story) and found when both are in one group (`found`: id -> group)."""
    ids = sorted(truth)
    true_pairs = found_pairs = both = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            same, grouped = truth[a] == truth[b], found[a] == found[b]
            true_pairs += same
            found_pairs += grouped
            both += same and grouped
    return (both / found_pairs if found_pairs else 1.0), (both / true_pairs if true_pairs else 1.0)
