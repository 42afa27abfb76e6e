"""The steps of `ActorFinder.find`, each on its own: find the mentions, resolve them to persons, merge."""

from __future__ import annotations

import pytest

from search.extract import Extractor
from search.extract.mentions import Found, Mention, sentences
from search.extract.persons import Person, bare, best_form, merge_actors
from search.model import Actor


@pytest.fixture(scope="module")
def finder():
    return Extractor().actors


def sents_of(*paragraphs: str):
    return [sent for para in paragraphs for sent in sentences(para)]


def mentions(found: Found) -> list[tuple[str, tuple[str, ...]]]:
    return [(" ".join(m.words), m.roles) for m in found.mentions]


# -- step 1: the mention finder


def test_a_role_anchors_the_name_after_it(finder):
    found = finder.mention_finder.find(sents_of("Außenminister Ceyhun Bayramov traf den Botschafter."))
    assert mentions(found) == [("Ceyhun Bayramov", ("Außenminister",))]
    assert found.role_only == [(0, 5, "Botschafter")]  # a role named without a name (token 5)


def test_speech_verbs_anchor_names_before_and_after_them(finder):
    found = finder.mention_finder.find(sents_of("„Wir helfen“, sagte Patrick Kamanda.", "Jean Dupont betonte das."))
    assert mentions(found) == [("Patrick Kamanda", ()), ("Jean Dupont", ())]


def test_an_apposition_gives_its_role_to_the_name(finder):
    found = finder.mention_finder.find(sents_of("Wir trafen Ilham Aliyev, Präsident der Republik Aserbaidschan."))
    assert mentions(found) == [("Ilham Aliyev", ("Präsident",))]


def test_a_gazetteer_surname_alone_counts_once_its_person_is_named(finder):
    alone = finder.mention_finder.find(sents_of("Das sagte Stoltenberg nicht."))
    named = finder.mention_finder.find(sents_of("NATO-Generalsekretär Jens Stoltenberg kam.", "Stoltenberg lobte."))
    assert [m.words for m in named.mentions] == [("Jens", "Stoltenberg"), ("Stoltenberg",)]
    assert [m.words for m in alone.mentions] == [("Stoltenberg",)]  # gazetteer surnames stand alone


def test_a_name_in_quotation_marks_is_a_thing(finder):
    found = finder.mention_finder.find(sents_of("Die Fregatte „Admiral Makarow“ lief aus."))
    assert found.mentions == []


def test_found_keeps_no_overlapping_mention():
    found = Found(sents_of("Herr Anar Mammadov sprach."))
    found.add(0, 1, 3)
    found.add(0, 2, 3)  # inside the first
    found.add(0, 3, 3)  # empty
    assert [m.words for m in found.mentions] == [("Anar", "Mammadov")] and found.covered == {(0, 1), (0, 2)}


# -- step 2: the resolver


def resolve(finder, *paragraphs: str):
    return finder.resolver.resolve(finder.mention_finder.find(sents_of(*paragraphs)))


def test_a_surname_and_its_genitive_join_the_full_name(finder):
    resolution = resolve(finder, "Außenminister Patrick Kamanda kam.", "Kamanda sprach.", "Kamandas Rede war kurz.")
    assert [m.person_name for m in resolution.mentions] == ["Patrick Kamanda"] * 3
    [person] = [p for p in resolution.persons if p.surfaces]
    assert (person.gaz, list(person.surfaces), list(person.roles)) == (
        None, ["Patrick Kamanda", "Kamanda", "Kamandas"], ["Außenminister"])


def test_an_initial_of_another_first_name_is_that_person(finder):
    resolution = resolve(finder, "Präsident Ilham Aliyev empfing den Abgeordneten Rauf Aliyev.", "R. Aliyev sagte nichts.")
    names = [m.person_name for m in resolution.mentions]
    assert names == ["Ilham Aliyev", "Rauf Aliyev", "Rauf Aliyev"]


def test_a_transliteration_of_a_gazetteer_person_is_that_person(finder):
    resolution = resolve(finder, "Außenminister Dschejhun Bairamow reiste ab.", "Bairamows Rede wurde gelobt.")
    assert {m.person_name for m in resolution.mentions} == {"Ceyhun Bayramov"}
    assert resolution.names == ["Ceyhun Bayramov"]


def test_bare_takes_a_genitive_off_only_when_the_release_has_the_surname():
    assert bare(("Hasanovs",), known={"hasanov"}) == ("Hasanov",)
    assert bare(("Tsipras",), known=set()) == ("Tsipras",)


def test_best_form_prefers_a_full_form_then_the_spelling_used_most():
    forms = [["Khodjaev"], ["Jamshid", "Khodjaev"], ["Dschamschid", "Chodschajew"], ["Khodjaev"]]
    assert best_form(forms) == ["Jamshid", "Khodjaev"]


# -- step 3: the merge


def test_persons_shown_under_one_name_are_one_actor():
    first = Person(None, "x", roles={"Minister": None}, surfaces={"A. Beispiel": None})
    second = Person(None, "x", roles={"Sprecher": None}, surfaces={"Anna Beispiel": None})
    unnamed = Person(None, "y")  # no mention: no actor
    assert merge_actors([first, second, unnamed], ["Anna Beispiel", "Anna Beispiel", None]) == (
        Actor("Anna Beispiel", ("Minister", "Sprecher"), ("A. Beispiel", "Anna Beispiel")),)


def test_the_steps_together_are_find(finder):
    paragraphs = ["Außenminister Patrick Kamanda kam.", "Kamanda sprach."]
    analysis = finder.find(paragraphs)
    resolution = resolve(finder, *paragraphs)
    assert analysis.actors == merge_actors(resolution.persons, resolution.names)
    assert analysis.mentions == resolution.mentions and all(isinstance(m, Mention) for m in analysis.mentions)


def test_a_names_file_given_to_the_extractor_keeps_two_persons_apart(tmp_path):
    names = tmp_path / "names.toml"
    names.write_text('[[never]]\nnames = ["Anna Petrova", "Anna Petrowa"]\n', encoding="utf-8")
    paragraphs = ["Botschafterin Anna Petrova kam.", "Botschafterin Anna Petrowa ging."]
    apart = Extractor(names_path=names).actors.find(paragraphs).actors
    merged = Extractor().actors.find(paragraphs).actors
    assert [a.name for a in merged] == ["Anna Petrova"] and [a.name for a in apart] == ["Anna Petrova", "Anna Petrowa"]
