"""heltid demo and heltid demo_logins."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heltid.accounts.models import User
from heltid.audit.models import AccessLog
from heltid.casework.models import Worklist
from heltid.demo.staff import DEMO_PASSWORD
from heltid.registry.models import Household, Person
from tests.clock import suite_today

DAY = suite_today().isoformat()


def _run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_demo_builds_and_prints_a_summary() -> None:
    output = _run("demo", "--seed", "2", "--recipients", "120", "--on", DAY)
    assert Person.objects.filter(exits__isnull=True).count() == 120  # not the formers
    assert f"Demokommun skapad (frö 2, per {DAY})" in output
    assert "Målgrupp: 54 (kodade arbetslösa 30, övriga 24)" in output
    assert "Klart på" in output
    # every person's stored worklist computed, as the nightly refresh leaves it (decision 0023)
    assert Worklist.objects.filter(computed_on=suite_today()).count() == Person.objects.count()


def test_if_empty_leaves_an_existing_database_unchanged(person: Person) -> None:
    before = (
        Person.objects.count(),
        Household.objects.count(),
        User.objects.count(),
        AccessLog.objects.count(),
    )
    output = _run("demo", "--if-empty", "--recipients", "50")
    after = (
        Person.objects.count(),
        Household.objects.count(),
        User.objects.count(),
        AccessLog.objects.count(),
    )
    assert after == before
    assert "redan 1 personer" in output
    assert not User.objects.filter(username="handlaggare.nord").exists()


def test_demo_refuses_a_database_with_persons(person: Person) -> None:
    with pytest.raises(CommandError, match="Demokommunen skapas bara i en tom databas"):
        _run("demo", "--recipients", "50")
    assert Person.objects.count() == 1


@pytest.mark.django_db
def test_if_empty_builds_in_an_empty_database() -> None:
    _run("demo", "--if-empty", "--recipients", "40", "--on", DAY)
    assert Person.objects.filter(exits__isnull=True).count() == 40  # not the formers


@pytest.mark.django_db
@pytest.mark.parametrize("recipients", ["0", "100000"])
def test_demo_refuses_impossible_sizes(recipients: str) -> None:
    with pytest.raises(CommandError, match="Antalet mottagare"):
        _run("demo", "--recipients", recipients)


@pytest.mark.django_db
def test_demo_logins_print_one_line_per_role() -> None:
    assert "inga demoinloggningar" in _run("demo_logins").lower()
    _run("demo", "--recipients", "40", "--on", DAY)
    lines = _run("demo_logins").splitlines()
    labels = [
        "Handläggare ekonomiskt bistånd",
        "Case manager",
        "Utförare",
        "Analytiker",
        "Systemförvaltare",
    ]
    assert len(lines) == len(labels)
    for line, label in zip(lines, labels, strict=True):
        assert line.startswith(label)
        assert DEMO_PASSWORD in line
    assert "handlaggare.nord" in lines[0] and "Ekonomiskt bistånd Nord" in lines[0]
    assert "admin" in lines[-1]


@pytest.mark.django_db
def test_demo_logins_skip_demo_users_that_do_not_exist() -> None:
    _run("demo", "--recipients", "40", "--on", DAY)
    User.objects.filter(username="analytiker").delete()
    output = _run("demo_logins")
    assert "analytiker" not in output
    assert len(output.splitlines()) == 4
