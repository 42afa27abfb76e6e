"""What the OpenSearch engine counts for a person's page (`search.actor_profile` has the vocabulary), in one
aggregation request over the releases filed under any of the person's spellings: their "name\\x1frole" values
with the first and last datekey of each, releases per month, and the people named in them. The page sends it in
one `_msearch` with the search of the person's releases (`OpenSearchEngine.actor_page`)."""

from __future__ import annotations

from collections.abc import Callable

from .. import actor_profile, results
from .mapping import ACTOR_ROLE_BUCKETS
from .query import FACET_BUCKETS


def lucene_literal(text: str) -> str:
    """`text` as a Lucene regular expression matching just itself (every character but letters, digits and spaces
    escaped: Lucene's syntax reserves more than Python's)."""
    return "".join(char if char.isalnum() or char == " " else "\\" + char for char in text)


def request_body(names: tuple[str, ...]) -> dict:
    own_roles = "|".join(lucene_literal(prefix) for prefix in actor_profile.role_value_prefixes(names))
    return {
        "size": 0,
        "query": {"terms": {"actor": list(names)}},
        "aggs": {
            "roles": {
                "terms": {"field": "actor_role", "size": ACTOR_ROLE_BUCKETS, "include": f"({own_roles}).*"},
                "aggs": {"first": {"min": {"field": "datekey"}}, "last": {"max": {"field": "datekey"}}},
            },
            "months": {"histogram": {"field": "datekey", "interval": 100, "min_doc_count": 1}},
            "actors": {"terms": {"field": "actor", "size": FACET_BUCKETS}},
        },
    }


def person(name: str, aliases: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """The name the person is filed under and their spellings; `aliases` are the actor facet's (value -> the name
    it is filed under)."""
    name = aliases.get(name, name)
    return name, actor_profile.spellings(name, aliases)


def actor_facts(name: str, aliases: dict[str, str], run: Callable[[dict], dict]) -> actor_profile.ActorFacts | None:
    """The person's ActorFacts, `run(body)` asking the cluster."""
    name, names = person(name, aliases)
    return facts_of(run(request_body(names)), name, names, aliases)


def facts_of(answer: dict, name: str, names: tuple[str, ...], aliases: dict[str, str]) -> actor_profile.ActorFacts | None:
    """The ActorFacts in the cluster's answer to `request_body(names)`, None if no release is filed under them."""
    aggs = answer["aggregations"]
    actors = {b["key"]: b["doc_count"] for b in aggs["actors"]["buckets"]}
    if not any(actors.get(spelling) for spelling in names):
        return None
    roles = [
        (b["key"], b["doc_count"], int(b["first"]["value"] or 0), int(b["last"]["value"] or 0))
        for b in aggs["roles"]["buckets"]
    ]
    months = {int(b["key"]) // 100: b["doc_count"] for b in aggs["months"]["buckets"]}
    return actor_profile.actor_facts(name, names, roles, months, results.merged_counts(actors, aliases))
