"""The rules import-linter cannot say alone: `profiling` imports nothing but the standard
library (not just "none of the packages we happen to depend on"), and every package's
`__init__.py` says what lives there."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "profiling", "storage")


def _imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_profiling_imports_only_the_standard_library() -> None:
    allowed = set(sys.stdlib_module_names) | {"profiling", "__future__"}
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imported_roots(path) - allowed)
        for path in (ROOT / "profiling").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_every_package_says_what_lives_there() -> None:
    silent = [
        str(init.relative_to(ROOT))
        for package in PACKAGES
        for init in (ROOT / package).rglob("__init__.py")
        if "migrations" not in init.parts and not ast.get_docstring(ast.parse(init.read_text()))
    ]
    assert silent == []
