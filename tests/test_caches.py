"""The process's caches are objects: bounded, locked where threads share them, keyed by values."""

from __future__ import annotations

import ast
import os
import threading
from pathlib import Path

from search.caches import LruCache
from search.engine import facets, store
from search.highlight import WordTerms
from search.opensearch.client import Clients

REPO = Path(__file__).resolve().parents[1]


def test_the_least_recently_used_value_goes_first():
    cache = LruCache(2)
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # "a" is now the most recent
    cache.put("c", 3)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (1, None, 3, 2)


def test_a_value_is_made_once_per_key_and_the_first_stored_wins():
    cache, made = LruCache(10), []
    assert cache.get_or_make("k", lambda: made.append(1) or "first") == "first"
    assert cache.get_or_make("k", lambda: made.append(2) or "second") == "first"
    assert cache.put("k", "third") == "first" and made == [1]


def test_threads_sharing_a_cache_keep_it_bounded():
    cache = LruCache(50)

    def fill(offset: int) -> None:
        for i in range(2_000):
            cache.get_or_make((offset, i % 120), lambda: i)

    threads = [threading.Thread(target=fill, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(cache) == 50


def test_word_terms_are_remembered_by_the_word():
    terms = WordTerms(size=4)
    first = terms("Außenminister")
    assert "#minist" in first and "#minist" not in terms("Außenminister", decompound=False)
    assert terms("Außenminister") is first  # remembered, not analysed again


def test_segment_tables_are_read_once_per_segment_and_field(sample_index):
    index = store.open_generation(store.current_generation(sample_index))
    facets.SEGMENT_TABLES.clear()
    with index.searcher() as searcher:
        first = facets.FacetTable.from_searcher(searcher, "actor", searcher.doc_count_all())
        kept = dict(facets.SEGMENT_TABLES._items)
        again = facets.FacetTable.from_searcher(searcher, "actor", searcher.doc_count_all())
    assert "Ceyhun Bayramov" in first.values and again.values == first.values
    assert kept and all(Path(folder) == store.current_generation(sample_index) and field == "actor"
                        for folder, _, field in kept)
    assert dict(facets.SEGMENT_TABLES._items) == kept  # the second table was made from the remembered segments


def test_a_forked_worker_drops_the_parent_s_lock_descriptors(tmp_path):
    held = store.HeldLocks()
    descriptor = os.open(tmp_path / "lock", os.O_CREAT | os.O_RDWR)
    held.add(descriptor)
    held.drop_inherited()
    try:
        os.fstat(descriptor)
        closed = False
    except OSError:
        closed = True
    assert closed


def test_one_client_per_cluster_url():
    clients = Clients()
    first = clients.get("http://127.0.0.1:9200")
    assert clients.get("http://127.0.0.1:9200") is first
    assert clients.get("http://127.0.0.1:9201") is not first


def test_no_cache_is_keyed_by_id():
    calls = []
    for path in [*REPO.glob("search/**/*.py"), *REPO.glob("web/**/*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "id":
                calls.append(f"{path.name}:{node.lineno}")
    assert calls == []


def test_nothing_registers_at_fork_on_import():
    found = [p.name for p in REPO.glob("search/**/*.py") if "register_at_fork" in p.read_text(encoding="utf-8")]
    assert found == []
