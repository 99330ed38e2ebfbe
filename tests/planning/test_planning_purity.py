"""heltid.planning stays pure (ARCHITECTURE.md): no Django — the pages and the estimation from
the database live in heltid.insights."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.test_rules_purity import _absolute_imports

PLANNING = Path(__file__).resolve().parents[2] / "src" / "heltid" / "planning"
MODULES = sorted(PLANNING.rglob("*.py"))


def test_purity__modules_found() -> None:
    assert {p.name for p in MODULES} >= {"scenario.py", "wages.py", "allocation.py"}


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PLANNING)))
def test_purity__no_django_and_no_other_heltid_app(path: Path) -> None:
    imports = _absolute_imports(path)
    assert not [name for name in imports if name.split(".")[0] == "django"]
    allowed = ("heltid.planning", "heltid.rules")
    assert not [n for n in imports if n.startswith("heltid.") and not n.startswith(allowed)]
