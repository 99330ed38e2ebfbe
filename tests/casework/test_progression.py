"""Step changes and exits: dated, with a reason, logged; exit follow-ups due 3, 6 and 12 months
after the exit; pages scoped, bad input changing nothing."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from heltid.audit.models import AccessLog
from heltid.casework.models import Exit, ExitFollowUp, StepChange
from heltid.casework.services.progression import (
    exit_follow_up_record,
    exit_record,
    step_change_record,
)
from heltid.catalog.models import Step
from tests.catalog.factories import default_step
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory

TODAY = suite_today()
STEP_ON = TODAY - timedelta(days=80)  # the day of the step change the tests record
# The exit the tests record: on the last 31 August, so that the follow-ups fall on month ends
# (30 November, the end of February) as well as on the same day (31 August a year later).
EXIT_ON = date(TODAY.year if (TODAY.month, TODAY.day) >= (8, 31) else TODAY.year - 1, 8, 31)


@pytest.fixture
def client_person(staff: Any, person: Any) -> Any:
    person.case_manager = staff.case_manager
    person.save()
    return person


def _step(staff: Any, person: Any, **overrides: Any) -> StepChange:
    values: dict[str, Any] = {
        "person": person,
        "step": default_step("sysselsattning"),
        "changed_on": STEP_ON,
        "reason": "Klarar rutiner och vill vidare.",
        "acting_user": staff.case_manager,
        "page": "/test/",
        "today": TODAY,
    }
    values.update(overrides)
    return step_change_record(**values)


def _exit(staff: Any, person: Any, **overrides: Any) -> Exit:
    values: dict[str, Any] = {
        "person": person,
        "exit_on": EXIT_ON,
        "reason": "work_regular",
        "note": "Tillsvidareanställning på lager.",
        "follow_up_months": [3, 6, 12],
        "acting_user": staff.case_manager,
        "page": "/test/",
        "today": TODAY,
    }
    values.update(overrides)
    return exit_record(**values)


# --- Step changes --------------------------------------------------------------------------------


def test_step_change_record__saved_and_logged(staff: Any, person: Any) -> None:
    change = _step(staff, person)
    change.refresh_from_db()
    assert (change.step.code, change.changed_on, change.created_by) == (
        "sysselsattning",
        STEP_ON,
        staff.case_manager,
    )
    entry = AccessLog.objects.get(person_id=person.pk, action="create")
    assert entry.detail["step_change"] == change.pk and entry.page == "/test/"


def test_step_change_record__future_date__refused(staff: Any, person: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _step(staff, person, changed_on=TODAY + timedelta(days=1))
    assert list(excinfo.value.message_dict) == ["changed_on"]
    assert not StepChange.objects.exists()


def test_step_change_record__same_step_as_on_that_day__refused(staff: Any, person: Any) -> None:
    _step(staff, person)
    a_month_on, two_months_on = STEP_ON + timedelta(days=30), STEP_ON + timedelta(days=61)
    with pytest.raises(ValidationError) as excinfo:
        _step(staff, person, changed_on=a_month_on)
    assert list(excinfo.value.message_dict) == ["step"]
    # moving up, then back, is two changes
    _step(staff, person, step=default_step(), changed_on=a_month_on)
    _step(staff, person, changed_on=two_months_on)
    assert StepChange.objects.filter(person=person).count() == 3


def test_step_change_record__retired_step_or_no_reason__refused(staff: Any, person: Any) -> None:
    retired = Step.objects.create(code="gammalt", name="Gammalt steg", position=9, active=False)
    with pytest.raises(ValidationError) as excinfo:
        _step(staff, person, step=retired, reason=" ")
    assert sorted(excinfo.value.message_dict) == ["reason", "step"]
    assert not AccessLog.objects.filter(action="create").exists()


# --- Exits and the follow-ups after them ---------------------------------------------------------


def test_exit_record__follow_ups_due_3_6_and_12_months_after(staff: Any, person: Any) -> None:
    exit_ = _exit(staff, person)
    year = EXIT_ON.year
    assert list(exit_.follow_ups.values_list("months", "due_on", "done_on")) == [
        (3, date(year, 11, 30), None),  # the month's end when the day does not exist
        (6, date(year + 1, 3, 1) - timedelta(days=1), None),  # 28 or 29 February
        (12, date(year + 1, 8, 31), None),
    ]
    entry = AccessLog.objects.get(person_id=person.pk, action="create")
    assert entry.detail["follow_ups"] == [3, 6, 12]


def test_exit_record__follow_ups_optional(staff: Any, person: Any) -> None:
    assert not _exit(staff, person, follow_up_months=[]).follow_ups.exists()
    other = _exit(staff, person, exit_on=EXIT_ON - timedelta(days=15), follow_up_months=[6])
    assert list(other.follow_ups.values_list("months", flat=True)) == [6]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"exit_on": TODAY + timedelta(days=1)}, "exit_on"),
        ({"reason": "lottery"}, "reason"),
        ({"follow_up_months": [3, 24]}, "follow_up_months"),
    ],
)
def test_exit_record__bad_input__refused_and_nothing_written(
    staff: Any, person: Any, overrides: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _exit(staff, person, **overrides)
    assert list(excinfo.value.message_dict) == [field]
    assert not Exit.objects.exists() and not ExitFollowUp.objects.exists()


def test_exit_record__second_exit_the_same_day__refused(staff: Any, person: Any) -> None:
    _exit(staff, person)
    with pytest.raises(ValidationError) as excinfo:
        _exit(staff, person, reason="moved")
    assert list(excinfo.value.message_dict) == ["exit_on"]
    assert Exit.objects.count() == 1 and ExitFollowUp.objects.count() == 3


def test_exit_follow_up_record__outcome_saved_and_logged(staff: Any, person: Any) -> None:
    exit_ = _exit(staff, person)
    done = exit_follow_up_record(
        exit=exit_,
        months=3,
        done_on=TODAY,
        outcome="self_sufficient",
        note="Kvar på lagret.",
        acting_user=staff.case_manager,
        page="/test/",
        today=TODAY,
    )
    assert (done.done_on, done.outcome, done.note) == (TODAY, "self_sufficient", "Kvar på lagret.")
    entry = AccessLog.objects.get(person_id=person.pk, action="change")
    assert entry.detail["months"] == 3 and entry.detail["corrected"] is False


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"done_on": TODAY + timedelta(days=1)}, "done_on"),
        ({"done_on": EXIT_ON - timedelta(days=1)}, "done_on"),  # before the exit
        ({"outcome": ""}, "outcome"),
    ],
)
def test_exit_follow_up_record__bad_input__refused(
    staff: Any, person: Any, overrides: dict[str, Any], field: str
) -> None:
    exit_ = _exit(staff, person)
    values: dict[str, Any] = {
        "exit": exit_,
        "months": 6,
        "done_on": TODAY,
        "outcome": "back_on_support",
        "note": "",
        "acting_user": staff.case_manager,
        "page": "",
        "today": TODAY,
    }
    values.update(overrides)
    with pytest.raises(ValidationError) as excinfo:
        exit_follow_up_record(**values)
    assert list(excinfo.value.message_dict) == [field]
    assert not ExitFollowUp.objects.filter(done_on__isnull=False).exists()


def test_exit_follow_up_record__not_planned__refused(staff: Any, person: Any) -> None:
    exit_ = _exit(staff, person, follow_up_months=[3])
    with pytest.raises(ValidationError):
        exit_follow_up_record(
            exit=exit_,
            months=12,
            done_on=TODAY,
            outcome="other",
            note="",
            acting_user=staff.case_manager,
            page="",
            today=TODAY,
        )
    assert ExitFollowUp.objects.count() == 1


# --- The pages -----------------------------------------------------------------------------------


def _url(person: Any, rest: str) -> str:
    return f"/personer/{person.pk}/{rest}"


def test_step_change_new__shows_current_step_and_history(
    staff: Any, client_person: Any, client: Client
) -> None:
    today = timezone.localdate()
    _step(staff, client_person, changed_on=today - timedelta(days=60), today=today)
    _step(
        staff,
        client_person,
        step=default_step(),
        changed_on=today - timedelta(days=5),
        reason="Börjar arbetsträna",
        today=today,
    )
    client.force_login(staff.case_manager)
    response = client.get(_url(client_person, "steg/ny/"))
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["current"].step == default_step()
    assert "Börjar arbetsträna" in body and "Klarar rutiner" in body
    assert (today - timedelta(days=60)).isoformat() in body
    assert AccessLog.objects.filter(person_id=client_person.pk, action="view").exists()
    # the form offers the catalogue's active steps only
    Step.objects.create(code="gammalt", name="Gammalt steg", position=9, active=False)
    form = client.get(_url(client_person, "steg/ny/")).context["form"]
    assert "gammalt" not in {s.code for s in form.fields["step"].queryset}


def test_step_change_new__post__saved(staff: Any, client_person: Any, client: Client) -> None:
    client.force_login(staff.case_manager)
    today = timezone.localdate()
    response = client.post(
        _url(client_person, "steg/ny/"),
        {
            "step": default_step("arbete-med-samhallsstod").pk,
            "changed_on": today.isoformat(),
            "reason": "Anställd med lönebidrag",
        },
    )
    assert response.status_code == 302
    change = StepChange.objects.get()
    assert (change.step.code, change.changed_on) == ("arbete-med-samhallsstod", today)


def test_step_change_new__garbage__field_errors_and_nothing_saved(
    staff: Any, client_person: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    response = client.post(
        _url(client_person, "steg/ny/"),
        {"step": str(10**20), "changed_on": "imorgon", "reason": "x" * 400},
    )
    body = response.content.decode()
    assert response.status_code == 200
    for field in ("step", "changed_on", "reason"):
        assert f'id="id_{field}_error"' in body, field
    future = client.post(
        _url(client_person, "steg/ny/"),
        {
            "step": default_step().pk,
            "changed_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
            "reason": "Snart",
        },
    )
    assert list(future.context["form"].errors) == ["changed_on"]
    assert not StepChange.objects.exists()


def test_exit_new__post_with_follow_ups__rows_due_after_3_6_12_months(
    staff: Any, client_person: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    exit_on = timezone.localdate() - timedelta(days=1)
    response = client.post(
        _url(client_person, "avslut/ny/"),
        {
            "reason": "studies",
            "exit_on": exit_on.isoformat(),
            "note": "Börjar på komvux.",
            "follow_up_months": ["3", "12"],
        },
    )
    assert response.status_code == 302
    exit_ = Exit.objects.get()
    assert exit_.reason == "studies"
    assert list(exit_.follow_ups.values_list("months", flat=True)) == [3, 12]
    page = client.get(_url(client_person, "avslut/ny/")).content.decode()
    assert f"/personer/{client_person.pk}/avslut/{exit_.pk}/uppfoljning/12/" in page


def test_exit_new__garbage__field_errors_and_nothing_saved(
    staff: Any, client_person: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    response = client.post(
        _url(client_person, "avslut/ny/"),
        {"reason": "lottery", "exit_on": "2026-13-01", "follow_up_months": ["3", "24", "x"]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    for field in ("reason", "exit_on", "follow_up_months"):
        assert f'id="id_{field}_error"' in body, field
    assert not Exit.objects.exists()


def test_exit_follow_up__records_the_outcome(
    staff: Any, client_person: Any, client: Client
) -> None:
    exit_ = _exit(staff, client_person, today=timezone.localdate())
    client.force_login(staff.case_manager)
    url = _url(client_person, f"avslut/{exit_.pk}/uppfoljning/3/")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"done_on": "x", "outcome": "rich"})
    assert bad.status_code == 200 and sorted(bad.context["form"].errors) == ["done_on", "outcome"]
    assert not ExitFollowUp.objects.filter(done_on__isnull=False).exists()
    response = client.post(
        url, {"done_on": timezone.localdate().isoformat(), "outcome": "not_reached"}
    )
    assert response.status_code == 302
    done = ExitFollowUp.objects.get(exit=exit_, months=3)
    assert (done.done_on, done.outcome) == (timezone.localdate(), "not_reached")


def test_exit_follow_up__other_persons_exit_unplanned_months_or_huge_ids__404(
    staff: Any, client_person: Any, client: Client
) -> None:
    other = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    exit_ = _exit(staff, other, follow_up_months=[3], today=timezone.localdate())
    client.force_login(staff.case_manager)
    assert client.get(_url(client_person, f"avslut/{exit_.pk}/uppfoljning/3/")).status_code == 404
    assert client.get(_url(other, f"avslut/{exit_.pk}/uppfoljning/6/")).status_code == 404
    assert client.get(_url(other, f"avslut/{10**20}/uppfoljning/3/")).status_code == 404
    assert client.get(_url(other, f"avslut/{exit_.pk}/uppfoljning/{10**20}/")).status_code == 404
    assert client.get(_url(other, f"avslut/{exit_.pk}/uppfoljning/3/")).status_code == 200


@pytest.mark.parametrize("rest", ["steg/ny/", "avslut/ny/"])
def test_progression_pages__permissions(
    staff: Any, client_person: Any, client: Client, rest: str
) -> None:
    client.force_login(staff.officer)  # may view casework, not record it
    assert client.get(_url(client_person, rest)).status_code == 403
    stranger = UserFactory(username="annan-cm", role="case_manager", unit=staff.unit)
    client.force_login(stranger)
    assert client.get(_url(client_person, rest)).status_code == 404
    assert client.post(_url(client_person, rest), {"reason": "moved"}).status_code == 404
    assert AccessLog.objects.filter(
        user_id=stranger.pk, person_id=client_person.pk, action="denied"
    ).exists()
    assert not Exit.objects.exists() and not StepChange.objects.exists()


def test_person_page__panel_shows_step_exit_and_follow_ups_due(
    staff: Any, client_person: Any, client: Client
) -> None:
    today = timezone.localdate()
    _step(staff, client_person, changed_on=today - timedelta(days=200), today=today)
    exit_ = _exit(
        staff,
        client_person,
        exit_on=today - timedelta(days=100),
        follow_up_months=[3, 6],
        today=today,
    )
    client.force_login(staff.case_manager)
    body = client.get(f"/personer/{client_person.pk}/").content.decode()
    panel = body[body.index('id="follow-up-panel-h"') :]
    assert default_step("sysselsattning").name in panel
    assert exit_.get_reason_display() in panel
    assert f"/avslut/{exit_.pk}/uppfoljning/3/" in panel
    assert f"/avslut/{exit_.pk}/uppfoljning/6/" in panel
