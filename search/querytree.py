"""What a user typed, as one engine-neutral query tree that each engine translates (Whoosh query objects in
`search.engine.query`, OpenSearch DSL in `search.opensearch.query`).

Vocabulary:
- syntax, as on web search engines: words (a release must contain every one, or its synonym or word-family
  member), "quoted phrases" (exact, in order), `-word` or `NOT word` (must not occur), `+word` (must occur even
  in a relaxed search), `a OR b`, (groups), `field:value`, and Whoosh's `a ANDNOT b` / `a ANDMAYBE b`.
- clause: one thing the user asked for (a word, a phrase, a group); a release matches it or not.
- term kinds, what one query word searches in each text field, strongest first (see `Weights`):
  "exact" (the form as typed, so "Verteidigungsministerin" ranks releases about women first), "word" (the stem:
  Wahl/Wahlen), "family" (the word family: Wahl/gewählt, Festnahme/festgenommen), "name" (a transliteration key:
  Saidov/Saidow), "part" (inside a compound: "Minister" in "Außenminister", "Korea" in "Südkorea").
- relaxed: the tree to run when all clauses together find fewer than `RELAX_BELOW` releases: releases matching at
  least most (more than half) of the relaxable clauses (`AtLeast`), ranked by how many they match, then by score.
- bonus: a proximity bonus for releases where the query's words stand close together (`Near`).

Nodes are frozen dataclasses; an engine translates each kind of node and nothing else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import params
from .german.characters import QUERY_WORD_PATTERN, clean

TEXT_FIELDS = ("title", "lead", "body")
FIELD_BOOSTS = {"title": 3.0, "lead": 1.8, "body": 1.0}
KINDS = ("word", "exact", "family", "name", "part")
RELAX_BELOW = 3  # fewer releases than this with every word: relax
COORD = 1000.0  # in a relaxed search, each matched clause outranks any score difference
PROXIMITY_SLOP = 8
PROXIMITY_BOOST = 0.5
MAX_PROXIMITY_WORDS = 6
MIN_PART_TERM = 3  # shorter query terms do not search inside compounds


@dataclass(frozen=True)
class Weights:
    """How much each kind of term counts of a word's own stem. The exact form adds to the stem (a release with
    the typed form matches both); the others stand alone, below the stem; a word-family member below a
    compound (the judged queries: "Verteidigung" is about Verteidigungsminister more than about "verteidigt")."""

    exact: float = 0.6
    word: float = 1.0
    family: float = 0.15
    name: float = 0.8
    part: float = 0.3


WEIGHTS = Weights()


# -- nodes ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    field: str  # a text field
    text: str  # the analysed term, as indexed for its kind
    kind: str = "word"
    boost: float = 1.0


@dataclass(frozen=True)
class Keyword:
    field: str  # a facet field or "id": the value as stored
    value: str


@dataclass(frozen=True)
class Phrase:
    field: str
    terms: tuple[str, ...]  # "word" terms in order
    slop: int = 0
    boost: float = 1.0


@dataclass(frozen=True)
class Near:
    """Each group's terms ("word" or "part") within `slop` words of each other, in any order, in one field."""

    field: str
    groups: tuple[tuple[Term, ...], ...]
    slop: int = PROXIMITY_SLOP
    boost: float = 1.0


@dataclass(frozen=True)
class Any:
    clauses: tuple
    boost: float = 1.0


@dataclass(frozen=True)
class All:
    clauses: tuple  # may hold Not(...) clauses: those exclude
    boost: float = 1.0


@dataclass(frozen=True)
class Not:
    clause: object


@dataclass(frozen=True)
class AtLeast:
    """At least `minimum` of `clauses`; the score is the matched clauses' scores plus `coord` for each."""

    clauses: tuple
    minimum: int
    coord: float = COORD


@dataclass(frozen=True)
class Bonus:
    """The documents `required` matches; those `bonus` matches too score higher (ANDMAYBE)."""

    required: object
    bonus: object


@dataclass(frozen=True)
class Everything:
    """Every document: what a query of exclusions only ("-Baku") excludes from."""


