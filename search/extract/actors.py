"""Persons named in a release, with their roles, and the surface forms that refer to them.

Vocabulary:
- token: a word, an initial ("Z."), a number or a punctuation mark; a release is a list of sentences of tokens.
- role: a noun that names an office, as seen in the text and brought to the nominative singular
  ("des Außenministers" -> "Außenminister", "Präsidenten" -> "Präsident"), compounds and female forms kept
  ("NATO-Generalsekretär", "Außenministerin", "Bundeskanzlerin"). "Hoher Vertreter" is the one two-word role.
- rank: a military grade before a name ("Generaloberst"); it is reported as a role too.
- umbrella: a coarse role class for the facet ("Minister" covers Außenminister and Außenministerin), see
  ``role_umbrellas``.
- name: one to four capitalised tokens that are not German nouns, places, organisations or roles, possibly
  with particles ("Ursula von der Leyen") and a leading initial ("Z. Hasanov").
- anchor: what licenses reading a name: a preceding role or rank, an adjacent speech verb, a gazetteer surname,
  or a surname already known from this release. Capitalised words elsewhere are not names (German capitalises
  every noun).
- mention: one occurrence of a person in the text, as written ("Y. Stoltenberg", "Bayramovs").
- person: mentions merged inside a release by name key (`search.german.names`), so the transliterations of one
  name are one person ("Jamshid Khodjaev", "Dschamschid Chodschajew", "Khodjaev"): full forms by the keys of
  surname and first name (`identity.NameRules.person_key`; the override file can merge or keep apart), partial
  forms by the surname's key. An initial that does not match the first name still resolves when the surname
  belongs to one person only (machine translation writes "Y. Stoltenberg" for Jens); a full first name that
  differs is another person ("Rauf Aliyev" is not the gazetteer's Ilham Aliyev). The display name is the
  gazetteer's canonical name, else the full form whose surname spelling the release uses most (`best_form`),
  else the best partial form ("Z. Hasanov", "Putin"), which the extraction report lists as unresolved.
- never a name: a word ending in an institution's head ("Pressezentrums", "Grenzschutzagentur"), and a name that
  is a whole quotation (the frigate „Admiral Makarow“).
- gazetteer: ``search/data/gazetteer.toml`` plus user files: canonical names, transliteration variants
  ("Bairamow" is Bayramov), known roles.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from search.extract.identity import NameRules, rules as name_rules
from search.extract.organisations import is_institution
from search.german import lexicon
from search.german.names import first_letters, name_key
from search.german.normalize import fold
from search.model import Actor

# ---------------------------------------------------------------- tokens and sentences

TOKEN = re.compile(r"[^\W\d_](?:[\w'’]|-(?=[\w]))*\.?|\d[\d.,:]*\w*|[^\w\s]")
TITLES = {"Dr.", "Prof.", "Dr", "Prof", "Mag.", "Ing.", "Sen.", "Jr.", "St."}
SENTENCE_END = {".", "!", "?"}


class Token(NamedTuple):
    text: str
    start: int
    kind: str  # "word" | "initial" | "title" | "num" | "punct"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    add = tokens.append
    make = tuple.__new__  # Token(...) without the NamedTuple's Python-level __new__: tokens are most of the cost
    for m in TOKEN.finditer(text):
        word = m.group(0)
        first = word[0]
        if first.isdigit():
            add(make(Token, (word, m.start(), "num")))
        elif not first.isalpha():
            add(make(Token, (word, m.start(), "punct")))
        elif word in TITLES:
            add(make(Token, (word, m.start(), "title")))
        elif word[-1] == ".":
            if len(word) == 2 and first.isupper():
                add(make(Token, (word, m.start(), "initial")))
            else:
                add(make(Token, (word[:-1], m.start(), "word")))
                add(make(Token, (".", m.end() - 1, "punct")))
        else:
            add(make(Token, (word, m.start(), "word")))
    return tokens


def sentences(text: str) -> list[list[Token]]:
    """Split one paragraph into sentences of tokens (an initial "Z." does not end a sentence)."""
    out: list[list[Token]] = []
    current: list[Token] = []
    for tok in tokenize(text):
        current.append(tok)
        if tok.kind == "punct" and tok.text in SENTENCE_END:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


# ---------------------------------------------------------------- roles

# inflected head (lower case) -> nominative singular head; heads are matched at the end of a word
ROLE_HEADS = {
    "minister": "minister", "ministers": "minister", "ministerin": "ministerin",
    "präsident": "präsident", "präsidenten": "präsident", "präsidentin": "präsidentin",
    "kanzler": "kanzler", "kanzlers": "kanzler", "kanzlerin": "kanzlerin",
    "sekretär": "sekretär", "sekretärs": "sekretär", "sekretäre": "sekretär", "sekretärin": "sekretärin",
    "botschafter": "botschafter", "botschafters": "botschafter", "botschafterin": "botschafterin",
    "sprecher": "sprecher", "sprechers": "sprecher", "sprecherin": "sprecherin",
    "vorsitzender": "vorsitzender", "vorsitzenden": "vorsitzender", "vorsitzende": "vorsitzende",
    "kommissar": "kommissar", "kommissars": "kommissar", "kommissarin": "kommissarin",
    "beauftragter": "beauftragter", "beauftragten": "beauftragter", "beauftragte": "beauftragte",
    "gesandter": "gesandter", "gesandten": "gesandter", "gesandte": "gesandte",
    "direktor": "direktor", "direktors": "direktor", "direktorin": "direktorin",
    "chef": "chef", "chefs": "chef", "chefin": "chefin",
    "premier": "premier", "premiers": "premier",
    "bürgermeister": "bürgermeister", "bürgermeisters": "bürgermeister", "bürgermeisterin": "bürgermeisterin",
    "gouverneur": "gouverneur", "gouverneurs": "gouverneur", "gouverneurin": "gouverneurin",
    "senator": "senator", "senators": "senator", "senatorin": "senatorin",
    "abgeordneter": "abgeordneter", "abgeordneten": "abgeordneter", "abgeordnete": "abgeordnete",
    "berater": "berater", "beraters": "berater", "beraterin": "beraterin",
    "koordinator": "koordinator", "koordinatorin": "koordinatorin",
    "leiter": "leiter", "leiters": "leiter", "leiterin": "leiterin",
    "könig": "könig", "königs": "könig", "königin": "königin",
    "papst": "papst", "papstes": "papst",
    "attaché": "attaché",
    "staatsoberhaupt": "staatsoberhaupt",
    "richter": "richter", "richterin": "richterin",
    "ombudsfrau": "ombudsfrau", "ombudsmann": "ombudsmann",
    "diplomat": "diplomat", "diplomaten": "diplomat", "diplomatin": "diplomatin",
    "experte": "experte", "expertin": "expertin", "manager": "manager", "managerin": "managerin",
    "trainer": "trainer", "trainerin": "trainerin", "politiker": "politiker", "politikers": "politiker",
    "politikerin": "politikerin", "journalist": "journalist", "journalistin": "journalistin",
    "professor": "professor", "professorin": "professorin", "analyst": "analyst", "analystin": "analystin",
    "aktivist": "aktivist", "aktivistin": "aktivistin", "bischof": "bischof", "kardinal": "kardinal",
    "anwalt": "anwalt", "anwältin": "anwältin", "wissenschaftler": "wissenschaftler", "forscher": "forscher",
    "kandidat": "kandidat", "kandidatin": "kandidatin", "kommandeur": "kommandeur",
    "prinz": "prinz", "prinzen": "prinz", "prinzessin": "prinzessin", "scheich": "scheich", "emir": "emir",
    "kommandant": "kommandant", "kommandanten": "kommandant", "kommandantin": "kommandantin",
    "konsul": "konsul", "konsuls": "konsul", "konsulin": "konsulin",
    "geschäftsträger": "geschäftsträger", "geschäftsträgers": "geschäftsträger", "geschäftsträgerin": "geschäftsträgerin",
    "geschäftsführer": "geschäftsführer", "geschäftsführers": "geschäftsführer", "geschäftsführerin": "geschäftsführerin",
    "rektor": "rektor", "rektors": "rektor", "rektorin": "rektorin", "dekan": "dekan", "dekanin": "dekanin",
    "staatsanwalt": "staatsanwalt", "staatsanwältin": "staatsanwältin", "patriarch": "patriarch", "mufti": "mufti",
    "imam": "imam", "intendant": "intendant", "intendantin": "intendantin", "referent": "referent",
    "referentin": "referentin", "stellvertreter": "stellvertreter", "stellvertreterin": "stellvertreterin",
}
# a head must not be the whole word for these (a "Leiter" is a ladder, "Chef" alone is fine)
HEAD_LENGTHS = sorted({len(h) for h in ROLE_HEADS}, reverse=True)
HEAD_NEEDS_COMPOUND = {"leiter", "leiters", "leiterin", "sekretär", "sekretärs", "sekretärin", "richter", "anwalt"}
NOT_ROLES = {"Kanzleramt", "Premiere", "Premieren", "Kommissariat", "Chefsache"}

RANKS = {
    "General", "Generaloberst", "Generalleutnant", "Generalmajor", "Brigadegeneral", "Armeegeneral", "Admiral",
    "Vizeadmiral", "Konteradmiral", "Flottenadmiral", "Oberst", "Oberstleutnant", "Major", "Hauptmann",
    "Leutnant", "Marschall", "Feldmarschall", "Kapitän", "Generalstabschef", "Oberbefehlshaber", "Kommandeur",
}
RANK_INFLECTIONS = {"Generals": "General", "Generalobersten": "Generaloberst", "Obersten": "Oberst", "Majors": "Major",
                    "Admirals": "Admiral", "Kapitäns": "Kapitän", "Kommandeurs": "Kommandeur"}

UMBRELLAS = (
    ("minister", "Minister"), ("ministerin", "Minister"), ("premier", "Regierungschef"),
    ("ministerpräsident", "Regierungschef"), ("ministerpräsidentin", "Regierungschef"),
    ("kanzler", "Regierungschef"), ("kanzlerin", "Regierungschef"), ("regierungschef", "Regierungschef"),
    ("präsident", "Präsident"), ("präsidentin", "Präsident"), ("staatsoberhaupt", "Präsident"),
    ("generalsekretär", "Generalsekretär"), ("generalsekretärin", "Generalsekretär"),
    ("botschafter", "Diplomat"), ("botschafterin", "Diplomat"), ("gesandter", "Diplomat"), ("gesandte", "Diplomat"),
    ("beauftragter", "Diplomat"), ("beauftragte", "Diplomat"), ("attaché", "Diplomat"), ("diplomat", "Diplomat"),
    ("diplomatin", "Diplomat"), ("vertreter", "Diplomat"), ("vertreterin", "Diplomat"),
    ("sprecher", "Sprecher"), ("sprecherin", "Sprecher"),
    ("staatssekretär", "Staatssekretär"), ("staatssekretärin", "Staatssekretär"),
    ("kommissar", "Kommissar"), ("kommissarin", "Kommissar"),
    ("vorsitzender", "Vorsitzender"), ("vorsitzende", "Vorsitzender"),
)

UMBRELLAS_LONGEST_FIRST = sorted(UMBRELLAS, key=lambda hu: -len(hu[0]))


def role_umbrellas(role: str) -> tuple[str, ...]:
    """Coarse classes of a role for the facet: "Außenministerin" -> ("Minister",); a rank -> ("Militär",)."""
    if role in RANKS:
        return ("Militär",)
    low = role.lower()
    for head, umbrella in UMBRELLAS_LONGEST_FIRST:
        if low.endswith(head):
            return () if umbrella == role else (umbrella,)
    return ()


def role_of(word: str) -> str | None:
    """The nominative role a (capitalised) word names, or None: "Außenministers" -> "Außenminister"."""
    if not word or not word[0].isupper() or word in NOT_ROLES:
        return None
    if word in RANKS:
        return word
    if word in RANK_INFLECTIONS:
        return RANK_INFLECTIONS[word]
    low = word.lower()
    for length in HEAD_LENGTHS:
        if len(low) < length:
            continue
        head = low[-length:]
        base = ROLE_HEADS.get(head)
        if base is None:
            continue
        if head in HEAD_NEEDS_COMPOUND and len(low) == length:
            return None
        if len(low) > length and not (low[-length - 1].isalpha() or low[-length - 1] == "-"):
            return None
        head_orig = word[len(word) - length :]
        return word[: len(word) - length] + head_orig[0] + base[1:]
    return None


# ---------------------------------------------------------------- names

STOPWORDS = set(
    """Der Die Das Den Dem Des Ein Eine Einen Einem Einer Eines Er Sie Es Wir Ihr Ich Man Dies Diese Dieser Dieses
    Diesem Diesen Jener Am Im In Auf An Aus Bei Beim Mit Nach Von Vom Zu Zum Zur Für Über Unter Vor Hinter Neben
    Zwischen Durch Gegen Ohne Um Und Oder Aber Doch Denn Sondern Dass Daß Wenn Als Wie Wo Was Wer Warum Weil
    Ob Obwohl Während Seit Bis Laut Gemäß Trotz Wegen Dabei Dazu Damit Danach Davor Dort Hier Heute Gestern
    Morgen Jetzt Nun Auch Noch Nur Schon So Sehr Alle Allen Aller Alles Viele Einige Mehrere Andere Anderen Jeder
    Jede Jedes Kein Keine Ihre Ihren Ihrem Ihrer Seine Seinen Seinem Seiner Sein Unser Unsere Unseren Unserer
    Mein Meine Herr Herrn Frau Frauen Männer Leute Menschen Bürger Bürgerinnen Teilnehmer Seiten Seite Land
    Länder Ländern Landes Staat Staaten Staates Regierung Regierungen Delegation Delegationen Treffen Gespräch
    Gespräche Gesprächen Besuch Besuchs Rahmen Jahr Jahre Jahren Jahres Monat Monate Woche Wochen Tag Tage Tagen
    Ende Anfang Mitte Beginn Lage Region Regionen Stadt Hauptstadt Armee Streitkräfte Truppen Krieg Frieden
    Ministerium Ministeriums Welt Presse Interview Informationen Information Angaben Bericht Berichten Erklärung
    Zusammenarbeit Beziehungen Frage Fragen Rede Reden Hilfe Unterstützung Teil Opfer Soldaten Kinder Zeitung
    Agentur Nachrichtenagentur Parlament Parlaments Partei Parteien Polizei Behörden Behörde Gericht Vertrag
    Abkommen Resolution Gipfel Konferenz Sitzung Rat Zentrum Amt Büro Botschaft Grenze Grenzen Krise Konflikt
    Wahl Wahlen Präsidentschaft Amtszeit Nachfolger Nachfolgerin Vorgänger Vorgängerin Kollege Kollegen Kollegin
    Gast Gäste Außerdem Zudem Ferner Darüber Demnach Somit Deshalb Daher Allerdings Jedoch Trotzdem Gleichzeitig
    Zugleich Erst Zunächst Schließlich Abschließend Insbesondere Besonders Laut Sprecherin Seinerseits Ihrerseits
    Generalsekretär Vertreter Vertreterin Vertretern Hohe Hoher Hohen Republik Bundesrepublik Königreich
    Föderation Union Kommission Organisation Vereinten Nationen Staatschef Reformen Arbeiten Bereich Bereichen
    Entwicklung Fortschritte Perspektiven Anschließend Insgesamt Weiter Weitere Weiteren Dank Dankbarkeit Mehr
    Westen Osten Norden Süden Ministerpräsidenten Militär Militärs Opposition Volk Volkes Minister Experten
    Ausland Inland Mann Frau Kind Familie Familien Gruppe Gruppen Mitglied Mitglieder Mitgliedern Vertretung
    Nord Süd Ost West Zentral Premier Kanzler Präsident Sprecher Chef Leiter Direktor Vorsitzende Vorsitzender
    Sonderbeauftragte Sonderbeauftragter Beauftragte Behörden Universität Institut Hochschule Schule Kirche
    Christen Muslime Juden Araber Europäer Amerikaner Russen Deutsche Deutschen Türken Briten Franzosen Grünen
    Linke Linken Union Bank Bundestag Bundestages Bundestags Bundesrat Bundesrates Luftwaffe Marine Maßnahmen Hilfen
    Auskunft Motors Institute Dynamics Staatsbahn Wortbruch Such Till Team Teams Konzern Konzerns Unternehmen
    Aufgaben Aussage Aussagen Angriff Angriffe Anschlag Anschläge Tote Toten Verletzte Verletzten New Times Journal
    Post Agency Press News Online Daily Herald Tribune Nachrichten Medien Quellen Kreisen Zwei Drei Vier Fünf Sechs
    Sieben Acht Neun Zehn Zwölf Zwanzig Hundert Hunderte Tausend Tausende Millionen Milliarden Wenige Da Stunden
    Minuten Todesopfer Windows Klage Druck Trost Gelb Rot Grün Blau Schwarz Weiß""".split()
)
PARTICLES = {"von", "van", "der", "den", "de", "da", "dos", "das", "del", "la", "le", "al", "bin", "ibn", "el", "zu",
             "ten", "ter", "di", "du", "y", "bint", "abu", "ben", "vom"}
NOUN_SUFFIX = re.compile(
    r"(?:ung|ungen|heit|heiten|keit|keiten|schaft|schaften|tion|tionen|sion|sionen|tät|täten|ismus|nis|nisse|"
    r"ium|ien|ment|mente|ismus|tum|tümer|ik|iken|enz|anz|ität|gie|gien|chen|ling|linge|lingen|haus|häuser|amt|"
    r"ämter|werk|stelle|stellen|gruppe|kräfte|zentrum|rat|räte|partei|arbeit|arbeiten|kreis|bund|verband|"
    r"ministerium|regierung|land|länder|staat|staaten|stadt|region|bereich|bereiche|bericht|zeit|welt|krieg|"
    r"frage|fragen|woche|jahr|jahre|jahren|tag|tage|tagen|lage|gebiet|gebiete|gebieten|ebene|kommission|behörde|"
    r"behörden|ministeriums|amtes|rates|tages|hauses|gerichts|gerichtes|armee|waffe|sachsen|innen|ungs|heits|keits)$"
)
LOWER_NAME_PREFIX = re.compile(r"^(?:al|el|ad|as|ash|at|az|an|ar|ben|bin|abu|ibn|de|di|da|van|von|mc)[-'’][A-ZÄÖÜ]")
ANCHOR_NOUNS = {"Amtskollege", "Amtskollegen", "Amtskollegin", "Kollege", "Kollegen", "Kollegin", "Herr", "Herrn",
                "Frau", "Gesprächspartner", "Gast", "Sohn", "Tochter", "Ehefrau", "Ehemann", "Nachfolger", "Vorgänger"}
ADJECTIVE_END = re.compile(r"(?:isch|lich|al|iv|ig|är|ell)(?:e|en|er|es|em)$")
SPEECH_VERBS = {
    "sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "unterstrich", "unterstreicht", "bekräftigte",
    "meinte", "meint", "warnte", "warnt", "forderte", "fordert", "kritisierte", "kritisiert", "äußerte",
    "versicherte", "bemerkte", "informierte", "berichtete", "teilte", "kündigte", "fügte", "hob", "stellte",
    "verwies", "beschrieb", "bezeichnete", "dementierte", "bestätigte", "versprach", "appellierte", "verkündete",
    "mahnte", "räumte", "antwortete", "erläuterte", "argumentierte", "behauptete", "kommentierte", "schrieb",
    "twitterte", "wies", "sprach", "zitierte", "hinzufügte", "sagten", "erklärten",
    "gesagt", "angekündigt", "bekanntgegeben", "mitgeteilt", "betont", "bekräftigt", "versichert", "gewarnt",
    "gefordert", "bestätigt", "dementiert", "unterstrichen", "geäußert",
}
PORTFOLIO_WORDS = 6  # "Minister für Arbeit, Soziales und ..." is cut there: longer is not a portfolio
PORTFOLIO_GLUE = {"und", "sowie", "der", "die", "das", "des"}
INSTITUTION_WORDS = 7  # "der Agentur für Grenzschutz der Republik Polen": longer is no qualifier of a role
SINGULAR_SPEECH = {v for v in SPEECH_VERBS if not v.endswith("en")}


@dataclass
class Gazetteer:
    """Persons by canonical name, and look-up tables built from them."""

    persons: list[dict] = field(default_factory=list)
    by_surname: dict[str, list[int]] = field(default_factory=dict)  # surname form -> person indices
    first_names: list[set[str]] = field(default_factory=list)  # per person: first-name forms
    first_keys: list[set[str]] = field(default_factory=list)  # per person: name keys of the first names
    alone: list[bool] = field(default_factory=list)

    @classmethod
    def build(cls, entries: list[dict]) -> "Gazetteer":
        merged: dict[str, dict] = {}
        for entry in entries:
            person = merged.setdefault(entry["name"], {"name": entry["name"], "variants": [], "surnames": [], "roles": [], "alone": True})
            for key in ("variants", "surnames", "roles"):
                person[key].extend(v for v in entry.get(key, []) if v not in person[key])
            if "alone" in entry:
                person["alone"] = bool(entry["alone"])
        gaz = cls()
        for i, person in enumerate(merged.values()):
            gaz.persons.append(person)
            gaz.alone.append(person["alone"])
            firsts: set[str] = set()
            surnames: set[str] = set()
            for full in [person["name"], *person["variants"]]:
                words = full.split()
                surnames.add(words[-1])
                firsts.update(w for w in words[:-1] if w[0].isupper())
            for extra in person["surnames"]:
                surnames.add(extra.split()[-1])
            gaz.first_names.append(firsts)
            gaz.first_keys.append({name_key(f) for f in firsts})
            for s in surnames:
                gaz.by_surname.setdefault(s, []).append(i)
        return gaz


@dataclass
class Mention:
    sent: int  # sentence index in the release
    start: int  # first token index (inclusive)
    end: int  # last token index (exclusive)
    words: tuple[str, ...]  # name tokens as written
    roles: tuple[str, ...] = ()
    gaz: int | None = None
    person: int = -1
    person_name: str | None = None  # the display name of the person this mention resolved to


@dataclass
class Analysis:
    """Everything actors found in one release; the speakers module reads it."""

    sents: list[list[Token]]
    mentions: list[Mention]
    actors: tuple[Actor, ...]
    role_only: list[tuple[int, int, str]] = field(default_factory=list)  # (sent, token, role) without a name
    known_roles: dict[str, tuple[str, ...]] = field(default_factory=dict)  # person -> roles seen or in the gazetteer


class ActorFinder:
    def __init__(self, gazetteer: Gazetteer, is_place_word, first_names: set[str] = frozenset(),
                 rules: NameRules | None = None):
        self.gaz = gazetteer
        self.rules = rules or name_rules()
        self.gaz_keys: dict[str, set[int]] = {}  # name key of a gazetteer surname -> persons
        for surname, indices in gazetteer.by_surname.items():
            self.gaz_keys.setdefault(name_key(surname), set()).update(indices)
        self.first_names = set(first_names).union(*gazetteer.first_names) if gazetteer.first_names else set(first_names)
        self.is_place_word = is_place_word
        self._role_cache: dict[str, str | None] = {}
        self._name_words: dict[str, bool] = {}

    # -- word classes
    def role(self, word: str) -> str | None:
        if word not in self._role_cache:
            self._role_cache[word] = role_of(word)
        return self._role_cache[word]

    def is_name_word(self, word: str) -> bool:
        """Could `word` be part of a person's name (cached per word)?"""
        answer = self._name_words.get(word)
        if answer is None:
            answer = self._is_name_word(word)
            if len(self._name_words) < 500_000:
                self._name_words[word] = answer
        return answer

    def _is_name_word(self, word: str) -> bool:
        if word in self.gaz.by_surname:
            return True
        if LOWER_NAME_PREFIX.match(word):
            return True
        if not word[0].isupper() or word.isupper() or word in STOPWORDS:
            return False
        if "-" in word and any(p.isupper() or not p[:1].isupper() or any(c.isdigit() for c in p) for p in word.split("-")):
            return False  # "FDP-Finanzexperte", "Formel-1-Teams"; "Ramos-Horta" and "Ki-moon" pass below
        if any(c.isdigit() for c in word):
            return False
        if self.role(word) or self.is_place_word(word) or is_institution(word):
            return False  # "Grenzschutzagentur", "des Pressezentrums", "Pressedienstes" are never a person
        return not NOUN_SUFFIX.search(word.lower()) or len(word) <= 5

    def read_name(self, sent: list[Token], i: int) -> int:
        """Index after the name that starts at token ``i`` (``i`` itself when there is none)."""
        j = i
        names = 0
        n = len(sent)
        while j < n and names < 4:
            tok = sent[j]
            if tok.kind == "initial" and names == 0:
                j += 1
                continue
            if tok.kind == "initial" and names > 0 and sent[j - 1].kind == "initial":
                j += 1
                continue
            if tok.kind == "word" and tok.text in PARTICLES and (names > 0 or j == i) and j + 1 < n:
                k = j
                while k < n and sent[k].kind == "word" and sent[k].text in PARTICLES and k - j < 2:
                    k += 1
                if (k < n and sent[k].kind == "word" and self.is_name_word(sent[k].text) and names > 0
                        and not ADJECTIVE_END.search(sent[k].text)):
                    j = k + 1  # "von der Leyen": the particle phrase ends the name
                    names += 1
                break
            if tok.kind == "word" and self.is_name_word(tok.text):
                names += 1
                j += 1
                continue
            break
        if names == 0:
            return i
        while j > i and sent[j - 1].kind != "word":  # a trailing initial is not part of a name
            j -= 1
        return j

    # -- anchors
    def _role_chain(self, sent: list[Token], i: int) -> tuple[list[str], int]:
        """Roles and ranks starting at token i ("Verteidigungsminister Generaloberst"); returns (roles, next)."""
        roles: list[str] = []
        j = i
        n = len(sent)
        while j < n:
            tok = sent[j]
            if tok.kind == "title":
                j += 1
                continue
            if tok.kind != "word":
                break
            if tok.text in ("Hohe", "Hoher", "Hohen") and j + 1 < n and sent[j + 1].text.startswith("Vertreter"):
                roles.append("Hohe Vertreterin" if sent[j + 1].text == "Vertreterin" else "Hoher Vertreter")
                j += 2
                continue
            role = self.role(tok.text)
            if role is None:
                break
            roles.append(role)
            j += 1
            j = self._skip_qualifier(sent, j)
        return roles, j

    def _skip_qualifier(self, sent: list[Token], j: int) -> int:
        """Skip "der NATO", "des Landes", "der Republik Aserbaidschan,", "für Investitionen" between a role and
        its name."""
        n = len(sent)
        if j < n and sent[j].text == "für":
            return self._skip_portfolio(sent, j)
        if j < n and sent[j].kind == "word" and sent[j].text[0].isupper() and self.is_place_word(sent[j].text):
            k = j + 1
            if k < n and sent[k].text == ",":
                k += 1
            return k
        if j < n and sent[j].text in ("der", "des") and j + 1 < n:
            k = j + 1
            if sent[k].text in ("Republik", "Bundesrepublik", "Vereinten", "Europäischen", "Russischen", "Islamischen"):
                k += 1
            taken = 0
            while k < n and sent[k].kind == "word" and (self.is_place_word(sent[k].text) or sent[k].text in ("Nationen", "Union", "Kommission", "Föderation", "Landes", "Staaten")) and taken < 3:
                k += 1
                taken += 1
            if taken:
                if k < n and sent[k].text == ",":
                    k += 1
                return k
            return self._skip_institution(sent, j)
        return j

    def _skip_institution(self, sent: list[Token], j: int) -> int:
        """After "Rektor", "Leiter", "Direktorin": the institution in the genitive ("der Staatlichen Universität
        Baku,", "des Pressezentrums des Ministeriums"), when a full name follows it (a first name and a surname:
        the longer the gap, the more the name must say)."""
        n, k = len(sent), j
        while k < n and k - j < INSTITUTION_WORDS and sent[k].kind == "word" and (
                sent[k].text in ("der", "des", "für", "und") or sent[k].text[0].isupper()) \
                and sent[k].text not in self.first_names:
            k += 1
        if k < n and sent[k].text == ",":
            k += 1
        for start in range(j + 2, k + 1):  # the name starts where the institution ends: "... Ministeriums Anar"
            if not any(is_institution(t.text) or self.is_place_word(t.text) for t in sent[j:start]):
                continue
            if start < n and sent[start].kind == "word" and self.read_name(sent, start) - start >= 2:
                return start
        return j

    def _skip_portfolio(self, sent: list[Token], j: int) -> int:
        """After "Minister für": the capitalised German words of the portfolio ("Digitale Entwicklung und Verkehr"),
        when a name follows them; a word the German lexicon does not know ends the portfolio (it may be the name),
        and so does a lower-case word other than "und", "der" ... ("für Afghanistan war der Franzose ...")."""
        k = j + 1
        while k < len(sent) and k - j <= PORTFOLIO_WORDS and sent[k].kind == "word":
            word = sent[k].text
            if word in self.first_names or (word not in PORTFOLIO_GLUE and not (word[0].isupper() and lexicon.is_word(fold(word)))):
                break
            k += 1
        return k if k > j + 1 and self.read_name(sent, k) > k else j

    def find(self, paragraphs: list[str]) -> Analysis:
        sents: list[list[Token]] = []
        for para in paragraphs:
            sents.extend(sentences(para))
        mentions: list[Mention] = []
        role_only: list[tuple[int, int, str]] = []
        covered: set[tuple[int, int]] = set()

        def add(si: int, start: int, end: int, roles: list[str], first: int | None = None) -> None:
            if end <= start or any((si, t) in covered for t in range(start, end)):
                return
            if _quoted(sents[si], start if first is None else first, end):
                return  # the frigate „Admiral Makarow“, the programme „Aliyev 2030“: a name of a thing
            words = tuple(t.text for t in sents[si][start:end])
            if all(len(w) == 2 and w.endswith(".") for w in words):
                return
            mentions.append(Mention(si, start, end, words, tuple(roles)))
            covered.update((si, t) for t in range(start, end))

        for si, sent in enumerate(sents):
            n = len(sent)
            i = 0
            while i < n:
                tok = sent[i]
                if tok.kind == "title" or (tok.kind == "word" and tok.text[0].isupper()):
                    roles, j = self._role_chain(sent, i)
                else:
                    roles, j = [], i
                if not roles and tok.kind == "word" and tok.text in ANCHOR_NOUNS:
                    end = self.read_name(sent, i + 1)
                    if end > i + 1:
                        add(si, i + 1, end, [])
                        i = end
                        continue
                if roles:
                    end = self.read_name(sent, j)
                    if end > j:
                        add(si, j, end, roles, first=i)
                        i = end
                        continue
                    role_only.append((si, i, roles[0]))
                    i = j
                    continue
                if tok.kind == "word" and tok.text in self.first_names and i + 1 < n and sent[i + 1].kind == "word":
                    end = self.read_name(sent, i)
                    if end - i >= 2:
                        add(si, i, end, [])
                        i = end
                        continue
                if tok.kind == "word" and (tok.text in SPEECH_VERBS or tok.text == "laut" or (tok.text == "so" and i > 0 and sent[i - 1].text == ",")):
                    end = self.read_name(sent, i + 1)
                    if end - (i + 1) >= 2 or (end > i + 1 and sent[i + 1].kind == "initial"):
                        add(si, i + 1, end, [])
                # gazetteer surnames and name-before-verb patterns
                if tok.kind == "word" and self._gaz_surname(tok.text):
                    start = i
                    while start > 0 and (sent[start - 1].kind == "initial" or (sent[start - 1].kind == "word" and sent[start - 1].text in self._firsts_for(tok.text))):
                        start -= 1
                    while start > 0 and sent[start - 1].kind == "word" and sent[start - 1].text in PARTICLES and start - 2 >= 0 and sent[start - 2].kind == "word" and sent[start - 2].text in self._firsts_for(tok.text):
                        start -= 2
                    gi = self._gaz_pick(tok.text, [t.text for t in sent[start:i]])
                    if gi is not None and (self.gaz.alone[gi] or start < i or (start > 0 and self.role(sent[start - 1].text))):
                        add(si, start, i + 1, [])
                i += 1
            if SPEECH_VERBS.isdisjoint([t.text for t in sent]):
                continue
            # a sentence that opens with a two-word name and reports speech: "Patrick Kamanda von der ... sagte"
            if n > 2:
                end = self.read_name(sent, 0)
                if end >= 2 and sent[0].kind == "word":
                    add(si, 0, end, [])
            # name followed by a speech verb: "Patrick Kamanda sagte", "Y. Stoltenberg betonte"
            for v in range(1, n):
                if sent[v].kind == "word" and sent[v].text in SPEECH_VERBS:
                    start = v - 1
                    while start > 0 and (sent[start - 1].kind == "initial" or (sent[start - 1].kind == "word" and self.is_name_word(sent[start - 1].text))) and v - start < 4:
                        start -= 1
                    while start < v and not (sent[start].kind == "initial" or (sent[start].kind == "word" and self.is_name_word(sent[start].text))):
                        start += 1
                    if start < v and self.read_name(sent, start) == v and (v - start >= 2):
                        add(si, start, v, [])
        # surnames alone of gazetteer persons already named in this release ("Ban" after "Ban Ki-moon")
        found = {self._gaz_pick(m.words[-1], list(m.words[:-1])) for m in mentions} - {None}
        for si, sent in enumerate(sents if found else ()):
            for i, tok in enumerate(sent):
                if tok.kind == "word" and (si, i) not in covered and self._gaz_surname(tok.text):
                    gi = self._gaz_pick(tok.text, [])
                    if gi in found:
                        add(si, i, i + 1, [])
        mentions.sort(key=lambda m: (m.sent, m.start))
        self._appositions(sents, mentions)
        actors = self._resolve(sents, mentions, covered)
        known = {a.name: a.roles for a in actors}
        for m in mentions:
            if m.gaz is not None:
                known[m.person_name] = tuple(dict.fromkeys(known.get(m.person_name, ()) + tuple(self.gaz.persons[m.gaz]["roles"])))
        return Analysis(sents, mentions, actors, role_only, known)

    def _appositions(self, sents: list[list[Token]], mentions: list[Mention]) -> None:
        """"Ilham Aliyev, Präsident der Republik Aserbaidschan" gives the role to the name before it."""
        for m in mentions:
            sent = sents[m.sent]
            if m.end + 1 < len(sent) and sent[m.end].text == ",":
                roles, _ = self._role_chain(sent, m.end + 1)
                if roles:
                    m.roles = tuple(dict.fromkeys((*m.roles, *roles)))

    def _firsts_for(self, surname: str) -> set[str]:
        out: set[str] = set()
        for gi in self.gaz.by_surname.get(self._gaz_surname(surname) or "", []):
            out |= self.gaz.first_names[gi]
        return out

    def _gaz_surname(self, word: str) -> str | None:
        if word in self.gaz.by_surname:
            return word
        if len(word) > 3 and word[-1] in "s'’" and word[:-1] in self.gaz.by_surname:
            return word[:-1]
        return None

    def _gaz_pick(self, surname: str, before: list[str]) -> int | None:
        key = self._gaz_surname(surname)
        if key is None:
            return None
        cands = self.gaz.by_surname[key]
        firsts = [w for w in before if len(w) > 2 and w[0].isupper() and not w.endswith(".")]
        if firsts:  # "Rauf Aliyev" is not Ilham Aliyev; only an initial may be a machine-translation slip
            keys = {name_key(w) for w in firsts}
            cands = [gi for gi in cands if keys & self.gaz.first_keys[gi]]
            if not cands:
                return None
        if len(cands) == 1:
            return cands[0]
        for gi in cands:
            if any(w in self.gaz.first_names[gi] for w in before):
                return gi
        initials = {w[0] for w in before if w}
        fits = [gi for gi in cands if any(f[0] in initials for f in self.gaz.first_names[gi])]
        return fits[0] if len(fits) == 1 else None

    # -- resolution
    def _bare(self, words: tuple[str, ...], known: set[str]) -> tuple[str, ...]:
        """The words with a genitive "s" taken off the surname when the bare surname's key is known here
        ("Hasanovs" -> "Hasanov"); a surname that merely ends in "s" ("Tsipras") keeps it."""
        last = words[-1]
        if len(last) > 3 and last[-1] in "s'’" and name_key(last[:-1]) in known and name_key(last) not in known:
            return (*words[:-1], last[:-1])
        return words

    def _gaz_spelling(self, words: tuple[str, ...], present: set[int], others: set[tuple[str, str]]) -> int | None:
        """The gazetteer person named in this release that `words` spells differently ("Alijew" for Aliyev):
        the surname's name key must be the person's, and so must a full first name; an initial or a bare surname
        joins only when no other person of this release has that surname (and initial)."""
        key = name_key(words[-1])
        found = [gi for gi in self.gaz_keys.get(key, ()) if gi in present]
        if len(found) != 1:
            return None
        gi = found[0]
        if _is_full(words):
            return gi if name_key(words[0]) in self.gaz.first_keys[gi] else None
        if any(k == key and (len(words) == 1 or initial == words[0][0]) for k, initial in others):
            return None
        return gi

    def _resolve(self, sents: list[list[Token]], mentions: list[Mention], covered: set) -> tuple[Actor, ...]:
        """Mentions -> persons: gazetteer persons by index, others by person key (see `identity`); partial
        mentions join the person of their surname key, by first initial when several share it."""
        for m in mentions:
            gi = self._gaz_pick(m.words[-1], list(m.words[:-1]))
            if gi is not None:
                m.gaz = gi
        known = {name_key(m.words[-1]) for m in mentions if m.gaz is None}
        bares = [self._bare(m.words, known) for m in mentions]
        present = {m.gaz for m in mentions if m.gaz is not None}
        others = {(name_key(b[-1]), b[0][0]) for m, b in zip(mentions, bares) if m.gaz is None and _is_full(b)}
        for m, bare in zip(mentions, bares):
            if m.gaz is not None and len(bare) == 2 and bare[0].endswith(".") and (name_key(bare[-1]), bare[0][0]) in others \
                    and bare[0][0] not in {f[0] for f in self.gaz.first_names[m.gaz]}:
                m.gaz = None  # "R. Aliyev" beside "Rauf Aliyev" is Rauf, not the gazetteer's Ilham
        for m, bare in zip(mentions, bares):  # another spelling of a gazetteer person named here: that person
            if m.gaz is None:
                m.gaz = self._gaz_spelling(bare, present, others)
        persons: list[dict] = []
        by_gaz: dict[int, int] = {}
        by_full: dict[tuple[str, ...], int] = {}
        by_surname: dict[str, list[int]] = {}

        def new_person(gaz: int | None, surname: str) -> int:
            persons.append({"gaz": gaz, "forms": [], "roles": {}, "mentions": {}, "surname": surname, "initials": set()})
            by_surname.setdefault(surname, []).append(len(persons) - 1)
            return len(persons) - 1

        for m, bare in zip(mentions, bares):
            if m.gaz is not None and m.gaz not in by_gaz:
                by_gaz[m.gaz] = new_person(m.gaz, "")
            elif m.gaz is None and _is_full(bare):
                full_key = self.rules.person_key(bare)
                if full_key not in by_full:
                    by_full[full_key] = new_person(None, name_key(bare[-1]))
                persons[by_full[full_key]]["initials"].update((bare[0][0], name_key(bare[0])[:1]))
        # second pass: repeated surnames of non-gazetteer persons ("Kamanda", "Kamandas", "P. Kamanda")
        spellings = {bare[-1] for m, bare in zip(mentions, bares) if m.gaz is None}
        extra = self._surname_mentions(sents, covered, set(by_surname), spellings)
        mentions.extend(extra)
        bares.extend(self._bare(m.words, set(by_surname)) for m in extra)
        for m, bare in zip(mentions, bares):
            if m.gaz is not None:
                m.person = by_gaz[m.gaz]
                continue
            key = name_key(bare[-1])
            if _is_full(bare):
                m.person = by_full[self.rules.person_key(bare)]
                continue
            initial = bare[0][0] if len(bare) >= 2 else None
            candidates = by_surname.get(key, [])
            fits = [p for p in candidates if initial and initial in persons[p]["initials"]]
            if len(fits) == 1:
                m.person = fits[0]
            elif candidates:
                m.person = candidates[0]  # unique surname: a mismatched MT initial still resolves
            else:
                m.person = new_person(None, key)
        for m, bare in zip(mentions, bares):
            person = persons[m.person]
            person["mentions"][" ".join(m.words)] = None
            for r in m.roles:
                person["roles"][r] = None
            if m.gaz is None:
                person["forms"].append(list(bare))
        names = [self._display(p) for p in persons]
        merged: dict[str, Actor] = {}  # the same display name from two persons (rare): one actor
        for person, name in zip(persons, names):
            if not person["mentions"]:
                continue
            roles, surfaces = tuple(person["roles"]), tuple(person["mentions"])
            if name in merged:
                roles = tuple(dict.fromkeys(merged[name].roles + roles))
                surfaces = tuple(dict.fromkeys(merged[name].mentions + surfaces))
            merged[name] = Actor(name=name, roles=roles, mentions=surfaces)
        for m in mentions:
            m.person_name = names[m.person]
        return tuple(merged.values())

    def _display(self, person: dict) -> str | None:
        """The gazetteer's canonical name; else an override's display name; else the best form (`best_form`)."""
        if person["gaz"] is not None:
            return self.gaz.persons[person["gaz"]]["name"]
        if not person["forms"]:
            return None
        name = " ".join(best_form(person["forms"]))
        return self.rules.display(name) or name

    def _surname_mentions(self, sents, covered, surnames: set[str], spellings: set[str]) -> list[Mention]:
        """Uncovered words that are a known surname (`spellings`) or another spelling of one (its name key is in
        `surnames`), or the genitive of either."""
        out = []
        if not surnames:
            return out
        initials = "".join(first_letters(key) for key in surnames)
        shortest = min(map(len, spellings), default=0) - 3
        longest = max(map(len, spellings), default=0) + 4
        for si, sent in enumerate(sents):
            for i, tok in enumerate(sent):
                word = tok.text
                if tok.kind != "word" or not word[0].isupper() or (si, i) in covered or word in STOPWORDS:
                    continue
                genitive = len(word) > 3 and word[-1] in "s'’"
                if not (word in spellings or (genitive and word[:-1] in spellings)):
                    if word[0].lower() not in initials or not shortest <= len(word) <= longest:
                        continue  # cannot be another spelling of a surname here: no need for its key
                    if not self.is_name_word(word):
                        continue
                    if name_key(word) not in surnames and not (genitive and name_key(word[:-1]) in surnames):
                        continue
                start = i
                if i > 0 and sent[i - 1].kind == "initial" and (si, i - 1) not in covered:
                    start = i - 1
                out.append(Mention(si, start, i + 1, tuple(t.text for t in sent[start : i + 1])))
                covered.update((si, t) for t in range(start, i + 1))
        return out


OPENING_QUOTES = {"„", "“", '"', "»", "«", "‚", "'"}
CLOSING_QUOTES = {"“", "”", '"', "«", "»", "‘", "'"}


def _quoted(sent: list[Token], first: int, end: int) -> bool:
    """The phrase from token `first` to `end` is the whole of a quotation: a title, not a person."""
    return first > 0 and sent[first - 1].text in OPENING_QUOTES and end < len(sent) and sent[end].text in CLOSING_QUOTES


def _is_full(words: tuple[str, ...] | list[str]) -> bool:
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
        full = 1 if _is_full(words) else 0
        return (full, spelled[words[-1]], len(words), -seen)

    return max(enumerate(forms), key=score)[1]
