"""Building and updating an index: atomic switch, --update by content hash, one writer at a time."""

import pytest

from search import IndexBusy, SearchParams, open_engine
from search.engine import store
from search.indexer import index_sources


def release(folder, name, title, body="Der Außenminister sprach in Baku."):
    path = folder / f"{name}.txt"
    path.write_text(f"{title}\nVorspann zu {title}.\n{body}\n", encoding="utf-8")
    return path


def ids(root, query=""):
    results = open_engine(root).search(SearchParams(query=query, per_page=100))
    return sorted(hit.id for hit in results.hits)


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "releases"
    folder.mkdir()
    release(folder, "a", "Minenräumung in Aghdam")
    release(folder, "b", "Gipfeltreffen in Brüssel")
    return folder


def test_rebuild_indexes_everything_and_reports(corpus, tmp_path):
    report = index_sources([corpus], tmp_path / "index")
    assert (report.indexed, report.updated, report.removed, report.skipped) == (2, 0, 0, [])
    assert ids(tmp_path / "index") == ["a", "b"]


def test_failed_rebuild_leaves_the_live_index_answering(corpus, tmp_path, monkeypatch):
    root = tmp_path / "index"
    index_sources([corpus], root)
    live = store.current_generation(root)
    release(corpus, "c", "Neue Meldung")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("search.indexer.make_entry", broken)
    with pytest.raises(RuntimeError):
        index_sources([corpus], root)
    assert store.current_generation(root) == live
    assert ids(root) == ["a", "b"]
    assert [p.name for p in root.glob("gen-*")] == [live.name], "the failed generation is removed"


def test_engine_sees_a_finished_rebuild_without_reopening(corpus, tmp_path):
    root = tmp_path / "index"
    index_sources([corpus], root)
    engine = open_engine(root)
    assert engine.search(SearchParams()).total == 2
    release(corpus, "c", "Neue Meldung")
    index_sources([corpus], root)
    assert engine.search(SearchParams()).total == 3


def test_update_adds_changes_and_removes_by_content_hash(corpus, tmp_path):
    root = tmp_path / "index"
    index_sources([corpus], root)
    release(corpus, "a", "Minenräumung in Aghdam", body="Neue Fassung über Entminung.")
    (corpus / "b.txt").unlink()
    release(corpus, "c", "Energiepartnerschaft mit Kasachstan")
    report = index_sources([corpus], root, update=True)
    assert (report.indexed, report.updated, report.unchanged, report.removed) == (1, 1, 0, 1)
    assert ids(root) == ["a", "c"]
    assert ids(root, "Entminung") == ["a"]
    again = index_sources([corpus], root, update=True)
    assert (again.indexed, again.updated, again.unchanged, again.removed) == (0, 0, 2, 0)


def test_a_second_writer_gets_a_clear_message(corpus, tmp_path):
    root = tmp_path / "index"
    index_sources([corpus], root)
    with store.writer_lock(root):
        with pytest.raises(IndexBusy, match="another 'depesche index' run"):
            index_sources([corpus], root)
    assert ids(root) == ["a", "b"]


def test_leftovers_of_a_killed_run_are_cleaned_up(corpus, tmp_path):
    root = tmp_path / "index"
    index_sources([corpus], root)
    (root / "gen-20000101T000000-1-1").mkdir()  # what a run killed mid-build leaves behind
    index_sources([corpus], root)
    assert len(list(root.glob("gen-*"))) == 2, "the live generation and the one it replaced, nothing else"


def test_duplicate_ids_are_reported_not_silently_dropped(tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    first.mkdir(), second.mkdir()
    release(first, "same", "Erste")
    release(second, "same", "Zweite")
    report = index_sources([first, second], tmp_path / "index")
    assert report.indexed == 1
    assert [s.source for s in report.skipped] == ["same.txt"]


def test_update_keeps_a_release_whose_file_is_unreadable_for_now(corpus, tmp_path):
    root = tmp_path / "index"
    index_sources([corpus], root)
    (corpus / "b.txt").write_bytes(b"")  # being rewritten by whoever delivers it
    report = index_sources([corpus], root, update=True)
    assert [s.source for s in report.skipped] == ["b.txt"] and report.removed == 0
    assert ids(root) == ["a", "b"]
