"""Scoring a graded judged set (tests/judged2/queries.toml) for any search function, and its corpus.

Vocabulary:
- grades: 3 best answer, 2 relevant, 1 marginal; an id not graded is not relevant. The first judge's pool
  (grep over every variant) is completed by `pool2.toml`: what the engines and the baseline returned in their
  top 10 that the first pool lacked, graded by a second judge.
- nDCG@10: discounted cumulative gain of the first 10 ids, gain 2^grade - 1, over the ideal order of all graded ids.
- R@10: the share of relevant ids (grade >= 2, or >= 1 when a query has none that high) among the first 10, over
  min(10, relevant).
- best@3: 1 when a best answer (the query's highest grade) is among the first 3.
- zero: the search answered nothing although the corpus holds a relevant release.
- leak: an exclusion query returned an id it must not return (listed in `excluded`).
A typo query that finds nothing is judged on its suggestion, as a reader would click it.

The corpus is the 10kGNAD test articles (../shared, never copied into the repo) as JSONL records for the indexer
(the first sentence, the article's teaser, as headline; the rest as body), the seed and the bundled sample.
"""

from __future__ import annotations

import json
import math
import re
import tomllib
from collections import defaultdict
from pathlib import Path

JUDGED2 = Path(__file__).parent / "judged2" / "queries.toml"
K = 10
CLASSES = (
    "natural", "pasted", "word-family", "exact-form", "compound-part", "acronym-compound", "characters",
    "name-spelling", "typo", "exclusion",
)
FIRST_SENTENCE = re.compile(r"(.+?[.!?])\s+(?=[A-ZÄÖÜ„\"])", re.S)


def queries(path: Path = JUDGED2, pooled: bool = True) -> list[dict]:
    """The judged queries; with `pooled`, also the grades of `pool2.toml` beside them: documents the systems
    returned that the first pool lacked, graded afterwards by a second judge (grades are only ever added)."""
    with open(path, "rb") as handle:
        judged = tomllib.load(handle)["query"]
    extra = path.parent / "pool2.toml"
    if pooled and extra.exists():
        with open(extra, "rb") as handle:
            additions = {a["q"]: a for a in tomllib.load(handle).get("addition", ())}
        for q in judged:
            added = additions.get(q["q"])
            if added:
                q["grades"] = {**added.get("grades", {}), **q["grades"]}
                q["not_relevant"] = [*q.get("not_relevant", ()), *added.get("not_relevant", ())]
    return judged


def gnad_as_jsonl(source: Path, target: Path) -> Path:
    """The 10kGNAD articles as the indexer's JSONL records (headline = first sentence, body = the rest)."""
    with open(source, encoding="utf-8") as lines, open(target, "w", encoding="utf-8") as out:
        for line in lines:
            record = json.loads(line)
            text = record["text"].strip()
            found = FIRST_SENTENCE.match(text)
            title, body = (found.group(1), text[found.end():]) if found else (text, "")
            out.write(json.dumps({"id": record["id"], "title": title, "lead": "", "body": body}, ensure_ascii=False) + "\n")
    return target


def ndcg(ids: list[str], grades: dict[str, int]) -> float:
    gain = lambda g: 2**g - 1  # noqa: E731
    dcg = sum(gain(grades.get(i, 0)) / math.log2(rank + 1) for rank, i in enumerate(ids[:K], 1))
    ideal = sorted(grades.values(), reverse=True)[:K]
    best = sum(gain(g) / math.log2(rank + 1) for rank, g in enumerate(ideal, 1))
    return dcg / best if best else (1.0 if not ids else 0.0)


def recall(ids: list[str], grades: dict[str, int]) -> float:
    floor = 2 if any(g >= 2 for g in grades.values()) else 1
    relevant = {i for i, g in grades.items() if g >= floor}
    if not relevant:
        return 1.0
    return len(relevant & set(ids[:K])) / min(K, len(relevant))


def best_in_top3(ids: list[str], grades: dict[str, int]) -> float:
    if not grades:
        return 1.0
    top = max(grades.values())
    return 1.0 if any(grades.get(i, 0) == top for i in ids[:3]) else 0.0


def score(search, judged: list[dict]) -> dict:
    """Per class and overall: nDCG@10, R@10, best@3, zero-hit and leak counts; and each query's figures.

    `search(text, follow_suggestion) -> list of ids` is one system (an engine, a baseline)."""
    per_class: dict[str, list[tuple[float, float, float]]] = defaultdict(list)
    per_query, zero, leaks = {}, [], []
    for q in judged:
        grades = {str(k): int(v) for k, v in q["grades"].items()}
        ids = search(q["q"], q["class"] == "typo")
        figures = (ndcg(ids, grades), recall(ids, grades), best_in_top3(ids, grades))
        per_query[q["q"]] = figures
        per_class[q["class"]].append(figures)
        if not ids and grades:
            zero.append(q["q"])
        leaks.extend((q["q"], i) for i in ids[:K] if i in set(q.get("excluded", ())))
    mean = lambda rows, n: sum(r[n] for r in rows) / len(rows)  # noqa: E731
    table = {c: tuple(mean(rows, n) for n in range(3)) + (len(rows),) for c, rows in per_class.items()}
    everything = [f for rows in per_class.values() for f in rows]
    table["all"] = tuple(mean(everything, n) for n in range(3)) + (len(everything),)
    return {"table": table, "queries": per_query, "zero": zero, "leaks": leaks}


def print_table(systems: dict[str, dict]) -> None:
    names = list(systems)
    print("\n" + f"{'class':17} {'n':>3}  " + "  ".join(f"{n:>22}" for n in names))
    print(f"{'':17} {'':>3}  " + "  ".join(f"{'nDCG  R@10  best@3':>22}" for _ in names))
    for c in (*CLASSES, "all"):
        row = systems[names[0]]["table"].get(c)
        if row is None:
            continue
        cells = []
        for n in names:
            nd, r, b, _ = systems[n]["table"][c]
            cells.append(f"{nd:5.3f} {r:5.3f} {b:6.3f}".rjust(22))
        print(f"{c:17} {row[3]:3}  " + "  ".join(cells))
    for n in names:
        print(f"{n}: zero-hit queries {systems[n]['zero']}, exclusion leaks {systems[n]['leaks']}")