@dataclass(frozen=True)
class QueryPlan:
    tree: object | None  # None: nothing to search for (browse everything)
    relaxed: object | None = None  # run instead when `tree` finds fewer than RELAX_BELOW releases
    relaxable: int = 0  # how many clauses may be missing in `relaxed`
    note: str | None = None
    terms: frozenset = field(default_factory=frozenset)  # (kind, text) of every positive text term, for highlighting


# -- syntax -----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Quoted:
    text: str
    field: str | None = None


@dataclass(frozen=True)
class Group:
    """Clauses joined by AND (OR when `any`); each item is (sign, clause): "" default, "+" required,
    "-" excluded, "?" optional (ANDMAYBE)."""

    items: tuple
    any: bool = False


TOKEN = re.compile(r'[+-]?\w+:"[^"]*"|[+-]?"[^"]*"|\(|\)|[^\s()"]+')
FIELD_VALUE = re.compile(r"(\w+):(.+)")
WORD = re.compile(QUERY_WORD_PATTERN)  # the analysis' letters, on text `clean` has already made plain
EXCLUDING = {"NOT": "-", "ANDNOT": "-", "ANDMAYBE": "?"}


def parse(text: str) -> Group:
    """The user's syntax as a Group. Never fails: what is not syntax is words."""
    tokens = TOKEN.findall(text)
    group, _ = _parse_group(tokens, 0)
    return group


def _parse_group(tokens: list[str], at: int) -> tuple[Group, int]:
    alternatives: list[list] = [[]]
    sign = ""
    while at < len(tokens):
        token = tokens[at]
        at += 1
        if token == ")":
            break
        if token == "OR":
            if alternatives[-1]:
                alternatives.append([])
            continue
        if token == "AND":
            continue
        if token in EXCLUDING:
            sign = EXCLUDING[token]
            continue
        if token == "(":
            inner, at = _parse_group(tokens, at)
            clause = inner
        else:
            prefix = ""
            if len(token) > 1 and token[0] in "+-":
                prefix, token = token[0], token[1:]
            clause = _atom(token)
            sign = prefix or sign
        if clause is not None:
            alternatives[-1].append((sign, clause))
        sign = ""
    alternatives = [a for a in alternatives if a]
    if len(alternatives) > 1:
        return Group(tuple(("", Group(tuple(a)) if len(a) > 1 else a[0][1]) for a in alternatives), any=True), at
    return Group(tuple(alternatives[0]) if alternatives else ()), at


def _atom(token: str):
    found = FIELD_VALUE.fullmatch(token)
    if found and found.group(1) in params.QUERYABLE_FIELDS:
        name, value = found.groups()
        if value.startswith('"') and value.endswith('"') and len(value) > 1:
            return Quoted(value[1:-1], name)
        return Word(value, name)
    if token.startswith('"') and token.endswith('"') and len(token) > 1:
        return Quoted(token[1:-1]) if WORD.search(token) else None
    words = WORD.findall(found.group(2) if found else token)  # an unknown field's value is searched as words
    if not words:
        return None
    if len(words) == 1:
        return Word(words[0])
    return Group(tuple(("", Word(w)) for w in words))


# -- expansion --------------------------------------------------------------------------------------------


