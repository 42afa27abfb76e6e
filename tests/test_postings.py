"""Side postings and phrase matching on position arrays, against Whoosh's own postings and phrase matcher."""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from whoosh import query as wq

from search import api
from search.engine import WhooshEngine, phrases, postings, store
from search.engine.facets import leaf_readers, segment_postings
from search.engine.schema import TEXT_FIELDS
from search.indexer import index_sources
from search.model import SearchParams


@pytest.fixture(scope="module")
def index_root(tmp_path_factory):
    """The bundled sample, in two segments (one rebuilt with worker processes, one added by an update)."""
    root = tmp_path_factory.mktemp("postings-index")
    sources = tmp_path_factory.mktemp("postings-sources")
    shutil.copytree(api.SAMPLE_CORPUS, sources, dirs_exist_ok=True)
    index_sources([sources], root, workers=2)
    (sources / "2025" / "neu.txt").write_text(
        "NATO-Generalsekretär trifft Außenminister\nAm 3. März 2025 traf der NATO-Generalsekretär den Außenminister"
        " in Brüssel.\nDie Vereinten Nationen und die NATO sprachen über regionale Sicherheit in Baku.\n",
        encoding="utf-8",
    )
    index_sources([sources], root, update=True)
    return root


@pytest.fixture(scope="module")
def searcher(index_root):
    index = store.open_generation(store.current_generation(index_root))
    with index.searcher() as s:
        yield s


def whoosh_positions(reader, field, text):
    fmt = reader.schema[field].format
    matcher = reader.postings(field, text)
    ids, positions = [], []
    while matcher.is_active():
        ids.append(matcher.id())
        positions.append(fmt.decode_positions(matcher.value()))
        matcher.next()
    return ids, positions


def test_every_segment_has_side_postings(searcher):
    segments = leaf_readers(searcher)
    assert len([r for r, _ in segments if r.doc_count_all()]) >= 2
    for reader, _ in segments:
        if reader.doc_count_all():
            assert postings.for_reader(reader) is not None


def test_side_postings_equal_whoosh_postings(searcher):
    for reader, _ in leaf_readers(searcher):
        side = postings.for_reader(reader)
        if side is None:
            continue
        for field in TEXT_FIELDS:
            for text in reader.lexicon(field):
                ids, weights = side.fields[field].term(text)
                expected_ids, expected_weights = segment_postings(reader, field, text)
                assert ids.tolist() == expected_ids.tolist(), (field, text)
                assert np.allclose(weights, expected_weights), (field, text)
                position_ids, counts, flat = side.fields[field].term_positions(text)
                whoosh_ids, whoosh_lists = whoosh_positions(reader, field, text)
                assert position_ids.tolist() == whoosh_ids
                assert [p.tolist() for p in np.split(flat, np.cumsum(counts)[:-1])] == whoosh_lists, (field, text)
        assert side.fields["body"].term(b"no-such-term-anywhere")[0].size == 0


