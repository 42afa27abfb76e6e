"""Extraction measured against the independent gold set in ``tests/gold2/`` (20 releases nobody tuned for).

The set was written by an author who did not read the code (see ``_about`` in ``gold.json``); it is used to
measure, never to write rules from. Scoring is lenient where a reader would be:

- a person: an extracted actor matches a gold person when its name is the gold name, one of the gold surface
  forms (genitive "s" taken off), or the same surname with the same first initial. Each gold person is matched
  once: a second actor for the same person (one person split into two facet values) counts as a wrong actor.
- roles: (person, role) pairs, a role matching the gold role or its head noun ("Minister" for "Minister für
  Nationale Verteidigung": the two gold sets differ in how much of a role they write); speakers: persons,
  matched as above.
- split persons: actors that are a second facet value for one gold person (the target is none).
- an organisation: an extracted organisation matches a gold one when any of its names (the facet value, the long
  form the release gives it, the gazetteer's other names for it) is the gold key, long form or a surface form.
- date, topics, countries: exact values. Topics are also scored per topic.
- not persons: capitalised phrases the gold set lists as no person; none may be an extracted actor.

Run ``pytest -s tests/test_gold2.py`` to see the table; the floors are set just under the figures measured.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.extract import Extractor
from tests.test_gold import load_document

GOLD_DIR = Path(__file__).resolve().parent / "gold2"
FIELDS = ("date", "actors", "roles", "speakers", "organisations", "topics", "countries")
COUNTS = ("split persons",)  # plain counts, not P/R
FLOORS = {"date": 0.90, "actors": 0.90, "roles": 0.58, "speakers": 0.82, "organisations": 0.55, "topics": 0.80,
          "countries": 0.95}  # F1, just under the figures measured (docs/extraction.md)
TOPIC_PRECISION_FLOOR = 0.84  # measured 0.85 / 0.81 (the issue: 0.85 / 0.8)
TOPIC_RECALL_FLOOR = 0.80


def _bare(form: str) -> str:
    return form[:-1] if len(form) > 4 and form[-1] in "s'’" else form


def person_matches(name: str, gold_name: str, forms: list[str]) -> bool:
    """The lenient person match (module docstring)."""
    if name == gold_name or name in forms or name in {_bare(f) for f in forms}:
        return True
    words, gold_words = name.split(), gold_name.split()
    return (len(words) >= 2 and len(gold_words) >= 2 and words[-1] == gold_words[-1]
            and words[0][0] == gold_words[0][0])


def match_persons(names: list[str], gold: dict[str, dict]) -> dict[str, str | None]:
    """Extracted name -> the gold person it is, or None (a wrong actor, or a second one for a matched person)."""
    taken: set[str] = set()
    out: dict[str, str | None] = {}
    for name in names:
        hit = next((g for g, entry in gold.items() if g not in taken and person_matches(name, g, entry["forms"])), None)
        if hit is not None:
            taken.add(hit)
        out[name] = hit
    return out


def splits(names: list[str], gold: dict[str, dict]) -> list[str]:
    """Extracted names that are a second facet value for a gold person another extracted name already is."""
    people = match_persons(names, gold)
    return [name for name, hit in people.items() if hit is None
            and any(person_matches(name, g, entry["forms"]) for g, entry in gold.items())]


def role_matches(role: str, gold_role: str) -> bool:
    """A role matches the gold role as written, or the gold role's head noun: the extractor files "Minister" for
    "Minister für Nationale Verteidigung" and "Außenminister" for "stellvertretender Außenminister"."""
    return role == gold_role or role in gold_role.split()


def organisation_names(canonical: str, labels: dict[str, str], extractor: Extractor) -> set[str]:
    """Every name the extractor gives one organisation: facet value, long form, gazetteer aliases."""
    names = {canonical, labels.get(canonical, canonical)}
    names.update(form for form, name in extractor.places.organisations.items() if name == canonical)
    return names


def score_release(entry: dict, extractor: Extractor) -> tuple[dict[str, tuple[int, int, int]], dict, list[str]]:
    """Per field (true positives, predicted, gold); per topic the same; and the violations of not_persons."""
    doc = load_document(GOLD_DIR / "own" / entry["file"])
    md = extractor.extract(doc, context_year=entry.get("context_year"))
    counts: dict[str, tuple[int, int, int]] = {}
    gold_date = tuple(entry["date"])
    date = (md.date.year, md.date.month, md.date.day)
    gold_dates = set() if gold_date == (None, None, None) else {gold_date}
    dates = set() if date == (None, None, None) else {date}
    counts["date"] = (len(gold_dates & dates), len(dates), len(gold_dates))

    people = match_persons([a.name for a in md.actors], entry["actors"])
    counts["actors"] = (sum(1 for g in people.values() if g), len(people), len(entry["actors"]))
    gold_roles = {(g, r) for g, e in entry["actors"].items() for r in e["roles"]}
    roles = {(people[a.name] or a.name, r) for a in md.actors for r in a.roles}
    hits = sum(1 for g, r in gold_roles if any(p == g and role_matches(role, r) for p, role in roles))
    counts["roles"] = (min(hits, len(roles)), len(roles), len(gold_roles))
    speakers = match_persons(list(md.speakers), {g: entry["actors"].get(g, {"forms": []}) for g in entry["speakers"]})
    counts["speakers"] = (sum(1 for g in speakers.values() if g), len(speakers), len(entry["speakers"]))

    labels = dict(md.organisation_labels)
    gold_orgs = {key: {key, e["long"], *e["forms"]} for key, e in entry["organisations"].items()}
    matched: set[str] = set()
    for canonical in md.organisations:
        names = organisation_names(canonical, labels, extractor)
        hit = next((k for k, forms in gold_orgs.items() if k not in matched and forms & names), None)
        if hit:
            matched.add(hit)
    counts["organisations"] = (len(matched), len(md.organisations), len(gold_orgs))

    topics, gold_topics = {t.name for t in md.topics}, set(entry["topics"])
    counts["topics"] = (len(topics & gold_topics), len(topics), len(gold_topics))
    per_topic = {t: (int(t in topics and t in gold_topics), int(t in topics), int(t in gold_topics))
                 for t in topics | gold_topics}
    countries, gold_countries = set(md.countries), set(entry["countries"])
    counts["countries"] = (len(countries & gold_countries), len(countries), len(gold_countries))

    counts["split persons"] = (len(splits([a.name for a in md.actors], entry["actors"])), 0, 0)
    not_persons = [f"{entry['file']}: {a.name}" for a in md.actors
                   if any(np in a.name or any(np in m for m in a.mentions) for np in entry["not_persons"])]
    return counts, per_topic, not_persons


def prf(tp: int, npred: int, ngold: int) -> tuple[float, float, float]:
    p = tp / npred if npred else 1.0
    r = tp / ngold if ngold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(entries: list[dict], extractor: Extractor):
    """Micro-averaged (P, R, F1) per field and per topic, and the not_persons violations."""
    totals = {f: [0, 0, 0] for f in (*FIELDS, *COUNTS)}
    topics: dict[str, list[int]] = {}
    violations: list[str] = []
    for entry in entries:
        counts, per_topic, bad = score_release(entry, extractor)
        for f, c in counts.items():
            totals[f] = [a + b for a, b in zip(totals[f], c)]
        for t, c in per_topic.items():
            topics[t] = [a + b for a, b in zip(topics.get(t, [0, 0, 0]), c)]
        violations += bad
    scores = {f: prf(*c) for f, c in totals.items() if f in FIELDS}
    scores.update({f: totals[f][0] for f in COUNTS})
    return scores, {t: (prf(*c), c[2]) for t, c in sorted(topics.items())}, violations


def table(scores: dict[str, tuple[float, float, float]]) -> str:
    lines = ["| field | P / R / F1 |", "|---|---|"]
    lines += [f"| {f} | " + " / ".join(f"{v:.2f}" for v in scores[f]) + " |" for f in FIELDS]
    lines += [f"| {f} | {scores[f]} |" for f in COUNTS]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def gold() -> list[dict]:
    return json.loads((GOLD_DIR / "gold.json").read_text(encoding="utf-8"))["releases"]


@pytest.fixture(scope="module")
def measured(gold):
    return evaluate(gold, Extractor())


def test_gold2_is_the_frozen_set(gold):
    assert len(gold) == 20 and all((GOLD_DIR / "own" / e["file"]).is_file() for e in gold)


def test_gold2_meets_floors(measured):
    scores, per_topic, _ = measured
    print("\n" + table(scores))
    print("\n".join(f"  {t}: P {p:.2f} R {r:.2f} (gold {n})" for t, ((p, r, _), n) in per_topic.items()))
    for f, floor in FLOORS.items():
        assert scores[f][2] >= floor, (f, scores[f])
    assert scores["topics"][0] >= TOPIC_PRECISION_FLOOR and scores["topics"][1] >= TOPIC_RECALL_FLOOR


def test_no_listed_non_person_is_an_actor(measured):
    assert measured[2] == []


def test_no_person_is_split_across_two_actors(measured):
    assert measured[0]["split persons"] == 0
