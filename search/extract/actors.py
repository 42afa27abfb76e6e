"""Persons named in a release, with their roles, and the surface forms that refer to them.

Vocabulary:
- token, sentence, speech verb, mention: see `search.extract.mentions`.
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
- person (`search.extract.persons`): mentions merged inside a release by name key (`search.german.names`), so
  the transliterations of one name are one person ("Jamshid Khodjaev", "Dschamschid Chodschajew", "Khodjaev"):
  full forms by the keys of surname and first name (`identity.NameRules.person_key`; the override file can merge
  or keep apart), partial forms by the surname's key. An initial that does not match the first name still resolves when the surname
  belongs to one person only (machine translation writes "Y. Stoltenberg" for Jens); a full first name that
  differs is another person ("Rauf Aliyev" is not the gazetteer's Ilham Aliyev). The display name is the
  gazetteer's canonical name, else the full form whose surname spelling the release uses most (`best_form`),
  else the best partial form ("Z. Hasanov", "Putin"), which the extraction report lists as unresolved.
- never a name: a word ending in an institution's head ("Pressezentrums", "Grenzschutzagentur"), and a name that
  is a whole quotation (the frigate „Admiral Makarow“).
- gazetteer: ``search/data/gazetteer.toml`` plus user files: canonical names, transliteration variants
  ("Bairamow" is Bayramov), known roles.

`ActorFinder.find` runs three steps: `MentionFinder.find` (the anchors, sentence by sentence),
`persons.Resolver.resolve` (mentions to persons) and `persons.merge_actors` (persons to actors). `NameReader`
holds what they share: the word classes, reading a name or a chain of roles, and the gazetteer's look-ups.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from search.extract.identity import NameRules, rules as name_rules
from search.extract.mentions import SPEECH_VERBS, Analysis, Found, Mention, Token, sentences
from search.extract.organisations import is_institution
from search.extract.persons import Resolution, Resolver, merge_actors
from search.german import lexicon
from search.german.names import first_letters, name_key
from search.german.normalize import fold
from search.model import Actor

# ---------------------------------------------------------------- roles

# The heads of roles (lower case), matched at the end of a word: a head, its inflections that mean the same
# office, then after "/" the feminine forms (each its own head: "Außenministerin" is reported as written).
ROLE_FORMS = """
    minister ministers / ministerin; präsident präsidenten / präsidentin; kanzler kanzlers / kanzlerin
    sekretär sekretärs sekretäre / sekretärin; botschafter botschafters / botschafterin
    sprecher sprechers / sprecherin; vorsitzender vorsitzenden / vorsitzende; kommissar kommissars / kommissarin
    beauftragter beauftragten / beauftragte; gesandter gesandten / gesandte; direktor direktors / direktorin
    chef chefs / chefin; premier premiers; bürgermeister bürgermeisters / bürgermeisterin
    gouverneur gouverneurs / gouverneurin; senator senators / senatorin; abgeordneter abgeordneten / abgeordnete
    berater beraters / beraterin; koordinator / koordinatorin; leiter leiters / leiterin; könig königs / königin
    papst papstes; attaché; staatsoberhaupt; richter / richterin; ombudsfrau; ombudsmann
    diplomat diplomaten / diplomatin; experte / expertin; manager / managerin; trainer / trainerin
    politiker politikers / politikerin; journalist / journalistin; professor / professorin; analyst / analystin
    aktivist / aktivistin; bischof; kardinal; anwalt / anwältin; wissenschaftler; forscher; kandidat / kandidatin
    kommandeur; prinz prinzen / prinzessin; scheich; emir; kommandant kommandanten / kommandantin
    konsul konsuls / konsulin; geschäftsträger geschäftsträgers / geschäftsträgerin
    geschäftsführer geschäftsführers / geschäftsführerin; rektor rektors / rektorin; dekan / dekanin
    staatsanwalt / staatsanwältin; patriarch; mufti; imam; intendant / intendantin; referent / referentin
    stellvertreter / stellvertreterin
"""


def _role_heads(table: str) -> dict[str, str]:
    """Inflected head -> nominative singular head, from a table of ROLE_FORMS' shape."""
    heads: dict[str, str] = {}
    for entry in table.replace("\n", ";").split(";"):
        forms, _, feminine = entry.partition("/")
        heads.update(dict.fromkeys(forms.split(), forms.split()[0]) if forms.split() else {})
        heads.update((form, form) for form in feminine.split())
    return heads


ROLE_HEADS = _role_heads(ROLE_FORMS)
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
PORTFOLIO_WORDS = 6  # "Minister für Arbeit, Soziales und ..." is cut there: longer is not a portfolio
PORTFOLIO_GLUE = {"und", "sowie", "der", "die", "das", "des"}
STATE_NOUNS = ("Nationen", "Union", "Kommission", "Föderation", "Landes", "Staaten")  # "der Vereinten Nationen"
INSTITUTION_WORDS = 7  # "der Agentur für Grenzschutz der Republik Polen": longer is no qualifier of a role


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


