"""Actor pages at archive scale: every request a new person, caches cold (issue 15: p95 <= 100 ms at 100,000).

    python -m bench.actors --index /tmp/bench-main/index-100000 [--requests 200] [--seed 15]
    python -m bench.actors --engine opensearch --url http://127.0.0.1:9200 --alias NAME

Samples `--requests` distinct names of the index's actor facet with a seed, half of them uniformly (most people
are named in few releases) and half weighted by how many releases name them (the heavy pages: a minister named in
thousands), and asks each once, in random order, through one of two paths, alternating:
- page: the whole HTML page `/akteur/<name>` through Flask's test client (profile, links, timeline, template);
- library: `search.actor_profile.profile(engine, name)` alone, what `/api/akteur` and `depesche actor` add JSON to.
The names are sampled with an engine of their own; the engine timed is opened fresh with its answer cache off,
and its snapshot opened before the clock starts (its cost, and the first request's, are printed apart: a server
pays them once per index state, not per page). The operating system's page cache is not dropped (a shared
machine): the index files are as warm as a running server's. No name is
asked twice, so no cache of a term, a mask or an answer helps a later request.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from urllib.parse import quote

TARGET_P95_MS = 100.0


def sample_names(engine, count: int, seed: int) -> list[tuple[str, int]]:
    """(name, releases) of `count` distinct people: half uniform, half weighted by releases, shuffled."""
    from search import SearchParams

    # every version counted: a group counted once asks OpenSearch for more buckets than it allows at 100,000
    found = engine.search(SearchParams(facet_limit=0, per_page=1, every_version=True)).facets["actor"]
    names = [(fv.value, fv.count) for fv in found if fv.count]
    rng = random.Random(seed)
    uniform = rng.sample(names, min(count // 2, len(names)))
    taken = {name for name, _ in uniform}
    rest = [item for item in names if item[0] not in taken]
    weighted: list[tuple[str, int]] = []
    while rest and len(uniform) + len(weighted) < count:  # weighted, without replacement
        pick = rng.choices(range(len(rest)), weights=[releases for _, releases in rest])[0]
        weighted.append(rest.pop(pick))
    chosen = uniform + weighted
    rng.shuffle(chosen)
    return chosen


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))]


def row(label: str, times: list[float]) -> str:
    if not times:
        return f"| {label} | 0 | – | – | – | – |"
    p95 = percentile(times, 0.95)
    verdict = "met" if p95 <= TARGET_P95_MS else "not met"
    return (f"| {label} | {len(times)} | {statistics.median(times):.1f} | {p95:.1f} | {max(times):.1f} | {verdict} |")


def open_engine(args):
    if args.engine == "opensearch":
        from search.opensearch import OpenSearchEngine

        return OpenSearchEngine(args.url, args.alias)
    from search.engine import WhooshEngine

    return WhooshEngine(args.index, cache=False)


def run(args) -> None:
    from search.actor_profile import profile
    from web import create_app

    names = sample_names(open_engine(args), args.requests + 1, args.seed)  # an engine of its own: its caches stay
    started = time.perf_counter()
    engine = open_engine(args)
    if args.engine == "whoosh":
        engine.snapshot()
    opened = (time.perf_counter() - started) * 1000
    app = create_app({"DEPESCHE_INDEX": str(args.index), "DEPESCHE_ENGINE": args.engine, "TESTING": True,
                      "DEPESCHE_OPENSEARCH_URL": args.url})
    app.extensions["depesche"] = engine  # the same fresh engine, answer cache off
    client = app.test_client()
    first_name, _ = names.pop(0)
    clock = time.perf_counter()
    profile(engine, first_name)
    first = (time.perf_counter() - clock) * 1000
    timed: dict[str, list[tuple[float, int]]] = {"page": [], "library": []}
    failures: list[tuple[str, int, str]] = []
    for number, (name, releases) in enumerate(names):
        path = "page" if number % 2 == 0 else "library"
        clock = time.perf_counter()
        failed = asked_page(client, name) if path == "page" else asked_library(engine, name)
        if failed:  # counted and reported, not timed: a run should show them
            failures.append((name, releases, failed))
            continue
        timed[path].append(((time.perf_counter() - clock) * 1000, releases))
    report(args, opened, first, timed)
    print(f"failed: {len(failures)} {failures[:5]}")


def asked_page(client, name: str) -> str:
    """The page's failure ("HTTP 503"), "" when it is shown."""
    response = client.get("/akteur/" + quote(name))
    return "" if response.status_code == 200 else f"page: HTTP {response.status_code}"


def asked_library(engine, name: str) -> str:
    from search.actor_profile import profile
    from search.errors import DepescheError

    try:
        profile(engine, name)
    except DepescheError as error:  # what the CLI would print
        return f"library: {str(error)[:80]}"
    return ""


def report(args, opened: float, first: float, timed: dict) -> None:
    print(f"engine {args.engine}, {args.requests} people (seed {args.seed}); snapshot opened in {opened:.0f} ms, "
          f"first profile (sorts the newest-first order once per snapshot) {first:.0f} ms")
    print("| path | requests | p50 ms | p95 ms | max ms | p95 <= 100 ms |")
    print("|---|---|---|---|---|---|")
    for path, items in timed.items():
        print(row(path, [t for t, _ in items]))
        for low, high in ((1, 9), (10, 999), (1000, 10**9)):
            print(row(f"{path}, people in {low}–{high if high < 10**9 else '…'} releases",
                      [t for t, releases in items if low <= releases <= high]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", default="/tmp/bench-main/index-100000")
    parser.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh")
    parser.add_argument("--url", default=None)
    parser.add_argument("--alias", default=None)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seed", type=int, default=15)
    run(parser.parse_args())


if __name__ == "__main__":
    main()
