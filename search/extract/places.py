"""Countries and organisations named in a release.

Vocabulary:
- country form: any word (or two or three words) that names a country: the German ISO 3166-1 name from
  pycountry's German locale ("Aserbaidschan", "Russische Föderation"), an alias from ``countries.toml``
  ("Russland", "USA"), the genitive ("Aserbaidschans", "Armeniens") or an adjective ("aserbaidschanische",
  "türkischen"). Adjectives come from a rule (Armenien -> armenisch, Türkei -> türkisch, Kasachstan ->
  kasachisch) unless ``countries.toml`` lists them; wrong rule output is harmless because it never occurs.
- display name: the short German name shown in the facet ("Russland", not "Russische Föderation").
- organisation form: a name or acronym of an organisation from the gazetteer ("NATO", "OSZE", "OSCE",
  "Vereinten Nationen"), also as the first part of a hyphen compound ("NATO-Generalsekretär", "EU-Kommission").

Matching is a dictionary look-up per word (and per two- and three-word window), so it costs the same for 5 or
500 countries. Country names are only taken from names and adjectives, never from cities ("Brüssel" is not
Belgium).
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass, field

import pycountry

WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[\w'’]+)*")
ADJ_ENDINGS = ("", "e", "en", "er", "es", "em")
MAX_WINDOW = 4
ENGLISH_AMBIGUOUS = {"Georgia", "Turkey", "Chad", "Jordan", "Guinea", "Niger", "Mali", "Oman", "Peru", "Togo", "Cuba",
                     "Malta", "Monaco", "Nauru", "Samoa", "Tonga", "Panama", "Israel", "Iran", "Iraq", "Japan", "China"}


@dataclass
class PlaceTables:
    """Word (or word sequence) -> display name, for countries and organisations."""

    countries: dict[str, str] = field(default_factory=dict)
    organisations: dict[str, str] = field(default_factory=dict)  # exact-case keys ("NATO", "Vereinten Nationen")
    org_prefixes: dict[str, str] = field(default_factory=dict)  # "NATO" in "NATO-Generalsekretär"
    country_prefixes: dict[str, str] = field(default_factory=dict)  # "US" in "US-Präsident"
    max_words: int = 1
    phrase_starts: set[str] = field(default_factory=set)  # first words of multi-word names

    def is_place_word(self, word: str) -> bool:
        return word in self.countries or word in self.organisations or _strip_genitive(word, self.countries) is not None


def _strip_genitive(word: str, table: dict[str, str]) -> str | None:
    if word.endswith("s") and word[:-1] in table:
        return table[word[:-1]]
    return None


def adjective_stems(name: str) -> list[str]:
    """Rule-derived adjective stems of a one-word German country name (lower case)."""
    if " " in name or "," in name:
        return []
    low = name.lower()
    if low.endswith("stan"):
        return [low[:-4] + "isch"]
    if low.endswith("ien"):
        return [low[:-3] + "isch"]
    if low.endswith("land"):
        return [low[:-4] + "isch"]
    if low.endswith("ei"):
        return [low[:-2] + "isch"]
    if low.endswith(("an", "el", "ak", "ar", "at", "on")):
        return [low + "isch"]
    return []


def _german_names() -> dict[str, list[str]]:
    """ISO alpha-2 -> German names (name, common name, official name) from pycountry's German locale."""
    try:
        de = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
        tr = de.gettext
    except OSError:  # locale files missing: fall back to English names
        tr = str
    names: dict[str, list[str]] = {}
    for country in pycountry.countries:
        forms = []
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                forms.append(tr(value))
        names[country.alpha_2] = forms
    return names


