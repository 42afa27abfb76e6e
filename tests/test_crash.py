"""A reindex killed at any moment (kill -9) never damages the live index; the next run cleans up and succeeds."""

import signal
import subprocess
import sys

from search import SearchParams, api, open_engine
from search.engine import store
from search.indexer import index_sources

from .samples import copied_sample


# A run that SIGKILLs itself at a named point: the kill happens for certain, however fast the machine. A forked
# indexing worker kills the run (its parent), as `kill -9` of the command would; the workers die with it.
KILLED_AT = """
import os, signal, sys
from search.engine import postings, store
from search.extract import Extractor

RUN, POINT = os.getpid(), sys.argv.pop(1)


def die(*_args, **_kwargs):
    os.kill(RUN, signal.SIGKILL)


def before(module, name):
    original = getattr(module, name)
    setattr(module, name, lambda *a, **k: (die(), original(*a, **k))[1])


if POINT == "release":  # while releases are read and analysed: at the 40th one a process extracts
    extract, seen = Extractor.extract, [0]

    def counted(self, *args, **kwargs):
        seen[0] += 1
        if seen[0] == 40:
            die()
        return extract(self, *args, **kwargs)

    Extractor.extract = counted
elif POINT == "generation":  # the new generation just made, still empty
    made = store.new_generation
    store.new_generation = lambda *a, **k: (made(*a, **k), die())[0]
elif POINT == "postings":  # Whoosh has committed the new generation; its side postings are not written
    before(postings, "write_generation")
elif POINT == "switch":  # everything written, build info too: the moment before `current` moves
    before(store, "switch_to")
from search.cli import main
main()
"""
KILL_POINTS = ("generation", "release", "postings", "switch")


def test_kill_9_mid_reindex_keeps_the_old_index_answering(tmp_path):
    root = tmp_path / "index"
    index_sources([api.SAMPLE_CORPUS], root)
    before = open_engine(root).search(SearchParams(query="Bayramov")).total
    live = store.current_generation(root)
    corpus = tmp_path / "big"
    expected = copied_sample(corpus, copies=8)  # 192 releases: a worker extracts 40 of them
    arguments = ["index", str(corpus), "--index", str(root)]
    for point in KILL_POINTS:
        run = subprocess.run([sys.executable, "-c", KILLED_AT, point, *arguments], capture_output=True, timeout=300)
        assert run.returncode == -signal.SIGKILL, (point, run.stderr[-2000:])
        assert store.current_generation(root) == live, point
        assert open_engine(root).search(SearchParams(query="Bayramov")).total == before, point
    assert len(list(root.glob("gen-*"))) > 1  # the killed runs left their generations behind
    finished = subprocess.run([sys.executable, "-m", "search", *arguments], capture_output=True, text=True, timeout=300)
    assert finished.returncode == 0, finished.stderr
    assert open_engine(root).search(SearchParams(every_version=True)).total == expected
    generations = {p.name for p in root.glob("gen-*")}
    assert generations == {live.name, store.current_generation(root).name}, "killed runs' leftovers are removed"
