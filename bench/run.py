"""The benchmark of issue 12: a generated archive, every request new, against plain Whoosh in the same run.

One command: `python -m bench.run --docs 100000` (develop with `--docs 10000`). It
1. generates the archive (bench.generate) under `--work` unless it is already there;
2. rebuilds the index with metadata extraction (docs/s), indexes the same releases with plain Whoosh without
   extraction (bench.peer), and times the indexing stages of 1,000 releases in one process;
3. adds one new release with `depesche index --update` in a subprocess and times until a search finds it;
4. samples the workload (bench.workload: term, AND, phrase, filtered, deep page, browse; seeded, none repeated)
   and asks each request once: through `/api/search` of a freshly started server (and reads its resident
   memory), then in process, interleaved request by request with plain Whoosh (bench.peer);
5. replays the old fixed mix of issue 5 (`query_mix`) as a warm-cache row, labelled so;
6. writes `bench/RESULTS.md` with p50/p95/max per class, the cold first request, ratios, profiles of classes
   over their target, and `figures-N.json` beside the archive (RSS of other sizes is read from those).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "RESULTS.md"

TERMS = ["Regierung", "Außenminister", "Präsident", "Wirtschaft", "Polizei", "Sicherheit", "Gespräche", "Wahl",
         "Zusammenarbeit", "Flüchtlinge", "Energie", "Konflikt"]
ANDS = ["Minister Gespräche", "Regierung Wahl", "NATO Sicherheit", "Präsident Besuch", "Wirtschaft Krise",
        "Polizei Festnahme", "Außenminister Treffen", "Energie Gas", "Armenien Aserbaidschan", "Europa Gipfel"]
PHRASES = ['"Vereinten Nationen"', '"Im Mittelpunkt der Gespräche"', '"Europäischen Union"', '"in Brüssel"',
           '"regionale Sicherheit"', '"am Montag"', '"nach Angaben"', '"der Polizei"', '"Außenministerin Annalena Baerbock"',
           '"in Baku"']


def query_mix(top_actors: list[str], years: list[str]) -> dict[str, list[dict]]:
    """The fixed mix: query class -> API-style argument dicts. Filters use the archive's most common actors."""
    a = (top_actors + ["?"] * 4)[:4]
    y = (years + ["2024"] * 3)[-3:]
    return {
        "term": [{"q": t} for t in TERMS],
        "and": [{"q": t} for t in ANDS],
        "phrase": [{"q": t} for t in PHRASES],
        "filters": [
            {"q": "Gespräche", "actor": [a[0]]},
            {"q": "Regierung", "year": [y[-1]]},
            {"q": "Sicherheit", "actor": [a[0], a[1]], "year": [y[-2]]},
            {"q": "Präsident", "topic": ["Sicherheit und Verteidigung"], "sort": "newest"},
            {"q": "Wirtschaft", "from": f"{y[0]}-01-01", "to": f"{y[-1]}-06-30"},
            {"q": "Gespräche", "actor": [a[2]], "year": [y[-1]], "sort": "oldest"},
            {"actor": [a[1]]},
            {"year": [y[-1]], "actor": [a[3]]},
            {"q": "Zusammenarbeit", "organisation": ["NATO", "EU"]},
            {"q": '"in Baku"', "actor": [a[0]]},
        ],
        "empty": [{}, {"sort": "oldest"}, {"page": "2"}, {"per_page": "20"}, {"facet_limit": "0"}],
        "deep page": [
            {"q": "Regierung", "page": "50"},
            {"q": "Gespräche", "page": "100", "sort": "newest"},
            {"page": "500"},
            {"page": "1000", "sort": "oldest"},
            {"q": "Minister Gespräche", "page": "30"},
        ],
    }


TARGETS_MS = {"term": 50, "and": 50, "phrase": 150, "empty": 30}
ERRORS: dict[str, str] = {}  # query -> error, reported in RESULTS.md
COLD: dict[str, dict] = {}  # the library's first pass over the mix (no posting list decoded yet)


# -- helpers ------------------------------------------------------------------------------------------------


