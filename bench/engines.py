"""Whoosh against OpenSearch on the same generated archive and the same workload, in one run (issues 8 and 12).

One command: `python -m bench.engines --docs 100000 --url http://127.0.0.1:9200 --reuse-whoosh-index`
(validate first with `--docs 2000`). It
1. generates the archive (bench.generate) under `--work` (`corpus-N`) unless it is already there;
2. builds the OpenSearch index of it (`index_sources(..., engine="opensearch")` in a child process: extraction,
   then the writer's bulk load, replica and alias switch) into its own alias (`--alias`, default `depesche-bench`,
   so the alias the tests use is never touched), or reuses it with `--reuse-opensearch-index`;
3. builds the Whoosh index (`index-N`, worker processes), or with `--reuse-whoosh-index` takes the existing one
   and its build time from its `build.json` (so a `bench.run` of the same `--work` and `--docs` is reused);
4. samples the workload of bench/run.py (`bench.workload.build(corpus, top_facet_values(root), seed)`: every
   request asked once, none repeated) and asks each request of it of both engines, interleaved request by request
   (who goes first alternates) so that the load of other work on the machine falls on both alike: a fresh
   `WhooshEngine(root, cache=False)` and `open_engine(..., engine="opensearch")`, after clearing OpenSearch's
   request cache; the first request of each is its cold request;
5. replays the old fixed mix (`query_mix`) 3 times as a warm-cache row, labelled so;
6. reads the resident memory of the OpenSearch nodes (their pid files in the launcher's state folder), their JVM
   heap (`_nodes/stats`) and this process's, and writes `bench/ENGINES.md` with the machine and the sizes.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.run import (ERRORS, _key, _timed, by_class, extractor_name, machine, params_of, query_mix, rss_mb,
                       summary, top_facet_values, top_values)

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "ENGINES.md"
ENGINES = ("whoosh", "opensearch")
WARM_UP_WORD = "Hauptstadt"  # analysed before the workload (the analyzer is shared by both engines)
WARM_ROUNDS = 3


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


def own_memory() -> tuple[float, float, float, float]:
    """This process's RSS, peak RSS, and of the RSS its own (anonymous) memory and its pages of mapped files."""
    status = dict(line.split(":", 1) for line in Path("/proc/self/status").read_text().splitlines() if ":" in line)
    return (*rss_mb(), *(int(status.get(k, "0 kB").split()[0]) / 1024 for k in ("RssAnon", "RssFile")))


def disk_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 1e6


# -- indexing -----------------------------------------------------------------------------------------------


def whoosh_index(corpus: Path, root: Path, reuse: bool, workers: int | None) -> dict:
    from search.indexer import default_workers, index_sources

    current = root / "current"
    if reuse and current.exists():
        info = json.loads((current / "build.json").read_text())
        log("reusing the Whoosh index", root)
        return {"docs": info["indexed"], "seconds": info["seconds"], "docs_per_s": info["indexed"] / info["seconds"],
                "reused": f"built {info.get('built')} by an earlier run", "workers": None,
                "disk_mb": disk_mb(current.resolve())}
    shutil.rmtree(root, ignore_errors=True)
    workers = default_workers() if workers is None else workers
    log(f"Whoosh: indexing {corpus} with {workers} workers ...")
    started = time.monotonic()
    report = index_sources([corpus], root, workers=workers)
    seconds = time.monotonic() - started
    return {"docs": report.indexed, "seconds": seconds, "docs_per_s": report.indexed / seconds, "reused": None,
            "workers": workers, "skipped": len(report.skipped), "disk_mb": disk_mb((root / "current").resolve())}


