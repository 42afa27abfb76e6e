"""No function in search/ or web/ is longer than MAX_LINES: a function a newcomer can read on one screen.

A function's length is its lines from `def` to its last line, docstring and comments included. Nothing is exempt.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
MAX_LINES = 50


def long_functions(source: str, name: str = "<snippet>", limit: int = MAX_LINES) -> list[str]:
    """`name:line function (n lines)` for every function (or method) of `source` longer than `limit`."""
    return [f"{name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for node in ast.walk(ast.parse(source))
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.end_lineno - node.lineno + 1 > limit]


def test_the_check_counts_a_function_s_lines():
    body = "".join(f"    x{n} = {n}\n" for n in range(3))
    source = f"def short():\n{body}\nclass C:\n    def method(self):\n{body.replace('    ', '        ')}"
    assert long_functions(source, limit=4) == []
    assert long_functions(source, limit=3) == ["<snippet>:1 short (4 lines)", "<snippet>:7 method (4 lines)"]


def test_no_function_in_search_or_web_is_over_fifty_lines():
    paths = sorted([*REPO.glob("search/**/*.py"), *REPO.glob("web/**/*.py")])
    found = [long for path in paths for long in long_functions(path.read_text(encoding="utf-8"),
                                                              str(path.relative_to(REPO)))]
    assert found == []