def params_of(args: dict):
    from werkzeug.datastructures import MultiDict

    from web.state import params_from_args

    multi = MultiDict()
    for key, value in args.items():
        for v in value if isinstance(value, list) else [value]:
            multi.add(key, v)
    return params_from_args(multi)


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))]
    return {"n": len(samples), "p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def rss_mb(pid: int | str = "self") -> tuple[float, float]:
    """(resident, peak resident) in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def machine() -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name")), "?")
    mem = next((line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")), "0")
    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu": cpu,
        "ram_gb": round(int(mem) / 1024 / 1024, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def extractor_name() -> str:
    from search.extract import Extractor

    return f"{Extractor.__module__}.{Extractor.__qualname__}"


def profile_text(function, lines: int = 22, order: str = "cumulative") -> str:
    profile = cProfile.Profile()
    profile.enable()
    function()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(order).print_stats(lines)
    text = out.getvalue()
    return text[text.find("ncalls") :] if "ncalls" in text else text


# -- phases -------------------------------------------------------------------------------------------------


def build_index(corpus: Path, root: Path, workers: int | None) -> dict:
    from search.indexer import index_sources

    started = time.monotonic()
    report = index_sources([corpus], root, workers=workers)
    seconds = time.monotonic() - started
    return {"docs": report.indexed, "seconds": seconds, "docs_per_s": report.indexed / seconds, "skipped": len(report.skipped)}


def update_latency(corpus: Path, root: Path) -> dict:
    """Write one new release, run `depesche index --update` in a subprocess, poll a search until it is found."""
    from search.engine import WhooshEngine
    from search.model import SearchParams

    engine = WhooshEngine(root, cache=False)
    engine.search(SearchParams(query="Regierung"))  # a server that has been answering before the update
    marker = f"Zeitstempelwort{int(time.time())}"
    path = corpus / "2025" / f"999999_neue-meldung-{marker.lower()}.txt"
    path.write_text(
        f"Außenminister Ceyhun Bayramov trifft {marker}\nAm 3. März 2025 traf sich Außenminister Ceyhun Bayramov mit "
        f"NATO-Generalsekretär Mark Rutte in Brüssel.\nEs ging um {marker} und regionale Sicherheit.\n",
        encoding="utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-c", "from web.cli import main; main()", "index", str(corpus), "--update", "--index", str(root)]
    started = time.monotonic()
    process = subprocess.run(command, env=env, capture_output=True, text=True)
    via = "depesche index --update"
    if process.returncode not in (0, 3):  # the CLI is being changed by others; measure the same library call
        via = "index_sources(update=True) in a fresh process (the CLI failed: see output)"
        code = f"from search.indexer import index_sources; from pathlib import Path; index_sources([Path({str(corpus)!r})], Path({str(root)!r}), update=True)"
        started = time.monotonic()
        process = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    command_done = time.monotonic() - started
    found = None
    while time.monotonic() - started < 120:
        if engine.search(SearchParams(query=marker)).total:
            found = time.monotonic() - started
            break
        time.sleep(0.02)
    return {
        "via": via,
        "command_s": command_done,
        "searchable_s": found,
        "exit": process.returncode,
        "output": (process.stdout + process.stderr).strip().splitlines()[-3:],
        "new_file": str(path),
    }


def library_run(root: Path, mix: dict, rounds: int) -> tuple[dict, dict]:
    """(per class timings in ms, one Results.total per query for the record)."""
    from search.engine import WhooshEngine

    engine = WhooshEngine(root, cache=False)
    engine.search(params_of({}))  # open the snapshot once, as a running server has
    times: dict[str, list[float]] = {name: [] for name in mix}
    totals = {}
    for round_number in range(rounds):
        if round_number == 1:
            COLD.update({name: summary(values) for name, values in times.items() if values})
        for name, queries in mix.items():
            for args in queries:
                params = params_of(args)
                started = time.perf_counter()
                try:
                    results = engine.search(params)
                except Exception as error:  # recorded, not fatal: the run still measures the rest
                    ERRORS.setdefault(f"library {name} {args}", f"{type(error).__name__}: {error}")
                    continue
                times[name].append((time.perf_counter() - started) * 1000)
                totals[json.dumps(args, ensure_ascii=False)] = results.total
    return {name: summary(values) for name, values in times.items() if values}, totals


def cached_run(root: Path, mix: dict) -> dict:
    from search.engine import WhooshEngine

    engine = WhooshEngine(root)
    samples = []
    for _ in range(2):
        for queries in mix.values():
            for args in queries:
                params = params_of(args)
                started = time.perf_counter()
                try:
                    engine.search(params)
                except Exception:
                    continue
                samples.append((time.perf_counter() - started) * 1000)
    return summary(samples[len(samples) // 2 :])


def _try(function, *args):
    try:
        return function(*args)
    except Exception:
        return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve(root: str, port: int) -> None:
    """The web app in this process (werkzeug, threaded), as `bench.run --serve` starts it."""
    from werkzeug.serving import make_server

    from web import create_app

    from search.engine import WhooshEngine

    app = create_app({"DEPESCHE_INDEX": root})
    app.extensions["depesche"] = WhooshEngine(Path(root), cache=False)  # every request computed, as in library_run
    make_server("127.0.0.1", port, app, threaded=True).serve_forever()


def top_values(root: Path) -> tuple[list[str], list[str]]:
    from search.engine import WhooshEngine
    from search.model import SearchParams

    results = WhooshEngine(root).search(SearchParams(facet_limit=0))
    actors = [fv.value for fv in results.facets["actor"]][:4]
    years = sorted(fv.value for fv in results.facets["year"] if fv.value.isdigit())
    return actors, years




def top_facet_values(root: Path) -> dict[str, list[str]]:
    """The most frequent values of the facets the workload filters by."""
    from search.engine import WhooshEngine
    from search.model import SearchParams

    results = WhooshEngine(root).search(SearchParams(facet_limit=20))
    return {f: [fv.value for fv in results.facets[f] if fv.value] for f in ("actor", "year", "topic", "organisation")}


def _key(args: dict) -> str:
    return json.dumps(args, ensure_ascii=False, sort_keys=True)


def _timed(function, where: str, args: dict) -> float | None:
    started = time.perf_counter()
    try:
        function()
    except Exception as error:  # recorded, not fatal: the run still measures the rest
        ERRORS.setdefault(f"{where} {args}", f"{type(error).__name__}: {error}")
        return None
    return (time.perf_counter() - started) * 1000


def workload_in_process(root: Path, workload: dict[str, list[dict]], peer_limit: int | None) -> dict:
    """Each request once through the library (a fresh engine, answer cache off) and through plain Whoosh, the two
    interleaved request by request (who goes first alternates), so the machine's load falls on both alike.
    Returns {"depesche": {key: ms}, "peer": {key: ms}}."""
    from bench.peer import PlainWhoosh
    from search.engine import WhooshEngine

    engine = WhooshEngine(root, cache=False)
    peer = PlainWhoosh(root)
    times: dict[str, dict[str, float]] = {"depesche": {}, "peer": {}}
    turn = 0
    for name, requests in workload.items():
        for number, args in enumerate(requests):
            params = params_of(args)
            ask_peer = peer_limit is None or number < peer_limit
            runs = [("depesche", lambda: engine.search(params))] + ([("peer", lambda: peer.search(args))] if ask_peer else [])
            if turn % 2:
                runs.reverse()
            turn += 1
            for who, function in runs:
                ms = _timed(function, f"{who} {name}", args)
                if ms is not None:
                    times[who][_key(args)] = ms
    peer.close()
    return times


def workload_http(root: Path, workload: dict[str, list[dict]]) -> tuple[dict[str, float], dict]:
    """Each request once through `/api/search` of a freshly started server; {key: ms} and the server's memory."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "bench.run", "--serve", str(root), "--port", str(port)], env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}/api/search"
    times: dict[str, float] = {}
    try:
        for _ in range(600):
            try:
                started = time.perf_counter()
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=120).read()
                first_page_ms = (time.perf_counter() - started) * 1000  # the server opens its snapshot here
                break
            except OSError:
                time.sleep(0.1)
        for name, requests in workload.items():
            for args in requests:
                query = urllib.parse.urlencode([(k, v) for k, vs in args.items() for v in (vs if isinstance(vs, list) else [vs])])

                def ask():
                    with urllib.request.urlopen(f"{base}?{query}", timeout=120) as response:
                        json.loads(response.read())

                ms = _timed(ask, f"http {name}", args)
                if ms is not None:
                    times[_key(args)] = ms
        resident, peak = rss_mb(server.pid)
        status = dict(line.split(":", 1) for line in Path(f"/proc/{server.pid}/status").read_text().splitlines() if ":" in line)
        anon, files = (int(status.get(k, "0 kB").split()[0]) / 1024 for k in ("RssAnon", "RssFile"))
        return times, {"rss_mb": resident, "peak_rss_mb": peak, "anon_mb": anon, "file_mb": files, "first_page_ms": first_page_ms}
    finally:
        server.terminate()
        server.wait()


