"""Assessments (kartläggning): versioned, field-level errors that change nothing, permissions,
the person page's panel, and the 404 that is logged for a person outside the caseload/unit."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heltid.accounts.models import Role
from heltid.audit.models import AccessLog, Action
from heltid.casework.models import Assessment
from heltid.casework.services.assessment import assessment_record
from heltid.registry.models import Person
from tests.catalog.factories import default_step
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory

TODAY = suite_today()

FULL = {
    "assessed_on": TODAY,
    "swedish_level": "moderate",
    "health": "mental",
    "work_experience_years": 4,
    "work_experience": "Lagerarbete i Norrköping",
    "education": "compulsory",
    "activity_capacity_hours": Decimal("20.5"),
    "housing": "sublet",
    "family_situation": "Ensamstående med två barn",
    "childcare": "partly",
    "labour_market_distance": 3,
    "requested_step": None,
    "cv_experience": "Truckförare 2019–2022",
    "cv_skills": "Truckkort A+B",
    "cv_languages": "Arabiska, svenska",
    "driving_licence": True,
    "note": "Vill börja snabbt",
}


def _post_data(**changes: Any) -> dict[str, Any]:
    data = {**FULL, "assessed_on": timezone.localdate().isoformat(), **changes}
    if data.get("driving_licence") is False:
        del data["driving_licence"]
    return {k: "" if v is None else v for k, v in data.items()}


def _own(staff: Any, person: Any) -> Any:
    Person.objects.filter(pk=person.pk).update(case_manager=staff.case_manager)
    person.refresh_from_db()
    return person


# --- The service ------------------------------------------------------------------------------


def test_assessment_record__every_call_a_new_version__earlier_unchanged(
    staff: Any, person: Any
) -> None:
    step = default_step()
    first = assessment_record(
        person=person,
        data={**FULL, "assessed_on": TODAY - timedelta(days=30)},
        acting_user=staff.case_manager,
        page="/p/",
        today=TODAY,
    )
    second = assessment_record(
        person=person,
        data={**FULL, "swedish_level": "none", "requested_step": step},
        acting_user=staff.case_manager,
        today=TODAY,
    )

    assert first.pk != second.pk
    first.refresh_from_db()
    assert (first.swedish_level, first.requested_step_id) == ("moderate", None)
    assert (second.swedish_level, second.requested_step_id, second.assessed_by_id) == (
        "none",
        step.pk,
        staff.case_manager.pk,
    )
    assert list(person.assessments.all()) == [second, first]  # the latest first
    created = AccessLog.objects.filter(action="create", person_id=person.pk).order_by("pk")
    assert [e.detail["assessment"] for e in created] == [first.pk, second.pk]


@pytest.mark.parametrize(
    "change",
    [
        {"assessed_on": TODAY + timedelta(days=1)},
        {"activity_capacity_hours": Decimal(41)},
        {"labour_market_distance": 6},
        {"swedish_level": "fluent"},
        {"colour": "blue"},
    ],
)
def test_assessment_record__bad_data__nothing_saved(
    staff: Any, person: Any, change: dict[str, Any]
) -> None:
    with pytest.raises(ValidationError):
        assessment_record(
            person=person, data={**FULL, **change}, acting_user=staff.case_manager, today=TODAY
        )
    assert not Assessment.objects.exists()
    assert not AccessLog.objects.filter(action="create").exists()


# --- The pages --------------------------------------------------------------------------------


def test_assessment_new__first_then_new_version_starting_from_the_latest(
    staff: Any, person: Any, client: Client
) -> None:
    _own(staff, person)
    client.force_login(staff.case_manager)
    url = f"/personer/{person.pk}/kartlaggning/ny/"
    assert client.get(url).status_code == 200

    response = client.post(url, _post_data())
    assert response.status_code == 302
    assert response["Location"] == f"/personer/{person.pk}/kartlaggning/"
    first = Assessment.objects.get()
    assert (first.cv_skills, first.activity_capacity_hours, first.driving_licence) == (
        "Truckkort A+B",
        Decimal("20.5"),
        True,
    )

    form = client.get(url).content.decode()
    assert "Truckkort A+B" in form  # starts from the latest version
    assert re.search(r'<option value="moderate" selected>', form)

    client.post(url, _post_data(swedish_level="none", driving_licence=False))
    assert Assessment.objects.count() == 2
    latest = Assessment.objects.order_by("-pk").first()
    assert latest is not None and (latest.swedish_level, latest.driving_licence) == ("none", False)
    first.refresh_from_db()
    assert (first.swedish_level, first.driving_licence) == ("moderate", True)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"swedish_level": ""}, "swedish_level"),
        ({"health": "bad"}, "health"),
        ({"activity_capacity_hours": "50"}, "activity_capacity_hours"),
        ({"activity_capacity_hours": "tjugo"}, "activity_capacity_hours"),
        ({"work_experience_years": "-1"}, "work_experience_years"),
        ({"work_experience_years": "99"}, "work_experience_years"),
        ({"labour_market_distance": "9"}, "labour_market_distance"),
        ({"assessed_on": "2999-01-01"}, "assessed_on"),
        ({"assessed_on": "igår"}, "assessed_on"),
        ({"requested_step": "999999"}, "requested_step"),
        ({"cv_languages": "x" * 201}, "cv_languages"),
    ],
)
def test_assessment_new__bad_input__field_error_and_nothing_changes(
    staff: Any, person: Any, client: Client, change: dict[str, str], field: str
) -> None:
    _own(staff, person)
    client.force_login(staff.case_manager)
    before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = client.post(f"/personer/{person.pk}/kartlaggning/ny/", _post_data(**change))

    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Assessment.objects.exists()
    # the form shown again shows the person: one "view" entry, nothing changed (issue 12)
    added = list(AccessLog.objects.filter(pk__gt=before).values_list("action", "person_id"))
    assert added == [("view", person.pk)]


def test_assessment_list__versions_newest_first_with_who_when_and_what_changed(
    staff: Any, person: Any, client: Client
) -> None:
    _own(staff, person)
    staff.case_manager.first_name, staff.case_manager.last_name = "Carin", "Case"
    staff.case_manager.save()
    assessment_record(
        person=person,
        data={**FULL, "assessed_on": TODAY - timedelta(days=40)},
        acting_user=staff.case_manager,
        today=TODAY,
    )
    assessment_record(
        person=person,
        data={**FULL, "cv_skills": "Truckkort A+B, kassa", "assessed_on": TODAY},
        acting_user=staff.case_manager,
        today=TODAY,
    )
    client.force_login(staff.case_manager)

    response = client.get(f"/personer/{person.pk}/kartlaggning/")

    body = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'data-version="(\d+)"', body) == ["2", "1"]
    newest = body.split('data-version="2"')[1].split('data-version="1"')[0]
    changed = re.findall(r'<tr><th scope="row">([^<]+)</th>', newest)
    assert len(changed) == 2  # the date and the skills, nothing else
    assert "Truckkort A+B, kassa" in newest and "Carin Case" in newest
    assert (TODAY - timedelta(days=40)).isoformat() in newest  # the date before
    log = AccessLog.objects.filter(action="view").latest("pk")
    assert log.person_id == person.pk and len(log.detail["assessments"]) == 2


def test_assessment_pages__benefit_officer_may_read_not_write(
    staff: Any, person: Any, client: Client
) -> None:
    client.force_login(staff.officer)
    assert client.get(f"/personer/{person.pk}/kartlaggning/").status_code == 200
    assert client.get(f"/personer/{person.pk}/kartlaggning/ny/").status_code == 403
    assert client.post(f"/personer/{person.pk}/kartlaggning/ny/", _post_data()).status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["provider", "analyst", "admin"])
def test_assessment_pages__roles_without_casework__403(
    staff: Any, person: Any, client: Client, who: str
) -> None:
    client.force_login(getattr(staff, who))
    assert client.get(f"/personer/{person.pk}/kartlaggning/").status_code == 403


def test_team_lead__may_assess_anyone_of_the_unit(staff: Any, person: Any, client: Client) -> None:
    lead = UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )
    client.force_login(lead)
    response = client.post(f"/personer/{person.pk}/kartlaggning/ny/", _post_data())
    assert response.status_code == 302
    assert Assessment.objects.get().assessed_by_id == lead.pk


# --- Outside the caseload or unit: 404, and the attempt is logged ----------------------------


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("case_manager", "/personer/{pk}/"),
        ("case_manager", "/personer/{pk}/kartlaggning/"),
        ("case_manager", "/personer/{pk}/kartlaggning/ny/"),
        ("outsider", "/personer/{pk}/"),
        ("outsider", "/personer/{pk}/kartlaggning/"),
        # (benefit officers may not write assessments anywhere: 403 before the person)
    ],
)
def test_person_outside_caseload_or_unit__404_and_the_attempt_logged(
    staff: Any, person: Any, client: Client, path: str, who: str
) -> None:
    user = getattr(staff, who)
    client.force_login(user)
    url = path.format(pk=person.pk)

    response = client.get(url)
    posted = client.post(url, _post_data()) if url.endswith("/ny/") else None

    assert response.status_code == 404
    assert "Anna" not in response.content.decode()
    denied = AccessLog.objects.filter(action=Action.DENIED).order_by("pk")
    assert {(e.user_id, e.person_id, e.page) for e in denied} == {(user.pk, person.pk, url)}
    assert not AccessLog.objects.filter(action__in=["view", "create"]).exists()
    if posted is not None:
        assert posted.status_code == 404 and denied.count() == 2
        assert not Assessment.objects.exists()


def test_person_that_does_not_exist__404_logged_without_a_person(
    staff: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    assert client.get("/personer/987654/kartlaggning/").status_code == 404
    entry = AccessLog.objects.get(action=Action.DENIED)
    assert (entry.person_id, entry.detail) == (
        None,
        {"person_id": 987654, "reason": "missing"},
    )


def test_person_in_caseload__opens(staff: Any, person: Any, client: Client) -> None:
    _own(staff, person)
    client.force_login(staff.case_manager)
    assert client.get(f"/personer/{person.pk}/").status_code == 200
    assert client.get(f"/personer/{person.pk}/kartlaggning/").status_code == 200
    assert not AccessLog.objects.filter(action=Action.DENIED).exists()


# --- The person page's panel ------------------------------------------------------------------


def test_assessment_panel__latest_in_short_case_manager_and_links(
    staff: Any, person: Any, client: Client
) -> None:
    _own(staff, person)
    staff.case_manager.first_name, staff.case_manager.last_name = "Carin", "Case"
    staff.case_manager.save()
    client.force_login(staff.case_manager)
    empty = client.get(f"/personer/{person.pk}/").content.decode()
    assert f'href="/personer/{person.pk}/kartlaggning/ny/"' in empty
    assert 'action="/arende/omfordela/"' not in empty  # an ordinary case manager does not assign

    assessment_record(person=person, data={**FULL}, acting_user=staff.case_manager, today=TODAY)
    body = client.get(f"/personer/{person.pk}/").content.decode()
    panel = body.split('id="assessment-h"')[1].split("</section>")[0]
    assert TODAY.isoformat() in panel and "Carin Case" in panel
    assert f'href="/personer/{person.pk}/kartlaggning/"' in panel
    assert "20,5" in panel  # Swedish decimals


def test_person_page__query_count_does_not_grow_with_assessments(
    staff: Any, client: Client
) -> None:
    few = _own(staff, PersonFactory(unit=staff.unit))
    many = _own(staff, PersonFactory(unit=staff.unit))
    assessment_record(person=few, data={**FULL}, acting_user=staff.case_manager, today=TODAY)
    for days in range(12):
        assessment_record(
            person=many,
            data={**FULL, "assessed_on": TODAY - timedelta(days=days)},
            acting_user=staff.case_manager,
            today=TODAY,
        )
    for user in (staff.case_manager, staff.officer):
        client.force_login(user)
        for pk in (few.pk, many.pk):  # warm up: the stored worklist rows made (decision 0023)
            client.get(f"/personer/{pk}/")
        with CaptureQueriesContext(connection) as first:
            assert client.get(f"/personer/{few.pk}/").status_code == 200
        with CaptureQueriesContext(connection) as second:
            assert client.get(f"/personer/{many.pk}/").status_code == 200
        assert len(second) == len(first), user.username


@pytest.mark.parametrize("path", ["/personer/{pk}/", "/personer/{pk}/kartlaggning/ny/"])
def test_person_id_beyond_the_database__404_logged(staff: Any, client: Client, path: str) -> None:
    client.force_login(staff.case_manager)
    huge = 10**20
    assert client.get(path.format(pk=huge)).status_code == 404
    entry = AccessLog.objects.get(action=Action.DENIED)
    assert (entry.person_id, entry.detail["reason"]) == (None, "missing")
