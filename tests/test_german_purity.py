"""`search.german` is pure: no import cycle inside it, and no file read or written by its code.

Each module is imported first, alone, in a fresh interpreter whose `search` package is an empty stand-in (so
`search/__init__.py` cannot import the others before it, which would hide a cycle); the words the lexicon
needs then come from memory while every way of opening a file raises.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
GERMAN = REPO / "search" / "german"
MODULES = sorted(p.stem for p in GERMAN.glob("*.py") if p.stem != "__init__")
# calls that read or write files (by the name called, as the AST spells it)
FILE_CALLS = {"open", "read_text", "read_bytes", "write_text", "write_bytes", "load", "save", "mkdir",
              "unlink", "home", "find_spec"}
OS_FILE_CALLS = {"replace", "remove", "rename", "makedirs", "listdir", "scandir", "walk"}  # os.x only: str.replace
STAND_IN = f"""
import sys, types
search = types.ModuleType("search")
search.__path__ = [{str(REPO / "search")!r}]
sys.modules["search"] = search
"""


def run(code: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", STAND_IN + code], capture_output=True, text=True, timeout=60)


def package_imports(path: Path) -> set[str]:
    """The modules of search.german that `path` imports, anywhere in it (a function-level import counts)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            found.update([node.module] if node.module else [alias.name for alias in node.names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("search.german."):
            found.add(node.module.split(".")[2])
    return found & set(MODULES)


def cycle_from(start: str, graph: dict[str, set[str]], path: tuple[str, ...] = ()) -> tuple[str, ...] | None:
    if start in path:
        return (*path[path.index(start):], start)
    for imported in sorted(graph[start]):
        found = cycle_from(imported, graph, (*path, start))
        if found:
            return found
    return None


def test_the_import_graph_has_no_cycle():
    graph = {module: package_imports(GERMAN / f"{module}.py") for module in MODULES}
    assert graph["normalize"] == {"compounds", "folding", "lexicon"}  # the graph is read at all
    cycles = {module: cycle_from(module, graph) for module in MODULES}
    assert {m: c for m, c in cycles.items() if c} == {}


def test_the_cycle_finder_finds_one():
    assert cycle_from("a", {"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ("a", "b", "c", "a")


@pytest.mark.parametrize("module", MODULES)
def test_each_module_imports_first_and_alone(module):
    done = run(f"import search.german.{module}\nprint(sorted(m for m in sys.modules if m.startswith('search.')))")
    assert done.returncode == 0, done.stderr
    assert "search.engine" not in done.stdout and "search.german_data" not in done.stdout


def file_calls(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            owner = getattr(getattr(node.func, "value", None), "id", "")
            if name in FILE_CALLS or (owner == "os" and name in OS_FILE_CALLS):
                out.append(f"{path.name}:{node.lineno} {name}")
    return out


def test_no_module_calls_a_file_function():
    assert [call for module in MODULES for call in file_calls(GERMAN / f"{module}.py")] == []


def test_the_file_scan_sees_a_read(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("import gzip\nwith gzip.open(p) as h: pass\nPath(x).read_text()\nos.replace(a, b)\n"
                      "'ab'.replace('a', '')\n", encoding="utf-8")
    assert sorted(file_calls(sample)) == ["sample.py:2 open", "sample.py:3 read_text", "sample.py:4 replace"]


def test_the_analysis_runs_with_every_file_closed():
    done = run("""
import builtins, io, os
from search.german import characters, compounds, families, lexicon, names, normalize, stemmer
lexicon.use(lexicon.tables_of({"words.txt.gz": ["brüssel", "quelle", "minister", "verteidigung"],
                               "nouns.txt.gz": ["minister", "verteidigung"]}))
families.use({"gewählt": "wählen", "wahlen": "wahl"}.get)
def closed(*args, **kwargs):
    raise AssertionError(f"file opened: {args[:1]}")
builtins.open = io.open = os.open = closed
print(normalize.normalize("Bruessel"), normalize.normalize("Quelle"), compounds.split("verteidigungsminister"),
      stemmer.stem("ministers"), names.name_key("Chodschajew") == names.name_key("Khodjaev"),
      characters.clean("Nord\u2013Süd"), families.family_key("gewählt") == families.family_key("wahlen"))
""")
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["brussel", "quelle", "('verteidigungs',", "'minister')", "minist", "True",
                                   "Nord-Süd", "True"]


def test_the_lexicon_says_when_it_has_no_word_lists():
    done = run("from search.german import lexicon\nlexicon.is_word('haus')")
    assert done.returncode == 1 and "no source for the word list words.txt.gz" in done.stderr


def test_the_families_say_when_they_have_no_lemma_data():
    done = run("from search.german import families\nfamilies.lemma('gewählt')")
    assert done.returncode == 1 and "no lemma data" in done.stderr