class NameReader:
    """The word classes and anchors of names over a sentence's tokens, and the gazetteer's look-ups."""

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
    def role_chain(self, sent: list[Token], i: int) -> tuple[list[str], int]:
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
            while k < n and sent[k].kind == "word" and taken < 3 and (
                    self.is_place_word(sent[k].text) or sent[k].text in STATE_NOUNS):
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
            german = word[0].isupper() and lexicon.is_word(fold(word))
            if word in self.first_names or (word not in PORTFOLIO_GLUE and not german):
                break
            k += 1
        return k if k > j + 1 and self.read_name(sent, k) > k else j

    # -- the gazetteer
    def first_names_of(self, surname: str) -> set[str]:
        """The first names of the gazetteer persons with this surname (or its genitive)."""
        out: set[str] = set()
        for gi in self.gaz.by_surname.get(self.gazetteer_surname(surname) or "", []):
            out |= self.gaz.first_names[gi]
        return out

    def gazetteer_surname(self, word: str) -> str | None:
        """The gazetteer surname `word` is, or is the genitive of."""
        if word in self.gaz.by_surname:
            return word
        if len(word) > 3 and word[-1] in "s'’" and word[:-1] in self.gaz.by_surname:
            return word[:-1]
        return None

    def gazetteer_pick(self, surname: str, before: list[str]) -> int | None:
        """The gazetteer person a surname names, given the words written before it (first names, initials)."""
        key = self.gazetteer_surname(surname)
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


