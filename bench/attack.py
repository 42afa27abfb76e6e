"""The attack harness of issue 18, kept: a hostile client against the default server (`depesche serve`).

Vocabulary:
- fuzz: `--requests` requests (default 10,000) from `--clients` keep-alive clients over every route (`/`,
  `/api/search`, `/feed.atom`, `/export.csv`, `/doc/<id>`) with any keys and values: random Unicode of every
  plane, control characters, digits that are not 0-9, query syntax, raw bytes that are not UTF-8, a hostile
  Host header. Counted: answers by status class (a 5xx must never happen), Atom feeds a strict XML parser
  rejects, HTML pages carrying a character XML forbids, pages naming the hostile host.
- queries: the most expensive queries found (`EXPENSIVE`: ranges, wildcards, nesting, thousands of words, unknown
  words ...) through `/api/search`, each timed; the worst must stay within the search budget.
- flood: `--flood-clients` clients (default 32) sending a wrong password for `--flood-seconds` to a server with
  basic auth, the server's resident memory (master and workers) sampled before, during and after.
- flood-inprocess: the same flood inside one process, each client from its own address, so the per-client
  back-off never applies and only the bound on concurrent password checks holds memory down.

`--code DIR` serves another checkout (e.g. an older commit, `git archive REV | tar -x -C DIR`) to compare.

Example:
    python -m search index ../shared/corpus/wikinews-de/txt ../shared/seeds --index /tmp/wikinews-index
    python -m bench.attack all --index /tmp/wikinews-index --json bench/out/attack.json
"""

from __future__ import annotations

import argparse
import base64
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
from pathlib import Path
from urllib.parse import quote
from xml.etree import ElementTree as ET

REPO = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # never anything else: the attack stays on this machine
ROUTES = ("/", "/api/search", "/feed.atom", "/export.csv", "/namen", "/saved", "/unsubscribe")
PATH_ROUTES = ("/doc/", "/aehnlich/", "/fassungen/")  # followed by a release's id
NAME_ROUTES = ("/akteur/", "/api/akteur/")  # followed by a person's name
FACETS = ("actor", "role", "speaker", "topic", "year", "country", "organisation")
KEYS = ("q", *FACETS, "page", "per_page", "facet_limit", "sort", "from", "to", "more", *(f"{f}_q" for f in FACETS))
SYNTAX = ('"', "(", ")", "[", "]", "{", "}", "AND", "OR", "NOT", "*", "?", "~2", "^3", ":", "title:", "year:[2000 TO",
          "TO", "[a TO z]", "year:[* TO *]", "\\", "'", "<script>", "&lt;", "../", "\u202e", "\ufeff", "ß", "İ")
ODD_DIGITS = ("²", "③", "١", "٣", "௫", "𝟚", "２", "Ⅻ", "½", "߁", "໒")
CONTROLS = "".join(map(chr, range(0x20))) + "\x7f\ufffe\uffff"
XML_FORBIDDEN = set(CONTROLS) - set("\t\n\r") - {"\x7f"}
HOSTILE_HOST = "evil.example"
USER, WRONG = "presse", "falsch"
WORDS = "Regierung Minister Präsident Berlin Außenminister Krieg Wahl Bundeskanzler Europa Sicherheitsrat Polizei NATO".split()
EXPENSIVE = {  # the most expensive queries found; tests/test_query_cost.py asks them too
    "45 ranges on text": " ".join("[a TO z]" for _ in range(45)),
    "ranges on fields": " ".join(f"{f}:[a TO zzzz]" for f in ("title", "body", "lead", "actor", "id") * 9),
    "year ranges": " ".join("year:[* TO *]" for _ in range(30)),
    "wildcards": " ".join(f"{c}* *{c}* {c}?" for c in "abcdefghijklmnopqrstuvwxyz"),
    "deep nesting": "(" * 240 + "Regierung" + ")" * 240,
    "nested groups": "(Regierung OR (Minister AND (Berlin OR (Krieg AND (Wahl OR (Europa)))))) " * 8,
    "thousands of words": " ".join(WORDS * 300),
    "OR chain": " OR ".join(WORDS * 4),
    "unknown words": " ".join(f"xq{chr(97 + i % 26)}vzrtkw{chr(97 + i // 26)}" for i in range(60)),
    "long compounds": " ".join("-".join(f"zq{c}{d}" for d in "abcdefghijkl") for c in "abcdefgh"),
    "phrases": " ".join(f'"{a} {b} {a} {b}"' for a, b in zip(WORDS, WORDS[1:])),
}


