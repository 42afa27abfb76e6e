"""A synthetic archive of N press releases for the benchmark, recombined from real German sentences.

Vocabulary:
- sentence pool: the sentences of ../shared/corpus (wikinews-de paragraphs and 10kGNAD texts), read at run time.
  No corpus text is committed; the generated archive lives wherever `--out` points (outside the repo).
- release: one `.txt` file in the seed's layout (headline, lead, one paragraph a line) in a year folder
  (`2019/`), so the indexer sees a context year; about 4% sit in `undatiert/` with no date anywhere (the
  "ohne Jahr" bucket). The lead names a date ("Am 5. Juni 2024 ..."), one to three actors with their roles and
  sometimes an organisation, so metadata extraction has something to find.
- skew: actors, organisations and topic words are drawn Zipf-like (a few ministers appear in most releases,
  most in few); years lean towards the recent ones, as an archive grows.

Example: python -m bench.generate --docs 10000 --out /tmp/depesche-bench/corpus-10000
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import time
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# the shared corpora sit beside the main checkout; a worktree under /work/wt/ finds them one level further up
SHARED = next((p / "shared" for p in REPO.parents if (p / "shared" / "corpus").is_dir()), REPO.parent / "shared")
MONTHS = ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember")
YEARS = tuple(range(2005, 2026))
SENTENCE_END = re.compile(r"(?<=[.!?“\"])\s+(?=[A-ZÄÖÜ„\"])")
VERBS = (("traf sich", "mit"), ("führte Gespräche", "mit"), ("telefonierte", "mit"), ("sprach", "mit"), ("beriet sich", "mit"))
HEAD_VERBS = ("trifft", "empfängt", "spricht mit", "telefoniert mit", "berät mit")
PLACES = ("Baku", "Berlin", "Brüssel", "Ankara", "Tiflis", "Jerewan", "Wien", "Genf", "New York", "Astana", "Paris")
UNDATED = "undatiert"


def sentence_pool(shared: Path) -> tuple[list[str], list[str]]:
    """(sentences, headlines) from both corpora."""
    sentences, headlines = [], []

    def add(text: str) -> None:
        for s in SENTENCE_END.split(text):
            words = s.split()
            if 6 <= len(words) <= 45:
                sentences.append(" ".join(words))

    for line in (shared / "corpus" / "wikinews-de" / "docs.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        headlines.append(record["title"])
        for paragraph in record.get("paragraphs", []):
            add(paragraph)
    for line in (shared / "corpus" / "10kgnad-test" / "docs.jsonl").open(encoding="utf-8"):
        text = json.loads(line)["text"]
        first, _, rest = text.partition(". ")
        if 3 <= len(first.split()) <= 16:
            headlines.append(first)
        add(rest)
    return sentences, headlines


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return [1 / (rank**s) for rank in range(1, n + 1)]


class Generator:
    def __init__(self, seed: int, shared: Path = SHARED):
        self.rng = random.Random(seed)
        self.sentences, self.headlines = sentence_pool(shared)
        gazetteer = tomllib.loads((REPO / "search" / "data" / "gazetteer.toml").read_text(encoding="utf-8"))
        self.people = [(p["name"], (p.get("roles") or [""])[0]) for p in gazetteer["person"]]
        self.rng.shuffle(self.people)  # which actor is frequent is arbitrary, that a few are is not
        self.people_weights = zipf_weights(len(self.people))
        self.orgs = [o["name"] for o in gazetteer.get("organisation", [])]
        self.rng.shuffle(self.orgs)
        self.org_weights = zipf_weights(len(self.orgs))
        taxonomy = tomllib.loads((REPO / "search" / "data" / "topics.toml").read_text(encoding="utf-8"))
        self.topic_words = [
            [t.strip("*").capitalize() for t in topic["terms"] if t.strip("*") and " " not in t]
            for topic in taxonomy["topic"]
        ]
        self.topic_weights = zipf_weights(len(self.topic_words), 0.9)
        self.year_weights = [1 + 0.25 * i for i in range(len(YEARS))]

    def release(self, number: int) -> tuple[str, str]:
        """(relative path, text) of release `number`."""
        rng = self.rng
        actors = []
        for _ in range(rng.choice((1, 1, 2, 2, 2, 3))):
            person = rng.choices(self.people, self.people_weights)[0]
            if person not in actors:
                actors.append(person)
        undated = rng.random() < 0.04
        year = rng.choices(YEARS, self.year_weights)[0]
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        named = [f"{role} {name}".strip() for name, role in actors]
        place = rng.choice(PLACES)
        verb, preposition = rng.choice(VERBS) if len(named) > 1 else ("hielt", "")
        rest = f"{preposition} {' und '.join(named[1:])} in {place}" if len(named) > 1 else f"in {place} eine Rede"
        if undated:
            lead = f"{named[0]} {verb} {rest}."
        elif rng.random() < 0.06:
            lead = f"Im {MONTHS[month - 1]} {year} {verb} {named[0]} {rest}."
        else:
            lead = f"Am {day}. {MONTHS[month - 1]} {year} {verb} {named[0]} {rest}."
        if rng.random() < 0.35:
            lead += f" Das Treffen fand im Rahmen der Zusammenarbeit mit der {rng.choices(self.orgs, self.org_weights)[0]} statt."
        surnames = [name.split()[-1] for name, _ in actors]
        if rng.random() < 0.5 and len(surnames) > 1:
            title = f"{surnames[0]} {rng.choice(HEAD_VERBS)} {surnames[1]}"
        else:
            title = rng.choice(self.headlines)
        topic = rng.choices(self.topic_words, self.topic_weights)[0]
        paragraphs = []
        for _ in range(rng.randint(4, 7)):
            paragraphs.append(" ".join(rng.choice(self.sentences) for _ in range(rng.randint(2, 4))))
        if topic:
            paragraphs.insert(1, f"Im Mittelpunkt der Gespräche stand das Thema {rng.choice(topic)}.")
        if len(actors) > 1:
            paragraphs.append(f"{actors[0][0].split()[-1]} erklärte, die Gespräche seien konstruktiv gewesen.")
        folder = UNDATED if undated else str(year)
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower())[:50].strip("-") or "meldung"
        return f"{folder}/{number:06d}_{slug}.txt", "\n".join([title, lead, *paragraphs]) + "\n"


def generate(docs: int, out: Path, seed: int = 5) -> float:
    """Write `docs` releases under `out` (replacing it); returns seconds taken."""
    started = time.monotonic()
    if out.exists():
        shutil.rmtree(out)
    generator = Generator(seed)
    for number in range(docs):
        relative, text = generator.release(number)
        path = out / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return time.monotonic() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args(argv)
    seconds = generate(args.docs, args.out, args.seed)
    print(f"{args.docs} releases in {args.out} ({seconds:.1f} s)")


if __name__ == "__main__":
    main()
