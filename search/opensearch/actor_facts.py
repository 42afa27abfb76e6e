"""What the OpenSearch engine counts for a person's page (`search.actor_profile` has the vocabulary), in one
aggregation request over the releases filed under any of the person's spellings: their "name\\x1frole" values
with the first and last datekey of each, releases per month, and the people named in them."""

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


def actor_facts(name: str, aliases: dict[str, str], run: Callable[[dict], dict]) -> actor_profile.ActorFacts | None:
    """The person's ActorFacts; `aliases` are the actor facet's (value -> the name it is filed under), `run(body)`
    asks the cluster."""
    name = aliases.get(name, name)
    names = actor_profile.spellings(name, aliases)
    aggs = run(request_body(names))["aggregations"]
    actors = {b["key"]: b["doc_count"] for b in aggs["actors"]["buckets"]}
    if not any(actors.get(spelling) for spelling in names):
        return None
    roles = [
        (b["key"], b["doc_count"], int(b["first"]["value"] or 0), int(b["last"]["value"] or 0))
        for b in aggs["roles"]["buckets"]
    ]
    months = {int(b["key"]) // 100: b["doc_count"] for b in aggs["months"]["buckets"]}
    return actor_profile.actor_facts(name, names, roles, months, results.merged_counts(actors, aliases))
