"""No test asserts something that is true whatever the code does.

An AST scan of tests/ for the assert shapes that cannot fail: a value compared with itself (also one element of
two tuples, `(a, b) == (a2, b)`), a count that is `>= 0`, `... or True`, an assert on a constant, a non-empty
string or f-string or a tuple (`assert (x, "why")`), and `assert str(...)` (only an empty message is false).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
COUNT_WORDS = ("count", "total", "len", "size", "number", "hits", "found", "released")


def _same(a: ast.AST, b: ast.AST) -> bool:
    """The same expression on both sides, and one without a call (two calls may answer differently: that a
    function is repeatable is worth asserting)."""
    calls = any(isinstance(node, ast.Call) for node in ast.walk(a))
    return not isinstance(a, ast.Constant) and not calls and ast.dump(a) == ast.dump(b)


def _is_count(node: ast.AST) -> bool:
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "len":
        return True
    name = node.attr if isinstance(node, ast.Attribute) else getattr(node, "id", None)
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        name = str(node.slice.value)
    return bool(name) and any(word in name.lower() for word in COUNT_WORDS)


def _compare_problems(node: ast.Compare) -> list[str]:
    found = []
    for left, op, right in zip([node.left, *node.comparators], node.ops, node.comparators):
        if isinstance(op, (ast.Eq, ast.Is, ast.GtE, ast.LtE)) and _same(left, right):
            found.append("compares a value with itself")
        elif isinstance(op, ast.Eq) and isinstance(left, ast.Tuple) and isinstance(right, ast.Tuple) \
                and len(left.elts) == len(right.elts) and any(map(_same, left.elts, right.elts)):
            found.append("compares a tuple element with itself")
        if isinstance(op, ast.GtE) and _is_zero(right) and _is_count(left):
            found.append("a count >= 0")
        if isinstance(op, ast.LtE) and _is_zero(left) and _is_count(right):
            found.append("0 <= a count")
    return found


def _is_zero(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and node.value == 0 and not isinstance(node.value, bool)


def _test_problems(test: ast.AST) -> list[str]:
    """What makes the test of one assert trivially true."""
    if isinstance(test, (ast.Constant, ast.JoinedStr)) and (test.value if isinstance(test, ast.Constant) else True):
        return ["asserts a constant or a non-empty string"]
    if isinstance(test, ast.Tuple) and test.elts:
        return ["asserts a tuple (always true)"]
    if isinstance(test, ast.Call) and getattr(test.func, "id", "") == "str":
        return ["asserts str(...)"]
    found = []
    for node in ast.walk(test):
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            if any(isinstance(v, ast.Constant) and v.value is True for v in node.values):
                found.append("... or True")
        elif isinstance(node, ast.Compare):
            found += _compare_problems(node)
    return found


def trivial_asserts(source: str, name: str = "<snippet>") -> list[str]:
    """`name:line what` for every assert in `source` that cannot fail."""
    return [f"{name}:{node.lineno} {problem}" for node in ast.walk(ast.parse(source))
            if isinstance(node, ast.Assert) for problem in _test_problems(node.test)]


@pytest.mark.parametrize(
    "snippet, problem",
    [
        ("assert x == x", "compares a value with itself"),
        ("assert (a.b, c) == (d, c)", "compares a tuple element with itself"),
        ("assert results.total >= 0", "a count >= 0"),
        ("assert len(hits) >= 0", "a count >= 0"),
        ('assert answer["total"] >= 0', "a count >= 0"),
        ("assert 0 <= len(hits)", "0 <= a count"),
        ("assert page.ok or True", "... or True"),
        ('assert "a message"', "asserts a constant or a non-empty string"),
        ('assert f"{x}"', "asserts a constant or a non-empty string"),
        ("assert 1", "asserts a constant or a non-empty string"),
        ('assert (x == 1, "why")', "asserts a tuple (always true)"),
        ("assert str(error)", "asserts str(...)"),
    ],
)
def test_the_scan_catches_each_trivial_assert(snippet, problem):
    assert trivial_asserts(snippet) == [f"<snippet>:1 {problem}"]


def test_the_scan_passes_asserts_that_can_fail():
    source = "\n".join([
        "assert x == y", "assert (a, 0) == (b, 0)", "assert results.total > 0", "assert len(hits) >= 1",
        "assert score >= 0", 'assert x == 1, "why"', "assert f(x) == f(x)", "assert str(error) == 'Seite'", "assert a or b",
    ])
    assert trivial_asserts(source) == []


def test_no_test_asserts_something_trivially_true():
    found = [problem for path in sorted(TESTS.rglob("*.py"))
             for problem in trivial_asserts(path.read_text(encoding="utf-8"), str(path.relative_to(TESTS)))]
    assert found == []