def opensearch_index(corpus: Path, url: str, reuse: bool, saved: Path) -> dict:
    from search.api import has_index
    from search.indexer import index_sources

    if reuse and has_index(engine="opensearch", url=url) and saved.exists():
        log("reusing the OpenSearch index, figures from", saved)
        return {**json.loads(saved.read_text()), "reused": f"figures of the indexing run in {saved}"}
    from search.indexer import default_workers
    from search.opensearch import writer

    workers = default_workers()
    log(f"OpenSearch: indexing {corpus} (extraction in {workers} processes, then bulk load) ...")
    finishing: list[float] = []
    finish = writer.Rebuild.finish

    def timed_finish(self, summary):  # when extraction and spooling are over and the writer's finish() begins
        finishing.append(time.monotonic())
        return finish(self, summary)

    writer.Rebuild.finish = timed_finish  # this is the child process of the bench: nothing else writes here
    before = rss_mb()
    started = time.monotonic()
    report = index_sources([corpus], None, engine="opensearch", url=url, workers=workers)
    seconds = time.monotonic() - started
    extract = (finishing[0] if finishing else started + report.seconds) - started
    # extract: extraction, analysis of the words, spooling; the rest is finish(): decompounder list, create
    # index, bulk load, replica (waited for up to the writer's GREEN_TIMEOUT), alias switch
    figures = {
        "docs": report.indexed, "seconds": seconds, "docs_per_s": report.indexed / seconds, "workers": workers,
        "extract_seconds": extract, "load_seconds": seconds - extract,
        "skipped": len(report.skipped), "python_rss_mb_before": before[0], "python_peak_rss_mb": rss_mb()[1],
        "reused": None,
    }
    # the writer moves the alias after at most 60 s of waiting for the replica: how long it really took
    from search.opensearch import connect

    health = connect(url).cluster.health(wait_for_status="green", params={"timeout": "600s"}, request_timeout=620)
    figures["green_after_s"] = time.monotonic() - started - seconds
    figures["status_when_done"] = health["status"]
    saved.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return figures


# -- the cluster --------------------------------------------------------------------------------------------


def node_memory(state: Path, url: str) -> dict:
    """node name -> RSS, peak RSS (from /proc, via the launcher's pid files), heap used / max (from _nodes/stats)."""
    from search.opensearch import connect

    nodes: dict[str, dict] = {}
    for pidfile in sorted(state.glob("node-*.pid")):
        try:
            resident, peak = rss_mb(pidfile.read_text().strip())
        except (OSError, KeyError, ValueError):
            continue
        nodes[pidfile.stem] = {"rss_mb": resident, "peak_rss_mb": peak}
    try:
        stats = connect(url).nodes.stats(metric="jvm")
        for node in stats["nodes"].values():
            mem = node["jvm"]["mem"]
            nodes.setdefault(node["name"], {}).update(
                {"heap_used_mb": mem["heap_used_in_bytes"] / 2**20, "heap_max_mb": mem["heap_max_in_bytes"] / 2**20}
            )
    except Exception as error:  # the figures from /proc are still worth writing
        ERRORS["_nodes/stats"] = f"{type(error).__name__}: {error}"
    return nodes


def cluster_facts(url: str, alias: str) -> dict:
    from search.opensearch import connect

    client = connect(url)
    facts: dict = {}
    try:
        info = client.info()
        facts["version"] = info["version"]["number"]
        health = client.cluster.health()
        facts["nodes"], facts["status"] = health["number_of_nodes"], health["status"]
        concrete = sorted(client.indices.get_alias(name=alias))[0]
        settings = client.indices.get_settings(index=concrete)[concrete]["settings"]["index"]
        facts["index"] = concrete
        facts["shards"], facts["replicas"] = settings["number_of_shards"], settings["number_of_replicas"]
        stats = client.indices.stats(index=concrete, metric="store")["_all"]
        facts["store_primary_mb"] = stats["primaries"]["store"]["size_in_bytes"] / 1e6
        facts["store_total_mb"] = stats["total"]["store"]["size_in_bytes"] / 1e6
        facts["heap"] = {n["name"]: n["jvm"]["mem"]["heap_max_in_bytes"] / 2**20
                         for n in client.nodes.stats(metric="jvm")["nodes"].values()}
    except Exception as error:
        ERRORS["cluster facts"] = f"{type(error).__name__}: {error}"
    return facts


# -- queries ------------------------------------------------------------------------------------------------


def clear_request_cache(url: str, alias: str) -> None:
    from search.opensearch import connect

    connect(url).indices.clear_cache(index=alias, request=True)


