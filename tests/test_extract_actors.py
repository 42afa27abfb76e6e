"""Actors: roles, ranks, names, alias resolution, gazetteer, role facet."""

from __future__ import annotations

import pytest

from search.extract import Extractor, canonical_names, facet_roles
from search.extract.actors import role_of, role_umbrellas
from search.model import Actor, Document, Metadata


@pytest.fixture(scope="module")
def ex() -> Extractor:
    return Extractor()


def actors(ex: Extractor, *lines: str) -> dict[str, tuple]:
    doc = Document(id="t", title=lines[0], lead=lines[1] if len(lines) > 1 else "", paragraphs=tuple(lines[2:]), source="t")
    return {a.name: (a.roles, a.mentions) for a in ex.extract(doc).actors}


@pytest.mark.parametrize(
    "word, role",
    [
        ("Außenminister", "Außenminister"), ("Außenministers", "Außenminister"), ("Außenministerin", "Außenministerin"),
        ("Präsidenten", "Präsident"), ("NATO-Generalsekretär", "NATO-Generalsekretär"), ("Ex-Präsident", "Ex-Präsident"),
        ("Ministerpräsidenten", "Ministerpräsident"), ("Vorsitzenden", "Vorsitzender"), ("Generaloberst", "Generaloberst"),
        ("Sonderbeauftragte", "Sonderbeauftragte"), ("Ministerium", None), ("Leiter", None), ("Berlin", None), ("minister", None),
    ],
)
def test_role_of(word, role):
    assert role_of(word) == role


def test_umbrellas_and_facet_roles():
    assert role_umbrellas("Außenministerin") == ("Minister",)
    assert role_umbrellas("Verteidigungsminister") == ("Minister",)
    assert role_umbrellas("Ministerpräsident") == ("Regierungschef",)
    assert role_umbrellas("Generaloberst") == ("Militär",)
    md = Metadata(actors=(Actor("A B", ("Außenministerin",)), Actor("C D", ("Generaloberst", "Verteidigungsminister"))))
    assert facet_roles(md) == ("Außenministerin", "Generaloberst", "Verteidigungsminister", "Minister", "Militär")


def test_seed_like_release_resolves_initials_and_mt_mismatch(ex):
    got = actors(
        ex,
        "Die Minister erörterten mit Stoltenberg die Lage",
        "Am 18. März trafen sich Verteidigungsminister Generaloberst Zakir Hasanov und NATO-Generalsekretär Jens Stoltenberg.",
        "Generaloberst Z. Hasanov dankte der NATO. Y. Stoltenberg betonte die Zusammenarbeit.",
    )
    assert got["Zakir Hasanov"] == (("Verteidigungsminister", "Generaloberst"), ("Zakir Hasanov", "Z. Hasanov"))
    assert got["Jens Stoltenberg"][0] == ("NATO-Generalsekretär",)
    assert set(got["Jens Stoltenberg"][1]) == {"Stoltenberg", "Jens Stoltenberg", "Y. Stoltenberg"}
    assert len(got) == 2


def test_unknown_person_with_initial_mismatch_and_genitive(ex):
    got = actors(
        ex,
        "Besuch aus Georgien",
        "Botschafter Lewan Tschanturia traf die Delegation.",
        "K. Tschanturia dankte. Tschanturias Delegation reiste weiter.",
    )
    assert got == {"Lewan Tschanturia": (("Botschafter",), ("Lewan Tschanturia", "K. Tschanturia", "Tschanturias"))}


def test_female_forms_and_gazetteer_variants(ex):
    got = actors(ex, "Titel", "Bundesaußenministerin Annalena Baerbock empfing Außenminister Dschejhun Bairamow.", "Bairamows Rede.")
    assert got["Annalena Baerbock"][0] == ("Bundesaußenministerin",)
    assert got["Ceyhun Bayramov"] == (("Außenminister",), ("Dschejhun Bairamow", "Bairamows"))


@pytest.mark.parametrize(
    "text",
    [
        "Unter der Leitung von Generaloberst Z. fand eine Sitzung statt.",
        "Der Botschafter in Berlin sprach mit dem Außenminister der NATO.",
        "Der Präsident Aserbaidschans reiste ab. Die Regierung erklärte ihre Haltung.",
        "Der Minister dankte der OSZE und der Europäischen Union.",
    ],
)
def test_no_false_persons(ex, text):
    assert actors(ex, "Titel", text) == {}


def test_role_qualifier_and_apposition(ex):
    got = actors(ex, "Titel", "Der Präsident der Republik Aserbaidschan Ilham Aliyev sprach.",
                 "Hakan Fidan, Außenminister der Türkei, reiste an.")
    assert got["Ilham Aliyev"][0] == ("Präsident",)
    assert got["Hakan Fidan"][0] == ("Außenminister",)


def test_speech_verb_finds_person_without_role(ex):
    assert "Patrick Kamanda" in actors(ex, "Titel", "„Das ist gut“, sagte Patrick Kamanda.")


def test_user_gazetteer_extends(tmp_path):
    user = tmp_path / "g.toml"
    user.write_text('[[person]]\nname = "Ceyhun Bayramov"\nvariants = ["Dzheyhun Bayramoff"]\n'
                    '[[person]]\nname = "Erika Musterfrau"\n', encoding="utf-8")
    ex = Extractor(gazetteer_path=user)
    assert set(actors(ex, "Titel", "Dzheyhun Bayramoff traf Musterfrau.")) == {"Ceyhun Bayramov", "Erika Musterfrau"}


def test_partial_names_map_to_the_one_full_name_seen_across_releases():
    names = {"Lewan Tschanturia", "L. Tschanturia", "Putin", "K. Müller", "Klaus Müller", "Karl Müller", "Meier"}
    assert canonical_names(names) == {"L. Tschanturia": "Lewan Tschanturia"}, "ambiguous or unseen: left alone"

