"""From mentions to persons, and from persons to actors: steps 2 and 3 of `ActorFinder.find`.

Vocabulary (see `search.extract.actors` for name, anchor and gazetteer):
- bare words: a mention's words with a genitive "s" taken off the surname where the release also writes the
  surname without it ("Hasanovs" -> "Hasanov").
- link: the gazetteer person a mention names, if any (`Linked.gaz`); `Linked.person` is the number of its person.
- person: the mentions of one individual inside a release (`Person`): a gazetteer person, or one known by a full
  form ("Patrick Kamanda") or by a surname; the people of a release are looked up by gazetteer person, by full
  form (`identity.NameRules.person_key`) and by the name key of the surname (`People`).
- resolve (`Resolver.resolve`): link the mentions to the gazetteer, make the persons, add the repeated surnames
  the mention finder looks for once the persons are known, give every mention its person, and name each person.
- merge (`merge_actors`): one actor per display name; two persons shown under one name (rare) are one actor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from search.extract.mentions import Found, Mention
from search.german.names import name_key
from search.model import Actor

if TYPE_CHECKING:
    from search.extract.actors import NameReader

# (sentences, covered tokens, surname keys, surname spellings) -> the further mentions of those surnames
RepeatedSurnames = Callable[[list, set, set, set], list]


@dataclass
class Linked:
    """A mention on its way to a person."""

    mention: Mention
    bare: tuple[str, ...]  # its words without a genitive "s" (see the module doc)
    gaz: int | None  # the gazetteer person it names
    person: int = -1  # its person's number in `People.persons`


@dataclass
class Person:
    gaz: int | None  # the gazetteer person, if it is one
    surname: str  # the name key of the surname ("" for a gazetteer person)
    forms: list[list[str]] = field(default_factory=list)  # bare words of its mentions not linked to the gazetteer
    roles: dict[str, None] = field(default_factory=dict)  # in the order seen
    surfaces: dict[str, None] = field(default_factory=dict)  # its mentions as written, in the order seen
    initials: set[str] = field(default_factory=set)  # first letters of its full forms' first names (and their keys)

    def take(self, linked: Linked) -> None:
        self.surfaces[" ".join(linked.mention.words)] = None
        self.roles.update(dict.fromkeys(linked.mention.roles))
        if linked.gaz is None:
            self.forms.append(list(linked.bare))


@dataclass
class People:
    """The persons of a release, by gazetteer person, full form and surname key."""

    persons: list[Person] = field(default_factory=list)
    by_gaz: dict[int, int] = field(default_factory=dict)
    by_full: dict[tuple[str, ...], int] = field(default_factory=dict)
    by_surname: dict[str, list[int]] = field(default_factory=dict)

    def new(self, gaz: int | None, surname: str) -> int:
        self.persons.append(Person(gaz, surname))
        self.by_surname.setdefault(surname, []).append(len(self.persons) - 1)
        return len(self.persons) - 1


@dataclass(frozen=True)
class Resolution:
    mentions: list[Mention]  # the mentions found, then the repeated surnames, each with its person's name
    persons: list[Person]
    names: list[str | None]  # each person's display name


class Resolver:
    """Mentions -> persons: gazetteer persons by index, others by person key (see `identity`); partial mentions
    join the person of their surname key, by first initial when several share it."""

    def __init__(self, reader: NameReader, repeated_surnames: RepeatedSurnames):
        self.reader = reader
        self.gaz = reader.gaz
        self.rules = reader.rules
        self.repeated_surnames = repeated_surnames

    def resolve(self, found: Found) -> Resolution:
        linked = self.link(found.mentions)
        people = self.people(linked)
        spellings = {item.bare[-1] for item in linked if item.gaz is None}
        surnames = set(people.by_surname)
        for mention in self.repeated_surnames(found.sents, found.covered, surnames, spellings):
            linked.append(Linked(mention, bare(mention.words, surnames), None))
        for item in linked:
            item.person = self.owner(item, people)
        for item in linked:
            people.persons[item.person].take(item)
        names = [self.display(person) for person in people.persons]
        return Resolution([replace(item.mention, person_name=names[item.person]) for item in linked],
                          people.persons, names)

    def link(self, mentions: list[Mention]) -> list[Linked]:
        """Each mention with its bare words and the gazetteer person it names (by its own words, else as another
        spelling of a gazetteer person named in this release)."""
        picks = [self.reader.gazetteer_pick(m.words[-1], list(m.words[:-1])) for m in mentions]
        known = {name_key(m.words[-1]) for m, gi in zip(mentions, picks) if gi is None}
        linked = [Linked(m, bare(m.words, known), gi) for m, gi in zip(mentions, picks)]
        present = {item.gaz for item in linked if item.gaz is not None}
        others = {(name_key(item.bare[-1]), item.bare[0][0]) for item in linked
                  if item.gaz is None and is_full(item.bare)}
        for item in linked:
            if item.gaz is not None and self._another_initial(item, others):
                item.gaz = None  # "R. Aliyev" beside "Rauf Aliyev" is Rauf, not the gazetteer's Ilham
        for item in linked:
            if item.gaz is None:
                item.gaz = self._gazetteer_spelling(item.bare, present, others)
        return linked

    def _another_initial(self, item: Linked, others: set[tuple[str, str]]) -> bool:
        words = item.bare
        return (len(words) == 2 and words[0].endswith(".") and (name_key(words[-1]), words[0][0]) in others
                and words[0][0] not in {f[0] for f in self.gaz.first_names[item.gaz]})

    def _gazetteer_spelling(self, words: tuple[str, ...], present: set[int],
                            others: set[tuple[str, str]]) -> int | None:
        """The gazetteer person named in this release that `words` spells differently ("Alijew" for Aliyev):
        the surname's name key must be the person's, and so must a full first name; an initial or a bare surname
        joins only when no other person of this release has that surname (and initial)."""
        key = name_key(words[-1])
        found = [gi for gi in self.reader.gaz_keys.get(key, ()) if gi in present]
        if len(found) != 1:
            return None
        gi = found[0]
        if is_full(words):
            return gi if name_key(words[0]) in self.gaz.first_keys[gi] else None
        if any(k == key and (len(words) == 1 or initial == words[0][0]) for k, initial in others):
            return None
        return gi

    def people(self, linked: list[Linked]) -> People:
        """The persons the gazetteer links and the full forms name (a surname alone joins one of them later)."""
        people = People()
        for item in linked:
            if item.gaz is not None and item.gaz not in people.by_gaz:
                people.by_gaz[item.gaz] = people.new(item.gaz, "")
            elif item.gaz is None and is_full(item.bare):
                key = self.rules.person_key(item.bare)
                if key not in people.by_full:
                    people.by_full[key] = people.new(None, name_key(item.bare[-1]))
                people.persons[people.by_full[key]].initials.update((item.bare[0][0], name_key(item.bare[0])[:1]))
        return people

    def owner(self, item: Linked, people: People) -> int:
        """The person of a mention: its gazetteer person or full form's; a partial form joins the person of its
        surname key (by initial when several have it), else is a person of its own."""
        if item.gaz is not None:
            return people.by_gaz[item.gaz]
        words = item.bare
        if is_full(words):
            return people.by_full[self.rules.person_key(words)]
        initial = words[0][0] if len(words) >= 2 else None
        candidates = people.by_surname.get(name_key(words[-1]), [])
        fits = [p for p in candidates if initial and initial in people.persons[p].initials]
        if len(fits) == 1:
            return fits[0]
        if candidates:
            return candidates[0]  # unique surname: a mismatched MT initial still resolves
        return people.new(None, name_key(words[-1]))

    def display(self, person: Person) -> str | None:
        """The gazetteer's canonical name; else an override's display name; else the best form (`best_form`)."""
        if person.gaz is not None:
            return self.gaz.persons[person.gaz]["name"]
        if not person.forms:
            return None
        name = " ".join(best_form(person.forms))
        return self.rules.display(name) or name


def merge_actors(persons: list[Person], names: list[str | None]) -> tuple[Actor, ...]:
    """One actor per display name, with the roles and mentions of every person shown under it."""
    merged: dict[str, Actor] = {}
    for person, name in zip(persons, names):
        if not person.surfaces:
            continue
        roles, surfaces = tuple(person.roles), tuple(person.surfaces)
        if name in merged:
            roles = tuple(dict.fromkeys(merged[name].roles + roles))
            surfaces = tuple(dict.fromkeys(merged[name].mentions + surfaces))
        merged[name] = Actor(name=name, roles=roles, mentions=surfaces)
    return tuple(merged.values())


def bare(words: tuple[str, ...], known: set[str]) -> tuple[str, ...]:
    """The words with a genitive "s" taken off the surname when the bare surname's key is known here
    ("Hasanovs" -> "Hasanov"); a surname that merely ends in "s" ("Tsipras") keeps it."""
    last = words[-1]
    if len(last) > 3 and last[-1] in "s'’" and name_key(last[:-1]) in known and name_key(last) not in known:
        return (*words[:-1], last[:-1])
    return words


def is_full(words: tuple[str, ...] | list[str]) -> bool:
    """A full form names a first name and a surname ("Jamshid Khodjaev"), not an initial or a surname alone."""
    return len(words) >= 2 and words[0][0].isupper() and not words[0].endswith(".")


def best_form(forms: list[list[str]]) -> list[str]:
    """The form to show: a full form ("First Last") before a form with an initial before a bare surname; among
    those, the surname spelled as most mentions spell it (one person in two transliterations is shown the way
    the release mostly writes it), then the most words, then the form seen first."""
    spelled: dict[str, int] = {}
    for words in forms:
        spelled[words[-1]] = spelled.get(words[-1], 0) + 1

    def score(item: tuple[int, list[str]]) -> tuple[int, int, int, int]:
        seen, words = item
        return (1 if is_full(words) else 0, spelled[words[-1]], len(words), -seen)

    return max(enumerate(forms), key=score)[1]
