"""The analysts' pseudonymised export: what is in it (and what is not), the page, the command."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from heltid.audit.models import AccessLog, Action
from heltid.casework.models import Assessment, Health, SwedishLevel
from heltid.insights.analyst_export import COLUMNS, pseudonym
from heltid.insights.statistics import target_group_stats
from heltid.registry.models import Person
from tests.clock import suite_today
from tests.factories import PersonFactory
from tests.insights.made import made

pytestmark = pytest.mark.django_db

URL = "/statistik/analysunderlag/"
DAY = date(2026, 6, 30)


@pytest.fixture
def people(staff: Any) -> list[Person]:
    made = []
    for i in range(7):
        person = PersonFactory(unit=staff.unit, support_since=date(2026, 1, 1))
        if i < 3:
            Assessment.objects.create(
                person=person,
                assessed_on=date(2026, 2, 1),
                swedish_level=SwedishLevel.NO_LIMITATION,
                health=Health.MENTAL,
            )
        made.append(person)
    # on support from the month after (2026-07-01: the suite's earliest day)
    PersonFactory(unit=staff.unit, support_since=DAY + timedelta(days=1))
    return made


def _sheet(content: bytes) -> list[tuple[Any, ...]]:
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None
    return list(sheet.iter_rows(values_only=True))


def test_export__xlsx__one_pseudonymous_row_per_recipient(
    staff: Any, client: Client, people: list[Person]
) -> None:
    client.force_login(staff.analyst)
    response = made(client, URL, {"day": DAY.isoformat(), "format": "xlsx"})
    assert response.status_code == 200
    assert "analysunderlag-2026-06-30.xlsx" in response["Content-Disposition"]
    rows = _sheet(response.content)
    assert rows[0] == COLUMNS
    by_pseudonym = {row[0]: dict(zip(COLUMNS, row, strict=True)) for row in rows[1:]}
    assert set(by_pseudonym) == {pseudonym(p.pk) for p in people}
    first = by_pseudonym[pseudonym(people[0].pk)]
    assert first["dag"] == "2026-06-30" and first["halsa"] == Health.MENTAL
    assert first["aldersgrupp"] in {"18-24", "25-29", "30-44", "45-54", "55-67"}
    # nothing that names a person: no personnummer, name, birth date or database id
    text = repr(rows)
    for p in people:
        assert p.personnummer not in text and p.personnummer_display not in text
        assert p.last_name not in text and p.birth_date.isoformat() not in text
    assert all(str(row[0]) != str(p.pk) for row in rows[1:] for p in people)
    logged = AccessLog.objects.get(action=Action.EXPORT, user_id=staff.analyst.pk)
    assert logged.detail["rows"] == 7 and logged.detail["export"] == "analyst"
    assert logged.person_id is None


def test_export__csv__same_rows_and_the_same_pseudonyms_next_time(
    staff: Any, client: Client, people: list[Person]
) -> None:
    client.force_login(staff.analyst)
    first = made(client, URL, {"day": DAY.isoformat(), "format": "csv"})
    assert first["Content-Type"].startswith("text/csv")
    text = first.content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 7 and tuple(rows[0]) == COLUMNS
    again = client.get(URL, {"day": DAY.isoformat(), "format": "csv"})
    assert again.content == first.content  # a stable pseudonym and the stored figures


def test_pseudonym__stable__distinct__keyed(settings: Any) -> None:
    settings.HELTID_PSEUDONYM_KEY = "ett-hemligt-nyckelord-for-test"
    a, b = pseudonym(1), pseudonym(2)
    assert a == pseudonym(1) and a != b and len(a) == 16
    settings.HELTID_PSEUDONYM_KEY = "en-annan-nyckel"
    assert pseudonym(1) != a


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"day": "x", "format": "csv"}, "day"),
        ({"day": "2999-01-01", "format": "csv"}, "day"),
        ({"day": "1999-12-31", "format": "csv"}, "day"),
        ({"day": DAY.isoformat(), "format": "pdf"}, "format"),
        ({"day": DAY.isoformat()}, "format"),
    ],
)
def test_export_page__bad_input__field_error_and_nothing_exported(
    staff: Any, client: Client, query: dict[str, str], field: str
) -> None:
    client.force_login(staff.analyst)
    response = client.get(URL, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not AccessLog.objects.filter(action=Action.EXPORT).exists()


def test_export_page__permissions_and_the_form(staff: Any, client: Client) -> None:
    assert client.get(URL).status_code == 302
    for user, status in (
        (staff.officer, 403),
        (staff.case_manager, 403),
        (staff.provider, 403),
        (staff.analyst, 200),
        (staff.admin, 200),
    ):
        client.force_login(user)
        assert client.get(URL).status_code == status, user.username
    html = client.get(URL).content.decode()
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    assert f'value="{yesterday}"' in html and 'name="format"' in html


def test_analyst_export_command__writes_the_file_and_refuses_bad_input(
    tmp_path: Path, people: list[Person]
) -> None:
    out = tmp_path / "underlag.xlsx"
    call_command("analyst_export", "--on", DAY.isoformat(), "--out", str(out))
    assert len(_sheet(out.read_bytes())) == 8
    for args, message in (
        (["--on", "30/6", "--out", str(out)], "ÅÅÅÅ-MM-DD"),
        (["--on", DAY.isoformat(), "--out", str(tmp_path / "u.pdf")], ".csv eller .xlsx"),
        (["--on", DAY.isoformat(), "--out", str(tmp_path / "saknas" / "u.csv")], "finns inte"),
    ):
        with pytest.raises(CommandError) as error:
            call_command("analyst_export", *args)
        assert error.value.returncode == 2 and message in str(error.value)


def test_statistics_page__target_group_parts__a_small_part_hides_its_complement(
    staff: Any, client: Client
) -> None:
    """Nine of the target group are coded unemployed, two otherwise: "2" would follow from the
    total minus nine, so the nine is hidden too (and the shares, which reveal the total)."""
    from heltid.registry.models import ReasonCode, ReasonGroup

    other = ReasonCode.objects.exclude(group=ReasonGroup.UNEMPLOYMENT).filter(active=True)
    other_code = next(c for c in other if c.group in {"social", "ill_health", "other"})
    for i in range(11):
        person = PersonFactory(unit=staff.unit, support_since=date(2026, 1, 1))
        if i < 2:
            Person.objects.filter(pk=person.pk).update(reason_code=other_code)
    client.force_login(staff.analyst)
    response = made(client, "/statistik/")
    counts = response.context["figures"]["counts"]
    stats = target_group_stats(on=suite_today())
    assert stats.other_target == 2, "the example needs two in the other part"
    assert counts["other_target"] is None
    assert counts["unemployed_coded"] is None or counts["target_group"] is None