def forget_words() -> None:
    """Empty the per-process memo of the German word functions (see search.german), as in a fresh worker."""
    from search.german import compounds, lexicon, normalize, stemmer

    for module in (compounds, lexicon, normalize, stemmer):
        for value in vars(module).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()


def index_stages(corpus: Path, work: Path, docs: int = 1000) -> dict:
    """Seconds per stage for `docs` releases in one process: read; analyse (the German chain over title, lead and
    body, on its own); extract; Whoosh add (analysis included: Whoosh analyses inside `add_document`); commit
    (postings written); side arrays (see search.engine.postings). Analyse and add each start from empty word memos."""
    from search.documents import read_sources
    from search.engine import store
    from search.engine.writer import _known_fields, whoosh_fields
    from search.extract import Extractor
    from search.indexer import _prepared

    stages = dict.fromkeys(("read", "analyse", "extract", "whoosh add", "commit", "side arrays"), 0.0)
    started = time.perf_counter()
    items = []
    for file, doc in read_sources([corpus]):
        if hasattr(doc, "title"):
            items.append((doc, file.context_year))
        if len(items) >= docs:
            break
    stages["read"] = time.perf_counter() - started
    root = work / "stages-index"
    shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True)
    generation, index = store.new_generation(root)
    analyzer = index.schema["body"].analyzer
    forget_words()
    started = time.perf_counter()
    for doc, _ in items:
        for text in (doc.title, doc.lead, doc.body):
            for _ in analyzer(text):
                pass
    stages["analyse"] = time.perf_counter() - started
    forget_words()
    extractor = Extractor()
    writer = index.writer(limitmb=256, compound=False)
    for doc, year in items:
        started = time.perf_counter()
        entry, _ = _prepared(extractor, doc, year)
        now = time.perf_counter()
        stages["extract"] += now - started
        writer.add_document(**_known_fields(writer.schema, whoosh_fields(entry)))
        stages["whoosh add"] += time.perf_counter() - now
    started = time.perf_counter()
    writer.commit()
    stages["commit"] = time.perf_counter() - started
    try:
        from search.engine import postings as side

        started = time.perf_counter()
        side.write_generation(generation)
        stages["side arrays"] = time.perf_counter() - started
    except ImportError:
        del stages["side arrays"]
    shutil.rmtree(root, ignore_errors=True)
    return {"docs": len(items), "seconds": stages}


