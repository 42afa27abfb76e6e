"""Whoosh against OpenSearch on the same generated archive, in one run (the benchmark part of issue 8).

One command: `python -m bench.engines --docs 100000 --url http://127.0.0.1:9200 --reuse-whoosh-index`
(validate first with `--docs 2000`). It
1. generates the archive (bench.generate) under `--work` unless it is already there;
2. builds the Whoosh index of it (`index_sources`, worker processes), or with `--reuse-whoosh-index` takes the
   existing one and its build time from its `build.json`;
3. builds the OpenSearch index of the same folder (`index_sources(..., engine="opensearch")`: extraction in this
   one process, then the writer's bulk load, replica and alias switch), into its own alias (`--alias`, default
   `depesche-bench`, so the alias the tests use is never touched), or reuses it with `--reuse-opensearch-index`;
4. replays the fixed query mix of bench/run.py (`query_mix`, `params_of`, `summary` imported from there) through
   `search.api.open_engine(..., engine="whoosh" | "opensearch")`, answer cache off on the Whoosh side, the two
   engines interleaved query by query so that the load of other work on the machine falls on both alike;
5. reads the resident memory of the OpenSearch nodes (their pid files in the launcher's state folder) and their
   JVM heap (`_nodes/stats`), and prints and writes `bench/ENGINES.md` with the machine and the corpus size.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

from bench.run import extractor_name, machine, params_of, query_mix, rss_mb, summary, top_values

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "ENGINES.md"
ENGINES = ("whoosh", "opensearch")
ERRORS: dict[str, str] = {}
WARM_UP_WORD = "Hauptstadt"


def log(*parts) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


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
    log(f"OpenSearch: indexing {corpus} (extraction in this process, then bulk load) ...")
    before = rss_mb()
    started = time.monotonic()
    report = index_sources([corpus], None, engine="opensearch", url=url)
    seconds = time.monotonic() - started
    # report.seconds is taken before the writer's finish(): extraction, analysis of the words, spooling;
    # the rest is finish(): decompounder list, create index, bulk load, replica, alias switch
    figures = {
        "docs": report.indexed, "seconds": seconds, "docs_per_s": report.indexed / seconds,
        "extract_seconds": report.seconds, "load_seconds": seconds - report.seconds,
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


def open_engines(root: Path, url: str) -> dict:
    from search.api import open_engine

    engines = {name: open_engine(root, engine=name, url=url) for name in ENGINES}
    engines["whoosh"].cache = False  # every search computed, as bench/run.py measures it
    return engines


def replay(engines: dict, mix: dict, rounds: int) -> tuple[dict, dict, dict]:
    """Per engine: class -> summary of all rounds, class -> summary of the first round; and query -> totals."""
    for engine in engines.values():
        # open the snapshot / the connection, and load the German analyzer's dictionaries (the first word query
        # of a Whoosh process takes 1.5 s for that), with a word that is not in the mix: as a running server has
        engine.search(params_of({}))
        engine.search(params_of({"q": WARM_UP_WORD}))
    times = {name: {cls: [] for cls in mix} for name in engines}
    first = {name: {} for name in engines}
    totals: dict[str, dict] = {}
    for round_number in range(rounds):
        if round_number == 1:
            first = {name: {cls: summary(v) for cls, v in by_class.items() if v} for name, by_class in times.items()}
        for cls, queries in mix.items():
            for args in queries:
                params = params_of(args)
                key = json.dumps(args, ensure_ascii=False)
                for name, engine in engines.items():
                    started = time.perf_counter()
                    try:
                        results = engine.search(params)
                    except Exception as error:  # recorded, not fatal
                        ERRORS.setdefault(f"{name} {cls} {key}", f"{type(error).__name__}: {error}")
                        continue
                    times[name][cls].append((time.perf_counter() - started) * 1000)
                    totals.setdefault(key, {})[name] = results.total
        log(f"round {round_number + 1} of {rounds} done")
    if rounds == 1:
        first = {name: {cls: summary(v) for cls, v in by_class.items() if v} for name, by_class in times.items()}
    every = {name: {cls: summary(v) for cls, v in by_class.items() if v} for name, by_class in times.items()}
    return every, first, totals


# -- report -------------------------------------------------------------------------------------------------


def fmt(s: dict | None) -> str:
    return f"{s['p50']:.1f} / {s['p95']:.1f} / {s['max']:.1f}" if s else "–"


def write_report(f: dict) -> str:
    m, w, o = f["machine"], f["index"]["whoosh"], f["index"]["opensearch"]
    c = f["cluster"]
    lines = [
        "# Whoosh and OpenSearch on the same archive (issue 8)",
        "",
        f"Run: `{f['command']}` on {f['date']} (UTC); written by the run itself.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), {m['ram_gb']} GB RAM, Python {m['python']}, {m['platform']}. "
        f"Load average {f['load_before']} at the start, {f['load_after']} at the end: other engineers' test suites "
        "shared the 2 cores, so every figure is on the pessimistic side, for both engines alike (the engines are "
        "interleaved query by query).",
        f"Archive: {f['corpus']} — {f['files']:,} release files generated by bench/generate.py; the Whoosh index "
        f"holds {f['docs']['whoosh']:,} releases, the OpenSearch alias `{f['alias']}` {f['docs']['opensearch']:,}. "
        f"Extraction: {f['extractor']}.",
        f"Cluster: OpenSearch {c.get('version', '?')}, {c.get('nodes', '?')} nodes started by opensearch/start.sh "
        f"(one JVM each, heap {', '.join(f'{k} {v:.0f} MB' for k, v in sorted(c.get('heap', {}).items())) or '?'}), "
        f"on the same 2 cores as the benchmark; index {c.get('shards', '?')} primary shards, {c.get('replicas', '?')} "
        f"replica, status {c.get('status', '?')}; analysis: the terms of the project's chain (no OpenSearch analyzer).",
        "",
        "## Indexing (extraction included)",
        "",
        "| engine | releases | seconds | docs/s | how | on disk |",
        "|---|---|---|---|---|---|",
        f"| Whoosh | {w['docs']:,} | {w['seconds']:.0f} | {w['docs_per_s']:.0f} | "
        + (f"{w['workers']} worker processes" if w.get("workers") is not None else f"worker processes (reused index, {w['reused']})")
        + f" | {w['disk_mb']:.0f} MB |",
        f"| OpenSearch | {o['docs']:,} | {o['seconds']:.0f} | {o['docs_per_s']:.0f} | one process: extraction and spool "
        f"{o['extract_seconds']:.0f} s, then decompounder list, bulk load, replica and alias switch {o['load_seconds']:.0f} s"
        + (f"; the replica was green {o['green_after_s']:.0f} s after that" if o.get("green_after_s") is not None else "")
        + (f" ({o['reused']})" if o.get("reused") else "")
        + f" | {c.get('store_primary_mb', 0):.0f} MB primaries, {c.get('store_total_mb', 0):.0f} MB with the replica |",
        "",
        f"The indexing process's peak RSS during the OpenSearch build: {o.get('python_peak_rss_mb', 0):.0f} MB.",
        "",
        "## Faceted search (all 7 facets, histogram, 10 hits with highlighted snippets; Whoosh answer cache off)",
        "",
        "p50 / p95 / max in ms, over all rounds; the first round (nothing decoded or cached yet but the OS page cache) "
        "on the right.",
        "",
        "| query class | n | Whoosh | OpenSearch | OpenSearch / Whoosh (p50) | Whoosh, first round | OpenSearch, first round |",
        "|---|---|---|---|---|---|---|",
    ]
    lw, lo = f["queries"]["whoosh"], f["queries"]["opensearch"]
    fw, fo = f["first"]["whoosh"], f["first"]["opensearch"]
    for cls in f["classes"]:
        a, b = lw.get(cls), lo.get(cls)
        ratio = f"{b['p50'] / a['p50']:.2f}x" if a and b and a["p50"] else "–"
        n = max((a or {}).get("n", 0), (b or {}).get("n", 0))
        lines.append(f"| {cls} | {n} | {fmt(a)} | {fmt(b)} | {ratio} | {fmt(fw.get(cls))} | {fmt(fo.get(cls))} |")
    lines += [
        "",
        f"Each class: the fixed mix of bench/run.py, {f['rounds']} rounds, each query through "
        "`search.api.open_engine(..., engine=...)` in this process (the OpenSearch figures include the HTTP round "
        "trips of opensearch-py: a text query is a `dfs_query_then_fetch` search).",
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
    lines += [
        f"| this Python process after the replay (Whoosh engine with its caches, and the OpenSearch client) | "
        f"{f['python_rss'][0]:.0f} | {f['python_rss'][1]:.0f} | – |",
        "",
        "For comparison, bench/RESULTS.md measured the Whoosh web server at 100,000 releases at 227 MB after its HTTP "
        "mix (peak 272 MB).",
        "",
        "## Same answers?",
        "",
    ]
    differ = {k: v for k, v in f["totals"].items() if len(set(v.values())) > 1}
    lines.append(f"{len(f['totals']) - len(differ)} of {len(f['totals'])} queries of the mix have the same number of "
                 "hits on both engines" + (": those that differ:" if differ else "."))
    if differ:
        lines += ["", "| query | Whoosh | OpenSearch |", "|---|---|---|"]
        for key, v in differ.items():
            lines.append(f"| `{key}` | {v.get('whoosh', '–')} | {v.get('opensearch', '–')} |")
    lines.append("")
    if ERRORS:
        lines += ["## Errors (queries that failed and are missing from the figures)", ""]
        lines += [f"- `{where}`: {error[:300]}" for where, error in sorted(ERRORS.items())]
        lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Whoosh and OpenSearch on the same archive (issue 8)")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/depesche-bench"))
    parser.add_argument("--url", default=None, help="the cluster (default: $DEPESCHE_OPENSEARCH_URL or http://127.0.0.1:9200)")
    parser.add_argument("--alias", default="depesche-bench", help="the OpenSearch alias the benchmark builds and searches")
    parser.add_argument("--opensearch-dir", type=Path, default=None,
                        help="the launcher's state folder with the node pid files (default: as opensearch/start.sh)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--workers", type=int, default=None, help="Whoosh indexing processes (default: one per core)")
    parser.add_argument("--reuse-whoosh-index", action="store_true", help="skip the Whoosh rebuild if its index exists")
    parser.add_argument("--reuse-opensearch-index", action="store_true",
                        help="skip the OpenSearch rebuild if the alias exists and the figures of its build were saved")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    os.environ["DEPESCHE_OPENSEARCH_INDEX"] = args.alias  # the writer and the engine take the alias from here
    from search.opensearch.client import cluster_url

    url = cluster_url(args.url)
    state = args.opensearch_dir or Path(os.environ.get("DEPESCHE_OPENSEARCH_DIR") or Path(os.environ.get("TMPDIR", "/tmp")) / "depesche-opensearch")

    from bench.generate import generate

    corpus = args.work / f"corpus-{args.docs}"
    root = args.work / f"index-{args.docs}"
    if not (corpus / ".complete").exists() and not (args.reuse_whoosh_index and (root / "current").exists()):
        log(f"generating {args.docs:,} releases in {corpus} ...")
        generate(args.docs, corpus)
        (corpus / ".complete").write_text("ok")
    files = sum(1 for p in corpus.rglob("*.txt"))
    figures: dict = {
        "command": "python -m bench.engines " + " ".join(argv if argv is not None else sys.argv[1:]),
        "date": time.strftime("%Y-%m-%d %H:%M", time.gmtime()), "machine": machine(), "extractor": extractor_name(),
        "corpus": str(corpus), "files": files, "alias": args.alias, "rounds": args.rounds,
        "load_before": " / ".join(f"{x:.1f}" for x in os.getloadavg()), "memory": {},
    }
    figures["memory"]["at the start"] = node_memory(state, url)
    index = {"opensearch": opensearch_index(corpus, url, args.reuse_opensearch_index, args.work / f"engines-opensearch-{args.docs}.json")}
    log("OpenSearch index:", index["opensearch"])
    if index["opensearch"].get("reused"):
        if index["opensearch"].get("nodes_after_indexing"):
            figures["memory"]["after indexing (the indexing run)"] = index["opensearch"]["nodes_after_indexing"]
    else:
        figures["memory"]["after indexing"] = index["opensearch"]["nodes_after_indexing"] = node_memory(state, url)
        saved = args.work / f"engines-opensearch-{args.docs}.json"
        saved.write_text(json.dumps(index["opensearch"], indent=2), encoding="utf-8")
    index["whoosh"] = whoosh_index(corpus, root, args.reuse_whoosh_index, args.workers)
    log("Whoosh index:", index["whoosh"])
    figures["index"] = index
    figures["cluster"] = cluster_facts(url, args.alias)

    actors, years = top_values(root)
    mix = query_mix(actors, years)
    figures["classes"] = list(mix)
    engines = open_engines(root, url)
    figures["docs"] = {name: engine.search(params_of({})).total for name, engine in engines.items()}
    log("documents:", figures["docs"])
    figures["queries"], figures["first"], figures["totals"] = replay(engines, mix, args.rounds)
    figures["memory"]["after the query mix"] = node_memory(state, url)
    figures["python_rss"] = rss_mb()
    figures["load_after"] = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    figures["errors"] = ERRORS
    text = write_report(figures)
    args.out.write_text(text, encoding="utf-8")
    (args.work / f"engines-figures-{args.docs}.json").write_text(json.dumps(figures, indent=2, default=str), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