class MentionFinder:
    """Step 1 of `ActorFinder.find`: the mentions the anchors license, sentence by sentence, then the surnames
    alone of the gazetteer persons named, then the roles written after a name and a comma."""

    def __init__(self, reader: NameReader):
        self.reader = reader

    def find(self, sents: list[list[Token]]) -> Found:
        found = Found(sents)
        for si, sent in enumerate(sents):
            i = 0
            while i < len(sent):
                i = self._at(found, si, sent, i)
            if not SPEECH_VERBS.isdisjoint([t.text for t in sent]):
                self._speech_sentence(found, si, sent)
        self._gazetteer_surnames_alone(found)
        found.mentions.sort(key=lambda m: (m.sent, m.start))
        found.mentions[:] = [self._apposition(sents, m) for m in found.mentions]
        return found

    def _at(self, found: Found, si: int, sent: list[Token], i: int) -> int:
        """The mention anchored at token `i`, if any; the token to go on from."""
        reader, tok = self.reader, sent[i]
        word = tok.kind == "word"
        roles, j = reader.role_chain(sent, i) if tok.kind == "title" or (word and tok.text[0].isupper()) else ([], i)
        if not roles and word and tok.text in ANCHOR_NOUNS:  # "Amtskollege Ararat Mirzoyan"
            end = reader.read_name(sent, i + 1)
            if end > i + 1:
                found.add(si, i + 1, end)
                return end
        if roles:
            return self._after_roles(found, si, sent, (i, j), roles)
        if word and tok.text in reader.first_names and i + 1 < len(sent) and sent[i + 1].kind == "word":
            end = reader.read_name(sent, i)
            if end - i >= 2:
                found.add(si, i, end)
                return end
        if word:
            self._after_cue(found, si, sent, i)
            self._gazetteer_surname(found, si, sent, i)
        return i + 1

    def _after_roles(self, found: Found, si: int, sent: list[Token], span: tuple[int, int], roles: list[str]) -> int:
        """The name after roles `span` = (first, past the last) ("Außenminister Ceyhun Bayramov"); without one, a
        role named alone (the speakers step may find its holder)."""
        first, j = span
        end = self.reader.read_name(sent, j)
        if end > j:
            found.add(si, j, end, roles, first=first)
            return end
        found.role_only.append((si, first, roles[0]))
        return j

    def _after_cue(self, found: Found, si: int, sent: list[Token], i: int) -> None:
        """A name after a speech verb, "laut" or ", so": "sagte Patrick Kamanda", "laut Z. Hasanov"."""
        text = sent[i].text
        if text in SPEECH_VERBS or text == "laut" or (text == "so" and i > 0 and sent[i - 1].text == ","):
            end = self.reader.read_name(sent, i + 1)
            if end - (i + 1) >= 2 or (end > i + 1 and sent[i + 1].kind == "initial"):
                found.add(si, i + 1, end)

    def _gazetteer_surname(self, found: Found, si: int, sent: list[Token], i: int) -> None:
        """A gazetteer surname, with the initials, first names and particles before it that are that person's."""
        reader, text = self.reader, sent[i].text
        if not reader.gazetteer_surname(text):
            return
        firsts = reader.first_names_of(text)
        start = i
        while start > 0 and (sent[start - 1].kind == "initial"
                             or (sent[start - 1].kind == "word" and sent[start - 1].text in firsts)):
            start -= 1
        while (start > 1 and sent[start - 1].kind == "word" and sent[start - 1].text in PARTICLES
               and sent[start - 2].kind == "word" and sent[start - 2].text in firsts):
            start -= 2
        gi = reader.gazetteer_pick(text, [t.text for t in sent[start:i]])
        if gi is not None and (reader.gaz.alone[gi] or start < i or (start > 0 and reader.role(sent[start - 1].text))):
            found.add(si, start, i + 1)

    def _speech_sentence(self, found: Found, si: int, sent: list[Token]) -> None:
        """In a sentence that reports speech: a two-word name opening it ("Patrick Kamanda von der ... sagte"),
        and a name just before a speech verb ("Patrick Kamanda sagte", "Y. Stoltenberg betonte")."""
        if len(sent) > 2:
            end = self.reader.read_name(sent, 0)
            if end >= 2 and sent[0].kind == "word":
                found.add(si, 0, end)
        for v in range(1, len(sent)):
            if sent[v].kind == "word" and sent[v].text in SPEECH_VERBS:
                self._name_before(found, si, sent, v)

    def _name_before(self, found: Found, si: int, sent: list[Token], v: int) -> None:
        def namelike(tok: Token) -> bool:
            return tok.kind == "initial" or (tok.kind == "word" and self.reader.is_name_word(tok.text))

        start = v - 1
        while start > 0 and namelike(sent[start - 1]) and v - start < 4:
            start -= 1
        while start < v and not namelike(sent[start]):
            start += 1
        if start < v and self.reader.read_name(sent, start) == v and v - start >= 2:
            found.add(si, start, v)

    def _gazetteer_surnames_alone(self, found: Found) -> None:
        """Surnames alone of gazetteer persons already named in this release ("Ban" after "Ban Ki-moon")."""
        pick = self.reader.gazetteer_pick
        named = {pick(m.words[-1], list(m.words[:-1])) for m in found.mentions} - {None}
        for si, sent in enumerate(found.sents if named else ()):
            for i, tok in enumerate(sent):
                if tok.kind == "word" and (si, i) not in found.covered and self.reader.gazetteer_surname(tok.text):
                    if pick(tok.text, []) in named:
                        found.add(si, i, i + 1)

    def _apposition(self, sents: list[list[Token]], m: Mention) -> Mention:
        """"Ilham Aliyev, Präsident der Republik Aserbaidschan" gives the role to the name before it."""
        sent = sents[m.sent]
        if m.end + 1 < len(sent) and sent[m.end].text == ",":
            roles, _ = self.reader.role_chain(sent, m.end + 1)
            if roles:
                return replace(m, roles=tuple(dict.fromkeys((*m.roles, *roles))))
        return m

    def repeated_surnames(self, sents, covered, surnames: set[str], spellings: set[str]) -> list[Mention]:
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
                    if not self.reader.is_name_word(word):
                        continue
                    if name_key(word) not in surnames and not (genitive and name_key(word[:-1]) in surnames):
                        continue
                start = i
                if i > 0 and sent[i - 1].kind == "initial" and (si, i - 1) not in covered:
                    start = i - 1
                out.append(Mention(si, start, i + 1, tuple(t.text for t in sent[start : i + 1])))
                covered.update((si, t) for t in range(start, i + 1))
        return out


class ActorFinder(NameReader):
    """The actors of a release, in three steps: find the mentions (`MentionFinder`), resolve them to persons
    (`persons.Resolver`), merge persons shown under one name into one actor (`persons.merge_actors`)."""

    def __init__(self, gazetteer: Gazetteer, is_place_word, first_names: set[str] = frozenset(),
                 rules: NameRules | None = None):
        super().__init__(gazetteer, is_place_word, first_names, rules)
        self.mention_finder = MentionFinder(self)
        self.resolver = Resolver(self, self.mention_finder.repeated_surnames)

    def find(self, paragraphs: list[str]) -> Analysis:
        sents = [sent for para in paragraphs for sent in sentences(para)]
        found = self.mention_finder.find(sents)
        resolution = self.resolver.resolve(found)
        actors = merge_actors(resolution.persons, resolution.names)
        return Analysis(sents, resolution.mentions, actors, found.role_only, self.known_roles(actors, resolution))

    def known_roles(self, actors: tuple[Actor, ...], resolution: Resolution) -> dict[str, tuple[str, ...]]:
        """Each actor's roles seen here, and a gazetteer person's roles from the gazetteer after them."""
        known = {a.name: a.roles for a in actors}
        for person, name in zip(resolution.persons, resolution.names):
            if person.gaz is not None and person.surfaces:
                known[name] = tuple(dict.fromkeys(known.get(name, ()) + tuple(self.gaz.persons[person.gaz]["roles"])))
        return known