def by_class(workload: dict[str, list[dict]], times: dict[str, float], only: set[str] | None = None) -> dict[str, dict]:
    out = {}
    for name, requests in workload.items():
        values = [times[k] for k in (_key(a) for a in requests) if k in times and (only is None or k in only)]
        if values:
            out[name] = summary(values)
    return out


# -- report -------------------------------------------------------------------------------------------------

TARGETS_P95 = {"term": 50, "and": 50, "phrase": 150}


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def _fmt(s: dict | None) -> str:
    return f"{s['p50']:.1f} / {s['p95']:.1f} / {s['max']:.1f}" if s else "–"


def write_results(f: dict, profiles: dict[str, str]) -> str:
    m, work = f["machine"], f["workload"]
    lib, http = work["library"], work["http"]
    lib_shared, peer_shared = work["library_shared"], work["peer_shared"]
    shared = set(work["per_request"]["peer"])
    http_shared = by_class(f["requests"], work["per_request"]["http"], shared)
    idx, plain, stages = f["index"], f["plain_index"], f["stages"]
    lines = [
        "# Benchmark results (issue 12: every query new)",
        "",
        f"Run: `python -m bench.run --docs {f['docs']}` on {f['date']}; written by the run itself. "
        f"Archive: {f['docs']:,} generated releases (bench/generate.py); extraction {f['extractor']}.",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}. "
        f"Load average (1 min) at start {f['load'][0]}, before the searches {f['load'][1]}, at the end {f['load'][2]}: "
        "the 2 cores are shared with other engineers' work, so absolute figures are noisy; ratios are from the same run, "
        "Depesche and plain Whoosh interleaved request by request.",
        "",
        f"## Every request new ({f['docs']:,} releases)",
        "",
        f"Workload (bench/workload.py, seed {f['seed']}): " + ", ".join(f"{len(v)} {k}" for k, v in f["requests"].items())
        + " requests; sampled from the releases' own vocabulary, none repeated, no word drawn twice for the one-word "
        "classes. Each asked once: through HTTP `/api/search` of a freshly started server, and in process (a fresh "
        "`WhooshEngine`, answer cache off) interleaved with plain Whoosh (bench/peer.py: `MultifieldParser`, "
        "`search_page` with 7 `groupedby` Count facets, `highlight_hit` for the page's hits)."
        + (f" Plain Whoosh answered the first {f['peer_limit']} requests of each class (it takes seconds a request);"
           " the ratios compare Depesche's p95 over those same requests with plain Whoosh's." if f["peer_limit"] else ""),
        "",
        "| class | HTTP p50 / p95 / max (ms) | library p50 / p95 / max | plain Whoosh p50 / p95 / max"
        + (f" (first {f['peer_limit']})" if f["peer_limit"] else "")
        + " | ratio p95 (plain / library) | ratio p95 (plain / HTTP) | target p95 | |",
        "|---|---|---|---|---|---|---|---|",
    ]
    ratios = {}
    for name in f["requests"]:
        l, h, p = lib.get(name), http.get(name), peer_shared.get(name)
        ls = lib_shared.get(name)
        ratio = p["p95"] / ls["p95"] if p and ls else None
        hs = http_shared.get(name)
        ratio_http = p["p95"] / hs["p95"] if p and hs else None
        if ratio:
            ratios[name] = ratio
        target = TARGETS_P95.get(name)
        met = verdict(h["p95"] <= target and l["p95"] <= target) if target and h and l else ""
        lines.append(
            f"| {name} | {_fmt(h)} | {_fmt(l)} | {_fmt(p)} | {f'{ratio:.1f}x' if ratio else '–'} | "
            f"{f'{ratio_http:.1f}x' if ratio_http else '–'} | {f'<= {target} ms' if target else '–'} | {met} |"
        )
    warm = f["warm"]
    lines += [
        "",
        "`cold` is the first search request after the start. Before it, the server's first page (`/`, which opens "
        f"the snapshot: facet tables, dates, document lengths) took {f['server'].get('first_page_ms', 0):.0f} ms over HTTP. "
        "Later one-off costs of a fresh server land in the first requests of a class (the did-you-mean name list, "
        "built at the first request with fewer than 3 hits; the word memos of the analyzer), and are in its p95.",
        "",
        "## Warm cache (the old fixed mix of issue 5, for comparison only)",
        "",
        f"The fixed mix of bench/run.py (`query_mix`), {warm['rounds']} rounds, answer cache off, rounds 2 and later only "
        f"(the posting caches warm): p50 {warm['lib']['p50']:.1f} ms, p95 {warm['lib']['p95']:.1f} ms, max {warm['lib']['max']:.1f} ms; "
        f"with the answer cache on, a repeated request p50 {warm['cached']['p50']:.2f} ms, p95 {warm['cached']['p95']:.2f} ms. "
        "Not what a staff member meets: in real use almost every request is new (the table above).",
        "",
        "## Indexing",
        "",
        "| | docs/s | |",
        "|---|---|---|",
        f"| full reindex with extraction, {f['workers']} workers | {idx['docs_per_s']:.0f} ({idx['docs']:,} docs in {idx['seconds']:.1f} s) "
        f"| target >= 1,000: {verdict(idx['docs_per_s'] >= 1000)} |",
        f"| plain Whoosh, no extraction (bench/peer.py, one default writer) | {plain['docs_per_s']:.0f} ({plain['docs']:,} docs in {plain['seconds']:.1f} s) "
        f"| Depesche {idx['docs_per_s'] / plain['docs_per_s']:.2f}x of it: {verdict(idx['docs_per_s'] > plain['docs_per_s'])} |",
        "",
        f"Per stage, {stages['docs']:,} releases in one process (ms per release): "
        + ", ".join(f"{k} {1000 * v / stages['docs']:.2f}" for k, v in stages["seconds"].items())
        + ". `whoosh add` includes the analysis (Whoosh analyses inside `add_document`); `analyse` is the same chain timed alone. "
        "Both start from empty word memos, as a fresh worker does.",
        "",
        "## Memory and updates",
        "",
        f"Server resident memory after the workload: {f['server']['rss_mb']:.0f} MB (peak {f['server']['peak_rss_mb']:.0f} MB; "
        f"of it {f['server'].get('anon_mb', 0):.0f} MB the process's own memory and {f['server'].get('file_mb', 0):.0f} MB pages of "
        f"memory-mapped index files, shared with the page cache and given back under memory pressure) at {f['docs']:,} releases"
        + ("; other sizes from earlier runs of this bench: " + ", ".join(f"{d:,}: {r:.0f} MB (peak {p:.0f})" for d, r, p in f["rss_sizes"]) if f["rss_sizes"] else "")
        + ". Target <= 400 MB at 100,000.",
        "",
        "A new release searchable after `depesche index --update`: "
        + (f"{f['update']['searchable_s']:.2f} s (the command {f['update']['command_s']:.2f} s)." if f["update"]["searchable_s"] else f"not found ({f['update']['output']})."),
        "",
    ]
    if ERRORS:
        lines += ["## Errors (requests that failed and are missing from the figures)", ""]
        lines += [f"- `{where}`: {error[:300]}" for where, error in sorted(ERRORS.items())]
        lines.append("")
    for title, text in profiles.items():
        lines += [f"## Profile: {title}", "", "```", text.rstrip(), "```", ""]
    return "\n".join(lines)


