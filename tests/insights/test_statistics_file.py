"""The monthly statistics file (HSLF-FS 2015:30): rows, columns, exits, the command."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from heltid.audit.models import AccessLog, Action
from heltid.casework.models import Exit, ExitReason
from heltid.insights.statistics_file import COLUMNS, MonthError, parse_month, statistics_file
from heltid.referrals.models import ReferralStatus
from heltid.registry.models import AfProgramme, SupportPeriod
from tests.catalog.factories import InterventionFactory
from tests.factories import PersonFactory
from tests.referrals.factories import ReferralFactory

MARCH = date(2025, 3, 1)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text), delimiter=";"))


def test_parse_month__good_and_bad() -> None:
    assert parse_month("2025-03") == MARCH
    for bad in ("2025-13", "2025-3", "mars", "", "2025-03-01"):
        with pytest.raises(MonthError, match="ÅÅÅÅ-MM"):
            parse_month(bad)


@pytest.mark.django_db
def test_statistics_file__month__one_row_per_person_on_support() -> None:
    on = PersonFactory(support_since=date(2025, 1, 1))
    PersonFactory(support_since=date(2025, 4, 1))  # starts after March
    ended = PersonFactory(support_since=date(2024, 1, 1))
    SupportPeriod.objects.filter(person=ended).update(last_month=date(2025, 2, 1))

    text = statistics_file(month=MARCH)

    assert text.splitlines()[0] == ";".join(COLUMNS)
    rows = _rows(text)
    assert [r["personnummer"] for r in rows] == [on.personnummer]
    assert rows[0]["manad"] == "2025-03"
    assert rows[0]["forsorjningshinder"] == "Arbetslös, ingen ersättning/stöd"
    assert rows[0]["insatser"] == "" and rows[0]["avslutsorsak"] == ""


@pytest.mark.django_db
def test_statistics_file__interventions_programme_and_exit__in_their_columns() -> None:
    person = PersonFactory(
        support_since=date(2025, 1, 1),
        af_programme=AfProgramme.JOB,
        af_programme_since=date(2025, 2, 10),
    )
    held = InterventionFactory(code="arbetstraning")
    ReferralFactory(
        person=person,
        intervention=held,
        status=ReferralStatus.STARTED,
        slot=1,
        place_from=datetime(2025, 2, 20, 9, tzinfo=UTC),
    )
    ReferralFactory(  # ended before March: not that month's intervention
        person=person,
        intervention=InterventionFactory(code="cv-kurs"),
        status=ReferralStatus.COMPLETED,
        place_from=datetime(2025, 1, 5, 9, tzinfo=UTC),
        ended_at=datetime(2025, 2, 1, 9, tzinfo=UTC),
    )
    ReferralFactory(person=person, intervention=InterventionFactory(code="sfi-praktik"))  # sent
    Exit.objects.create(person=person, exit_on=date(2025, 3, 28), reason=ExitReason.WORK_REGULAR)

    (row,) = _rows(statistics_file(month=MARCH))

    assert row["insatser"] == "arbetstraning"
    assert row["af_program"] == "JOB"
    assert row["avslutsorsak"] == "work_regular"
    assert _rows(statistics_file(month=date(2025, 2, 1)))[0]["avslutsorsak"] == ""


@pytest.mark.django_db
def test_statistics_file__export__logged_per_person() -> None:
    person = PersonFactory(support_since=date(2025, 1, 1))
    statistics_file(month=MARCH)
    assert AccessLog.objects.filter(person_id=person.pk, action=Action.EXPORT).count() == 1


@pytest.mark.django_db
def test_statistics_file_command__out__writes_utf8_file(tmp_path: Path) -> None:
    PersonFactory(support_since=date(2025, 1, 1))
    out = tmp_path / "statistik.csv"
    call_command("statistics_file", "--month", "2025-03", "--out", str(out))
    text = out.read_text(encoding="utf-8")
    assert text.startswith("personnummer;manad;")
    assert "Arbetslös" in text


@pytest.mark.django_db
def test_statistics_file_command__bad_month__error_code_2_in_swedish() -> None:
    with pytest.raises(CommandError, match="Ogiltig månad") as error:
        call_command("statistics_file", "--month", "2025-13")
    assert error.value.returncode == 2


def test_heltid_statistics_file__bad_month__exits_2() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "heltid", "statistics-file", "--month", "juni"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Ogiltig månad" in result.stderr


@pytest.mark.django_db
def test_statistics_file__past_month__later_changes_do_not_rewrite_it() -> None:
    from heltid.registry.models import ReasonCode

    person = PersonFactory(
        support_since=date(2025, 1, 1),
        af_programme=AfProgramme.JOB,
        af_programme_since=date(2025, 2, 10),
    )
    first = statistics_file(month=MARCH)
    assert _rows(first)[0]["af_program"] == AfProgramme.JOB
    # in May the person leaves the programme and gets another reason code; an exit for March
    # is registered late
    other = ReasonCode.objects.exclude(pk=person.reason_code_id).filter(active=True).first()
    assert other is not None
    type(person).objects.filter(pk=person.pk).update(
        af_programme=AfProgramme.NONE, af_programme_since=None, reason_code=other
    )
    Exit.objects.create(person=person, exit_on=date(2025, 3, 30), reason=ExitReason.STUDIES)

    assert statistics_file(month=MARCH) == first
    # a month not yet asked for gets the person as registered now
    april = _rows(statistics_file(month=date(2025, 4, 1)))[0]
    assert april["af_program"] == "" and april["forsorjningshinder"] == other.label
