"""Person identity: which spellings of a name stand for one person, within a release and across the archive.

Vocabulary:
- spelling: a person's name as written ("Jamshid Khodjaev", "Dschamschid Chodschajew", "Khodjaev").
- name key: `search.german.names.name_key`, shared by the transliterations of one name.
- person key: what two full names must share to be one person: the name keys of the surname and of the first
  name ("Dschamschid Chodschajew" and "Jamshid Khodjaev" -> ("hojaev", "jamshid")); middle names do not count.
  A partial name ("Khodjaev", "J. Khodjaev") joins a person by the surname key alone (see `actors`).
- override file: `search/data/names.toml`, extended by the file `$DEPESCHE_NAMES` names, for the cases the rule
  gets wrong:

      [[merge]]            # one person: the first name is how the facet shows it
      names = ["Kemal Kılıçdaroğlu", "Kemal Kilicdaroglu"]
      [[never]]            # never one person, however alike they are spelled
      names = ["Paul Kirchhof", "Paul Kirchhoff"]

`NameRules` holds the overrides; `rules()` is the shipped file plus `$DEPESCHE_NAMES`, read once per process.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from search.errors import DepescheError
from search.german.names import name_key

NAMES = Path(__file__).resolve().parent.parent / "data" / "names.toml"
NAMES_ENV = "DEPESCHE_NAMES"


@dataclass
class NameRules:
    """Merge and never-merge overrides, by exact spelling."""

    merged: dict[str, str] = field(default_factory=dict)  # spelling -> the group's display name
    pinned: set[str] = field(default_factory=set)  # spellings that are only ever themselves

    @classmethod
    def from_tables(cls, tables: list[dict]) -> "NameRules":
        rules = cls()
        for table in tables:
            for group in table.get("merge", []):
                names = [n.strip() for n in group.get("names", []) if n.strip()]
                for name in names:
                    rules.merged[name] = names[0]
            for group in table.get("never", []):
                rules.pinned.update(n.strip() for n in group.get("names", []) if n.strip())
        return rules

    def person_key(self, words: tuple[str, ...] | list[str]) -> tuple[str, ...]:
        """The person key of a full name (see module docstring); overrides first."""
        name = " ".join(words)
        if name in self.pinned:
            return ("=", name)
        if name in self.merged:
            return ("+", self.merged[name])
        keyed = name_key(name).split()  # "Ban Ki-moon" and "Ban Ki Moon" key alike
        return (keyed[-1], keyed[0]) if len(keyed) > 1 else (keyed[0] if keyed else "",)

    def display(self, name: str) -> str | None:
        """The display name an override gives `name`, if any."""
        return self.merged.get(name)


def _read(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as error:  # a user's file: say which and why, no traceback
        raise DepescheError(f"cannot read {path}: {error}") from None


@lru_cache(maxsize=8)
def load_rules(user_path: str | None = None) -> NameRules:
    """The shipped overrides plus the user's file (`user_path`, else `$DEPESCHE_NAMES`)."""
    user_path = user_path or os.environ.get(NAMES_ENV) or None
    tables = [_read(NAMES) if NAMES.is_file() else {}]
    if user_path:
        tables.append(_read(Path(user_path)))
    return NameRules.from_tables(tables)


def rules() -> NameRules:
    """The overrides in force for this process (the environment is read at each call, the files once)."""
    return load_rules(os.environ.get(NAMES_ENV) or None)


def is_partial(name: str) -> bool:
    """A surname alone or with an initial ("Putin", "Z. Hasanov"): not enough to tell people apart."""
    words = name.split()
    return len(words) < 2 or words[0].endswith(".")


def _most_used(members: list[str], counts: Mapping[str, int], rules: NameRules) -> str:
    """The spelling a group is shown under: the override's display name if it is among them, else the spelling
    used in most releases (ties: the alphabetically first, so the choice does not depend on order)."""
    preferred = {rules.display(name) for name in members} - {None}
    return min(members, key=lambda name: (name not in preferred, -counts[name], name))


def canonical_names(names) -> dict[str, str]:
    """Facet values that name a person another value names better -> that value.

    `names` is the values (an iterable) or a mapping value -> how many releases carry it. Two steps:
    1. spellings of one person: full names with one person key ("Jamshid Khodjaev", "Dschamschid Chodschajew"),
       and partial names with one name key ("Khodjaev", "Chodschajew") are filed under the spelling used most;
    2. partial names ("Z. Hasanov", "Putin") are filed under the one full name with that surname key (and, for an
       initial, the same first letter, unless the surname is unique).
    Values that stay as they are are left out; no value maps to a value that is itself mapped."""
    counts: dict[str, int] = dict(names) if isinstance(names, Mapping) else dict.fromkeys(names, 1)
    name_rules = rules()
    groups: dict[tuple, list[str]] = {}
    partial: set[str] = set()
    for name in counts:
        words = name.split()
        if len(words) < 2 or words[0].endswith("."):
            partial.add(name)
            key: tuple = ("part", name_key(name))
        else:
            key = ("full", *name_rules.person_key(words))
        groups.setdefault(key, []).append(name)
    mapping: dict[str, str] = {}
    shown: dict[str, list[str]] = {}  # the spelling shown -> the other spellings filed under it
    for members in groups.values():
        if len(members) == 1:
            shown[members[0]] = []
            continue
        best = _most_used(members, counts, name_rules)
        shown[best] = [name for name in members if name != best]
        mapping.update((name, best) for name in shown[best])
    full_by_surname: dict[str, set[str]] = {}
    for name in shown:
        if name not in partial:
            full_by_surname.setdefault(name_key(name.rsplit(None, 1)[-1]), set()).add(name)
    for name in shown:
        if name not in partial:
            continue
        words = name.split()
        fulls = full_by_surname.get(name_key(words[-1]), set())
        if len(words) == 2:
            fulls = {f for f in fulls if f[0] == words[0][0]} or fulls
        if len(fulls) == 1:
            full = next(iter(fulls))
            mapping[name] = full
            mapping.update((alias, full) for alias in shown[name])
    return mapping
