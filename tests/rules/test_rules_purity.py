"""heltid.rules stays pure: no Django, standard library only."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "src" / "heltid" / "rules"
MODULES = sorted(RULES.rglob("*.py"))


def _absolute_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


def test_purity__modules_found() -> None:
    assert len(MODULES) >= 10


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(RULES)))
def test_purity__no_django_import(path: Path) -> None:
    imports = _absolute_imports(path)
    assert not [name for name in imports if name.split(".")[0] == "django"]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(RULES)))
def test_purity__standard_library_only(path: Path) -> None:
    imports = _absolute_imports(path)
    outside = [name for name in imports if name.split(".")[0] not in sys.stdlib_module_names]
    assert outside == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(RULES)))
def test_purity__future_annotations_first(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    body = [node for node in tree.body if not isinstance(node, ast.Expr)]
    first = body[0]
    assert isinstance(first, ast.ImportFrom)
    assert first.module == "__future__"