def open_engines(root: Path, url: str) -> dict:
    """A fresh Whoosh engine (answer cache off, as bench/run.py measures it) and the OpenSearch engine, unopened:
    the first search of each opens its snapshot / its view of the alias."""
    from search.api import open_engine
    from search.engine import WhooshEngine

    return {"whoosh": WhooshEngine(root, cache=False), "opensearch": open_engine(root, engine="opensearch", url=url)}


def _asker(engine, params, answers: dict, name: str):
    def ask():
        answers[name] = engine.search(params).total

    return ask


def interleaved(engines: dict, requests: list[tuple[str, dict]], record: bool = True) -> tuple[dict, dict]:
    """Each (class, request) asked once of every engine, request by request, who goes first alternating.
    Returns ({engine: {request key: ms}}, {request key: {engine: total}})."""
    times: dict[str, dict[str, float]] = {name: {} for name in engines}
    totals: dict[str, dict] = {}
    for turn, (cls, args) in enumerate(requests):
        params, key = params_of(args), _key(args)
        order = list(engines)[:: -1 if turn % 2 else 1]
        for name in order:
            ms = _timed(_asker(engines[name], params, totals.setdefault(key, {}), name), f"{name} {cls}", args)
            if ms is not None and record:
                times[name][key] = ms
    return times, totals


def run_workload(engines: dict, workload: dict[str, list[dict]], url: str, alias: str) -> tuple[dict, dict]:
    from search.queries import plan

    # the query analysis (German dictionaries, word memos) is shared by both engines in this process: load it
    # with a word outside the workload, so the cold request of neither pays it for the other
    assert all(WARM_UP_WORD not in (r.get("q") or "") for rs in workload.values() for r in rs)
    plan(WARM_UP_WORD)
    clear_request_cache(url, alias)
    return interleaved(engines, [(cls, args) for cls, requests in workload.items() for args in requests])


def warm_mix(engines: dict, mix: dict, rounds: int) -> dict:
    """The old fixed mix, `rounds` times over the same engines: summary per engine of rounds 2 and later."""
    every = [(cls, args) for cls, queries in mix.items() for args in queries]
    interleaved(engines, every, record=False)
    samples: dict[str, list[float]] = {name: [] for name in engines}
    for _ in range(rounds - 1):
        times, _ = interleaved(engines, every)
        for name, by_key in times.items():
            samples[name] += by_key.values()
    return {name: summary(values) for name, values in samples.items() if values}


# -- report -------------------------------------------------------------------------------------------------


def fmt(s: dict | None) -> str:
    return f"{s['p50']:.1f} / {s['p95']:.1f} / {s['max']:.1f}" if s else "–"


def _ratio(a: dict | None, b: dict | None, stat: str) -> str:
    return f"{b[stat] / a[stat]:.2f}x" if a and b and a[stat] else "–"


def _row(label: str, w: dict | None, o: dict | None) -> str:
    n = max((w or {}).get("n", 0), (o or {}).get("n", 0))
    return f"| {label} | {n} | {fmt(w)} | {fmt(o)} | {_ratio(w, o, 'p50')} | {_ratio(w, o, 'p95')} |"


