"""The engine-neutral layer: facet values, timeline, aliases and the engine contract."""

from __future__ import annotations

from search import results
from search.engines import Engine
from search.model import FacetValue, SearchParams


def test_facet_values_by_count_then_name_with_selected_values_kept():
    ordered = results.ordered_counts({"Baku": 3, "berlin": 3, "Athen": 1, "Null": 0})
    assert ordered == [("Baku", 3), ("berlin", 3), ("Athen", 1)]
    shown = results.facet_values(ordered, ("Athen", "Oslo"), 1, "", lambda value: {"Athen": 1}.get(value, 0))
    assert shown == (FacetValue("Baku", 3), FacetValue("Athen", 1, True), FacetValue("Oslo", 0, True))


def test_searching_inside_a_facet_is_case_insensitive():
    ordered = results.ordered_counts({"Baku": 3, "Berlin": 2, "Ankara": 1})
    assert [fv.value for fv in results.facet_values(ordered, (), 0, "ba", lambda v: 0)] == ["Baku"]


def test_partial_names_count_under_the_full_name():
    assert results.merged_counts({"J. Stoltenberg": 2, "Jens Stoltenberg": 5}, {"J. Stoltenberg": "Jens Stoltenberg"}) == {
        "Jens Stoltenberg": 7
    }


def test_timeline_by_year_or_by_month_of_the_one_selected_year():
    assert results.histogram(SearchParams(), {"2024": 2, "2023": 0, "ohne Jahr": 5}, {}) == (("2023", 0), ("2024", 2))
    months = results.histogram(SearchParams(filters={"year": ("2024",)}), {}, {3: 4})
    assert months[2] == ("2024-03", 4) and len(months) == 12 and months[0] == ("2024-01", 0)


def test_roles_most_frequent_first_under_the_full_name():
    triples = [("J. Stoltenberg", "Generalsekretär", 1), ("Jens Stoltenberg", "Ministerpräsident", 1), ("Jens Stoltenberg", "Generalsekretär", 3)]
    roles = results.roles_by_actor(triples, {"J. Stoltenberg": "Jens Stoltenberg"})
    assert roles == {"Jens Stoltenberg": ("Generalsekretär", "Ministerpräsident")}


def test_the_whoosh_engine_implements_the_contract(sample_index):
    from search.engine import WhooshEngine

    engine = WhooshEngine(sample_index)
    assert isinstance(engine, Engine)
    assert engine.doc_frequency("baku") > 0 and "baku" in set(engine.terms_near("baku", 1)) | {"baku"}
    assert any("Baku" in text for text in engine.texts_with("baku", 2))


def test_equal_scores_and_equal_dates_come_in_id_order_not_in_indexing_order(tmp_path):
    """Releases that score alike, or share a date, are listed by id, as on OpenSearch: not in the order the
    indexing workers happened to write them (here: the reverse of id order)."""
    import dataclasses
    import json

    from search.engine import WhooshEngine
    from search.indexer import index_sources

    records = [{"id": f"r{n}", "title": "Treffen in Baku", "lead": "Gespräche.", "body": "Am 3. Mai 2024 in Baku.",
                "date": "2024-05-03"} for n in range(9, 0, -1)]
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "releases.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    index_sources([tmp_path / "src"], tmp_path / "index", workers=0)
    engine = WhooshEngine(tmp_path / "index")
    expected = sorted(r["id"] for r in records)
    # the nine are copies of one release, one entry unless every version is asked for (see test_duplicates)
    assert [h.id for h in engine.search(SearchParams(query="Baku")).hits] == ["r1"]
    for params in (SearchParams(query="Baku"), SearchParams(query="NOT Paris"), SearchParams(sort="newest")):
        params = dataclasses.replace(params, every_version=True)
        hits = engine.search(params).hits
        assert len({h.score for h in hits}) == 1 and [h.id for h in hits] == expected, params
