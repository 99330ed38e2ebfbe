"""Scope every write (issue 12, decision record 0020): an import or a form of one unit creates
persons in the user's units and changes only persons and households the user may change. The
attacks found with a staff account are tests here: each failed before the fix."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from heltid.audit.models import AccessLog, Action
from heltid.audit.selectors import persons_named
from heltid.demo.recipient_files import recipient_rows
from heltid.demo.testpersonnummer import adults_aged
from heltid.registry.household import household_riksnorm
from heltid.registry.imports import import_recipients
from heltid.registry.imports.apply import OUT_OF_SCOPE, PROTECTED_OFF
from heltid.registry.imports.rows import COLUMNS
from heltid.registry.models import Child, Household, Person
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory, add_child

TODAY = suite_today()
NUMBERS = adults_aged(TODAY, low=30, high=50)


def row(number: str, unit: str = "ekb-nord", **changes: str) -> dict[str, str]:
    base = recipient_rows([number], seed=5, units=(unit,), on=TODAY)[0]
    base.update(enhet=unit)
    return {**base, **changes}


def csv_of(rows: Sequence[dict[str, str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(COLUMNS), delimiter=";", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def post_import(client: Client, rows: Sequence[dict[str, str]], *, dry_run: bool = False) -> Any:
    upload = SimpleUploadedFile("mottagare.csv", csv_of(rows), content_type="text/csv")
    data: dict[str, Any] = {"file": upload}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post("/personer/import/", data)
    assert response.status_code == 200
    return response.context["report"]


@pytest.fixture
def syd(staff: Any) -> tuple[Person, Person]:
    """Two persons of the other unit, one with protected identity, in a household with a
    child."""
    first = PersonFactory(unit=staff.other_unit, personnummer=NUMBERS[0], protected_identity=True)
    second = PersonFactory(unit=staff.other_unit, personnummer=NUMBERS[1])
    add_child(first.household, date(TODAY.year - 6, 3, 1))
    return first, second


def snapshot(people: Sequence[Person]) -> list[tuple[Any, ...]]:
    return [
        Person.objects.filter(pk=p.pk)
        .values_list("unit_id", "protected_identity", "first_name", "household_id", "updated_at")
        .get()
        for p in people
    ]


@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry_run"])
@pytest.mark.django_db
def test_attack_1__import_naming_another_units_persons__refused_logged_nothing_moves(
    staff: Any, syd: tuple[Person, Person], client: Client, dry_run: bool
) -> None:
    before = snapshot(syd)
    client.force_login(staff.officer)
    report = post_import(
        client,
        [row(NUMBERS[0], skyddad_identitet="nej"), row(NUMBERS[1])],
        dry_run=dry_run,
    )
    assert not report.valid
    assert [(e.row, e.column, e.message) for e in report.errors] == [
        (2, "enhet", OUT_OF_SCOPE),
        (3, "enhet", OUT_OF_SCOPE),
    ]
    assert (report.created, report.updated) == (0, 0)  # the dry run says nothing of them
    assert snapshot(syd) == before
    denied = persons_named(AccessLog.objects.filter(user=staff.officer), action=Action.DENIED)
    assert sorted(n.person_id for n in denied) == sorted(p.pk for p in syd)
    assert not {n.person_id for n in persons_named(action=Action.CHANGE)} & {p.pk for p in syd}


@pytest.mark.django_db
def test_attack_1__the_message_is_the_same_as_for_a_unit_the_user_may_not_import_into(
    staff: Any, syd: tuple[Person, Person]
) -> None:
    """It says neither where the person is nor whether the number exists in that unit."""
    unknown = NUMBERS[5]
    report = import_recipients(
        data=csv_of([row(NUMBERS[1]), row(unknown, unit="ekb-syd")]),
        filename="m.csv",
        acting_user=staff.officer,
        today=TODAY,
    )
    messages = {e.message for e in report.errors}
    assert messages == {OUT_OF_SCOPE}
    assert "Syd" not in OUT_OF_SCOPE
    assert not Person.objects.filter(personnummer=unknown).exists()


@pytest.mark.parametrize(
    ("granted", "expected_protected"),
    [(False, True), (True, False)],
    ids=["without_permission", "with_permission"],
)
@pytest.mark.django_db
def test_protected_identity_off__needs_the_permission_and_is_logged_as_such(
    staff: Any, granted: bool, expected_protected: bool
) -> None:
    own = PersonFactory(unit=staff.unit, personnummer=NUMBERS[2], protected_identity=True)
    officer = UserFactory(
        role=staff.officer.role, unit=staff.unit, protected_identity_access=granted
    )
    report = import_recipients(
        data=csv_of([row(NUMBERS[2], skyddad_identitet="nej")]),
        filename="m.csv",
        acting_user=officer,
        today=TODAY,
    )
    own.refresh_from_db()
    assert own.protected_identity is expected_protected
    changes = persons_named(person=own, action=Action.CHANGE)
    if granted:
        assert report.imported
        assert [c.detail["protected_identity_removed"] for c in changes] == [True]
    else:
        assert [(e.column, e.message) for e in report.errors] == [
            ("skyddad_identitet", PROTECTED_OFF)
        ]
        assert not changes
        assert persons_named(person=own, action=Action.DENIED)


@pytest.mark.django_db
def test_protected_identity_on__any_officer_of_the_unit_may_turn_it_on(staff: Any) -> None:
    own = PersonFactory(unit=staff.unit, personnummer=NUMBERS[3], protected_identity=False)
    report = import_recipients(
        data=csv_of([row(NUMBERS[3], skyddad_identitet="ja")]),
        filename="m.csv",
        acting_user=staff.officer,
        today=TODAY,
    )
    assert report.imported
    own.refresh_from_db()
    assert own.protected_identity is True


@pytest.mark.django_db
def test_attack_2__a_new_person_naming_another_units_household__never_touches_it(
    staff: Any, syd: tuple[Person, Person], client: Client
) -> None:
    target = syd[0].household
    children = list(target.children.values_list("birth_date", flat=True))
    riksnorm = household_riksnorm(syd[0], on=TODAY)
    client.force_login(staff.officer)
    report = post_import(
        client,
        [row(NUMBERS[4], hushall=target.reference, sambo="ja", barn_fodda="2020-01-01")],
    )
    assert report.imported, report.as_json()
    target.refresh_from_db()
    assert target.cohabiting is False
    assert list(target.children.values_list("birth_date", flat=True)) == children
    assert household_riksnorm(Person.objects.get(pk=syd[0].pk), on=TODAY) == riksnorm
    newcomer = Person.objects.get(personnummer=NUMBERS[4])
    assert newcomer.household_id != target.pk
    assert newcomer.household.unit_id == staff.unit.pk  # type: ignore[attr-defined]
    assert newcomer.household.reference == target.reference  # the same words, another unit's


@pytest.mark.django_db
def test_attack_2__joining_another_units_household_by_hand__shows_nothing_of_it(
    staff: Any, syd: tuple[Person, Person], client: Client
) -> None:
    target = syd[0].household
    client.force_login(staff.officer)
    response = client.post(
        "/personer/ny/",
        {
            "personnummer": NUMBERS[6],
            "first_name": "Nina",
            "last_name": "Nyberg",
            "unit": staff.unit.pk,
            "household_reference": target.reference,
            "support_since": f"{TODAY.year - 1}-01",
            "reason_code": Person.objects.get(pk=syd[0].pk).reason_code_id,
            "af_programme": "none",
            "part_time_hours": "0",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    newcomer = Person.objects.get(personnummer=NUMBERS[6])
    assert newcomer.household_id != target.pk
    page = client.get(f"/personer/{newcomer.pk}/").content.decode()
    born = Child.objects.get(household=target).birth_date.isoformat()
    assert born not in page
    assert Household.objects.filter(reference=target.reference).count() == 2


@pytest.mark.django_db
def test_register_by_hand__a_new_household_gets_an_opaque_reference(
    staff: Any, client: Client
) -> None:
    from heltid.registry.services import new_household_reference

    references = {new_household_reference() for _ in range(50)}
    assert len(references) == 50
    assert all(len(r) == 14 and r.startswith("H-") for r in references)


@pytest.mark.django_db
def test_the_command_line_imports_for_the_whole_municipality(
    staff: Any, syd: tuple[Person, Person]
) -> None:
    report = import_recipients(
        data=csv_of([row(NUMBERS[1], unit="ekb-nord")]),
        filename="m.csv",
        acting_user=None,
        today=TODAY,
    )
    assert report.imported
    assert Person.objects.get(pk=syd[1].pk).unit_id == staff.unit.pk  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_an_administrator_may_move_a_person_between_units(
    staff: Any, syd: tuple[Person, Person]
) -> None:
    report = import_recipients(
        data=csv_of([row(NUMBERS[1], unit="ekb-nord")]),
        filename="m.csv",
        acting_user=staff.admin,
        today=TODAY,
    )
    assert report.imported
    moved = Person.objects.get(pk=syd[1].pk)
    assert moved.unit_id == staff.unit.pk  # type: ignore[attr-defined]
    assert moved.household.unit_id == staff.unit.pk  # type: ignore[attr-defined]
