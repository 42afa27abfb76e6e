"""When each release arrived in the index (`search.arrival`): set once, kept by updates and rebuilds, and what
`SearchParams.arrived` filters on, on the Whoosh engine (the OpenSearch test is in test_alerts_opensearch.py)."""

from __future__ import annotations

from pathlib import Path

from search import SearchParams
from search.engine import WhooshEngine
from search.indexer import index_sources

from .alerting import write_release

EVERYTHING = 2**62


def _new_ids(engine, after: int, until: int = EVERYTHING, query: str = "") -> list[str]:
    found = engine.search(SearchParams(query=query, arrived=(after, until), per_page=100, sort="newest"))
    return sorted(hit.id for hit in found.hits)


def test_an_update_marks_only_new_releases_as_arrived_and_keeps_the_others(tmp_path: Path):
    sources, root = tmp_path / "releases", tmp_path / "index"
    write_release(sources, "a", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Energie.")
    write_release(sources, "b", "Besuch in Tiflis", "Die Delegation reiste nach Tiflis.", "Es ging um Verkehr.")
    index_sources([sources], root, workers=0)
    engine = WhooshEngine(root)
    first = engine.last_arrival()
    assert first > 0
    assert _new_ids(engine, 0) == ["a", "b"]

    write_release(sources, "a", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Gas.")  # changed
    write_release(sources, "c", "Neue Gespräche in Baku", "Die Ministerin kam nach Baku.", "Es ging um Handel.")
    index_sources([sources], root, update=True, workers=0)
    second = engine.last_arrival()
    assert second > first
    assert _new_ids(engine, first) == ["c"]  # the rewritten release "a" arrived before
    assert _new_ids(engine, first, query="Baku") == ["c"]
    assert _new_ids(engine, 0, first) == ["a", "b"]


def test_a_rebuild_keeps_when_each_release_arrived(tmp_path: Path):
    sources, root = tmp_path / "releases", tmp_path / "index"
    write_release(sources, "a", "Gespräche in Baku", "Der Minister traf Kollegen in Baku.", "Es ging um Energie.")
    index_sources([sources], root, workers=0)
    engine = WhooshEngine(root)
    first = engine.last_arrival()
    write_release(sources, "b", "Besuch in Tiflis", "Die Delegation reiste nach Tiflis.", "Es ging um Verkehr.")
    index_sources([sources], root, workers=2)  # a full rebuild, in worker processes
    assert _new_ids(engine, first) == ["b"]
    assert _new_ids(engine, 0, first) == ["a"]
