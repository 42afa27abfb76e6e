"""A reindex killed at any moment (kill -9) never damages the live index; the next run cleans up and succeeds."""

import os
import random
import signal
import subprocess
import sys
import time

from search import SearchParams, api, open_engine
from search.engine import store
from search.indexer import index_sources


def big_corpus(folder, copies=30):
    """The bundled sample, copied `copies` times: enough releases for a run that takes a few seconds."""
    releases = sorted(api.SAMPLE_CORPUS.rglob("*.txt"))
    for copy in range(copies):
        for number, path in enumerate(releases):
            target = folder / f"kopie{copy:02d}" / f"{number:02d}.txt"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    return copies * len(releases)


def test_kill_9_mid_reindex_keeps_the_old_index_answering(tmp_path):
    root = tmp_path / "index"
    index_sources([api.SAMPLE_CORPUS], root)
    before = open_engine(root).search(SearchParams(query="Bayramov")).total
    live = store.current_generation(root)
    corpus = tmp_path / "big"
    expected = big_corpus(corpus)
    command = [sys.executable, "-m", "search", "index", str(corpus), "--index", str(root)]
    rng = random.Random(7)
    for _ in range(4):
        run = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.4, 1.6))
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
        run.wait()
        if run.returncode == 0:  # the run won the race and finished: the new index is live, and complete
            assert open_engine(root).search(SearchParams(every_version=True)).total == expected
            return
        assert store.current_generation(root) == live
        assert open_engine(root).search(SearchParams(query="Bayramov")).total == before
    finished = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert open_engine(root).search(SearchParams(every_version=True)).total == expected
    generations = {p.name for p in root.glob("gen-*")}
    assert generations == {live.name, store.current_generation(root).name}, "killed runs' leftovers are removed"