# -- the server --------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(index: Path, code: Path, port: int, env: dict, log: Path) -> subprocess.Popen:
    """`depesche serve` of the checkout `code` (what a user starts), in its own process group."""
    command = [sys.executable, "-c", "from web.cli import main; main()", "serve", "--index", str(index), "--port", str(port)]
    environment = {**os.environ, "PYTHONPATH": str(code), **env}
    return subprocess.Popen(command, cwd=code, env=environment, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop_server(server: subprocess.Popen) -> None:
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def wait_ready(port: int, timeout: float = 120.0, headers: dict | None = None) -> None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            status, _, _ = fetch(http.client.HTTPConnection(HOST, port, timeout=30), "/api/search?q=Minister", headers)
            if status in (200, 401):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer within {timeout:.0f} s")


def fetch(conn: http.client.HTTPConnection, path: str, headers: dict | None = None) -> tuple[int, str, bytes]:
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    return response.status, response.getheader("Content-Type") or "", response.read()


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (gunicorn's master and workers), in MB."""
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
            for task in Path(f"/proc/{current}/task").glob("*/children"):
                todo += [int(p) for p in task.read_text().split()]
        except OSError:
            continue
    return total


# -- fuzz --------------------------------------------------------------------------------------------------


def any_text(rng: random.Random) -> str:
    """A short string of anything: every plane, controls, digits that are not 0-9, syntax."""
    pick = rng.random()
    if pick < 0.2:
        return rng.choice(SYNTAX)
    if pick < 0.3:
        return "".join(rng.choice(ODD_DIGITS) for _ in range(rng.randint(1, 4)))
    if pick < 0.4:
        return "".join(rng.choice(CONTROLS) for _ in range(rng.randint(1, 4))) + rng.choice(WORDS)
    if pick < 0.5:
        return rng.choice(WORDS) + " " + rng.choice(WORDS)
    planes = (0x7F, 0x2FF, 0xFFFF, 0x10FFFF)
    chars = (chr(rng.randint(1, rng.choice(planes))) for _ in range(rng.randint(0, 12)))
    return "".join(c for c in chars if not 0xD800 <= ord(c) <= 0xDFFF)


def encoded(rng: random.Random, text: str) -> str:
    if rng.random() < 0.1:  # raw bytes, often not UTF-8
        return quote(bytes(rng.randint(0, 255) for _ in range(rng.randint(1, 8))), safe="")
    return quote(text, safe="")


def fuzz_path(rng: random.Random, doc_ids: list[str], names: list[str]) -> str:
    route = rng.choice(ROUTES + PATH_ROUTES + NAME_ROUTES)
    known = doc_ids if route in PATH_ROUTES else names if route in NAME_ROUTES else None
    if known is not None:  # half a real id or name, half anything
        route += quote(rng.choice(known) if known and rng.random() < 0.5 else any_text(rng) or "x", safe="/")
    pairs = []
    for _ in range(rng.randint(0, 6)):
        key = rng.choice(KEYS) if rng.random() < 0.85 else any_text(rng)
        pairs.append(f"{encoded(rng, key)}={encoded(rng, any_text(rng))}")
    return route + ("?" + "&".join(pairs) if pairs else "")


def judge(status: int, kind: str, body: bytes) -> list[str]:
    """What is wrong with one answer, beyond its status."""
    wrong = []
    if status == 200 and "atom" in kind:
        try:
            ET.fromstring(body)
        except ET.ParseError:
            wrong.append("bad_xml")
    if "html" in kind and any(c in XML_FORBIDDEN for c in body.decode("utf-8", "replace")):
        wrong.append("raw_controls")
    if HOSTILE_HOST.encode() in body:
        wrong.append("hostile_host")
    return wrong


def fuzz_client(port: int, paths: list[str], counts: dict, examples: list, lock: threading.Lock) -> None:
    conn = http.client.HTTPConnection(HOST, port, timeout=120)
    for number, path in enumerate(paths):
        headers = {"Host": HOSTILE_HOST} if number % 7 == 0 else {}
        try:
            status, kind, body = fetch(conn, path, headers)
            found = [f"{status // 100}xx", *judge(status, kind, body)]
        except (OSError, http.client.HTTPException) as error:
            found = [f"error {type(error).__name__}"]
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=120)
        with lock:
            for name in found:
                counts[name] = counts.get(name, 0) + 1
            if any(name not in ("2xx", "3xx", "4xx") for name in found) and len(examples) < 20:
                examples.append((found, path[:300]))
    conn.close()


def fuzz(port: int, requests: int, clients: int, known: tuple[list[str], list[str]], seed: int) -> dict:
    rng = random.Random(seed)
    paths = [fuzz_path(rng, *known) for _ in range(requests)]
    counts: dict[str, int] = {}
    examples: list = []
    lock = threading.Lock()
    started = time.monotonic()
    threads = [threading.Thread(target=fuzz_client, args=(port, paths[i::clients], counts, examples, lock)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return {"requests": requests, "clients": clients, "seconds": round(time.monotonic() - started, 1),
            "counts": dict(sorted(counts.items())), "examples": examples}


# -- expensive queries -------------------------------------------------------------------------------------


def expensive(port: int) -> dict:
    conn = http.client.HTTPConnection(HOST, port, timeout=600)
    timings = {}
    for name, query in EXPENSIVE.items():
        started = time.monotonic()
        status, _, body = fetch(conn, "/api/search?q=" + quote(query, safe=""))
        answer = json.loads(body) if status == 200 else {}
        timings[name] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1),
                         "total": answer.get("total"), "note": (answer.get("note") or "")[:120]}
    conn.close()
    worst = max(timings, key=lambda name: timings[name]["ms"])
    return {"queries": timings, "worst": worst, "worst_ms": timings[worst]["ms"]}


# -- wrong-password floods ---------------------------------------------------------------------------------


def flood_http(pid: int, port: int, clients: int, seconds: float) -> dict:
    """`clients` keep-alive clients sending a wrong password for `seconds`; the server's RSS sampled."""
    headers = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{WRONG}".encode()).decode()}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def client():
        conn = http.client.HTTPConnection(HOST, port, timeout=120)
        while time.monotonic() < stop_at:
            try:
                status, _, _ = fetch(conn, "/api/search?q=NATO", headers)
            except (OSError, http.client.HTTPException):
                status = 0
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=120)
            with lock:
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    return _flooded(lambda: tree_rss_mb(pid), client, clients, seconds, statuses)