def write_report(f: dict) -> str:
    m, w, o = f["machine"], f["index"]["whoosh"], f["index"]["opensearch"]
    c, lw, lo = f["cluster"], f["queries"]["whoosh"], f["queries"]["opensearch"]
    lines = [
        "# Whoosh and OpenSearch on the same archive and the same workload (issues 8 and 12)",
        "",
        f"Run: `{f['command']}` on {f['date']} (UTC); written by the run itself.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, {m['platform']}. "
        f"Load average (1 / 5 / 15 min) {f['load_before']} at the start, {f['load_queries']} before the workload, "
        f"{f['load_after']} at the end. The two OpenSearch nodes run on the same 2 cores as this process, and other "
        "engineers' work may share them: absolute figures are noisy, the ratios are from the same run (the engines "
        "interleaved request by request).",
        f"Archive: {f['corpus']} — {f['files']:,} release files generated by bench/generate.py; the Whoosh index "
        f"holds {f['docs']['whoosh']:,} releases, the OpenSearch alias `{f['alias']}` {f['docs']['opensearch']:,}. "
        f"Extraction: {f['extractor']}.",
        f"Cluster: OpenSearch {c.get('version', '?')}, {c.get('nodes', '?')} nodes started by opensearch/start.sh "
        f"(one JVM each, heap {', '.join(f'{k} {v:.0f} MB' for k, v in sorted(c.get('heap', {}).items())) or '?'}); "
        f"index {c.get('shards', '?')} primary shards, {c.get('replicas', '?')} replica, status {c.get('status', '?')}; "
        "analysis: the terms of the project's chain (no OpenSearch analyzer).",
        "",
        f"## Every request new ({f['docs']['whoosh']:,} releases)",
        "",
        f"Workload: bench/workload.py, seed {f['seed']}, the same as `python -m bench.run` samples: "
        + ", ".join(f"{len(v)} {k}" for k, v in f["requests"].items())
        + " requests, drawn from the releases' own vocabulary, none repeated. Each request asked once of each engine "
        "in this process through `search.api` (all 7 facets, histogram, 10 hits with highlighted snippets): Whoosh a "
        "fresh `WhooshEngine(root, cache=False)`, OpenSearch `open_engine(..., engine=\"opensearch\")` after "
        "`indices.clear_cache(request=True)` on the alias; the two interleaved request by request, who goes first "
        "alternating. `cold` is each engine's first request (Whoosh opens its snapshot in it, OpenSearch its "
        "connection and its view of the alias); the query analysis they share was loaded before, with a word outside "
        "the workload. OpenSearch figures include the HTTP round trips of opensearch-py; a text query is a "
        "`dfs_query_then_fetch` search.",
        "",
        "p50 / p95 / max in ms; ratio = OpenSearch / Whoosh (above 1: Whoosh is faster).",
        "",
        "| class | n | Whoosh | OpenSearch | ratio p50 | ratio p95 |",
        "|---|---|---|---|---|---|",
    ]
    lines += [_row(cls, lw.get(cls), lo.get(cls)) for cls in f["requests"]]
    every_w, every_o = f["queries"]["whoosh all"], f["queries"]["opensearch all"]
    lines.append(_row("all but cold", every_w, every_o))
    ww, wo = f["warm"].get("whoosh"), f["warm"].get("opensearch")
    lines.append(_row(f"warm cache, for comparison only: the old fixed mix (`query_mix`), rounds 2 to {f['warm_rounds']}",
                      ww, wo))
    lines += [
        "",
        "The warm-cache row repeats the same 52 requests: Whoosh's posting and facet caches (answer cache still off) "
        "and OpenSearch's caches and the page cache answer much of it. Not what a staff member meets: in real use "
        "almost every request is new (the rows above).",
        "",
        "## Indexing (extraction included)",
        "",
        "| engine | releases | seconds | docs/s | how | on disk |",
        "|---|---|---|---|---|---|",
        f"| Whoosh | {w['docs']:,} | {w['seconds']:.0f} | {w['docs_per_s']:.0f} | "
        + (f"{w['workers']} worker processes" if w.get("workers") is not None else f"worker processes (reused index, {w['reused']})")
        + f" | {w['disk_mb']:.0f} MB |",
        f"| OpenSearch | {o['docs']:,} | {o['seconds']:.0f} | {o['docs_per_s']:.0f} | extraction and spool "
        f"({o.get('workers', 1)} processes) "
        f"{o['extract_seconds']:.0f} s, then decompounder list, bulk load, replica and alias switch {o['load_seconds']:.0f} s"
        + (f"; the cluster was green {o['green_after_s']:.0f} s after that" if o.get("green_after_s") is not None else "")
        + (f" ({o['reused']})" if o.get("reused") else "")
        + f" | {c.get('store_primary_mb', 0):.0f} MB primaries, {c.get('store_total_mb', 0):.0f} MB with the replica |",
        "",
        f"The OpenSearch indexing process (a child of this one; its extraction workers not counted) peaked at {o.get('python_peak_rss_mb', 0):.0f} MB RSS.",
        "",
        "## Memory",
        "",
        "| | RSS (MB) | peak RSS (MB) | JVM heap used / max (MB) |",
        "|---|---|---|---|",
    ]
    for when, nodes in f["memory"].items():
        for node, mem in sorted(nodes.items()):
            heap = f"{mem['heap_used_mb']:.0f} / {mem['heap_max_mb']:.0f}" if "heap_used_mb" in mem else "–"
            lines.append(f"| OpenSearch {node}, {when} | {mem.get('rss_mb', 0):.0f} | {mem.get('peak_rss_mb', 0):.0f} | {heap} |")
    for when, (resident, peak, anon, files) in f["python_rss"].items():
        lines.append(f"| this Python process, {when} (own memory {anon:.0f}, mapped index files {files:.0f}) | "
                     f"{resident:.0f} | {peak:.0f} | – |")
    lines += [
        "",
        "This process holds the Whoosh engine (its snapshot: facet tables, dates, document lengths, memory-mapped "
        "posting arrays; mapped file pages are shared with the page cache and given back under memory pressure), "
        "the OpenSearch client, the workload's sample of release texts and the engines `top_facet_values` opened to "
        "sample it; it built neither index (Whoosh: worker processes, OpenSearch: a child process). The Whoosh web "
        "server's own RSS is in bench/RESULTS.md.",
        "",
        "## Same answers?",
        "",
    ]
    differ = {k: v for k, v in f["totals"].items() if len(set(v.values())) > 1}
    lines.append(f"{len(f['totals']) - len(differ)} of {len(f['totals'])} requests of the workload have the same number "
                 "of hits on both engines" + (f"; the {min(len(differ), 25)} that differ most:" if differ else "."))
    if differ:
        def gap(v: dict) -> float:
            a, b = v.get("whoosh") or 0, v.get("opensearch") or 0
            return abs(a - b) / max(a, b, 1)

        lines += ["", "| request | Whoosh | OpenSearch |", "|---|---|---|"]
        for key, v in sorted(differ.items(), key=lambda kv: -gap(kv[1]))[:25]:
            lines.append(f"| `{key}` | {v.get('whoosh', '–')} | {v.get('opensearch', '–')} |")
    lines.append("")
    if ERRORS:
        lines += ["## Errors (requests that failed and are missing from the figures)", ""]
        lines += [f"- `{where}`: {error[:300]}" for where, error in sorted(ERRORS.items())]
        lines.append("")
    return "\n".join(lines)


