"""Which roles each actor is seen with, for the hint beside an actor in the facet sidebar."""

from __future__ import annotations

from search import DepescheError


def actor_roles(engine) -> dict[str, tuple[str, ...]]:
    """Actor -> roles, most frequent first (the engine keeps them per index state); empty without an index."""
    try:
        return engine.actor_roles()
    except DepescheError:  # no index yet, or the backend is down: the page says so elsewhere
        return {}