def build_tables(countries_cfg: dict, organisations: list[dict]) -> PlaceTables:
    """Build the look-up tables from ``countries.toml`` and the gazetteer's organisations."""
    tables = PlaceTables()
    display_cfg = countries_cfg.get("display", {})
    aliases_cfg = countries_cfg.get("aliases", {})
    adjectives_cfg = countries_cfg.get("adjectives", {})
    iso = _german_names()
    codes = set(iso) | set(aliases_cfg) | set(adjectives_cfg)
    for code in sorted(codes):
        forms = iso.get(code, [])
        display = display_cfg.get(code) or (forms[0] if forms else None) or (aliases_cfg.get(code) or [code])[0]
        nouns = [f for f in forms if "," not in f] + list(aliases_cfg.get(code, [])) + [display]
        for noun in nouns:
            tables.countries.setdefault(noun, display)
            if not noun.endswith("s"):
                tables.countries.setdefault(noun + "s", display)  # genitive: Aserbaidschans
        stems = list(adjectives_cfg.get(code, [])) or [s for f in nouns for s in adjective_stems(f)]
        for stem in stems:
            for ending in ADJ_ENDINGS[1:]:
                tables.countries.setdefault(stem + ending, display)
                tables.countries.setdefault(stem[0].upper() + stem[1:] + ending, display)
            tables.country_prefixes.setdefault(stem, display)  # "aserbaidschanisch-türkische"
        for noun in nouns:
            if " " not in noun:
                tables.country_prefixes.setdefault(noun, display)
    for country in pycountry.countries:  # English names for mixed-language releases ("Azerbaijan")
        english = getattr(country, "common_name", None) or country.name
        if " " not in english and "," not in english and english not in ENGLISH_AMBIGUOUS:
            display = display_cfg.get(country.alpha_2) or (iso.get(country.alpha_2) or [english])[0]
            tables.countries.setdefault(english, display)
    tables.country_prefixes.setdefault("US", tables.countries.get("USA", "Vereinigte Staaten"))
    for org in organisations:
        name = org["name"]
        for form in [name, *org.get("aliases", [])]:
            tables.organisations.setdefault(form, name)
            if " " not in form and not form.endswith("s"):
                tables.organisations.setdefault(form + "s", name)
        for prefix in [name, *org.get("aliases", []), *org.get("prefixes", [])]:
            if " " not in prefix:
                tables.org_prefixes.setdefault(prefix, name)
    tables.phrase_starts = {k.split()[0] for k in (*tables.countries, *tables.organisations) if " " in k}
    longest = max((k.count(" ") + 1 for k in (*tables.countries, *tables.organisations)), default=1)
    tables.max_words = min(longest, MAX_WINDOW)
    return tables


def find_places(text: str, tables: PlaceTables) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(countries, organisations) named in ``text``, in order of first mention."""
    countries: dict[str, None] = {}
    orgs: dict[str, None] = {}
    words = WORD.findall(text)
    n = len(words)
    i = 0
    while i < n:
        consumed = 0
        sizes = range(min(tables.max_words, n - i), 1, -1) if words[i] in tables.phrase_starts else ()
        for size in sizes:
            phrase = " ".join(words[i : i + size])
            if phrase in tables.organisations:
                orgs[tables.organisations[phrase]] = None
                consumed = size
                break
            if phrase in tables.countries:
                countries[tables.countries[phrase]] = None
                consumed = size
                break
        if consumed:
            i += consumed
            continue
        _classify_word(words[i], tables, countries, orgs)
        i += 1
    return tuple(countries), tuple(orgs)


def _classify_word(word: str, tables: PlaceTables, countries: dict, orgs: dict) -> None:
    if word in tables.organisations:
        orgs[tables.organisations[word]] = None
        return
    if word in tables.countries:
        countries[tables.countries[word]] = None
        return
    if "-" not in word:
        return
    parts = word.split("-")
    if parts[-1] in ("Dollar", "Dollars", "Cent"):
        return  # "US-Dollar" is a currency, not a mention of the country
    if word in tables.organisations or "-".join(parts[:2]) in tables.organisations:
        orgs[tables.organisations["-".join(parts[:2])]] = None
        return
    for part in parts[:-1]:  # "NATO-Generalsekretär", "aserbaidschanisch-türkische", "US-Präsident"
        if part in tables.org_prefixes:
            orgs[tables.org_prefixes[part]] = None
        elif part.lower() in tables.country_prefixes:
            countries[tables.country_prefixes[part.lower()]] = None
        elif part in tables.country_prefixes:
            countries[tables.country_prefixes[part]] = None
    last = parts[-1]
    if last in tables.countries and last[0].islower():  # "aserbaidschanisch-türkischen"
        countries[tables.countries[last]] = None
