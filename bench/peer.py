"""The peer the bench measures Depesche against: plain Whoosh, used the way its documentation shows.

Vocabulary:
- plain search: `MultifieldParser(title, lead, body)` over the same index (same schema, same analyzer), one
  `searcher.search_page(q, page, groupedby={7 FieldFacets, maptype=Count}, filter=...)` and Whoosh's own
  `highlight_hit` (via `hit.highlights`) for the page's hits. No synonyms, no part terms, no proximity bonus:
  plain Whoosh does less than Depesche, so a ratio is on the generous side for the peer.
- plain reindex: the same releases into a fresh plain Whoosh index (title, lead, body, id; Whoosh's
  StandardAnalyzer; one default writer), with no metadata extraction.
"""

from __future__ import annotations

import time
from pathlib import Path

from whoosh import qparser, sorting
from whoosh.query import And, Every, Or, Term

FACETS = ("actor", "role", "speaker", "topic", "year", "country", "organisation")


class PlainWhoosh:
    def __init__(self, root: Path):
        from search.engine import store

        self.index = store.open_generation(store.current_generation(root))
        self.searcher = self.index.searcher()
        self.parser = qparser.MultifieldParser(["title", "lead", "body"], self.index.schema)
        self.groupedby = {f: sorting.FieldFacet(f, allow_overlap=True, maptype=sorting.Count) for f in FACETS}

    def search(self, args: dict) -> int:
        """Answer one request; the number of matches."""
        text = args.get("q", "")
        q = self.parser.parse(text) if text else Every()
        restrict = [Or([Term(f, v) for v in (vs if isinstance(vs, list) else [vs])]) for f, vs in args.items() if f in FACETS]
        page = int(args.get("page", 1))
        results = self.searcher.search_page(
            q, page, pagelen=10, groupedby=self.groupedby, filter=And(restrict) if restrict else None
        )
        _ = {facet: results.results.groups(facet) for facet in FACETS}
        for hit in results:
            hit.highlights("body", top=2)
        return len(results.results)

    def close(self) -> None:
        self.searcher.close()


def plain_reindex(corpus: Path, target: Path) -> dict:
    """Index the releases under `corpus` with plain Whoosh into `target`; docs, seconds, docs/s."""
    import shutil

    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    from search.documents import read_sources

    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), lead=TEXT(stored=True), body=TEXT(stored=True))
    started = time.monotonic()
    writer = index.create_in(str(target), schema).writer(limitmb=256)
    docs = 0
    for _, doc in read_sources([corpus]):
        if not hasattr(doc, "title"):
            continue
        writer.add_document(id=doc.id, title=doc.title, lead=doc.lead, body=doc.body)
        docs += 1
    writer.commit()
    seconds = time.monotonic() - started
    shutil.rmtree(target, ignore_errors=True)
    return {"docs": docs, "seconds": seconds, "docs_per_s": docs / seconds}