def adjacent_pairs(searcher, field: str, limit: int = 60) -> list[list[str]]:
    """Word pairs that stand next to each other somewhere in `field` (plus pairs that do not), as analysed."""
    analyzer = searcher.schema[field].analyzer
    pairs = []
    for fields in searcher.all_stored_fields():
        tokens = [t.text for t in analyzer(fields.get(field, ""), mode="query")]
        pairs.extend([a, b] for a, b in zip(tokens, tokens[1:]))
        pairs.extend([b, a] for a, b in zip(tokens[::7], tokens[3::7]))
    unique = list(dict.fromkeys(map(tuple, pairs)))
    return [list(p) for p in unique[:: max(1, len(unique) // limit)]] + [["nato", "generalsekretar"], ["vereint", "nation", "und"]]


def test_phrase_matches_and_scores_equal_whoosh(searcher):
    segments = leaf_readers(searcher)

    class RankerLike:  # what phrases.dense needs of a Ranker
        def __init__(self):
            from search.engine.facets import PostingCache
            from search.engine.scoring import Ranker

            live = np.ones(searcher.doc_count_all(), dtype=bool)
            for reader, offset in segments:
                for d in reader.deleted_docs() if reader.has_deletions() else ():
                    live[d + offset] = False
            self.ranker = Ranker(searcher, PostingCache(segments), live)

    ranker = RankerLike().ranker
    checked = 0
    for field in ("title", "body"):
        for words in adjacent_pairs(searcher, field):
            q = wq.Phrase(field, words, boost=1.5)
            expected = {docnum: score for docnum, score in _whoosh_matches(searcher, q)}
            mask, scores = phrases.dense(ranker, q)
            assert set(np.flatnonzero(mask).tolist()) == set(expected), words
            for docnum, score in expected.items():
                assert scores[docnum] == pytest.approx(score, rel=1e-6), words
            checked += bool(expected)
    assert checked >= 20


def _whoosh_matches(searcher, q):
    for sub, offset in searcher.leaf_searchers():
        matcher = q.matcher(sub, searcher.context())
        while matcher.is_active():
            yield matcher.id() + offset, matcher.score()
            matcher.next()


def test_an_index_without_side_postings_answers_the_same(index_root, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(index_root, copy, symlinks=True)
    generation = store.current_generation(copy)
    for folder in generation.glob(f"*{postings.SUFFIX}"):
        shutil.rmtree(folder)
    queries = ['"Vereinten Nationen"', "Sicherheit Baku", "NATO-Generalsekretär", '"regionale Sicherheit"', "Minister"]
    with_side, without = WhooshEngine(index_root, cache=False), WhooshEngine(copy, cache=False)
    for text in queries:
        params = SearchParams(query=text)
        assert with_side.search(params) == without.search(params), text
    assert postings.write_generation(generation)  # written again for every segment
    assert WhooshEngine(copy, cache=False).search(SearchParams(query=queries[0])) == with_side.search(SearchParams(query=queries[0]))


def test_side_postings_that_do_not_fit_the_segment_are_ignored(index_root, tmp_path):
    copy = tmp_path / "stale"
    shutil.copytree(index_root, copy, symlinks=True)
    folder = next(store.current_generation(copy).glob(f"*{postings.SUFFIX}"))
    meta = folder / "meta.json"
    meta.write_text(meta.read_text().replace('"doc_count": ', '"doc_count": 1'), encoding="utf-8")
    assert postings.SegmentPostings.open(folder, 5) is None
    params = SearchParams(query='"Vereinten Nationen"')
    assert WhooshEngine(copy, cache=False).search(params) == WhooshEngine(index_root, cache=False).search(params)


def test_proximity_bonus_equals_whoosh_span_matchers(index_root, searcher):
    """The bonus of the top candidates, from position arrays, equals skipping Whoosh's span matchers to each."""
    from search.engine import proximity, query as query_syntax

    engine = WhooshEngine(index_root, cache=False)
    snap = engine.snapshot()
    checked = 0
    for text in ["Sicherheit Baku", "Außenminister Gespräche", "Vereinten Nationen Hilfe", "Minister Treffen Berlin",
                 "NATO Generalsekretär", "Zusammenarbeit Energie", "Präsident Besuch"]:
        q, _ = query_syntax.parse(text)
        if type(q) is not wq.AndMaybe:
            continue
        mask, _ = snap.ranker.dense(q.a)
        candidates = np.flatnonzero(mask)
        for near in q.b.subqueries if type(q.b) is wq.Or else [q.b]:
            assert proximity.supported(near)
            fast = proximity.partial_scores(snap.ranker, near, candidates)
            original = proximity.partial_scores
            proximity.partial_scores = lambda *args: None  # the Whoosh path of the same method
            try:
                slow = snap.ranker._partial_scores(near, candidates)
            finally:
                proximity.partial_scores = original
            assert np.allclose(fast, slow), text
            checked += int((slow > 0).sum())
    assert checked >= 5
