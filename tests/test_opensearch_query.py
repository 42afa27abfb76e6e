"""The OpenSearch engine's request bodies and mapping, built without a cluster (they run on every machine)."""

from __future__ import annotations

from datetime import date

import pytest

pytest.importorskip("opensearchpy")

from search import querytree as qt  # noqa: E402
from search.engine.analysis import index_terms  # noqa: E402
from search.model import SearchParams  # noqa: E402
from search.opensearch import mapping  # noqa: E402
from search.opensearch.query import search_body, selected_values, to_dsl  # noqa: E402


def test_a_term_searches_the_field_of_its_kind_with_its_boost():
    assert to_dsl(qt.Term("title", "minist", "part", 0.9)) == {"term": {"title_part": {"value": "minist", "boost": 0.9}}}


def test_a_phrase_is_a_match_phrase_on_the_word_field():
    assert to_dsl(qt.Phrase("body", ("vereint", "nation"), 0, 1.0)) == {
        "match_phrase": {"body_word": {"query": "vereint nation", "slop": 0, "boost": 1.0}}
    }


def test_all_puts_exclusions_into_must_not():
    tree = qt.All((qt.Term("body", "merkel"), qt.Not(qt.Term("body", "sarkozy"))))
    body = to_dsl(tree)["bool"]
    assert body["must"] == [{"term": {"body_word": {"value": "merkel", "boost": 1.0}}}]
    assert body["must_not"] == [{"term": {"body_word": {"value": "sarkozy", "boost": 1.0}}}]


def test_only_exclusions_match_everything_else():
    assert to_dsl(qt.All((qt.Everything(), qt.Not(qt.Term("body", "baku")))))["bool"]["must"] == [{"match_all": {}}]


def test_at_least_counts_each_matched_clause_with_its_coordination_bonus():
    clauses = (qt.Term("body", "a"), qt.Term("body", "b"), qt.Term("body", "c"))
    body = to_dsl(qt.AtLeast(clauses, 2, 1000.0))["bool"]
    assert body["minimum_should_match"] == 2 and len(body["should"]) == 3
    first = body["should"][0]["bool"]
    assert first["must"] == [{"constant_score": {"filter": to_dsl(clauses[0]), "boost": 1000.0}}]
    assert first["should"] == [to_dsl(clauses[0])]


def test_a_bonus_is_required_plus_optional():
    tree = qt.Bonus(qt.Term("body", "a"), qt.Term("body", "b"))
    assert to_dsl(tree) == {"bool": {"must": [to_dsl(qt.Term("body", "a"))], "should": [to_dsl(qt.Term("body", "b"))]}}


def test_near_is_an_unordered_span_over_the_word_terms_with_lucene_slop():
    groups = ((qt.Term("lead", "merkel", "word", 0.9), qt.Term("lead", "merkel", "part", 0.27)), (qt.Term("lead", "sarkozy", "word", 0.9),))
    dsl = to_dsl(qt.Near("lead", groups, 8, 1.0))["bool"]
    near = dsl["must"][0]["span_near"]
    assert near["slop"] == 7 and near["in_order"] is False  # Whoosh counts adjacent as 1, Lucene as 0
    assert near["clauses"][0] == {"span_or": {"clauses": [{"span_term": {"lead_word": "merkel"}}]}}  # no part: no positions
    assert dsl["boost"] == 0.9


def test_a_planned_query_weighs_title_over_lead_over_body():
    from search.queries import plan

    dsl = str(to_dsl(plan("Minister").tree))
    for field, boost in (("title_word", 3.0), ("lead_word", 1.8), ("body_word", 1.0)):
        assert f"'{field}': {{'value': 'minist', 'boost': {boost}}}" in dsl
    assert "title_part" in dsl


def test_a_facets_counts_ignore_its_own_selection_and_hits_are_filtered_after_scoring():
    params = SearchParams(query="x", filters={"actor": ("Jens Stoltenberg",), "year": ("2024",)})
    body = search_body(params, {"match_all": {}})
    actor_filter = body["aggs"]["facet_actor"]["filter"]["bool"]["filter"]
    assert actor_filter == [{"terms": {"year": ["2024"]}}]
    assert len(body["post_filter"]["bool"]["filter"]) == 2
    assert "post_filter" not in search_body(SearchParams(query="x"), {"match_all": {}})


def test_a_selected_full_name_also_selects_its_partial_names():
    aliases = {"actor": {"J. Stoltenberg": "Jens Stoltenberg", "Z. Hasanov": "Zakir Hasanov"}}
    assert selected_values("actor", ("Jens Stoltenberg",), aliases) == ["Jens Stoltenberg", "J. Stoltenberg"]
    body = search_body(SearchParams(filters={"actor": ("Jens Stoltenberg",)}), None, aliases)
    assert body["post_filter"]["bool"]["filter"] == [{"terms": {"actor": ["Jens Stoltenberg", "J. Stoltenberg"]}}]


def test_date_sorts_put_undated_last_and_break_ties_by_id():
    body = search_body(SearchParams(sort="oldest", date_from=date(2024, 1, 1)), None)
    assert body["sort"] == [{"datekey": {"order": "asc", "missing": "_last"}}, {"id": "asc"}]
    assert search_body(SearchParams(), None)["sort"][0]["datekey"]["order"] == "desc"  # browsing: newest first


def test_the_mapping_indexes_each_kind_of_term_of_each_text_field():
    properties = mapping.mappings()["properties"]
    for field in ("title", "lead", "body"):
        assert properties[field] == {"type": "text", "index": False}  # kept for display, not analysed
        assert properties[f"{field}_word"]["index_options"] == "positions"
        assert properties[f"{field}_part"]["index_options"] == "freqs"
        assert all(properties[f"{field}_{kind}"]["analyzer"] == "whitespace" for kind in mapping.KINDS)
    assert "analysis" not in mapping.index_settings()  # OpenSearch analyses nothing itself


def test_each_text_fields_terms_score_with_its_whoosh_weight():
    properties, similarities = mapping.mappings()["properties"], mapping.index_settings()["similarity"]
    for field, weight in (("title", 3.0), ("lead", 1.8), ("body", 1.0)):
        names = {properties[f"{field}_{kind}"]["similarity"] for kind in mapping.KINDS}
        assert names == {f"bm25f_{field}"}
        assert f"doc.freq * {weight};" in similarities[f"bm25f_{field}"]["script"]["source"]


def test_a_source_document_holds_the_chains_terms():
    from search.indexer import IndexEntry
    from search.model import Document, Metadata

    doc = Document("x", "NATO-Generalsekretär in Brüssel", "Der Außenminister reiste.", ("Ein Text.",), "x.txt")
    source = mapping.source_of(IndexEntry(doc, Metadata(), {"year": ("ohne Jahr",)}, {}), 7)
    terms = index_terms(doc.lead)
    assert source["lead_word"] == " ".join(terms["word"]) and source["lead_part"] == " ".join(terms["part"])
    assert "nato" in source["title_word"].split() and source["title"] == doc.title
    assert source["year"] == ["ohne Jahr"] and source["seq"] == 7 and source["datekey"] is None


def test_the_opensearch_engine_implements_the_contract():
    from search.engines import Engine
    from search.opensearch import OpenSearchEngine

    assert isinstance(OpenSearchEngine("http://127.0.0.1:9"), Engine)  # no request is sent to build it
