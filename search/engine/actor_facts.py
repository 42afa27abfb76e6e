"""What the Whoosh engine counts for a person's page (`search.actor_profile` has the vocabulary): roles with their
first and last dated release, releases per month, and the people named with them, from the snapshot's actor
table, the postings of the person's "name\\x1frole" terms and the date column, all numpy; no stored release is
read."""

from __future__ import annotations

import numpy as np

from .. import actor_profile

ROLE_FIELD = "actor_role"


def actor_facts(snap, name: str) -> actor_profile.ActorFacts | None:
    table = snap.tables["actor"]
    name = table.aliases.get(name, name)
    if name not in table.index:
        return None
    names = actor_profile.spellings(name, table.aliases)
    mask = table.mask_for([name]) & snap.live
    keys = snap.datekeys[mask]
    months = np.unique(keys[keys > 0] // 100, return_counts=True)
    counts = table.counts(mask)
    named = np.flatnonzero(counts)
    return actor_profile.actor_facts(
        name, names, _role_stats(snap, names), dict(zip(months[0].tolist(), months[1].tolist())),
        {table.values[number]: int(counts[number]) for number in named.tolist()},
    )


def _role_stats(snap, names) -> list[tuple[str, int, int, int]]:
    """(actor_role value, live releases, first and last positive datekey or 0) of each value of the spellings."""
    if ROLE_FIELD not in snap.searcher.schema.names():  # an index built before role hints existed
        return []
    reader = snap.searcher.reader()
    stats = []
    for prefix in actor_profile.role_value_prefixes(names):
        for raw in reader.expand_prefix(ROLE_FIELD, prefix):
            ids = snap.postings.get(ROLE_FIELD, raw)[0]
            keys = snap.datekeys[ids[snap.live[ids]]]
            dated = keys[keys > 0]
            value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if keys.size:
                stats.append((value, int(keys.size), int(dated.min()) if dated.size else 0, int(dated.max(initial=0))))
    return stats
