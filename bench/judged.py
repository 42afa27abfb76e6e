"""The second judged set (tests/judged2) on any revision of Depesche: this code, or an earlier commit's ranking.

    python -m bench.judged                               # this checkout, Whoosh engine
    python -m bench.judged --previous 8556d3c            # the ranking of an earlier commit, same releases
    python -m bench.judged --previous 8556d3c --engine opensearch --url http://127.0.0.1:9200

The revision is checked out into a temporary git worktree and run in a subprocess with that worktree first on
the path, so its own analysis, query parsing and ranking answer; the scoring (tests/judging.py) is this
checkout's, the same for every revision. Needs ../shared (the 10kGNAD articles and the seed). Prints the table.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests import judging  # noqa: E402

SHARED = Path(os.environ.get("DEPESCHE_SHARED") or REPO.parent / "shared")

# Run inside the revision's checkout: index the releases, then answer every query with the top ids.
RANKER = r"""
import json, os, sys
from pathlib import Path
from search.indexer import index_sources
from search.model import SearchParams
engine_name, url, work, sources, queries = sys.argv[1], sys.argv[2], Path(sys.argv[3]), json.loads(sys.argv[4]), json.loads(sys.argv[5])
if engine_name == "opensearch":
    os.environ["DEPESCHE_OPENSEARCH_INDEX"] = "judged-bench-%d" % os.getpid()
    index_sources([Path(s) for s in sources], work / "unused", engine="opensearch", url=url)
    from search.opensearch import OpenSearchEngine
    engine = OpenSearchEngine(url, os.environ["DEPESCHE_OPENSEARCH_INDEX"])
else:
    index_sources([Path(s) for s in sources], work / "index")
    from search.engine import WhooshEngine
    engine = WhooshEngine(work / "index")
answers = {}
for text, follow in queries:
    try:
        results = engine.search(SearchParams(query=text, per_page=10))
        if not results.hits and follow and results.suggestion:
            results = engine.search(SearchParams(query=results.suggestion, per_page=10))
        answers[text] = [hit.id for hit in results.hits]
    except Exception as error:  # an old revision may refuse a query: it found nothing
        answers[text] = []
if engine_name == "opensearch":
    from search.opensearch import connect
    client = connect(url)
    for name in client.indices.get(index=os.environ["DEPESCHE_OPENSEARCH_INDEX"] + "-*", ignore=[404]):
        client.indices.delete(index=name, ignore=[404])
print(json.dumps(answers))
"""


def rankings(code: Path, engine: str, url: str, work: Path) -> dict[str, list[str]]:
    gnad = judging.gnad_as_jsonl(SHARED / "corpus" / "10kgnad-test" / "docs.jsonl", work / "gnad.jsonl")
    sources = [str(gnad), str(SHARED / "seeds"), str(REPO / "search" / "sample")]
    queries = [(q["q"], q["class"] == "typo") for q in judging.queries()]
    env = {**os.environ, "PYTHONPATH": str(code)}
    done = subprocess.run(
        [sys.executable, "-c", RANKER, engine, url, str(work), json.dumps(sources), json.dumps(queries)],
        cwd=code, env=env, capture_output=True, text=True, check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    options = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    options.add_argument("--previous", help="a git revision to score instead of this checkout")
    options.add_argument("--engine", choices=("whoosh", "opensearch"), default="whoosh")
    options.add_argument("--url", default=os.environ.get("DEPESCHE_OPENSEARCH_URL", "http://127.0.0.1:9200"))
    args = options.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        code = REPO
        if args.previous:
            code = work / "checkout"
            subprocess.run(["git", "-C", str(REPO), "worktree", "add", "--detach", str(code), args.previous], check=True, capture_output=True)
        try:
            answers = rankings(code, args.engine, args.url, work)
        finally:
            if args.previous:
                subprocess.run(["git", "-C", str(REPO), "worktree", "remove", "--force", str(code)], check=False)
    label = f"{args.previous or 'this checkout'} ({args.engine})"
    judging.print_table({label: judging.score(lambda text, follow: answers[text], judging.queries())})


if __name__ == "__main__":
    main()
