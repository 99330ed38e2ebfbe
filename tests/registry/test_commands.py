"""The JSON contracts of `heltid explain` and `heltid riksnorm`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from heltid.audit.models import AccessLog
from tests.factories import PersonFactory


def _json(capsys: Any, *args: str) -> Any:
    call_command(*args)
    return json.loads(capsys.readouterr().out)


def test_explain__json_contract(staff: Any, capsys: Any) -> None:
    person = PersonFactory(unit=staff.unit, support_since=date(2026, 1, 1))
    out = _json(capsys, "explain", person.personnummer, "--on", "2026-11-23", "--json")
    assert set(out) >= {"covered", "covered_from", "weekly_hours", "priority", "reasons"}
    assert out["covered"] is True
    # three months reached in April; the law is first applied to support for October 2026
    assert out["covered_from"] == "2026-10-01"
    assert out["weekly_hours"] == 40
    assert all(set(r) == {"rule", "basis", "text", "source"} for r in out["reasons"])
    assert AccessLog.objects.filter(person=person, action="view", page="cli:explain").exists()


def test_explain__recent_recipient__not_yet_covered(staff: Any, capsys: Any) -> None:
    person = PersonFactory(unit=staff.unit, support_since=date(2026, 10, 1))
    out = _json(capsys, "explain", person.personnummer, "--on", "2026-11-23", "--json")
    assert out["covered"] is False
    assert out["covered_from"] == "2027-01-01"


def test_explain__unknown_person__clear_error(db: None) -> None:
    with pytest.raises(CommandError, match="Ingen person"):
        call_command("explain", "198112289874", "--json")


@pytest.mark.parametrize(
    ("args", "total"),
    [
        (["--adults", "1"], 3940 + 1280),
        (["--adults", "2"], 7100 + 1410),
        (["--adults", "1", "--child-lunch", "3"], 3940 + 2500 + 1410),
        (
            ["--adults", "2", "--child", "4", "--child", "8", "--child", "12"],
            7100 + 3060 + 3820 + 4390 + 2330,
        ),
    ],
    ids=["single", "couple", "single-parent-preschool", "couple-three-children"],
)
def test_riksnorm__json_contract(capsys: Any, args: list[str], total: int) -> None:
    out = _json(capsys, "riksnorm", "--year", "2026", *args, "--json")
    assert out["total"] == total
    assert sum(line["amount"] for line in out["lines"]) == total


def test_riksnorm__bad_input__swedish_error() -> None:
    with pytest.raises(CommandError):
        call_command("riksnorm", "--year", "1999", "--adults", "1", "--json")
