"""The suite's own shape: helpers live in importable modules, conftest files hold fixtures only."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def is_fixture(node: ast.FunctionDef) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        if isinstance(target, ast.Attribute) and target.attr == "fixture":
            return True
    return False


def test_no_module_imports_from_a_conftest() -> None:
    importing = [
        f"{path.relative_to(TESTS)}:{node.lineno}"
        for path in TESTS.rglob("*.py")
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.ImportFrom) and (node.module or "").endswith("conftest")
    ]
    assert importing == []


def test_conftest_files_define_fixtures_and_nothing_else() -> None:
    conftests = sorted(TESTS.rglob("conftest.py"))
    assert len(conftests) >= 5  # the root one and the areas' (assistant, films, rentals, security)
    others = [
        f"{path.relative_to(TESTS)}:{node.lineno} {node.name}"
        for path in conftests
        for node in ast.parse(path.read_text()).body
        if isinstance(node, ast.FunctionDef | ast.ClassDef)
        and not (isinstance(node, ast.FunctionDef) and is_fixture(node))
    ]
    assert others == []