def _flooded(rss, client, clients: int, seconds: float, statuses: dict) -> dict:
    before = rss()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    samples = []
    while any(thread.is_alive() for thread in threads):
        samples.append(rss())
        time.sleep(0.2)
    for thread in threads:
        thread.join()
    time.sleep(1.0)
    return {"clients": clients, "seconds": seconds, "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "rss_before_mb": round(before, 1), "rss_max_mb": round(max(samples, default=before), 1),
            "rss_after_mb": round(rss(), 1)}


def flood_inprocess(index: Path, clients: int, seconds: float) -> dict:
    """The flood inside this process (the code on sys.path), each client from its own address."""
    from werkzeug.security import generate_password_hash

    from web import create_app

    app = create_app({"DEPESCHE_INDEX": str(index), "DEPESCHE_AUTH_USER": USER,
                      "DEPESCHE_AUTH_PASSWORD_HASH": generate_password_hash("richtig-und-lang")})
    headers = {"Authorization": "Basic " + base64.b64encode(f"{USER}:{WRONG}".encode()).decode()}
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    addresses = iter(range(10**9))

    def client():
        test_client = app.test_client()
        while time.monotonic() < stop_at:
            with lock:
                test_client.environ_base["REMOTE_ADDR"] = f"10.{next(addresses) % 250}.{next(addresses) % 250}.1"
            status = test_client.get("/api/search?q=NATO", headers=headers).status_code
            with lock:
                statuses[status] = statuses.get(status, 0) + 1

    return _flooded(lambda: tree_rss_mb(os.getpid()), client, clients, seconds, statuses)


# -- runs ----------------------------------------------------------------------------------------------------


def known_of(index: Path, code: Path) -> tuple[list[str], list[str]]:
    """Release ids and actor names of the index, for the routes that take them."""
    sys.path.insert(0, str(code))
    from search import SearchParams, open_engine

    engine = open_engine(index)
    pages = [engine.search(SearchParams(per_page=100, page=page, facet_limit=100)) for page in (1, 2, 3)]
    names = [value.value for value in pages[0].facets.get("actor", ())]
    return [hit.id for results in pages for hit in results.hits], names


def served(args, env: dict, work):
    """Runs `work(pid, port)` against a fresh `depesche serve` of `args.code` over `args.index`."""
    port = free_port()
    log = Path(args.out) / f"serve-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    server = start_server(args.index, args.code, port, env, log)
    try:
        wait_ready(port)
        return work(server.pid, port)
    finally:
        stop_server(server)


def run(args) -> dict:
    facts: dict = {"index": str(args.index), "code": str(args.code), "cpu": os.cpu_count(), "load": os.getloadavg()[0]}
    if args.command in ("fuzz", "all"):
        known = known_of(args.index, args.code)
        facts["fuzz"] = served(args, {}, lambda pid, port: fuzz(port, args.requests, args.clients, known, args.seed))
    if args.command in ("queries", "all"):
        facts["queries"] = served(args, {}, lambda pid, port: expensive(port))
    if args.command in ("flood", "all"):
        from werkzeug.security import generate_password_hash

        auth = {"DEPESCHE_AUTH_USER": USER, "DEPESCHE_AUTH_PASSWORD_HASH": generate_password_hash("richtig-und-lang")}
        facts["flood"] = served(args, auth, lambda pid, port: flood_http(pid, port, args.flood_clients, args.flood_seconds))
    if args.command == "flood-inprocess":
        facts["flood_inprocess"] = flood_inprocess(args.index, args.flood_clients, args.flood_seconds)
    return facts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("fuzz", "queries", "flood", "flood-inprocess", "all"))
    parser.add_argument("--index", type=Path, required=True)
    parser.add_argument("--code", type=Path, default=REPO, help="the checkout to serve (default: this one)")
    parser.add_argument("--requests", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--flood-clients", type=int, default=32)
    parser.add_argument("--flood-seconds", type=float, default=20.0)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "out" / "attack")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args(argv)
    facts = run(args)
    text = json.dumps(facts, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text, encoding="utf-8")
    fuzz_counts = facts.get("fuzz", {}).get("counts", {})
    if any(key not in ("2xx", "3xx", "4xx") for key in fuzz_counts):
        sys.exit(1)


if __name__ == "__main__":
    main()
