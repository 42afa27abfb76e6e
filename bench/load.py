"""Load test: the web app under gunicorn over a 50,000-release index, hammered by concurrent clients.

Vocabulary:
- build: a synthetic archive (``bench.generate``, recombined from ../shared/corpus at run time, never committed)
  and its index, both under ``--out`` (default ``bench/out/load``, git-ignored). Minutes on two cores: do it once.
- run: gunicorn (``--workers`` processes x ``--threads`` threads, gthread worker) on 127.0.0.1 over that index,
  and ``--clients`` client threads (http.client, keep-alive) sending a mix of requests for ``--seconds``:
  searches of the page (full and htmx fragment), the JSON API with filters and sorts, later pages, release pages,
  the Atom feed. Every answer must be a 200; the run fails (exit 1) on any error.
- report: latency p50/p95/p99, throughput, errors, and the server's RSS (master + workers) sampled every second,
  as Markdown (``--report``, e.g. bench/LOAD.md) and JSON.

Example:
    python -m bench.load build --docs 50000
    python -m bench.load run --clients 32 --seconds 60 --report bench/LOAD.md
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import tomllib
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "bench" / "out" / "load"
HOST = "127.0.0.1"  # never anything else: the load stays on this machine


# -- build -------------------------------------------------------------------------------------------------


def build(docs: int, out: Path, seed: int) -> dict:
    from bench.generate import generate
    from search.indexer import index_sources

    corpus, index = out / f"corpus-{docs}", out / f"index-{docs}"
    generated = generate(docs, corpus, seed)
    started = time.monotonic()
    report = index_sources([corpus], index)
    facts = {
        "docs": docs,
        "generate_seconds": round(generated, 1),
        "index_seconds": round(time.monotonic() - started, 1),
        "indexed": report.indexed,
        "skipped": len(report.skipped),
        "index": str(index),
    }
    (out / f"build-{docs}.json").write_text(json.dumps(facts, indent=2))
    return facts


# -- the request mix ---------------------------------------------------------------------------------------


def request_mix(seed: int, size: int, doc_ids: list[str]) -> list[tuple[str, str, dict]]:
    """`size` (kind, path, headers) requests: mostly searches, some pages, filters, documents and feeds."""
    rng = random.Random(seed)
    gazetteer = tomllib.loads((REPO / "search" / "data" / "gazetteer.toml").read_text(encoding="utf-8"))
    people = [p["name"] for p in gazetteer["person"]]
    surnames = [name.split()[-1] for name in people]
    taxonomy = tomllib.loads((REPO / "search" / "data" / "topics.toml").read_text(encoding="utf-8"))
    words = [t.strip("*") for topic in taxonomy["topic"] for t in topic["terms"] if t.strip("*") and " " not in t]
    words += ["Außenminister", "Zusammenarbeit", "Gespräche", "Regierung", "Wirtschaft", "Sicherheit", "Baku", "Brüssel"]
    years = [str(y) for y in range(2005, 2026)]

    def query() -> str:
        shape = rng.random()
        if shape < 0.35:
            return rng.choice(surnames)
        if shape < 0.6:
            return f"{rng.choice(words)} {rng.choice(words)}"
        if shape < 0.7:
            return f'"{rng.choice(people)}"'
        if shape < 0.8:
            return f"{rng.choice(surnames)} {rng.choice(words)}"
        if shape < 0.85:
            return f"{rng.choice(words)} OR {rng.choice(words)}"
        return rng.choice(words)

    mix = []
    for _ in range(size):
        kind = rng.choices(
            ["page", "fragment", "api", "api_filter", "api_sorted", "later_page", "document", "feed", "browse"],
            [20, 20, 15, 12, 8, 8, 10, 4, 3],
        )[0]
        headers: dict = {}
        if kind == "page":
            path = "/?" + urlencode({"q": query()})
        elif kind == "fragment":
            path, headers = "/?" + urlencode({"q": query()}), {"HX-Request": "true"}
        elif kind == "api":
            path = "/api/search?" + urlencode({"q": query()})
        elif kind == "api_filter":
            pairs = [("q", query()), ("year", rng.choice(years))]
            if rng.random() < 0.5:
                pairs.append(("actor", rng.choice(people)))
            path = "/api/search?" + urlencode(pairs)
        elif kind == "api_sorted":
            path = "/api/search?" + urlencode({"q": query(), "sort": rng.choice(["newest", "oldest"])})
        elif kind == "later_page":
            path = "/?" + urlencode({"q": rng.choice(words), "page": rng.randint(2, 6)})
        elif kind == "document":
            path = "/doc/" + rng.choice(doc_ids) + "?" + urlencode({"q": rng.choice(surnames)})
        elif kind == "feed":
            path = "/feed.atom?" + urlencode({"q": rng.choice(surnames)})
        else:
            path = "/?" + urlencode({"year": rng.choice(years)})
        mix.append((kind, path, headers))
    return mix


def sample_doc_ids(index: Path, count: int, seed: int) -> list[str]:
    from search import open_engine

    snap = open_engine(index).snapshot()
    rng = random.Random(seed)
    docnums = rng.sample(range(snap.doc_count), min(count, snap.doc_count))
    ids = [snap.searcher.stored_fields(n)["id"] for n in docnums]
    snap.close()
    from urllib.parse import quote

    return [quote(i) for i in ids]


# -- the server and its memory -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_serve(index: Path, port: int, workers: int | None, threads: int | None, log: Path) -> subprocess.Popen:
    """`depesche serve`, as a user starts it: its own server, workers and threads unless given."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", "from web.cli import main; main()", "serve", "--index", str(index), "--port", str(port)]
    command += [*(["--workers", str(workers)] if workers else []), *(["--threads", str(threads)] if threads else [])]
    handle = open(log, "w")
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def start_gunicorn(index: Path, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    env = {**os.environ, "DEPESCHE_INDEX": str(index), "PYTHONPATH": str(REPO)}
    command = [
        sys.executable, "-m", "gunicorn",
        "--bind", f"{HOST}:{port}",
        "--workers", str(workers),
        "--worker-class", "gthread",
        "--threads", str(threads),
        "--timeout", "60",
        "--keep-alive", "5",
        "--backlog", "256",
        "web:create_app()",
    ]
    handle = open(log, "w")
    return subprocess.Popen(command, env=env, cwd=REPO, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True)


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(p) for p in task.read_text().split()]
        except OSError:
            pass
    return found


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def wait_ready(port: int, path: str, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            conn.close()
            if response.status == 200:
                return time.monotonic() - started
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s")


# -- the clients -------------------------------------------------------------------------------------------


class Client(threading.Thread):
    def __init__(self, port: int, mix: list, seed: int, stop_at: float):
        super().__init__(daemon=True)
        self.port, self.mix, self.rng, self.stop_at = port, mix, random.Random(seed), stop_at
        self.latencies: list[tuple[str, float]] = []
        self.slowest: list[tuple[float, str]] = []  # the few slowest (seconds, path), for the report
        self.errors: list[str] = []

    def run(self):
        conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        while time.monotonic() < self.stop_at:
            kind, path, headers = self.rng.choice(self.mix)
            started = time.perf_counter()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - started
                if response.status != 200 or not body:
                    self.errors.append(f"{response.status} {path}")
                else:
                    self.latencies.append((kind, elapsed))
                    if len(self.slowest) < 3 or elapsed > self.slowest[0][0]:
                        self.slowest = sorted([*self.slowest, (elapsed, path)])[-3:]
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
            except (OSError, http.client.HTTPException) as error:
                self.errors.append(f"{type(error).__name__}: {error} {path}")
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=30)
        conn.close()


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def run(index: Path, clients: int, seconds: float, workers: int, threads: int, seed: int, out: Path, serve: bool = False) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    doc_ids = sample_doc_ids(index, 500, seed)
    mix = request_mix(seed, 4000, doc_ids)
    port = free_port()
    start = start_serve if serve else start_gunicorn
    server = start(index, port, workers, threads, out / "gunicorn.log")
    try:
        startup = wait_ready(port, "/api/search?q=Minister", 120)
        # warm every worker (each opens its own snapshot): a few requests per worker and thread
        warm = [Client(port, mix, seed + 1000 + i, time.monotonic() + 5) for i in range((workers or os.cpu_count() or 1) * (threads or 4))]
        for c in warm:
            c.start()
        for c in warm:
            c.join()
        warm_errors = sum(len(c.errors) for c in warm)

        memory: list[tuple[float, float, list[float]]] = []
        stop_at = time.monotonic() + seconds
        threads_ = [Client(port, mix, seed + i, stop_at) for i in range(clients)]
        started = time.monotonic()
        for c in threads_:
            c.start()
        while time.monotonic() < stop_at:
            pids = children(server.pid)
            memory.append((time.monotonic() - started, rss_mb(server.pid), [rss_mb(p) for p in pids]))
            time.sleep(1.0)
        for c in threads_:
            c.join(timeout=60)
        elapsed = time.monotonic() - started
        pids = children(server.pid)
        memory.append((elapsed, rss_mb(server.pid), [rss_mb(p) for p in pids]))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)

    latencies = [lat for c in threads_ for _, lat in c.latencies]
    errors = [e for c in threads_ for e in c.errors]
    by_kind: dict[str, list[float]] = {}
    for c in threads_:
        for kind, lat in c.latencies:
            by_kind.setdefault(kind, []).append(lat)
    totals = [master + sum(workers_) for _, master, workers_ in memory]
    worker_rss = [sum(w) / len(w) for _, _, w in memory if w]
    third = max(1, len(worker_rss) // 3)
    facts = {
        "docs": _doc_count(index),
        "index": str(index),
        "server": (f"`depesche serve` (gunicorn {_version('gunicorn')}, gthread), {workers or 'default'} workers x "
                   f"{threads or 'default'} threads" if serve else f"gunicorn {_version('gunicorn')}, {workers} workers x {threads} threads (gthread)"),
        "clients": clients,
        "requested_seconds": seconds,
        "seconds": round(elapsed, 1),
        "startup_seconds": round(startup, 1),
        "warmup_errors": warm_errors,
        "requests": len(latencies) + len(errors),
        "errors": len(errors),
        "error_examples": errors[:10],
        "throughput_rps": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 99) * 1000, 1),
        "max_ms": round(max(latencies, default=0) * 1000, 1),
        "slowest": [(round(t * 1000, 1), path) for t, path in sorted((s for c in threads_ for s in c.slowest), reverse=True)[:5]],
        "by_kind": {
            kind: {"n": len(v), "p50_ms": round(percentile(v, 50) * 1000, 1), "p95_ms": round(percentile(v, 95) * 1000, 1)}
            for kind, v in sorted(by_kind.items())
        },
        "rss_total_mb": {
            "first": round(totals[0], 1) if totals else 0,
            "max": round(max(totals, default=0), 1),
            "last": round(totals[-1], 1) if totals else 0,
        },
        "rss_worker_mean_mb": {
            "first_third": round(sum(worker_rss[:third]) / third, 1) if worker_rss else 0,
            "last_third": round(sum(worker_rss[-third:]) / third, 1) if worker_rss else 0,
        },
        "rss_samples": [(round(t, 1), round(m, 1), [round(w, 1) for w in ws]) for t, m, ws in memory],
        "cpu": os.cpu_count(),
        "python": sys.version.split()[0],
    }
    (out / "load.json").write_text(json.dumps(facts, indent=2, ensure_ascii=False))
    return facts


