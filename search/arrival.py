"""When each release arrived in the index: what an alert calls "new".

A release's own date says when it was published, which is often long before it reaches the archive (or unknown);
an alert wants what the archive did not have before. So every release carries the moment it first entered the
index (`fields.ARRIVED_FIELD`, milliseconds since the epoch, one value per indexing run), and keeps it when an
`--update` rewrites it or a rebuild indexes it again. Releases of an index built before arrivals were recorded
have 0: "before records began", never new.

Vocabulary:
- Arrivals: the arrival of every release one indexing run writes: the one it had in the index, else the run's.
- the run's stamp is later than every arrival already in the index (even if the clock went back), so "arrived
  after X" never mixes two runs.
"""

from __future__ import annotations

import time
from collections.abc import Mapping


def now_ms() -> int:
    return time.time_ns() // 1_000_000


class Arrivals:
    def __init__(self, previous: Mapping[str, int], latest: int | None = None):
        """`previous`: id -> arrival of the releases already indexed; `latest`: the highest arrival in the index,
        when known without `previous` (an update reads only the arrivals of the releases it rewrites)."""
        self.previous = dict(previous)
        known = max(self.previous.values(), default=0) if latest is None else latest
        self.run = max(now_ms(), known + 1)

    def of(self, doc_id: str) -> int:
        return self.previous.get(doc_id, self.run)
