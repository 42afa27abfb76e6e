"""Organisations a release names that the gazetteer does not know: ministries, agencies, councils, programmes.

Vocabulary:
- head: the noun that makes a phrase an institution ("Agentur", "Ministerium", "Rat", "Programm" ...), alone or
  as the end of a compound ("Verteidigungsministerium", "Kooperationsrat", "Grenzschutzagentur"); see `HEADS`.
- name: a head made specific by what surrounds it: capitalised adjectives before it ("Staatliche Agentur"), a
  portfolio after it ("für Grenzschutz", "für Auswärtige Angelegenheiten"), a state after it ("der Republik
  Polen", "Georgiens"), a hyphen prefix ("GUAM-Kooperationsrat"), or an acronym defined for it. A bare
  "Ministerium" or "Außenministerium" is not a name: the release does not say whose.
- long form: the name in the nominative ("des Staatlichen Amtes für Statistik" -> "Staatliches Amt für
  Statistik"): the head loses its genitive ending, the adjectives take the ending of the head's gender.
- acronym definition: "Agentur für Grenzschutz der Republik Polen (AGRP)": a short form in parentheses right
  after a long form. In the release the acronym alone ("Die AGRP berichtete") then names the organisation too.
- canonical form: the facet value. The acronym when the release defines one (so releases that write only the
  acronym meet the ones that define it), else the long form, which is then the label
  (`Metadata.organisation_labels`).

`OrganisationFinder.find(sentences)` is pure; `known(phrase)` gives the gazetteer's name for a phrase, if it has one
(so "Der Europäische Rat" is the gazetteer's "Europäischer Rat" even though only "Europäischen Rat" is listed).
Cost: a cached suffix test per capitalised word, and a look at the words around each head.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from search.german import compounds, lexicon
from search.german.normalize import fold

# head (lower case, nominative) -> grammatical gender, which decides the adjective ending in the long form
HEADS = {
    "ministerium": "n", "amt": "n", "programm": "n", "zentrum": "n", "komitee": "n", "büro": "n",
    "sekretariat": "n", "institut": "n", "forum": "n", "parlament": "n", "gericht": "n", "direktorat": "n",
    "agentur": "f", "kommission": "f", "organisation": "f", "versammlung": "f", "bank": "f", "behörde": "f",
    "stiftung": "f", "allianz": "f", "mission": "f", "akademie": "f", "kammer": "f", "verwaltung": "f",
    "direktion": "f", "initiative": "f", "plattform": "f", "universität": "f", "hochschule": "f",
    "rat": "m", "fonds": "m", "dienst": "m", "verband": "m", "ausschuss": "m", "gerichtshof": "m",
    "kabinett": "n", "konsulat": "n", "orchester": "n", "museum": "n", "vertretung": "f", "botschaft": "f",
    "bibliothek": "f", "eisenbahn": "f", "eisenbahnen": "f",  # plural: "Aserbaidschanische Eisenbahnen"
}
PLACE_BOUND = {"universität", "hochschule", "akademie", "institut", "botschaft", "konsulat", "vertretung",
               "bibliothek", "orchester", "museum"}  # heads a city or a person's name may follow: "Universität Vilnius"
PURPOSE_HEADS = {"fonds", "rat", "büro", "kommission", "komitee", "organisation", "agentur", "zentrum", "ausschuss",
                 "stiftung"}
DESCRIBED = {"programm", "plattform", "initiative"}  # "ein Programm für Studierende" describes: such a head needs
# an adjective, a prefix, an acronym or an institution it belongs to  # heads "zur ..." may name: "Fonds zur Rettung des Aralsees"
OFFICE_HEADS = {"büro", "sekretariat", "kanzlei", "verwaltung"}  # "Büro des Volksanwalts" (but "Amt des Präsidenten")
LOWER_ADJECTIVE = re.compile(r"^[a-zäöü][a-zäöüß]+(?:isch|lich|al|iv|ig|är|ell|ar|er|t)(?:e|en|er|es|em)$")
NOUN_ENDING = re.compile(r"(?:ung|heit|keit|schaft|tion|ität|ismus|ik|ie|ur|nz|ien|ungen|ionen)$")
GENITIVE = {"ministeriums": "ministerium", "amtes": "amt", "amts": "amt", "programms": "programm",
            "programmes": "programm", "zentrums": "zentrum", "komitees": "komitee", "büros": "büro",
            "sekretariats": "sekretariat", "instituts": "institut", "institutes": "institut", "forums": "forum",
            "parlaments": "parlament", "gerichts": "gericht", "gerichtes": "gericht", "direktorats": "direktorat",
            "rates": "rat", "rats": "rat", "dienstes": "dienst", "diensts": "dienst", "verbandes": "verband",
            "verbands": "verband", "ausschusses": "ausschuss", "gerichtshofs": "gerichtshof",
            "gerichtshofes": "gerichtshof", "kabinetts": "kabinett", "konsulats": "konsulat",
            "orchesters": "orchester", "museums": "museum"}
DEPARTMENTS = ("Pressedienst", "Pressezentrum", "Pressestelle", "Pressebüro", "Pressesekretariat", "Presseamt")
NAMED_AFTER = {"institut", "universität", "stiftung", "zentrum", "akademie", "hochschule"}  # heads of institutions
# named after people
NOT_HEADS = {"Emirat", "Emirats", "Apparat", "Apparats", "Format", "Formats", "Zitat", "Heirat", "Vorrat", "Unrat",
             "Hausrat", "Verrat", "Datenbank", "Sandbank", "Parkbank", "Sitzbank", "Epizentrum", "Stadtzentrum",
             "Ortszentrum", "Samt", "Gesamt", "Anstiftung", "Anstiftungen"}  # words that end like a head but are no institution
_HEAD_FORMS = sorted({*HEADS, *GENITIVE}, key=len, reverse=True)
_HEAD_FORMS = tuple(_HEAD_FORMS)
CACHE_LIMIT = 500_000
# a word too general to be a head's compound part: "Sicherheitsrat" is named, "Bundesamt" is, but "Amt" alone
# ("im Amt") and "Rat" alone ("auf Rat der Ärzte") are only heads with an adjective or complement
ADJECTIVE = re.compile(r"^[A-ZÄÖÜ][\w-]*?[a-zäöüß](?:isch|sch|lich|al|iv|ig|är|ell|ar|an|er|ant|iert|ischt|inigt)(?:e|en|er|es|em)$|"
                       r"^(?:Staatliche|Nationale|Internationale|Zentrale|Oberste|Ständige|Gemeinsame|"
                       r"Europäische|Eurasische|Asiatische|Islamische)[nrsm]?$")
NOT_ADJECTIVES = {"Weitere", "Weiteren", "Andere", "Anderen", "Diese", "Dieser", "Diesen", "Beide", "Beiden",
                  "Zahlreiche", "Mehrere", "Einige", "Jede", "Jeder", "Jedes", "Alle", "Allen", "Unser", "Ihre",
                  "Seine", "Seiner", "Ihrer", "Der", "Die", "Das", "Des", "Dem", "Den"}
PORTFOLIO_GLUE = {"und", "sowie", "der", "des", "die", "für", "von", "zur", "zum"}
STATE_LEADS = ("Republik", "Bundesrepublik", "Föderation", "Königreich")
ARTICLES = {"der", "die", "das", "des", "dem", "den", "im", "beim", "vom", "zum", "zur", "am"}
GENERIC = {"Landes", "Staates", "Jahres", "Monats", "Welt", "Region", "Regierung", "Stadt", "Hauptstadt", "Länder",
           "Zeit", "Woche", "Sitzung", "Tagung", "Konferenz", "Treffen", "Ebene", "Ministerien",
           "Mitgliedstaaten", "Teilnehmer", "Vertreter", "Delegation", "Delegationen", "Seite", "Gespräche"}
MAX_COMPLEMENT = 8  # words after the head: "für Auswärtige Angelegenheiten der Republik Usbekistan"
MAX_ADJECTIVES = 3


@dataclass(frozen=True)
class Organisation:
    canonical: str  # the facet value: the acronym, else the long form
    long: str  # the long form, in the nominative


def _is_acronym(word: str) -> bool:
    """"AGRP", "GdP", "BaFin", "G7": short, capitalised, with two capitals at least; no hyphen."""
    return 2 <= len(word) <= 8 and "-" not in word and sum(c.isupper() for c in word) >= 2 and word[0].isupper()


INSTITUTION_WORDS = (*_HEAD_FORMS, "pressedienst", "pressediensts", "pressedienstes", "bahn", "bahnen", "behörden",
                     "ministerien", "agenturen", "kommissionen", "organisationen", "zentren", "ämter", "räte")


SHORT_HEADS = ("rat", "rats", "rates", "amt", "amts", "amtes", "bank", "fonds", "bahn", "forum")


def is_institution(word: str) -> bool:
    """The word names an institution, not a person: it ends in a head ("Grenzschutzagentur", "Pressezentrums",
    "Staatsbahnen"). A short head counts only as the head of a German compound ("Kooperationsrat"), since
    "Murat", "Marat" and "Urbank" are names."""
    low = word.lower()
    if len(low) <= 4 or word in NOT_HEADS or not low.endswith(INSTITUTION_WORDS):
        return False
    if low.endswith(SHORT_HEADS):
        return "-" in word or bool(compounds.split(fold(word)))
    return True


def nominative_head(word: str) -> tuple[str, str] | None:
    """("Verteidigungsministeriums") -> ("Verteidigungsministerium", "n"); None when no head ends the word."""
    low = word.lower()
    for form in _HEAD_FORMS:
        if low.endswith(form) and (len(low) == len(form) or low[-len(form) - 1].isalpha() or low[-len(form) - 1] == "-"):
            base = GENITIVE.get(form, form)
            return word[: len(word) - len(form)] + word[len(word) - len(form)] + base[1:], HEADS[base]
    return None


_HEADS_LONGEST_FIRST = tuple(sorted(HEADS, key=len, reverse=True))


def _base_head(nominative: str) -> str:
    """The head a nominative institution word ends in: "Verteidigungsministerium" -> "ministerium"."""
    low = nominative.lower()
    return next((h for h in _HEADS_LONGEST_FIRST if low.endswith(h)), low)


def nominative_adjective(word: str, gender: str) -> str:
    """"Staatlichen" before a neuter head -> "Staatliches" (the strong ending, as the facet shows a name)."""
    stem = re.sub(r"(?:e|en|er|es|em)$", "", word)
    return stem + {"n": "es", "f": "e", "m": "er"}[gender]


def _parenthesised(words: list[str], k: int) -> str | None:
    """The acronym in "( ACR )" starting at word k, if there is one."""
    if k + 2 < len(words) and words[k] == "(" and words[k + 2] == ")" and _is_acronym(words[k + 1]):
        return words[k + 1]
    return None


class OrganisationFinder:
    """Find named institutions and acronym definitions in one release; `known(phrase)` marks gazetteer names."""

    def __init__(self, known, is_country, is_role=lambda word: False, first_names=frozenset()):
        self.known = known
        self.first_names = first_names
        self.is_country = is_country
        self.is_role = is_role
        self._heads: dict[str, bool] = {}

    def _complement(self, words: list[str], k: int, head: str = "") -> int:
        """Index after a head's complement: "für Grenzschutz", "der Republik Polen", "Georgiens", "zur Rettung
        des Aralsees", "bei den Vereinten Nationen", "Vilnius" (after a university). `head` is the head in the
        nominative, lower case: what may follow depends on it."""
        if k < len(words) and self.is_country(words[k]):  # "Verteidigungsministerium Georgiens"
            return k + 1
        if head in PLACE_BOUND:  # "Universität Vilnius", "Botschaft Tiflis", "Nationalbibliothek Martynas Mažvydas"
            k = self._place_end(words, k)
        end = j = k
        while j < len(words) and j - k < MAX_COMPLEMENT:
            j, end, more = self._complement_phrase(words, (k, j), head, end)
            if not more:
                break
        return end

    def _place_end(self, words: list[str], k: int) -> int:
        """Index after up to three capitalised words at k that name a place, not a noun, head or country."""
        j = k
        while j < len(words) and j - k < 3 and words[j][:1].isupper() and not _is_acronym(words[j]) \
                and not lexicon.is_noun(fold(words[j])) and nominative_head(words[j]) is None \
                and not self.is_country(words[j]):
            j += 1
        return j

    def _complement_phrase(self, words: list[str], at: tuple[int, int], head: str, end: int) -> tuple[int, int, bool]:
        """One phrase of a complement that started at k, at j (`at` = (k, j)): (where the next one starts, where
        the complement ends so far, whether another phrase may follow)."""
        (k, j), n, word = at, len(words), words[at[1]]
        if (word == "für" or (word in ("zur", "zum") and head in PURPOSE_HEADS)) and j + 1 < n \
                and self._portfolio_start(words, j + 1):
            j = self._purpose_end(words, k, j)
            return j, j, True
        if word in ("der", "des") and j + 1 < n and words[j + 1] in STATE_LEADS:
            j += 2
            while j < n and j - k < MAX_COMPLEMENT and words[j][0].isupper() and not _is_acronym(words[j]):
                j += 1
            return j, j, True
        if word == "beim" and j + 2 < n and words[j + 1][0].isupper() and self._complement(words, j + 2) > j + 2:
            j = self._complement(words, j + 2)  # "beim Präsidenten der Republik Aserbaidschan"
            return j, j, True
        if word == "bei" and j + 2 < n and words[j + 1] in ("der", "den", "dem") and self._known_after(words, j + 2):
            j = self._known_after(words, j + 2)  # "bei den Vereinten Nationen"
            return j, j, True
        if word in ("der", "des") and j + 1 < n and (self._genitive_name(words, j + 1) or (
                head in OFFICE_HEADS and (self.is_role(words[j + 1]) or self.is_role(words[j + 1][:-1])))):
            j = self._genitive_end(words, k, j)  # "Büro des Volksanwalts"; "Amt des Präsidenten" is an office
            return (j, end, False) if words[j - 1] in ("der", "des") else (j, j, True)
        if word in ("der", "des") and j + 3 < n and words[j + 1][:1].isupper() and words[j + 2] in ("der", "des") \
                and words[j + 3] in STATE_LEADS and not self.is_role(words[j + 1]):
            return j + 2, j + 2, True  # "Investitionsbüro der Präsidentschaft der Republik Türkei": to a state
        if word in ("der", "des") and self._defined_after(words, j + 1):
            end = self._defined_after(words, j + 1)  # "Versammlung der Schwarzmeerwirtschaftskooperation (PABSEC)"
        return j, end, False

    def _purpose_end(self, words: list[str], k: int, j: int) -> int:
        """Index after "für Digitale Entwicklung und Verkehr", "zur Rettung des Aralsees" (one genitive) at j."""
        word, n = words[j], len(words)
        j += 1
        while j < n and j - k < MAX_COMPLEMENT and (self._portfolio_start(words, j) or words[j] in ("und", "sowie")):
            j += 1
        while j > k and words[j - 1] in ("und", "sowie") or not words[j - 1][:1].isupper():
            j -= 1
        if word != "für" and j + 1 < n and words[j] in ("der", "des") and words[j + 1][:1].isupper():
            j = self._portfolio_end(words, j + 1)
        return j

    def _genitive_end(self, words: list[str], k: int, j: int) -> int:
        """Index after a genitive name at j ("des Volksanwalts"), without an adjective that ends it ("der
        Internationalen" before another institution)."""
        j += 2
        while j < len(words) and j - k < MAX_COMPLEMENT and self._genitive_name(words, j):
            j += 1
        while ADJECTIVE.match(words[j - 1]):
            j -= 1
        return j

    def _known_after(self, words: list[str], j: int) -> int:
        """Index after a known organisation or acronym of up to three words starting at j, else 0."""
        for size in (3, 2, 1):
            phrase = " ".join(words[j : j + size])
            if j + size <= len(words) and (self.known(phrase) or (size == 1 and _is_acronym(phrase))):
                return j + size
        return 0

    def _portfolio_start(self, words: list[str], j: int) -> bool:
        """Word j can be part of a portfolio: a portfolio word, or a lower-case adjective before one ("für
        wirtschaftliche Zusammenarbeit", "zur Verhütung von Folter" stops at "von")."""
        word = words[j]
        if self._portfolio_word(word):
            return True
        return bool(LOWER_ADJECTIVE.match(word)) and j + 1 < len(words) and self._portfolio_word(words[j + 1])

    def _portfolio_end(self, words: list[str], j: int) -> int:
        """Index after the genitive object of a purpose ("des Aralsees", "der Demokratie"): capitalised words."""
        k = j
        while k < len(words) and k - j < 2 and words[k][:1].isupper() and words[k] not in self.first_names:
            k += 1
        return k

    @staticmethod
    def _defined_after(words: list[str], j: int) -> int:
        """Index of "(" when words j... are capitalised nouns up to an acronym in parentheses, else 0."""
        k = j
        while k < len(words) and k - j < 3 and words[k][0].isupper() and not _is_acronym(words[k]):
            k += 1
        return k if k > j and k + 1 < len(words) and words[k] == "(" and _is_acronym(words[k + 1]) else 0

    def _proper_name(self, prefix: str) -> bool:
        """A compound's modifier that is a name ("Goethe", "Heydar-Aliyev", "Max-Planck"): capitalised, no state,
        and not a German word, or opening with a first name."""
        parts = prefix.split("-")
        if not all(p[:1].isupper() and p[1:].islower() for p in parts) or any(self.is_country(p) for p in parts):
            return False
        return parts[0] in self.first_names or not lexicon.is_word(fold(parts[-1]))

    def _portfolio_word(self, word: str) -> bool:
        """A word of a portfolio ("für Auswärtige Angelegenheiten", "für Grenzdelimitierung", "für Aserbaidschan-
        Studien"): a capitalised German word, by the lexicon, as a compound, or by a noun ending; a first name or
        an unknown word ends it, since it may be the name of the person who heads the institution."""
        if not word[:1].isupper() or _is_acronym(word) or any(part in self.first_names for part in word.split("-")):
            return False
        folded = fold(word.rstrip("-").rsplit("-", 1)[-1])
        return (lexicon.is_word(folded) or bool(compounds.split(folded)) or bool(ADJECTIVE.match(word))
                or bool(NOUN_ENDING.search(folded)))

    def _genitive_name(self, words: list[str], j: int) -> bool:
        """Word j can continue a name after "der"/"des": a state ("der Republik Polen", "Georgiens"), a known
        organisation or an acronym ("der NATO"), a group of states ("der Ostseestaaten"), or an adjective before
        such a noun ("der Vereinigten Staaten", "des Deutschen Bundestages"). A common noun ("des Konzerns",
        "der Verhandlungen") or an office ("Amt des Präsidenten") is not part of a name."""
        word = words[j]
        if not word[0].isupper() or nominative_head(word) is not None or self.is_role(word):
            return False
        if self.is_country(word) or self.known(word) or _is_acronym(word) or word.endswith(("staaten", "länder")):
            return True
        return bool(ADJECTIVE.match(word)) and j + 1 < len(words) and words[j + 1][:1].isupper()

    def _head(self, word: str) -> bool:
        """Word could be a head (cached: asked of every capitalised word of the archive)."""
        answer = self._heads.get(word)
        if answer is None:
            answer = word[:1].isupper() and word.lower().endswith(_HEAD_FORMS) and word not in NOT_HEADS
            if len(self._heads) < CACHE_LIMIT:
                self._heads[word] = answer
        return answer

    def find(self, sentences: list[list[str]]) -> list[Organisation]:
        """Named institutions in a release (its sentences as lists of words and punctuation, as `actors`
        tokenizes them), in order of first mention, acronyms linked to their long forms."""
        spans: list[tuple[int, int, int, str]] = []  # (sentence, first word, word after, long form) of each name
        heads = self._heads
        for si, words in enumerate(sentences):
            after = 0
            for i in [i for i, word in enumerate(words) if heads.get(word) is not False and self._head(word)]:
                if i < after:
                    continue  # a head inside the name before it: "Agentur der Vereinten Nationen für ..."
                name = self._name_at(words, i)
                if name is not None:
                    spans.append((si, *name))
                    after = name[1]
        acronyms: dict[str, str] = {}  # acronym -> long form, as this release defines them
        for si, start, end, long in spans:
            acr = _parenthesised(sentences[si], end)
            if acr and not self.known(acr) and (" " in long or acr[0] == long[0].upper()):
                acronyms[acr] = long  # "Innenministerium (BMI)" is no definition; a name of several words may
                # have a foreign acronym ("Nationale Agentur für Minenräumung (ANAMA)")
        for words in sentences:  # "(HRW)" after "Human Rights Watch": the words whose initials spell it
            if "(" not in words:
                continue
            for k in (k for k, word in enumerate(words) if word == "("):
                acr = _parenthesised(words, k)
                if acr and acr not in acronyms and not self.known(acr):
                    long = self._initials_before(words, k, acr)
                    if long:
                        acronyms[acr] = long
        long_to_acr = {long: acr for acr, long in acronyms.items()}
        events = [((si, start), long_to_acr.get(long, long), long) for si, start, _, long in spans]
        if acronyms:
            for si, words in enumerate(sentences):
                for i, word in enumerate(words):
                    short = word.split("-")[0]  # "JICA-Experten"
                    if short in acronyms:
                        events.append(((si, i), short, acronyms[short]))
        found: dict[str, Organisation] = {}
        for _, canonical, long in sorted(events):
            found.setdefault(canonical, Organisation(canonical, long))
        return list(found.values())

    def _name_at(self, words: list[str], i: int) -> tuple[int, int, str] | None:
        """(start, end, long form) of the institution whose head is word i, if the text makes it a name."""
        word = words[i]
        head = nominative_head(word)
        if head is None or self.known(word) or word in NOT_HEADS:
            return None
        head_word, gender = head
        start = i
        while start > 0 and i - start < MAX_ADJECTIVES:
            before = words[start - 1]
            if before in NOT_ADJECTIVES or not ADJECTIVE.match(before):
                break
            start -= 1
        if head_word.startswith(DEPARTMENTS):
            return None  # "Pressedienst der AGRP": a department speaks for the institution, it is none of its own
        base = _base_head(head_word)
        end = self._complement(words, i + 1, base)
        acronym, _, after = word.partition("-")
        named, _, head_part = word.rpartition("-")
        prefixed = (bool(after) and _is_acronym(acronym) and after.lower() not in HEADS) or (  # "GUAM-Kooperations-
            # rat"; "US-Gericht" and "UN-Mission" say whose, not which
            bool(named) and head_part.lower() in NAMED_AFTER and self._proper_name(named))  # "Heydar-Aliyev-
        # Universität": named after a person; "Fußball-Verband", "Mars-Mission" are not
        defined = end < len(words) and words[end] == "("
        if start == i and end == i + 1 and (word.lower() in HEADS or not (prefixed or defined)):
            return None
        if start == i and end == i + 1 and not prefixed:  # a compound only its acronym makes a name: checked
            acr = _parenthesised(words, end)  # in `find`; "Innenministerium (BMI)" is none
            if not acr or acr[0] != word[0]:
                return None
        if start == i and base in DESCRIBED and not prefixed and _parenthesised(words, end) is None \
                and not any(self._known_after(words, j + 1) or _is_acronym(words[j + 1])
                            for j in range(i + 1, end - 1) if words[j] in ("der", "des")):
            return None
        if start == i and word.lower() in HEADS and (i == 0 or words[i - 1].lower() not in ARTICLES):
            return None  # a bare head names an institution only after an article: "der Rat der Ostseestaaten",
            # not "auf Rat der Ärzte"
        adjectives = [nominative_adjective(w, gender) for w in words[start:i]]
        complement = [w for w in words[i + 1 : end]]
        long = " ".join([*adjectives, head_word, *complement])
        known = self.known(long) or self.known(" ".join(w for w in words[start:end]))
        return start, end, known or long

    @staticmethod
    def _initials_before(words: list[str], index: int, acr: str) -> str | None:
        """The capitalised words before "(ACR)" whose initials spell the acronym, as written."""
        letters = [c for c in acr if c.isupper()]
        picked: list[str] = []
        j = index - 1
        while j >= 0 and len([w for w in picked if w[0].isupper()]) < len(letters):
            word = words[j]
            if not word[0].isalpha():
                return None
            if word[0].islower() and word not in PORTFOLIO_GLUE:
                return None
            picked.insert(0, word)
            j -= 1
        capitals = [w[0] for w in picked if w[0].isupper()]
        if capitals != letters or not picked or not picked[0][0].isupper():
            return None
        return " ".join(picked)


def initials(long: str) -> str:
    """The capitals of a long form's capitalised words: "Agentur für Grenzschutz der Republik Polen" -> "AGRP"."""
    return "".join(word[0] for word in long.replace("-", " ").split() if word[:1].isupper())


MERGED_ACRONYM = 3  # letters an acronym needs before long forms elsewhere in the archive are filed under it


def canonical_organisations(values) -> dict[str, str]:
    """Organisation facet values that another value names better -> that value: a long form filed under the
    acronym the archive uses for it, when the acronym spells the long form's initials (a release that writes
    only "Agentur für Grenzschutz der Republik Polen" meets those that define or use "AGRP"). For the facet's
    `merge`, like `canonical_names` for persons; values that stay are left out. Two letters are too few to tell
    by initials alone ("Parlament für September" is no "PS"): a shorter acronym needs the release's own definition."""
    acronyms = {value for value in values if _is_acronym(value) and len(value) >= MERGED_ACRONYM}
    return {value: initials(value) for value in values
            if " " in value and value not in acronyms and initials(value) in acronyms}
