"""A searcher's memory after the issue-12 workload, in a fresh process, class by class.

    python -m bench.memory --work /tmp/bench-main --docs 100000

Reads the corpus and the index `bench.run` left under `--work` (corpus-N, index-N), builds the same seeded
workload in a first process, then asks every request once in a second, fresh one (answer cache off) and prints,
after each class, its resident memory and the part of it that is the process's own (anonymous) memory; the rest
is pages of memory-mapped index files, shared with the page cache and given back under memory pressure.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def memory_mb() -> tuple[int, int]:
    """(resident, own) of this process in MB, from /proc/self/smaps_rollup."""
    found = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("Rss", "Anonymous"):
            found[name] = int(value.split()[0]) // 1024
    return found["Rss"], found["Anonymous"]


def ask(root: Path, requests: Path) -> None:
    from bench.run import params_of
    from search.engine import WhooshEngine

    engine = WhooshEngine(root, cache=False)
    engine.snapshot()
    print(f"{'after':12} {'resident MB':>12} {'own MB':>8}")
    print(f"{'snapshot':12} {memory_mb()[0]:12} {memory_mb()[1]:8}")
    for name, batch in json.loads(requests.read_text()).items():
        for args in batch:
            engine.search(params_of(args))
        resident, own = memory_mb()
        print(f"{name:12} {resident:12} {own:8}", flush=True)


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--work", type=Path, default=Path("/tmp/depesche-bench"))
    options.add_argument("--docs", type=int, default=100_000)
    options.add_argument("--seed", type=int, default=12)
    options.add_argument("--ask", type=Path, help=argparse.SUPPRESS)
    args = options.parse_args()
    sys.path.insert(0, str(REPO))
    root = args.work / f"index-{args.docs}"
    if args.ask:
        ask(root, args.ask)
        return
    from bench import workload
    from bench.run import top_facet_values

    with tempfile.TemporaryDirectory() as tmp:
        requests = Path(tmp) / "workload.json"
        built = workload.build(args.work / f"corpus-{args.docs}", top_facet_values(root), args.seed)
        requests.write_text(json.dumps(built), encoding="utf-8")
        command = [sys.executable, "-m", "bench.memory", "--work", str(args.work), "--docs", str(args.docs), "--ask", str(requests)]
        subprocess.run(command, cwd=REPO, check=True)


if __name__ == "__main__":
    main()
