"""Parity of the two engines, measured on the full wikinews-de corpus and the seed (issue 13).

Both engines index the same releases once per session (the `corpus_index` and `opensearch_corpus` fixtures; the
OpenSearch one under an alias of this run's own) and answer the same everyday queries of every class. What a user would notice is compared:
- totals: equal (a difference would need a reasoned rule in `test_totals_are_equal`; none is needed);
- the first five hits of a relevance-ordered search: at least 4 of 5 shared on average, the issue's figure (the
  floor is set a little under the 4.85 reached; both score with Whoosh's BM25F, but OpenSearch keeps field lengths
  per kind of term and has no positions for part terms, see docs/opensearch.md);
- date-ordered searches: the same releases in the same order;
- filtered searches: every facet's values and counts identical.
`pytest -s tests/test_parity.py` prints the table the "Differences between the engines" of docs/opensearch.md is written from.

Runs only with the licensed corpora in ../shared and a cluster (DEPESCHE_OPENSEARCH_URL); skipped otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from search import SearchParams
from search.engine import WhooshEngine

TOP = 5
MIN_MEAN_OVERLAP = 4.7  # reached: 4.85 of 5 (the issue asks for 4)


@dataclass(frozen=True)
class Case:
    kind: str
    params: SearchParams


def case(kind: str, query: str = "", **options) -> Case:
    return Case(kind, SearchParams(query=query, per_page=TOP, facet_limit=0, **options))


CASES = [
    # single words
    *(case("word", q) for q in ("Minister", "Ministers", "Regierung", "Polizei", "Wahl", "Sicherheit", "Erdbeben",
                                "Stoltenberg", "Fußball", "Papst", "Schaf", "Ente", "UNO", "Botschaft")),
    # compounds and words inside them
    *(case("compound", q) for q in ("Außenminister", "Bundesregierung", "Beben", "Minen", "Korridor", "Sicherheitsrat",
                                    "NATO-Generalsekretär", "Nobelpreis")),
    # umlaut and ß spellings
    *(case("umlaut", q) for q in ("Aussenminister", "Bruessel", "Muenchen", "Strasse", "Praesident", "Oesterreich")),
    # two and three words
    *(case("words", q) for q in ("Merkel Sarkozy", "Regierung Krise", "Bayramov Stoltenberg", "Polizei Berlin Festnahme",
                                 "Wahl Präsident Ergebnis", "Erdbeben Tote")),
    # phrases
    *(case("phrase", q) for q in ('"Vereinte Nationen"', '"Europäische Union"', '"Partnerschaft für den Frieden"',
                                  '"Deutsche Bahn"')),
    # syntax: field:value, -word, OR, ANDNOT
    *(case("syntax", q) for q in ("title:Wahl", "organisation:NATO", "Merkel -Sarkozy", "Merkel ANDNOT Sarkozy", "Papst OR Vatikan",
                                  "Minister +Baku", "lead:Polizei",
                                  "Merkel ANDMAYBE Sarkozy", "(Papst OR Vatikan) Rom", "NOT Regierung")),
    # facet filters (their counts must be identical)
    case("filter", filters={"year": ("2008",)}),
    case("filter", filters={"topic": ("Handel und Wirtschaft",)}),
    case("filter", "Energie", filters={"topic": ("Energie", "Klima und Umwelt")}),  # OR within a facet
    case("filter", "Regierung", filters={"country": ("Deutschland",)}),
    case("filter", "Minister", filters={"organisation": ("NATO",), "year": ("2024",)}),
    case("filter", filters={"actor": ("Angela Merkel",)}),
    case("filter", filters={"year": ("ohne Jahr",)}),
    # date sorts (the order must be identical)
    case("sorted", "Regierung", sort="newest"),
    case("sorted", "Polizei", sort="oldest"),
    case("sorted", sort="newest", page=3),
    case("sorted", "Wahl", sort="oldest", filters={"year": ("2007",)}),
    # too few releases with every word: relaxed to most of them
    *(case("relaxed", q) for q in ("Merkel Sarkozy Erdbeben", "Papst Fußball Polizei", "Stoltenberg Baku Erdbeben Wahl")),
    # typos and nothing at all
    *(case("typo", q) for q in ("Stoltenbrg", "Regierng", "Xylophonquartett")),
]


# -- fixtures ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def whoosh_corpus(corpus_index) -> WhooshEngine:
    return WhooshEngine(corpus_index)


@pytest.fixture(scope="session")
def measured(whoosh_corpus, opensearch_corpus):
    """Per case: (case, Whoosh results, OpenSearch results)."""
    return [(c, whoosh_corpus.search(c.params), opensearch_corpus.search(c.params)) for c in CASES]


def _label(c: Case) -> str:
    p = c.params
    extras = [f"{k}={'|'.join(v)}" for k, v in p.filters.items()] + ([f"sort={p.sort}"] if p.sort != "relevance" else [])
    return " ".join([repr(p.query) if p.query else "(all)", *extras])


def overlap(whoosh, opensearch) -> float:
    """Shared releases among the first TOP, scaled to TOP (a search with 3 hits sharing 3 counts 5 of 5)."""
    first = [h.id for h in whoosh.hits[:TOP]]
    if not first:
        return float(TOP) if not opensearch.hits else 0.0
    return TOP * len(set(first) & {h.id for h in opensearch.hits[:TOP]}) / len(first)


# -- the measurements ----------------------------------------------------------------------------------------


def test_there_are_enough_cases_of_every_class():
    kinds = {c.kind for c in CASES}
    assert len(CASES) >= 40 and {"word", "compound", "umlaut", "words", "phrase", "syntax", "filter", "sorted"} <= kinds


def test_totals_are_equal(measured):
    """Every difference of totals would need a rule here explaining it; with one analysis, one query tree and the
    same filters on both engines, none is needed."""
    print(f"\n{'case':48} {'class':9} {'Whoosh':>7} {'OpenSearch':>10} {'top-5':>6}")
    for c, expected, got in measured:
        shown = f"{overlap(expected, got):.1f}" if c.params.sort == "relevance" and c.params.query else "-"
        print(f"{_label(c)[:48]:48} {c.kind:9} {expected.total:7} {got.total:10} {shown:>6}")
    differing = [(_label(c), e.total, g.total) for c, e, g in measured if e.total != g.total]
    print(f"totals equal: {len(measured) - len(differing)} of {len(measured)}")
    assert differing == []
    assert sum(1 for _, e, _ in measured if e.total) >= 40  # the cases find something: the comparison says something


def test_first_five_hits_mostly_agree(measured):
    ranked = [(c, e, g) for c, e, g in measured if c.params.sort == "relevance" and c.params.query and e.total]
    mean = sum(overlap(e, g) for _, e, g in ranked) / len(ranked)
    print(f"\nmean top-5 overlap over {len(ranked)} ranked searches: {mean:.2f} of {TOP}")
    assert mean >= MIN_MEAN_OVERLAP


def test_date_sorted_searches_list_the_same_releases_in_the_same_order(measured):
    for c, expected, got in measured:
        if c.params.sort != "relevance" or not c.params.query:
            assert [h.id for h in got.hits] == [h.id for h in expected.hits], _label(c)


def test_filtered_searches_count_every_facet_alike(measured):
    filtered = [(c, e, g) for c, e, g in measured if c.params.filters]
    assert len(filtered) >= 6
    for c, expected, got in filtered:
        assert got.facets == expected.facets, _label(c)
        assert got.histogram == expected.histogram, _label(c)


def test_suggestions_notes_and_relaxing_agree(measured):
    assert any(e.relaxed for c, e, _ in measured if c.kind == "relaxed") and any(e.suggestion for _, e, _ in measured)
    for c, expected, got in measured:
        assert (got.suggestion, got.note, got.relaxed) == (expected.suggestion, expected.note, expected.relaxed), _label(c)


def test_snippets_of_shared_hits_are_the_same(measured):
    """Snippets are made engine-neutrally from the stored text: a release both engines find shows the same one."""
    compared = 0
    for c, expected, got in measured:
        theirs = {h.id: h for h in got.hits}
        for hit in expected.hits:
            if hit.id in theirs:
                assert theirs[hit.id].snippet == hit.snippet, (_label(c), hit.id)
                assert (theirs[hit.id].actors, theirs[hit.id].topics) == (hit.actors, hit.topics)
                compared += 1
    assert compared > 100


@pytest.mark.parametrize("query", ["Außenminister", '"Vereinte Nationen"', "NATO-Generalsekretär", "Merkel -Sarkozy"])
def test_document_pages_are_marked_alike(whoosh_corpus, opensearch_corpus, query):
    top = whoosh_corpus.search(SearchParams(query=query, per_page=1)).hits[0].id
    expected, got = whoosh_corpus.document(top, query), opensearch_corpus.document(top, query)
    assert "<mark>" in expected["title_html"] + expected["lead_html"] + "".join(expected["paragraphs_html"])
    for key in ("title_html", "lead_html", "paragraphs_html", "meta"):
        assert got[key] == expected[key], key


def test_index_facts_agree(whoosh_corpus, opensearch_corpus):
    """Document and facet-value counts (partial names filed under full ones on both) and each actor's roles."""
    expected, got = whoosh_corpus.stats(), opensearch_corpus.stats()
    assert (got["documents"], got["fields"]) == (expected["documents"], expected["fields"])
    assert opensearch_corpus.actor_roles() == whoosh_corpus.actor_roles()
