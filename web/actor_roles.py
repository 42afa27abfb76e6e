"""Which roles each actor is seen with, for the hint beside an actor in the facet sidebar.

The search API's actor facet gives names only; the roles live per release in the stored metadata. This reads them
once per open index snapshot (a reindex gives a new snapshot, so the cache follows it) and keeps the two most
frequent roles per actor. A stopgap until the search API offers it (see the report to the lead).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections import Counter, defaultdict

_cache: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_lock = threading.Lock()


def roles_from_metas(metas) -> dict[str, str]:
    seen: dict[str, Counter] = defaultdict(Counter)
    for meta in metas:
        for actor in meta.get("actors") or ():
            if isinstance(actor, dict) and actor.get("name"):
                seen[actor["name"]].update(actor.get("roles") or ())
    return {name: ", ".join(role for role, _ in counts.most_common(2)) for name, counts in seen.items() if counts}


def actor_roles(engine) -> dict[str, str]:
    try:
        snap = engine.snapshot()
    except Exception:  # no index: no hints, the page says why elsewhere
        return {}
    with _lock:
        if snap not in _cache:
            metas = []
            for fields in snap.searcher.all_stored_fields():
                try:
                    metas.append(json.loads(fields.get("meta") or "{}"))
                except ValueError:
                    continue
            _cache[snap] = roles_from_metas(metas)
        return _cache[snap]