class Planner:
    """Turns parsed syntax into trees, with one analyzer: `analyse(word) -> WordTerms`, and synonyms.

    `analyse` is `search.engine.analysis.word_terms` in both engines (one analysis), passed in so this module
    stays free of any engine."""

    def __init__(self, analyse, synonyms=None):
        self.analyse = analyse
        self.synonyms = synonyms

    def plan(self, text: str) -> QueryPlan:
        text, note = params.prepare(clean(text or ""))
        if text is None:
            return QueryPlan(None, note=note)
        group = parse(text)
        terms: set = set()
        clauses, relaxable = self._clauses(group, terms)
        if not clauses:
            return QueryPlan(None, note=note)
        positive = [c for sign, c in clauses if sign != "-"]
        if not positive:
            # only exclusions: everything except them, as web search engines answer "-word"
            clauses = [("", Everything()), *clauses]
        tree = _all_of([c if sign != "-" else Not(c) for sign, c in clauses if sign != "?"])
        optional = [c for sign, c in clauses if sign == "?"]
        if optional:
            tree = Bonus(tree, _any_of(optional))
        near = self._proximity(group)
        if near is not None:
            tree = Bonus(tree, near)
        relaxed = self._relaxed(clauses, near) if relaxable >= 3 else None  # "most" of two words is both
        return QueryPlan(tree, relaxed, relaxable if relaxed is not None else 0, note, frozenset(terms))

    def _clauses(self, group: Group, terms: set) -> tuple[list, int]:
        """The clauses of the top group as (sign, node), and how many of them a relaxed search may leave out."""
        if group.any:
            node = self._node(group, terms)
            return ([("", node)] if node is not None else []), 0
        out = list(self._signed_nodes(group, terms))
        return out, sum(1 for sign, _ in out if sign == "")

    def _signed_nodes(self, group: Group, terms: set):
        """(sign, node) for each item, with synonym names among runs of plain words made one clause."""
        items = list(group.items)
        i = 0
        while i < len(items):
            sign, clause = items[i]
            if isinstance(clause, Word) and clause.field is None and self.synonyms is not None:
                end = i
                while end < len(items) and isinstance(items[end][1], Word) and items[end][1].field is None and items[end][0] == sign:
                    end += 1
                yield from self._run(items[i:end], sign, terms if sign != "-" else set())
                i = end
                continue
            node = self._node(clause, terms if sign != "-" else set())
            if node is not None:
                yield sign, node
            i += 1

    def _run(self, items, sign, terms):
        """A run of plain words with one sign: synonym names become one clause of their group's names."""
        words = [w.text for _, w in items]
        keys = [self.analyse(w).key for w in words]
        at = 0
        for match in self.synonyms.match(keys):
            for w in words[at : match.start]:
                node = self._word(w, terms)
                if node is not None:
                    yield sign, node
            names = [self._name(n, terms) for n in match.names]
            names = [n for n in names if n is not None]
            if names:
                yield sign, _any_of(names)
            at = match.end
        for w in words[at:]:
            node = self._word(w, terms)
            if node is not None:
                yield sign, node

    def _name(self, name: str, terms: set):
        """One name of a synonym group: a word, or a phrase of its words."""
        words = WORD.findall(name)
        if len(words) == 1:
            return self._word(words[0], terms, synonyms=False)
        return self._phrase(name, None, terms)

    def _node(self, clause, terms: set):
        if isinstance(clause, Word):
            if clause.field is not None and clause.field not in TEXT_FIELDS:
                return Keyword(clause.field, clause.text)
            return self._word(clause.text, terms, fields=(clause.field,) if clause.field else TEXT_FIELDS)
        if isinstance(clause, Quoted):
            if clause.field is not None and clause.field not in TEXT_FIELDS:
                return Keyword(clause.field, clause.text)
            return self._phrase(clause.text, clause.field, terms)
        if isinstance(clause, Group):
            nodes = []
            for sign, node in self._signed_nodes(clause, terms):
                nodes.append(Not(node) if sign == "-" else node)
            nodes = [n for n in nodes if n is not None]
            if not nodes:
                return None
            if clause.any:
                return _any_of(nodes)
            if all(isinstance(n, Not) for n in nodes):
                nodes.insert(0, Everything())
            return _all_of(nodes)
        return None

    def _word(self, word: str, terms: set, fields=TEXT_FIELDS, synonyms=True):
        """A word in any of `fields`, by every kind of term it searches; a hyphenated word needs all its parts."""
        analysed = self.analyse(word)
        if not analysed.stems:
            return None  # a stop word
        if synonyms and self.synonyms is not None and len(analysed.stems) > 1:
            # synonyms inside a compound: "VN-Sicherheitsrat" finds "UN-Sicherheitsrat" and "UNO-Sicherheitsrat"
            pieces = [self._run([("", Word(piece))], "", terms) for piece in analysed.pieces]
            nodes = [node for piece in pieces for _, node in piece]
            return _all_of(nodes) if nodes else None
        per_stem = []
        for stem in analysed.stems:
            alternatives = []
            for name in fields:
                boost = FIELD_BOOSTS[name]
                alternatives.append(Term(name, stem, "word", boost * WEIGHTS.word))
                terms.add(("word", stem))
                if len(analysed.stems) == 1:
                    alternatives.extend(self._variants(analysed, name, boost, terms))
                elif _inside_compounds(stem):
                    alternatives.append(Term(name, stem, "part", boost * WEIGHTS.part))
            per_stem.append(Any(tuple(alternatives)))
        return per_stem[0] if len(per_stem) == 1 else All(tuple(per_stem))

    def _variants(self, analysed, name: str, boost: float, terms: set):
        stem = analysed.stems[0]
        if analysed.exact and analysed.exact != stem:
            yield Term(name, analysed.exact, "exact", boost * WEIGHTS.exact)
            terms.add(("exact", analysed.exact))
        if analysed.family:
            yield Term(name, analysed.family, "family", boost * WEIGHTS.family)
            terms.add(("family", analysed.family))
            if analysed.family != stem:  # releases whose word has the family key as its stem ("Wahl" for "gewählt")
                yield Term(name, analysed.family, "word", boost * WEIGHTS.family)
                terms.add(("word", analysed.family))
        if analysed.name:
            yield Term(name, analysed.name, "name", boost * WEIGHTS.name)
            terms.add(("name", analysed.name))
        if _inside_compounds(stem):
            yield Term(name, stem, "part", boost * WEIGHTS.part)
            terms.add(("part", stem))

    def _phrase(self, text: str, field_name: str | None, terms: set):
        stems = [s for w in WORD.findall(text) for s in self.analyse(w).stems]
        if not stems:
            return None
        fields = (field_name,) if field_name else TEXT_FIELDS
        for stem in stems:
            terms.add(("word", stem))
        if len(stems) == 1:
            return Any(tuple(Term(f, stems[0], "word", FIELD_BOOSTS[f]) for f in fields))
        return Any(tuple(Phrase(f, tuple(stems), 0, FIELD_BOOSTS[f]) for f in fields))

    # -- proximity and relaxing ---------------------------------------------------------------------------

    def _proximity(self, group: Group):
        """Releases where the top group's plain words stand within PROXIMITY_SLOP of each other score a bonus."""
        if group.any:
            return None
        stems = []
        for sign, clause in group.items:
            if sign in ("", "+") and isinstance(clause, Word) and clause.field is None:
                analysed = self.analyse(clause.text)
                if len(analysed.stems) == 1:
                    stems.append(analysed.stems[0])
        stems = list(dict.fromkeys(stems))[:MAX_PROXIMITY_WORDS]
        if len(stems) < 2:
            return None
        near = []
        for name in TEXT_FIELDS:
            boost = FIELD_BOOSTS[name] * PROXIMITY_BOOST
            groups = tuple(
                (Term(name, s, "word", boost), *((Term(name, s, "part", boost * WEIGHTS.part),) if _inside_compounds(s) else ()))
                for s in stems
            )
            near.append(Near(name, groups, PROXIMITY_SLOP))
        return _any_of(near)

    def _relaxed(self, clauses: list, near):
        loose = [c for sign, c in clauses if sign == ""]
        fixed = [c if sign == "+" else Not(c) for sign, c in clauses if sign in ("+", "-")]
        minimum = len(loose) // 2 + 1  # most of the words: 2 of 3, 3 of 4, 7 of 12
        tree = AtLeast(tuple(loose), minimum)
        if fixed:
            tree = All((*fixed, tree))
        return Bonus(tree, near) if near is not None else tree


def _inside_compounds(stem: str) -> bool:
    """Whether a query term also searches inside compounds (its part term): words of letters, not too short."""
    return len(stem) >= MIN_PART_TERM and stem.isalpha()


def _all_of(nodes):
    nodes = [n for n in nodes if n is not None]
    return nodes[0] if len(nodes) == 1 and not isinstance(nodes[0], Not) else All(tuple(nodes))


def _any_of(nodes):
    nodes = [n for n in nodes if n is not None]
    return nodes[0] if len(nodes) == 1 else Any(tuple(nodes))


def relaxed_note(matched: int, words: int, complete: int = 0) -> str:
    """What the page and the JSON say about a relaxed search: `complete` releases had every one of the `words`,
    the best of the others `matched` of them."""
    if not complete:
        return f"Keine Treffer mit allen Wörtern – Ergebnisse mit {matched} von {words} Wörtern"
    found = "ein Treffer" if complete == 1 else f"{complete} Treffer"
    return f"Nur {found} mit allen {words} Wörtern – dazu Ergebnisse mit den meisten davon"
