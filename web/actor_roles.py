"""Which roles each actor is seen with, for the hint beside an actor in the facet sidebar."""

from __future__ import annotations

from search import DepescheError


def actor_roles(engine) -> dict[str, str]:
    """Actor -> their two most frequent roles, as one label; empty when the engine offers none or has no index."""
    try:
        roles = engine.actor_roles()
    except DepescheError:  # no index yet, or the backend is down: the page says so elsewhere
        return {}
    return {name: ", ".join(found[:2]) for name, found in roles.items() if found}
