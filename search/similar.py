"""Similar releases: the engine-neutral half of "more like this".

Vocabulary:
- candidates: the releases an engine's own "more like this" finds for a release (Whoosh: its key terms, chosen
  by Whoosh's Bo1 model from the stored text, scored with BM25F; OpenSearch: its `more_like_this` query), with
  their content score, best first, the release itself left out. `CANDIDATES` of them.
- ranking: each candidate's content score as a share of the best one's, plus a bonus per actor and per topic it
  shares with the release (at most `MAX_SHARED` of each count): releases about the same people and subject climb
  above ones that merely use the same words. The best `SIMILAR` are shown, equal scores in id order.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from .model import Hit

SIMILAR = 5  # shown on a release's page
CANDIDATES = 30  # asked of the engine, then ranked here
KEY_TERMS = 25  # words of the release a similar release is searched by
ACTOR_BONUS = 0.15
TOPIC_BONUS = 0.1
MAX_SHARED = 3


def ranked(own: Hit, candidates: Iterable[tuple[Hit, float]], limit: int = SIMILAR) -> tuple[Hit, ...]:
    """The `limit` releases most similar to `own` among `candidates` ((hit, content score) pairs), each hit's score
    the blended one."""
    candidates = list(candidates)
    best = max((score for _, score in candidates), default=0.0) or 1.0
    scored = []
    for hit, score in candidates:
        actors = min(len(set(own.actors) & set(hit.actors)), MAX_SHARED)
        topics = min(len(set(own.topics) & set(hit.topics)), MAX_SHARED)
        blended = round(score / best + ACTOR_BONUS * actors + TOPIC_BONUS * topics, 4)
        scored.append(dataclasses.replace(hit, score=blended))
    return tuple(sorted(scored, key=lambda hit: (-hit.score, hit.id))[:limit])