def remaining_profiles(root: Path, corpus: Path, work_dir: Path, work: dict, times: dict, f: dict) -> dict[str, str]:
    """What remains, profiled: the requests of every class in a fresh engine (by own time), each class over its
    target on its own, and indexing in one process when it is under target."""
    from search.engine import WhooshEngine

    profiles = {}
    engine = WhooshEngine(root, cache=False)
    engine.search(params_of({}))
    every = [params_of(a) for name, requests in work.items() if name != "cold" for a in requests]
    profiles["every request of the workload again, in a fresh engine (own time)"] = profile_text(
        lambda: [_try(engine.search, p) for p in every], 25, "tottime"
    )
    for name, target in TARGETS_P95.items():
        stats = f["workload"]["library"].get(name)
        if stats and stats["p95"] > target:
            slow = sorted(work[name], key=lambda a: -times.get(_key(a), 0))[:10]
            fresh = WhooshEngine(root, cache=False)
            fresh.search(params_of({}))
            profiles[f"class '{name}', its 10 slowest requests in a fresh engine (p95 over target)"] = profile_text(
                lambda: [_try(fresh.search, params_of(a)) for a in slow], 28
            )
    if f["index"]["docs_per_s"] < 1000:
        from search.documents import read_sources
        from search.extract import Extractor
        from search.indexer import index_sources

        sample = work_dir / "profile-sample"
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir(parents=True)
        for number, (_, doc) in enumerate(read_sources([corpus])):
            if number >= 500:
                break
            (sample / f"{number:04d}.txt").write_text(doc.text, encoding="utf-8")
        extractor = Extractor()
        target = work_dir / "profile-index"
        shutil.rmtree(target, ignore_errors=True)
        profiles["indexing 500 releases in one process (own time; docs/s under target)"] = profile_text(
            lambda: index_sources([sample], target, extractor=extractor, workers=0), 30, "tottime"
        )
    return profiles


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Depesche benchmark (issue 12: every query new)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/depesche-bench"))
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--workers", type=int, default=None, help="indexing processes (default: one per core)")
    parser.add_argument("--reuse-index", action="store_true", help="skip the rebuild if the index exists")
    parser.add_argument("--peer-queries", type=int, default=None, help="requests per class for plain Whoosh (default all)")
    parser.add_argument("--stage-docs", type=int, default=1000)
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    if args.serve:
        serve(args.serve, args.port)
        return

    from bench import workload as workload_module
    from bench.generate import generate
    from bench.peer import plain_reindex
    from search.indexer import default_workers

    corpus = args.work / f"corpus-{args.docs}"
    root = args.work / f"index-{args.docs}"
    stamp = corpus / ".complete"
    if not stamp.exists():
        print(f"generating {args.docs:,} releases in {corpus} ...", flush=True)
        generate(args.docs, corpus)
        stamp.write_text("ok")
    for leftover in corpus.glob("2025/999999_neue-meldung-*.txt"):
        leftover.unlink()
    f = {"docs": args.docs, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "extractor": extractor_name(),
         "seed": args.seed, "peer_limit": args.peer_queries, "load": [load_average()]}
    f["workers"] = default_workers() if args.workers is None else args.workers
    if args.reuse_index and (root / "current").exists():
        info = json.loads((root / "current" / "build.json").read_text())
        f["index"] = {"docs": info["indexed"], "seconds": info["seconds"], "docs_per_s": info["indexed"] / info["seconds"], "skipped": 0}
        print("reusing index", root, flush=True)
    else:
        shutil.rmtree(root, ignore_errors=True)
        print(f"indexing with {f['workers']} workers ...", flush=True)
        f["index"] = build_index(corpus, root, args.workers)
    print("index:", f["index"], flush=True)
    f["plain_index"] = plain_reindex(corpus, args.work / "plain-index")
    print("plain Whoosh index:", f["plain_index"], flush=True)
    f["stages"] = index_stages(corpus, args.work, args.stage_docs)
    print("stages:", f["stages"], flush=True)
    f["update"] = update_latency(corpus, root)
    print("update:", f["update"], flush=True)

    work = workload_module.build(corpus, top_facet_values(root), args.seed)
    assert workload_module.distinct(work), "the workload repeats a request"
    f["requests"] = work
    f["load"].append(load_average())
    http_times, f["server"] = workload_http(root, work)
    times = workload_in_process(root, work, args.peer_queries)
    shared = set(times["peer"])
    f["workload"] = {
        "http": by_class(work, http_times),
        "library": by_class(work, times["depesche"]),
        "peer": by_class(work, times["peer"]),
        "library_shared": by_class(work, times["depesche"], shared),
        "peer_shared": by_class(work, times["peer"], shared),
        "per_request": {"http": http_times, **times},
    }
    print("workload:", json.dumps({k: v for k, v in f["workload"].items() if k != "per_request"}), flush=True)
    actors, years = top_values(root)
    mix = query_mix(actors, years)
    warm_samples = []
    from search.engine import WhooshEngine

    engine = WhooshEngine(root, cache=False)
    for queries in mix.values():
        for a in queries:
            engine.search(params_of(a))
    for _ in range(2):
        for queries in mix.values():
            for a in queries:
                ms = _timed(lambda: engine.search(params_of(a)), "warm", a)
                if ms is not None:
                    warm_samples.append(ms)
    f["warm"] = {"rounds": 3, "lib": summary(warm_samples), "cached": cached_run(root, mix)}
    f["load"].append(load_average())
    sizes = []
    for other in sorted(args.work.glob("figures-*.json")):
        try:
            data = json.loads(other.read_text())
            if data.get("docs") != args.docs and "server" in data:
                sizes.append((data["docs"], data["server"]["rss_mb"], data["server"]["peak_rss_mb"]))
        except (OSError, ValueError, KeyError):
            continue
    f["rss_sizes"] = sorted(sizes)

    profiles = remaining_profiles(root, corpus, args.work, work, times["depesche"], f)
    text = write_results(f, profiles)
    args.results.write_text(text, encoding="utf-8")
    (args.work / f"figures-{args.docs}.json").write_text(json.dumps(f, indent=2, default=str), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
