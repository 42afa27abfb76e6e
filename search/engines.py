"""The engine contract: what the Whoosh engine (`search.engine`) and the OpenSearch engine (`search.opensearch`)
both implement, so the API, the CLI, the web app and the engine-neutral layer (`results`, `suggest`,
`highlight`) never need to know which one answers.

Vocabulary:
- Engine: answers searches (`search`), shows one release (`document`) with the releases like it (`similar`) and
  its other versions (`versions`), and tells facts about its index (`actor_roles`, `actor_facts`, `stats`).
- Vocabulary: the few term statistics the engine-neutral layer reads from an index, for did-you-mean. A *term* is
  a word as the project's analysis chain indexes it ("stoltenberg", "brussel"); a *word field* is the word terms
  of one text field (title, lead, body).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Protocol, runtime_checkable

from .actor_profile import ActorFacts
from .model import Hit, Results, SearchParams


@runtime_checkable
class Vocabulary(Protocol):
    def doc_frequency(self, term: str) -> int:
        """In how many releases `term` is a word, in the text field where it is in most."""

    def terms_near(self, term: str, max_edits: int) -> Iterable[str]:
        """Word terms of the index that may be within `max_edits` edits of `term` and start with its first letter
        (candidates: the caller measures the distance)."""

    def texts_with(self, term: str, limit: int) -> Sequence[str]:
        """The stored text fields of up to `limit` releases containing the word term `term`."""

    def facet_vocabulary(self, facet: str) -> Sequence[str]:
        """Every value of a facet across the index, as filed (partial names under full ones)."""


@runtime_checkable
class Engine(Vocabulary, Protocol):
    def search(self, params: SearchParams) -> Results:
        """One page of hits, the total, facet counts, timeline, note and suggestion; BadQuery if unanswerable."""

    def document(self, doc_id: str, query: str = "") -> dict:
        """The stored fields of one release, its metadata (`meta`), and `title_html`, `lead_html`,
        `paragraphs_html` marked for `query`; DocumentNotFound if there is none."""

    def similar(self, doc_id: str, limit: int = 5) -> tuple[Hit, ...]:
        """The `limit` releases most like `doc_id` by content and shared actors and topics (`search.similar`), its
        own near-duplicates included; DocumentNotFound if there is none."""

    def versions(self, doc_id: str) -> tuple[Hit, ...]:
        """The other releases of `doc_id`'s near-duplicate group (`search.duplicates`), in id order."""

    def actor_roles(self) -> dict[str, tuple[str, ...]]:
        """Each actor's roles across the index, most frequent first."""

    def last_arrival(self) -> int:
        """When the latest live release arrived in the index (`search.arrival`), 0 for none."""

    def actor_facts(self, name: str) -> ActorFacts | None:
        """A person's spellings, roles with their first and last dated release, and releases per month, counted
        from the index (`search.actor_profile`); None if no release is filed under `name` or an alias of it."""

    def actor_page(
        self, name: str, releases: Callable[[tuple[str, ...]], SearchParams]
    ) -> tuple[ActorFacts, Results] | None:
        """The person's ActorFacts and the Results of `releases(their spellings)`, None if no release is filed
        under `name` or an alias of it (`search.actor_profile.facts_then_releases` where two calls cost no more)."""

    def stats(self) -> dict:
        """documents, generation, built, build_seconds, and per facet the number of values."""
