"""Metadata extraction: from a Document's German text to the values staff filter by.

Vocabulary (one submodule per concept, each pure):
- ``dates``: the publication date with precision and provenance (record > event date in the text > context year).
- ``actors``: persons with roles and the surface forms that refer to them; gazetteer and alias resolution.
- ``speakers``: who is quoted or reported as speaking.
- ``topics``: topics from the editable taxonomy, with the words that triggered them.
- ``places``: countries (pycountry's German names, genitives, adjectives) and organisations.

``Extractor`` loads the shipped data files (``search/data/gazetteer.toml``, ``topics.toml``, ``countries.toml``)
once, plus optional user files that extend them (and ``names.toml``, the name overrides of ``identity``), and then ``extract(doc)`` is a pure function of its inputs.
``metadata_to_json`` is the ``depesche extract --json`` object; ``extraction_report`` summarises a batch for the
end of ``depesche index``; ``facet_roles`` gives the role facet values (roles seen plus umbrellas);
``canonical_names`` maps partial names and other spellings to the one name a person is shown under across
releases (the search engine files facet values with it); ``canonical_organisations`` does the same for long forms
of organisations whose acronym the archive uses.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

from search.errors import DepescheError
from search.extract.actors import ActorFinder, Gazetteer, role_umbrellas
from search.extract.dates import extract_date
from search.extract.identity import canonical_names, is_partial, load_rules as load_name_rules
from search.extract.organisations import OrganisationFinder, canonical_organisations
from search.extract.places import build_tables, find_places
from search.extract.speakers import find_speakers
from search.extract.topics import TopicMatcher, load_rules
from search.german import lexicon
from search.model import Document, Metadata

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER = DATA_DIR / "gazetteer.toml"
TAXONOMY = DATA_DIR / "topics.toml"
COUNTRIES = DATA_DIR / "countries.toml"

__all__ = [
    "Extractor",
    "metadata_to_json",
    "extraction_report",
    "facet_roles",
    "role_umbrellas",
    "canonical_names",
    "canonical_organisations",
]


def _load_toml(path: Path | None) -> dict:
    if path is None:
        return {}
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as error:  # a user's file: say which and why, no traceback
        raise DepescheError(f"cannot read {path}: {error}") from None


GAZETTEER_ENV = "DEPESCHE_GAZETTEER"
TOPICS_ENV = "DEPESCHE_TOPICS"


class Extractor:
    """Load the gazetteer, taxonomy and country tables once; ``extract`` many documents."""

    def __init__(self, gazetteer_path: Path | None = None, taxonomy_path: Path | None = None,
                 names_path: Path | None = None):
        """Shipped tables, extended by the user's TOML files: the paths given, else $DEPESCHE_GAZETTEER,
        $DEPESCHE_TOPICS and $DEPESCHE_NAMES (so `depesche index` picks them up without code or options)."""
        gazetteer_path = gazetteer_path or os.environ.get(GAZETTEER_ENV) or None
        taxonomy_path = taxonomy_path or os.environ.get(TOPICS_ENV) or None
        shipped_gaz = _load_toml(GAZETTEER)
        user_gaz = _load_toml(Path(gazetteer_path)) if gazetteer_path else {}
        people = [*shipped_gaz.get("person", []), *user_gaz.get("person", [])]
        organisations = [*shipped_gaz.get("organisation", []), *user_gaz.get("organisation", [])]
        self.places = build_tables(_load_toml(COUNTRIES), organisations)
        self.gazetteer = Gazetteer.build(people)
        first_names = {*shipped_gaz.get("names", {}).get("first", []), *user_gaz.get("names", {}).get("first", [])}
        self.actors = ActorFinder(self.gazetteer, self.places.is_place_word, first_names,
                                  load_name_rules(str(names_path)) if names_path else None)
        tables = self.places
        prefixes = {  # "Organisation für Sicherheit und Zusammenarbeit" before "in Europa": the gazetteer's OSZE
            " ".join(form.split()[:n]): name for form, name in tables.organisations.items()
            for n in range(2, form.count(" ") + 1)
        }
        self.organisations = OrganisationFinder(
            known=lambda phrase: tables.organisations.get(phrase) or prefixes.get(phrase)
            or (phrase if phrase in tables.countries else None),
            is_country=lambda word: word in tables.countries and word[0].isupper(),
            is_role=self.actors.role,
            first_names=self.actors.first_names,
        )
        lexicon.is_word("amt")  # load the word list now, not inside the first release that names a portfolio
        taxonomies = [_load_toml(TAXONOMY)] + ([_load_toml(Path(taxonomy_path))] if taxonomy_path else [])
        self.topics = TopicMatcher(load_rules(taxonomies))

    def extract(
        self,
        doc: Document,
        context_year: int | None = None,
        reference_date: dt.date | None = None,
    ) -> Metadata:
        parts = [doc.title or "", doc.lead or "", *doc.paragraphs]
        # the lead is often repeated as the first paragraph (wikinews layout): read it once
        if len(parts) > 2 and parts[2] == parts[1]:
            parts = [parts[0], *parts[2:]]
        scope = parts[:3]  # headline, lead, first paragraph: where the event date is written
        date = extract_date(
            scope,
            record_date=doc.date,
            record_origin=getattr(doc, "date_origin", None) or "metadata",
            context_year=context_year,
            reference_date=reference_date,
        )
        analysis = self.actors.find(parts)
        text = "\n".join(parts)
        countries, organisations = find_places(text, self.places)
        words = [[token.text for token in sentence] for sentence in analysis.sents]
        named = [org for org in self.organisations.find(words) if org.canonical not in organisations]
        values = (*organisations, *(org.canonical for org in named))
        # a long form whose acronym the release also names (the gazetteer's, or one it uses undefined) is that
        # acronym here too, as the facet files it across the archive: a release is then never counted twice
        filed = canonical_organisations(values)
        labels = {org.canonical: org.long for org in named if org.canonical != org.long}
        labels.update((acronym, long) for long, acronym in filed.items() if acronym not in labels)
        values = tuple(dict.fromkeys(filed.get(value, value) for value in values))
        return Metadata(
            date=date,
            actors=analysis.actors,
            speakers=find_speakers(analysis),
            topics=self.topics.match(text, head=parts[1] if len(parts) > 1 else "", title=parts[0]),
            countries=countries,
            organisations=values,
            organisation_labels=tuple((value, labels[value]) for value in values if value in labels),
        )

    def report(self, pairs: list[tuple[Document, Metadata]]) -> dict:
        return extraction_report(pairs, frozenset(person["name"] for person in self.gazetteer.persons))


def metadata_to_json(doc: Document, md: Metadata) -> dict:
    """The ``depesche extract --json`` object for one release."""
    return {
        "id": doc.id,
        "title": doc.title,
        "lead": doc.lead,
        "date": md.date.iso,
        "date_precision": md.date.precision,
        "date_source": md.date.source,
        "year": md.date.year,
        "month": md.date.month,
        "day": md.date.day,
        "actors": [{"name": a.name, "roles": list(a.roles), "mentions": list(a.mentions)} for a in md.actors],
        "speakers": list(md.speakers),
        "topics": [{"name": t.name, "terms": list(t.terms)} for t in md.topics],
        "countries": list(md.countries),
        "organisations": list(md.organisations),
        "organisation_labels": dict(md.organisation_labels),
    }


def facet_roles(md: Metadata) -> tuple[str, ...]:
    """Role facet values: every role seen, then the umbrellas that cover them ("Minister")."""
    seen: dict[str, None] = dict.fromkeys(md.roles)
    for role in md.roles:
        for umbrella in role_umbrellas(role):
            seen.setdefault(umbrella, None)
    return tuple(seen)


def _words(name: str) -> list[str]:
    """The words of a name as a reader compares them: lower case, without a genitive "s" or apostrophe."""
    return [w.rstrip("'’") for w in name.lower().split()]


def _within(short: list[str], long: list[str]) -> bool:
    """Every word of `short` is a word of `long`, its genitive, or its initial."""
    return all(w in long or (w.endswith("s") and w[:-1] in long)
               or (len(w) == 2 and w.endswith(".") and any(x.startswith(w[0]) for x in long)) for w in short)


def _respelled(alias: str, name: str) -> bool:
    """`alias` spells `name` differently ("Jamshid Khodjaev" for "Dschamschid Chodschajew"), rather than
    shortening or lengthening it ("J. Chodschajew", "Chodschajews", "Michail Sergejewitsch Gorbatschow")."""
    a, n = _words(alias), _words(name)
    return not (_within(a, n) or _within(n, a))


def spelling_merges(pairs: list[tuple[Document, Metadata]], known: frozenset[str] = frozenset()) -> list[str]:
    """Persons filed under one name although spelled differently ("Jamshid Khodjaev = Dschamschid Chodschajew"),
    within a release (one actor's mentions) or across the batch (`canonical_names`), under the name the facet
    shows; gazetteer persons (`known`) are left out, their spellings are curated."""
    counts: dict[str, int] = {}
    spellings: dict[str, set[str]] = {}
    for _, md in pairs:
        for actor in md.actors:
            counts[actor.name] = counts.get(actor.name, 0) + 1
            spellings.setdefault(actor.name, {actor.name}).update(actor.mentions)
    shown = canonical_names(counts)
    merged: dict[str, set[str]] = {}
    for name, forms in spellings.items():
        final = shown.get(name, name)
        merged.setdefault(final, set()).update(forms)
    return [f"{name} = {' = '.join(sorted(others))}" for name, forms in sorted(merged.items())
            if name not in known and (others := {form for form in forms if _respelled(form, name)})]


def extraction_report(pairs: list[tuple[Document, Metadata]], known: frozenset[str] = frozenset()) -> dict:
    """Counts and examples for the end of ``depesche index``.

    ``unresolved``: actors known only by a surname or an initial ("Putin", "Z. Hasanov");
    ``ambiguous``: surnames that name more than one distinct full person across the batch;
    ``merged_spellings``: persons filed under one name although spelled differently (see `spelling_merges`),
    for staff to check (a wrong merge is undone in ``names.toml``).
    """
    no_date, no_year, no_topic = [], [], []
    unresolved: dict[str, int] = {}
    full_by_surname: dict[str, set[str]] = {}
    for doc, md in pairs:
        if md.date.iso is None:
            no_date.append(doc.id)
        if md.date.year is None:
            no_year.append(doc.id)
        if not md.topics:
            no_topic.append(doc.id)
        for actor in md.actors:
            if is_partial(actor.name):
                unresolved[actor.name] = unresolved.get(actor.name, 0) + 1
            else:
                full_by_surname.setdefault(actor.name.split()[-1], set()).add(actor.name)
    ambiguous = {s: sorted(names) for s, names in full_by_surname.items() if len(names) > 1}
    return {
        "releases": len(pairs),
        "without_date": len(no_date),
        "without_year": len(no_year),
        "without_topic": len(no_topic),
        "without_date_ids": no_date,
        "without_year_ids": no_year,
        "without_topic_ids": no_topic,
        "unresolved_names": dict(sorted(unresolved.items(), key=lambda kv: (-kv[1], kv[0]))),
        "ambiguous_names": ambiguous,
        "merged_spellings": spelling_merges(pairs, known),
    }