def test_two_transliterations_of_one_person_are_one_actor_under_the_spelling_used_most(ex):
    got = actors(
        ex,
        "Außenminister Usbekistans in Berlin",
        "Außenminister Dschamschid Chodschajew traf Minister für Investitionen Bachodir Kurbanow.",
        "Der Außenminister Jamshid Khodjaev sagte, die Zusammenarbeit wachse. Bakhodir Kurbanov betonte das.",
        "B. Kurbanov dankte. Khodjaev reiste ab.",
    )
    assert set(got) == {"Jamshid Khodjaev", "Bakhodir Kurbanov"}
    assert set(got["Jamshid Khodjaev"][1]) == {"Dschamschid Chodschajew", "Jamshid Khodjaev", "Khodjaev"}
    assert set(got["Bakhodir Kurbanov"][1]) == {"Bachodir Kurbanow", "Bakhodir Kurbanov", "B. Kurbanov"}


def test_people_who_only_share_a_surname_stay_apart(ex):
    got = actors(ex, "Titel", "Präsident Ilham Aliyev empfing Minister Rauf Aliyev. R. Aliyev sagte, es gebe Fortschritte.")
    assert set(got) == {"Ilham Aliyev", "Rauf Aliyev"}
    assert "R. Aliyev" in got["Rauf Aliyev"][1]


def test_portfolio_between_role_and_name(ex):
    got = actors(ex, "Titel", "Der Minister für Digitale Entwicklung und Verkehr Raschad Nabijew eröffnete die Messe.",
                 "Der Minister für Investitionen Orkhan Mammadli sprach.")
    assert got == {"Rashad Nabiyev": (("Minister",), ("Raschad Nabijew",)),
                   "Orkhan Mammadli": (("Minister",), ("Orkhan Mammadli",))}


@pytest.mark.parametrize("text", [
    "Wie der Leiter des Pressezentrums mitteilte, wurde das Abkommen unterzeichnet.",
    "Das teilte der Pressedienst des Präsidenten mit, sagte Pressedienst Aserbaidschans.",
    "Laut Informationsdienst Kasachstans gebe es Fortschritte, erklärte Staatskomitee Usbekistans.",
    "Wie Grenzschutzagentur und Staatsbahnen mitteilten, sagte Direktor Zentrums nichts.",
    "„Wir sind bereit“, sagte Kooperationsrat Georgiens.",
])
def test_institutions_are_never_persons(ex, text):
    assert actors(ex, "Titel", text) == {}


def test_first_names_that_end_like_an_institution_are_names(ex):
    assert set(actors(ex, "Titel", "Minister Murat Kurum und Botschafter Marat Karabajew sprachen.")) == {
        "Murat Kurum", "Marat Karabajew"}


def test_name_overrides_merge_and_keep_apart(tmp_path, monkeypatch):
    names = tmp_path / "names.toml"
    names.write_text('[[merge]]\nnames = ["Mikheil Janelidze", "Micheil Dschanelidse", "Misha Dzhanelidze"]\n'
                     '[[never]]\nnames = ["Anna Petrova", "Anna Petrowa"]\n', encoding="utf-8")
    monkeypatch.setenv("DEPESCHE_NAMES", str(names))
    ex = Extractor()
    got = actors(ex, "Titel", "Minister Misha Dzhanelidze traf Botschafterin Anna Petrova.",
                 "Botschafterin Anna Petrowa sagte, Minister Micheil Dschanelidse sei willkommen.")
    assert set(got) == {"Mikheil Janelidze", "Anna Petrova", "Anna Petrowa"}
    assert canonical_names({"Misha Dzhanelidze": 1, "Mikheil Janelidze": 1, "Anna Petrova": 2, "Anna Petrowa": 1}) == {
        "Misha Dzhanelidze": "Mikheil Janelidze"}


def test_archive_files_spellings_under_the_one_used_most():
    counts = {"Jamshid Khodjaev": 3, "Dschamschid Chodschajew": 5, "J. Khodjaev": 1, "Khodjaev": 2,
              "Ilham Aliyev": 4, "Heydar Aliyev": 1, "Aliyev": 1, "Benjamin Netanjahu": 1, "Benjamin Netanyahu": 2}
    assert canonical_names(counts) == {
        "Jamshid Khodjaev": "Dschamschid Chodschajew", "J. Khodjaev": "Dschamschid Chodschajew",
        "Khodjaev": "Dschamschid Chodschajew", "Benjamin Netanjahu": "Benjamin Netanyahu"}


def test_role_of_an_institution_before_a_full_name(ex):
    got = actors(ex, "Titel", "Der Rektor der Staatlichen Universität Baku, Kemal Ertunç, sagte, die Kooperation wachse.",
                 "Die Direktorin der Agentur für Migration Dilnoza Tursunowa betonte die Rolle.")
    assert got == {"Kemal Ertunç": (("Rektor",), ("Kemal Ertunç",)),
                   "Dilnoza Tursunowa": (("Direktorin",), ("Dilnoza Tursunowa",))}
    assert actors(ex, "Titel", "Der Direktor der Agentur sagte, die Universität Baku sei offen.") == {}


def test_unreadable_names_file_is_reported_by_name(tmp_path, monkeypatch):
    from search.errors import DepescheError

    broken = tmp_path / "names.toml"
    broken.write_text("[[merge]\nnames = [", encoding="utf-8")
    monkeypatch.setenv("DEPESCHE_NAMES", str(broken))
    with pytest.raises(DepescheError, match="names.toml"):
        Extractor()
