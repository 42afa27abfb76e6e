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


class RecordingWriter:
    """A writer that keeps what it is given: an engine that loads in one place, as OpenSearch's bulk load."""

    def __init__(self):
        self.added, self.finished = [], None

    @staticmethod
    def analyse(entry):  # runs in the worker processes
        return {"words": len(entry.doc.body.split()), "pid": __import__("os").getpid()}

    def known(self):
        return {}

    def add(self, entry, terms=None):
        self.added.append((entry.doc.id, terms))

    def delete(self, doc_id):
        pass

    def finish(self, summary):
        self.finished = summary
        __import__("time").sleep(0.2)  # a bulk load

    def abort(self):
        pass


def test_parallel_extraction_hands_entries_to_a_one_place_writer_in_order(monkeypatch, tmp_path):
    """A rebuild on an engine without segments of its own still extracts in worker processes (as Whoosh's does),
    and the writer gets every release in reading order, with what its `analyse` made of it in the worker."""
    import os

    from search import api

    writer = RecordingWriter()
    monkeypatch.setattr(api, "writers", lambda *args: ((lambda: writer), None))
    report = index_sources([api.SAMPLE_CORPUS], tmp_path, engine="opensearch", workers=2)
    sequential = RecordingWriter()
    monkeypatch.setattr(api, "writers", lambda *args: ((lambda: sequential), None))
    index_sources([api.SAMPLE_CORPUS], tmp_path, engine="opensearch", workers=0)
    assert [doc_id for doc_id, _ in writer.added] == [doc_id for doc_id, _ in sequential.added]
    assert report.indexed == len(writer.added) > 20 and writer.finished["indexed"] == report.indexed
    assert all(terms["words"] > 0 for _, terms in writer.added)
    assert {terms["pid"] for _, terms in writer.added} - {os.getpid()}, "no worker process did the work"
    assert report.seconds >= writer.finished["seconds"] + 0.19  # the report's time includes the writer's finish