def _doc_count(index: Path) -> int:
    from search import open_engine

    return open_engine(index).stats()["documents"]


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def markdown(facts: dict) -> str:
    rss, worker = facts["rss_total_mb"], facts["rss_worker_mean_mb"]
    lines = [
        "# Load test",
        "",
        f"`python -m bench.load run --clients {facts['clients']} --seconds {facts.get('requested_seconds', facts['seconds']):g}"
        f"{' --serve' if facts['server'].startswith('`depesche serve`') else ''}` on 127.0.0.1, "
        f"{facts['cpu']} cores shared by server and clients, Python {facts['python']}.",
        "",
        f"- index: {facts['docs']:,} releases (`{facts.get('index', '')}`)",
        f"- server: {facts['server']}; ready {facts['startup_seconds']} s after start",
        f"- clients: {facts['clients']} threads, keep-alive, mixed requests for {facts['seconds']} s",
        "",
        "| requests | errors | throughput | p50 | p95 | p99 | max |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {facts['requests']:,} | {facts['errors']} | {facts['throughput_rps']} req/s | {facts['p50_ms']} ms | "
        f"{facts['p95_ms']} ms | {facts['p99_ms']} ms | {facts['max_ms']} ms |",
        "",
        "By kind of request:",
        "",
        "| kind | n | p50 | p95 |",
        "| --- | ---: | ---: | ---: |",
        *[f"| {kind} | {v['n']:,} | {v['p50_ms']} ms | {v['p95_ms']} ms |" for kind, v in facts["by_kind"].items()],
        "",
        f"Memory (RSS, master + workers, sampled every second): {rss['first']} MB at the start, "
        f"{rss['max']} MB at most, {rss['last']} MB at the end; mean per worker {worker['first_third']} MB in the "
        f"first third of the run, {worker['last_third']} MB in the last.",
    ]
    if facts["error_examples"]:
        lines += ["", "Errors:", "", *[f"- `{e}`" for e in facts["error_examples"]]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="generate the archive and index it")
    b.add_argument("--docs", type=int, default=50_000)
    b.add_argument("--out", type=Path, default=DEFAULT_OUT)
    b.add_argument("--seed", type=int, default=7)
    r = sub.add_parser("run", help="serve the index with gunicorn and load it")
    r.add_argument("--docs", type=int, default=50_000)
    r.add_argument("--out", type=Path, default=DEFAULT_OUT)
    r.add_argument("--index", type=Path, help="default: OUT/index-DOCS")
    r.add_argument("--clients", type=int, default=32)
    r.add_argument("--seconds", type=float, default=60)
    r.add_argument("--workers", type=int, help="default: 2 (with --serve: depesche serve's own, one per core)")
    r.add_argument("--threads", type=int, help="default: 4 (with --serve: depesche serve's own)")
    r.add_argument("--serve", action="store_true", help="start the server as `depesche serve` does, not gunicorn directly")
    r.add_argument("--seed", type=int, default=7)
    r.add_argument("--report", type=Path, help="write the Markdown report here (e.g. bench/LOAD.md)")
    args = parser.parse_args(argv)
    if args.command == "build":
        print(json.dumps(build(args.docs, args.out, args.seed), indent=2))
        return
    workers, threads = (args.workers, args.threads) if args.serve else (args.workers or 2, args.threads or 4)
    facts = run(args.index or args.out / f"index-{args.docs}", args.clients, args.seconds, workers, threads, args.seed, args.out, args.serve)
    text = markdown(facts)
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    if facts["errors"] or facts["warmup_errors"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