def opensearch_in_child(args, url: str, saved: Path) -> dict:
    """The OpenSearch build in a child process (`--build-opensearch`), so that its extraction's memory does not
    stay in this process, whose RSS is the Whoosh side's figure."""
    from search.api import has_index

    if args.reuse_opensearch_index and saved.exists() and has_index(engine="opensearch", url=url):
        return opensearch_index(None, url, True, saved)
    command = [sys.executable, "-m", "bench.engines", "--build-opensearch", "--docs", str(args.docs),
               "--work", str(args.work), "--url", url, "--alias", args.alias]
    subprocess.run(command, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO, check=True)
    return json.loads(saved.read_text())


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Whoosh and OpenSearch on the same archive and workload (issues 8, 12)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/depesche-bench"))
    parser.add_argument("--seed", type=int, default=12, help="the workload's seed (bench/run.py's default)")
    parser.add_argument("--url", default=None, help="the cluster (default: $DEPESCHE_OPENSEARCH_URL or http://127.0.0.1:9200)")
    parser.add_argument("--alias", default="depesche-bench", help="the OpenSearch alias the benchmark builds and searches")
    parser.add_argument("--opensearch-dir", type=Path, default=None,
                        help="the launcher's state folder with the node pid files (default: as opensearch/start.sh)")
    parser.add_argument("--workers", type=int, default=None, help="Whoosh indexing processes (default: one per core)")
    parser.add_argument("--reuse-whoosh-index", action="store_true", help="skip the Whoosh rebuild if its index exists")
    parser.add_argument("--reuse-opensearch-index", action="store_true",
                        help="skip the OpenSearch rebuild if the alias exists and the figures of its build were saved")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--build-opensearch", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    os.environ["DEPESCHE_OPENSEARCH_INDEX"] = args.alias  # the writer and the engine take the alias from here
    from search.opensearch.client import cluster_url

    url = cluster_url(args.url)
    corpus = args.work / f"corpus-{args.docs}"
    root = args.work / f"index-{args.docs}"
    saved = args.work / f"engines-opensearch-{args.docs}.json"
    if args.build_opensearch:
        opensearch_index(corpus, url, False, saved)
        return
    state = args.opensearch_dir or Path(os.environ.get("DEPESCHE_OPENSEARCH_DIR") or Path(os.environ.get("TMPDIR", "/tmp")) / "depesche-opensearch")

    from bench import workload as workload_module
    from bench.generate import generate

    if not (corpus / ".complete").exists() and not (args.reuse_whoosh_index and (root / "current").exists()):
        log(f"generating {args.docs:,} releases in {corpus} ...")
        generate(args.docs, corpus)
        (corpus / ".complete").write_text("ok")
    files = sum(1 for p in corpus.rglob("*.txt"))
    loadavg = lambda: " / ".join(f"{x:.2f}" for x in os.getloadavg())  # noqa: E731
    figures: dict = {
        "command": "python -m bench.engines " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine(), "extractor": extractor_name(),
        "corpus": str(corpus), "files": files, "alias": args.alias, "seed": args.seed, "warm_rounds": WARM_ROUNDS,
        "load_before": loadavg(), "memory": {}, "python_rss": {},
    }
    figures["memory"]["at the start"] = node_memory(state, url)
    index = {"opensearch": opensearch_in_child(args, url, saved)}
    log("OpenSearch index:", index["opensearch"])
    if index["opensearch"].get("reused"):
        if index["opensearch"].get("nodes_after_indexing"):
            figures["memory"]["after indexing (the indexing run)"] = index["opensearch"]["nodes_after_indexing"]
    else:
        figures["memory"]["after indexing"] = index["opensearch"]["nodes_after_indexing"] = node_memory(state, url)
        saved.write_text(json.dumps(index["opensearch"], indent=2), encoding="utf-8")
    index["whoosh"] = whoosh_index(corpus, root, args.reuse_whoosh_index, args.workers)
    log("Whoosh index:", index["whoosh"])
    figures["index"] = index
    figures["cluster"] = cluster_facts(url, args.alias)

    work = workload_module.build(corpus, top_facet_values(root), args.seed)
    assert workload_module.distinct(work), "the workload repeats a request"
    figures["requests"] = work
    figures["python_rss"]["before the engines are opened"] = own_memory()
    figures["load_queries"] = loadavg()
    engines = open_engines(root, url)
    log("the workload:", ", ".join(f"{len(v)} {k}" for k, v in work.items()))
    times, figures["totals"] = run_workload(engines, work, url, args.alias)
    figures["python_rss"]["after the workload"] = own_memory()
    figures["memory"]["after the workload"] = node_memory(state, url)
    everything_but_cold = {k: v for k, v in work.items() if k != workload_module.COLD_CLASS}
    figures["queries"] = {name: by_class(work, times[name]) for name in engines}
    for name in engines:
        figures["queries"][f"{name} all"] = summary([times[name][_key(a)] for rs in everything_but_cold.values()
                                                    for a in rs if _key(a) in times[name]])
    figures["docs"] = {name: engine.search(params_of({})).total for name, engine in engines.items()}
    log("workload done:", json.dumps(figures["queries"]))
    actors, years = top_values(root)
    figures["warm"] = warm_mix(engines, query_mix(actors, years), WARM_ROUNDS)
    figures["python_rss"]["after the warm-cache mix"] = own_memory()
    figures["load_after"] = loadavg()
    figures["errors"] = ERRORS
    text = write_report(figures)
    args.out.write_text(text, encoding="utf-8")
    (args.work / f"engines-figures-{args.docs}.json").write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
