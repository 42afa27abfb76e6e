"""Actor pages' data (`search.actor_profile`) on both engines: the seed's people with their roles, periods and the
people named with them, aliases merged under one name, and a helpful answer for an unknown name."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from search import SearchParams, actor_profile
from search.actor_profile import ActorNotFound, actor_facts, close_names, datekey_text, profile
from search.engine import WhooshEngine
from search.opensearch.actor_facts import lucene_literal

from .conftest import SEED_ID


@pytest.fixture(scope="module", params=["whoosh", "opensearch"])
def corpus_engine(request, corpus_index):
    if request.param == "whoosh":
        return WhooshEngine(corpus_index)
    return request.getfixturevalue("opensearch_corpus")


def test_stoltenberg_of_the_seed_release(corpus_engine):
    person = profile(corpus_engine, "Jens Stoltenberg").to_json()
    assert person["name"] == "Jens Stoltenberg"
    assert person["releases"] == 5
    assert person["roles"][0] == {
        "role": "NATO-Generalsekretär", "releases": 4, "first": "2023-05-09", "last": "2024-08-27",
    }
    assert person["co_actors"][:2] == [{"name": "Zakir Hasanov", "releases": 3}, {"name": "Ceyhun Bayramov", "releases": 2}]
    assert person["undated"] == 2  # the seed gives no year
    assert person["timeline"] == [{"period": "2023", "releases": 1}, {"period": "2024", "releases": 2}]
    assert person["latest"][0]["date"] == "2024-08-27"
    assert SEED_ID in [hit["id"] for hit in person["latest"]]
    assert {"value": "NATO", "releases": 4} in person["organisations"]


def test_co_occurrence_counts_are_what_the_releases_say(corpus_engine):
    """The counts from the facet data equal those of reading every release naming the person."""
    person = profile(corpus_engine, "Zakir Hasanov")
    hits = corpus_engine.search(SearchParams(filters={"actor": ("Zakir Hasanov",)}, per_page=100)).hits
    named = Counter(actor for hit in hits for actor in hit.actors if actor != "Zakir Hasanov")
    assert person.results.total == len(hits)
    assert dict(person.facts.co_actors) == dict(sorted(named.items(), key=lambda i: (-i[1], i[0]))[: actor_profile.CO_ACTORS])
    roles = {period.role: period for period in person.facts.roles}
    assert roles["Verteidigungsminister"].releases >= 4 and roles["Generaloberst"].releases >= 1


def test_spellings_are_merged_under_one_name(corpus_engine):
    for asked in ("Ban Ki Moon", "Ban Ki-moon", "ban ki-moon"):
        person = profile(corpus_engine, asked)
        assert person.name == "Ban Ki-moon"
        assert person.facts.spellings == ("Ban Ki-moon", "Ban Ki Moon")


def test_unknown_name_suggests_close_ones(corpus_engine):
    with pytest.raises(ActorNotFound) as raised:
        profile(corpus_engine, "Jens Stoltenbrg")
    assert raised.value.suggestions[0] == "Jens Stoltenberg"
    with pytest.raises(ActorNotFound) as raised:
        profile(corpus_engine, "Stoltenberg")  # a surname alone: the person who has it
    assert "Jens Stoltenberg" in raised.value.suggestions


def test_both_engines_give_the_same_page(corpus_index, opensearch_corpus):
    for name in ("Jens Stoltenberg", "Ban Ki-moon", "Zakir Hasanov", "Angela Merkel"):
        assert profile(opensearch_corpus, name).to_json() == profile(WhooshEngine(corpus_index), name).to_json()


def test_the_bundled_sample(sample_index):
    person = profile(WhooshEngine(sample_index), "Ceyhun Bayramov")
    assert person.facts.roles[0].role == "Außenminister"
    assert (datekey_text(person.facts.roles[0].first), datekey_text(person.facts.roles[0].last)) == ("2023-02-14", "2025-04-08")
    assert person.facts.co_actors[0] == ("Ilham Aliyev", 3)


def test_role_periods_merge_spellings_and_skip_undated():
    facts = actor_facts(
        "Jens Stoltenberg", ("Jens Stoltenberg", "J. Stoltenberg"),
        [("Jens Stoltenberg\x1fGeneralsekretär", 3, 20230509, 20240101), ("J. Stoltenberg\x1fGeneralsekretär", 1, 0, 0),
         ("J. Stoltenberg\x1fMinisterpräsident", 2, 20100000, 20120300), ("Zakir Hasanov\x1fGeneraloberst", 9, 1, 2)],
        {202305: 1, 202401: 2, 201000: 1}, {"Jens Stoltenberg": 6, "Zakir Hasanov": 2, "Ceyhun Bayramov": 2},
    )
    assert [(p.role, p.releases, p.first, p.last) for p in facts.roles] == [
        ("Generalsekretär", 4, 20230509, 20240101), ("Ministerpräsident", 2, 20100000, 20120300),
    ]
    assert facts.months == ((202305, 1), (202401, 2))  # a year alone is no month
    assert facts.co_actors == (("Ceyhun Bayramov", 2), ("Zakir Hasanov", 2))


def test_datekeys_and_names():
    assert [datekey_text(k) for k in (20240315, 20240300, 20240000, 0)] == ["2024-03-15", "2024-03", "2024", None]
    assert close_names(["Jens Stoltenberg", "Zakir Hasanov"], "  ") == []
    assert lucene_literal("Y. O'Neil-Smith\x1f") == "Y\\. O\\'Neil\\-Smith\\\x1f"


def test_cli_actor_text_json_and_unknown(sample_index):
    from click.testing import CliRunner

    from search.cli import cli

    runner = CliRunner()
    shown = runner.invoke(cli, ["actor", "Jens", "Stoltenberg", "--index", str(sample_index)])
    assert shown.exit_code == 0, shown.output
    assert "Rolle: NATO-Generalsekretär (3), 2023-05-09 bis 2024-08-27" in shown.output
    as_json = runner.invoke(cli, ["actor", "Jens Stoltenberg", "--json", "--index", str(sample_index)])
    assert json.loads(as_json.output)["co_actors"][0] == {"name": "Zakir Hasanov", "releases": 2}
    unknown = runner.invoke(cli, ["actor", "Stoltenbrg", "--index", str(sample_index)])
    assert unknown.exit_code == 1
    assert "Meinten Sie: Jens Stoltenberg?" in unknown.output
    assert "Traceback" not in unknown.output


def test_the_query_for_the_persons_releases_finds_what_the_filter_finds(corpus_engine):
    for name in ("Jens Stoltenberg", "Ban Ki-moon", "Michael O’Leary", "Angela Merkel", "Zakir Hasanov"):
        facts = corpus_engine.actor_facts(name)
        by_query = corpus_engine.search(actor_profile.releases_of(facts))
        by_filter = corpus_engine.search(SearchParams(filters={"actor": (facts.name,)}, sort="newest", facet_limit=8))
        assert by_query.total == by_filter.total > 0
        assert [hit.id for hit in by_query.hits] == [hit.id for hit in by_filter.hits]
        assert by_query.histogram == by_filter.histogram
        assert all(by_query.facets[f] == by_filter.facets[f] for f in ("country", "topic", "organisation", "year"))
        assert set(by_query.facets) == set(actor_profile.COUNTED)  # the page counts only the facets it shows
        assert (by_query.note, by_query.suggestion) == (None, None)
    assert actor_profile.releases_of(corpus_engine.actor_facts("Michael O’Leary")).filters == {"actor": ("Michael O’Leary",)}


def test_the_opensearch_request_asks_only_for_the_persons_own_roles():
    from search.opensearch.actor_facts import request_body

    body = request_body(("Jens Stoltenberg", "J. Stoltenberg"))
    assert body["query"] == {"terms": {"actor": ["Jens Stoltenberg", "J. Stoltenberg"]}}
    assert body["aggs"]["roles"]["terms"]["include"] == "(Jens Stoltenberg\\\x1f|J\\. Stoltenberg\\\x1f).*"
    assert body["aggs"]["months"]["histogram"] == {"field": "datekey", "interval": 100, "min_doc_count": 1}
