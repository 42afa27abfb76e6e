"""What `search.engine.whoosh_internals` relies on, pinned against Whoosh's public answers on a real index.

A Whoosh upgrade that renames or changes one of the private attributes fails here, with the name of what
changed, instead of failing (or silently answering wrong) inside a query. No other module of search/ or web/
may touch a private Whoosh attribute: the last test scans for one.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
from pathlib import Path

import numpy as np
import pytest
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.query import Term
from whoosh.query.spans import SpanNear2
from whoosh.scoring import BM25F
from whoosh.util.numeric import length_to_byte

from search.engine import store, whoosh_internals as wi

REPO = Path(__file__).resolve().parents[1]
FIELD = "body"


@pytest.fixture(scope="module")
def segment(sample_index):
    index = store.open_generation(store.current_generation(sample_index))
    with index.searcher() as searcher:
        reader = searcher.reader()
        yield reader if reader.is_atomic() else next(iter(reader.leaf_readers()))[0]


def frequent_term(segment) -> bytes:
    """The term of the body with the most postings (several blocks)."""
    return max(segment.lexicon(FIELD), key=lambda text: segment.doc_frequency(FIELD, text))


def test_the_whoosh_version_is_the_one_pinned():
    assert importlib.metadata.version("whoosh-reloaded") == wi.PINNED_VERSION, (
        "Whoosh changed: re-check every private attribute in search/engine/whoosh_internals.py, then the pin"
    )


def test_the_block_matcher_has_the_private_attributes_read():
    for name in ("_data", "_values", "_byteids"):
        assert name in W3LeafMatcher.__init__.__code__.co_names or name in W3LeafMatcher._goto.__code__.co_names
    for method in ("_read_data", "_read_values", "_next_block"):
        assert callable(getattr(W3LeafMatcher, method))


def test_blocks_give_every_posting_whoosh_gives(segment):
    text = frequent_term(segment)
    matcher = wi.leaf_matcher(segment, FIELD, text)
    assert wi.in_blocks(matcher)
    found = list(wi.blocks(matcher, values=True))
    ids = np.concatenate([block[0] for block in found]).tolist()
    weights = np.concatenate([block[1] for block in found]).tolist()
    public = segment.postings(FIELD, text)
    expected = []
    while public.is_active():
        expected.append((public.id(), public.weight(), public.value()))
        public.next()
    assert ids == [e[0] for e in expected] and len(ids) > 1
    assert weights == pytest.approx([e[1] for e in expected])
    assert [v for block in found for v in block[2]] == [e[2] for e in expected]


def test_the_term_walk_gives_the_lexicon_in_order(segment):
    walked = [text for text, _ in wi.term_matchers(segment, FIELD)]
    assert walked == list(segment.lexicon(FIELD))


def test_the_segment_folder_is_the_generation(sample_index, segment):
    assert wi.segment_folder(segment) == store.current_generation(sample_index)
    assert Path(wi.storage_path(segment._storage, "x.seg")) == wi.segment_folder(segment) / "x.seg"


def test_columns_read_in_one_piece_are_whoosh_s_values(segment):
    datekeys = segment.column_reader("datekey")
    assert wi.fixed_column(segment, "datekey").tolist() == [int(v) for v in datekeys]
    ids = segment.column_reader("id")
    assert wi.string_column(segment, "id") == [v.decode() if isinstance(v, bytes) else v for v in ids]


def test_length_codes_are_the_coded_field_lengths(segment):
    codes = wi.length_codes(segment, FIELD)
    expected = [length_to_byte(segment.doc_field_length(d, FIELD, 0)) for d in range(segment.doc_count_all())]
    assert codes.tolist() == expected and max(expected) > 0


def test_field_b_is_the_per_field_setting():
    weighting = BM25F(B=0.75, title_B=0.3)
    assert (wi.field_b(weighting, "title"), wi.field_b(weighting, FIELD)) == (0.3, 0.75)


def test_spans_match_tests_the_current_document(sample_index):
    index = store.open_generation(store.current_generation(sample_index))
    with index.searcher() as searcher:
        near = SpanNear2([Term(FIELD, "ilham"), Term(FIELD, "aliyev")], slop=1, ordered=False)  # "Ilham Aliyev"
        public = {docnum for docnum in near.docs(searcher)}
        matcher = near.matcher(searcher)
        assert public and matcher.is_active() and matcher.id() in public and wi.spans_match(matcher)


def test_the_segment_writer_steps_exist():
    for method in ("_flush_segment", "_finalize_segment", "_close_segment", "_commit_toc", "_finish"):
        assert callable(getattr(wi.LengthsWriter, method)), method


def private_uses(path: Path) -> list[str]:
    """`x._attr` (x not self or cls: a private attribute of another object, which in these modules is Whoosh's)
    and private names imported from Whoosh, in `path`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__") \
                and getattr(node.value, "id", "") not in ("self", "cls", "os"):  # os._exit is public
            found.append(f"{path.name}:{node.lineno} {node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
            found += [f"{path.name}:{node.lineno} {a.name}" for a in node.names if a.name.startswith("_")]
    return found


def whoosh_modules() -> list[Path]:
    """The modules that can hold a Whoosh object: the engine's, and any other that imports Whoosh."""
    paths = sorted([*REPO.glob("search/**/*.py"), *REPO.glob("web/**/*.py")])
    return [p for p in paths if p.parent.name == "engine" or re.search(r"^\s*(from|import) whoosh", p.read_text(
        encoding="utf-8"), re.M)]


def test_the_scan_sees_a_private_use(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("from whoosh.codec.whoosh3 import _lenfield\nm._data[0]\nself._data = 1\n"
                      "index._DEF_INDEX_NAME\n", encoding="utf-8")
    assert sorted(private_uses(sample)) == ["sample.py:1 _lenfield", "sample.py:2 _data", "sample.py:4 _DEF_INDEX_NAME"]


def test_no_other_module_touches_a_private_whoosh_attribute():
    modules = [p for p in whoosh_modules() if p.name != "whoosh_internals.py"]
    assert len(modules) > 5  # the engine is scanned
    assert [use for path in modules for use in private_uses(path)] == []
