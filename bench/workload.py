"""The workload of issue 12: every query new, sampled with a seed from the archive's own vocabulary.

Vocabulary:
- request: one API-style argument dict (`{"q": ..., "actor": [...], "page": "20"}`), as `/api/search` takes it.
- class: what kind of request it is. `term` (one word of mid or high frequency), `and` (two words of one
  release), `phrase` (two adjacent words of one release, quoted), `filtered` (a word plus facet filters),
  `deep page` (a frequent word, page 10 to 50), `browse` (filters only, no words).
- document frequency (df): in how many of the sampled releases a word occurs (its case-folded form). High:
  df >= HIGH_DF of them; mid: MID_DF <= df < HIGH_DF. Stop words and words shorter than MIN_LETTERS are never drawn.
- cold request: the first one after a searcher starts, timed on its own (`COLD_CLASS`).

No request repeats, and no word is drawn twice for the single-word classes, so no per-snapshot cache can
answer a request from an earlier one: what is measured is what a staff member meets.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from pathlib import Path

COUNTS = {"term": 60, "and": 40, "phrase": 30, "filtered": 15, "deep page": 10, "browse": 5}
COLD_CLASS = "cold"
HIGH_DF, MID_DF = 0.05, 0.005
MIN_LETTERS = 4
VOCABULARY_SAMPLE = 4000  # releases read to learn the vocabulary
WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
# two words with nothing but a space between them (no punctuation): a phrase a reader could quote
ADJACENT = re.compile(r"(?=(?<![\w-])([^\W\d_]{3,}) ([^\W\d_]{3,})(?![\w-]))")


def _stop_words() -> frozenset[str]:
    from search.engine.analysis import STOP_WORDS

    return STOP_WORDS


def release_texts(corpus: Path, limit: int, rng: random.Random) -> list[str]:
    """The texts of up to `limit` releases of the generated archive, drawn with `rng`."""
    files = sorted(corpus.rglob("*.txt"))
    chosen = rng.sample(files, min(limit, len(files)))
    return [path.read_text(encoding="utf-8") for path in chosen]


def _content_words(text: str, stop: frozenset[str]) -> list[str]:
    from search.german.normalize import fold

    return [w for w in WORD.findall(text) if len(w) >= MIN_LETTERS and "-" not in w and fold(w.lower()) not in stop]


def build(corpus: Path, facets: dict[str, list[str]], seed: int = 12) -> dict[str, list[dict]]:
    """class -> requests, plus `COLD_CLASS` -> the one request asked first. `facets` holds the archive's most
    frequent values per facet (actor, year, topic, organisation) for the filters."""
    rng = random.Random(seed)
    stop = _stop_words()
    texts = release_texts(corpus, VOCABULARY_SAMPLE, rng)
    words_of = [_content_words(text, stop) for text in texts]
    df: Counter = Counter()
    spelling: dict[str, Counter] = {}
    for words in words_of:
        for word in set(words):
            df[word.lower()] += 1
        for word in words:
            spelling.setdefault(word.lower(), Counter())[word] += 1
    n = len(texts)
    usual = lambda key: spelling[key].most_common(1)[0][0]  # noqa: E731  the way the archive writes it
    high = sorted(k for k, c in df.items() if c >= HIGH_DF * n)
    mid = sorted(k for k, c in df.items() if MID_DF * n <= c < HIGH_DF * n)
    rng.shuffle(high)
    rng.shuffle(mid)
    used: set[str] = set()

    def draw(pool: list[str]) -> str:
        while pool:
            key = pool.pop()
            if key not in used:
                used.add(key)
                return usual(key)
        raise ValueError("the archive's vocabulary is too small for the workload; generate more releases")

    cold = [{"q": draw(mid)}]
    term = [{"q": draw(high if i % 2 else mid)} for i in range(COUNTS["term"])]
    seen: set[str] = {r["q"] for r in cold + term}

    def fresh(requests: list[dict], make, count: int) -> list[dict]:
        for _ in range(count * 200):
            if len(requests) >= count:
                break
            request = make()
            if request and request["q"] not in seen:
                seen.add(request["q"])
                requests.append(request)
        return requests

    def pair() -> dict | None:
        words = rng.choice(words_of)
        distinct = list(dict.fromkeys(w for w in words if df[w.lower()] >= 2))
        if len(distinct) < 2:
            return None
        a, b = rng.sample(distinct, 2)
        return {"q": f"{a} {b}"} if a.lower() != b.lower() else None

    def phrase() -> dict | None:
        text = rng.choice(texts)
        pairs = [(a, b) for a, b in ADJACENT.findall(text) if not {_fold(a), _fold(b)} & stop]
        if not pairs:
            return None
        a, b = rng.choice(pairs)
        return {"q": f'"{a} {b}"'}

    ands = fresh([], pair, COUNTS["and"])
    phrases = fresh([], phrase, COUNTS["phrase"])
    filtered = []
    filter_kinds = ("actor", "year", "topic", "organisation", "actor+year")
    for i in range(COUNTS["filtered"]):
        kind = filter_kinds[i % len(filter_kinds)]
        request = {"q": draw(high if i % 2 else mid)}
        for facet in kind.split("+"):
            values = facets.get(facet) or []
            if values:
                request[facet] = [rng.choice(values[:10])]
        filtered.append(request)
    deep = [{"q": draw(high), "page": str(rng.randint(10, 50))} for _ in range(COUNTS["deep page"])]
    browse = []
    for i in range(COUNTS["browse"]):
        facet = ("actor", "year", "topic", "organisation", "actor")[i]
        values = facets.get(facet) or []
        request = {facet: [values[(i * 3) % len(values)]]} if values else {}
        request["page"] = str(i + 1)
        browse.append(request)
    return {COLD_CLASS: cold, "term": term, "and": ands, "phrase": phrases, "filtered": filtered, "deep page": deep, "browse": browse}


def _fold(word: str) -> str:
    from search.german.normalize import fold

    return fold(word.lower())


def distinct(workload: dict[str, list[dict]]) -> bool:
    """True when no request occurs twice in the workload (the property the bench relies on)."""
    keys = [repr(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in r.items())) for rs in workload.values() for r in rs]
    return len(keys) == len(set(keys))
