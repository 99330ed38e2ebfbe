"""Follow-ups: the next date within the policy, the plan revised in the same step (and rolled
back with it), the follow-up deadline moved, pages scoped and logged, bad input changing nothing."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.translation import gettext

from heltid.audit.models import AccessLog
from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Exit,
    FollowUp,
    Plan,
    PlanActivity,
    PlanVersion,
    StepChange,
)
from heltid.casework.selectors import STATE_LABELS, caseload_queryset, rows_for
from heltid.casework.services.follow_up import follow_up_record
from heltid.casework.services.plan import NewActivity, PlanChanges, plan_create
from heltid.casework.services.progression import exit_record, step_change_record
from heltid.casework.versions import diff
from heltid.registry.models import Person
from heltid.rules import DeadlineKind, DeadlineState, latest_next_follow_up
from tests.catalog.factories import InterventionFactory, default_step
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory, covered_from

TODAY = suite_today()
HELD = TODAY - timedelta(days=22)  # the day of the follow-up the tests record
COVERED_FROM = covered_from()  # of a factory person (tests/factories.py)


@pytest.fixture
def client_person(staff: Any, person: Any) -> Any:
    """The fixture person on the standing case manager's caseload."""
    person.case_manager = staff.case_manager
    person.save()
    return person


def _plan(staff: Any, person: Any, *, today: date = HELD) -> Plan:
    return plan_create(
        person=person,
        goal="Arbete inom lager",
        exit_target="work",
        acting_user=staff.case_manager,
        today=today,
        activities=[
            NewActivity(kind=ActivityKind.JOB_SEARCH, title="Söka jobb", hours_per_week=Decimal(5)),
            NewActivity(
                kind=ActivityKind.HEALTH,
                title="Promenadgrupp",
                hours_per_week=Decimal(4),
                status=ActivityStatus.PROPOSED,
            ),
        ],
    )


def _record(staff: Any, person: Any, **overrides: Any) -> FollowUp:
    values: dict[str, Any] = {
        "person": person,
        "held_on": HELD,
        "mode": "visit",
        "with_others": ["af"],
        "notes": "Gick igenom veckan.",
        "next_on": HELD + timedelta(days=14),
        "plan_changes": None,
        "revision_reason": "",
        "acting_user": staff.case_manager,
        "page": "/test/",
        "today": HELD,
    }
    values.update(overrides)
    return follow_up_record(**values)


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


# --- The service ---------------------------------------------------------------------------------


def test_follow_up_record__saved_linked_to_the_plan_and_logged(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    follow_up = _record(staff, person, with_others=["af", "region", "af"])
    follow_up.refresh_from_db()
    assert (follow_up.held_on, follow_up.mode, follow_up.party_list) == (
        HELD,
        "visit",
        ["af", "region"],
    )
    assert (follow_up.plan, follow_up.plan_version, follow_up.created_by) == (
        plan,
        None,
        staff.case_manager,
    )
    entry = AccessLog.objects.filter(person_id=person.pk, action="create").latest("pk")
    assert entry.detail == {"follow_up": follow_up.pk, "plan_version": None}


def test_follow_up_record__held_in_the_future__refused(staff: Any, person: Any) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _record(staff, person, held_on=HELD + timedelta(days=1), next_on=HELD + timedelta(days=9))
    assert list(_errors(excinfo)) == ["held_on"]
    assert not FollowUp.objects.exists()


def test_follow_up_record__next_on_at_the_policy_limit__accepted(staff: Any, person: Any) -> None:
    latest = latest_next_follow_up(HELD, policy=settings.HELTID_POLICY)
    assert latest == HELD + timedelta(days=30)  # Linköping's policy: at least every 30 days
    assert _record(staff, person, next_on=latest).next_on == latest


def test_follow_up_record__next_on_after_the_limit__refused_naming_the_date(
    staff: Any, person: Any
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _record(staff, person, next_on=HELD + timedelta(days=31))
    assert _errors(excinfo) == {
        "next_on": [
            gettext("The next follow-up may be at the latest %(latest)s, as the policy requires.")
            % {"latest": (HELD + timedelta(days=30)).isoformat()}
        ]
    }
    assert not FollowUp.objects.exists()


@pytest.mark.parametrize(
    ("held_on", "next_on"),
    [(date(1, 1, 1), date(1, 1, 2)), (date(9999, 12, 1), date(9999, 12, 31))],
)
def test_follow_up_record__dates_far_off__refused_not_crashed(
    staff: Any, person: Any, held_on: date, next_on: date
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _record(staff, person, held_on=held_on, next_on=next_on)
    assert list(_errors(excinfo)) == ["held_on"]


@pytest.mark.parametrize("days", [0, -3])
def test_follow_up_record__next_on_not_after_held__refused(
    staff: Any, person: Any, days: int
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _record(staff, person, next_on=HELD + timedelta(days=days))
    assert list(_errors(excinfo)) == ["next_on"]


def test_follow_up_record__bad_mode_party_and_empty_notes__each_named(
    staff: Any, person: Any
) -> None:
    with pytest.raises(ValidationError) as excinfo:
        _record(staff, person, mode="fax", with_others=["af", "nato"], notes="  ")
    assert sorted(_errors(excinfo)) == ["mode", "notes", "with_others"]
    assert not FollowUp.objects.exists()


def test_follow_up_record__plan_changes__one_version_linked_to_the_follow_up(
    staff: Any, person: Any
) -> None:
    plan = _plan(staff, person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    intervention = InterventionFactory(name="Lagerträning")
    follow_up = _record(
        staff,
        person,
        plan_changes=PlanChanges(
            activity_changes={walk.pk: {"status": ActivityStatus.PLANNED, "agreed": True}},
            add=[
                NewActivity(
                    kind=ActivityKind.INTERVENTION,
                    title="",
                    hours_per_week=Decimal(20),
                    intervention=intervention,
                )
            ],
        ),
    )
    version = follow_up.plan_version
    assert version is not None and version.number == 2
    assert (version.reason, version.created_by) == (
        gettext("Follow-up %(date)s") % {"date": HELD.isoformat()},
        staff.case_manager,
    )
    changes = diff(plan.versions.get(number=1).snapshot, version.snapshot)
    assert [(c.field, c.old, c.new) for c in changes if c.activity == str(walk.pk)] == [
        ("status", "proposed", "planned"),
        ("agreed", False, True),
    ]
    assert plan.activities.filter(intervention=intervention, hours_per_week=20).exists()
    assert sorted(
        AccessLog.objects.filter(person_id=person.pk, page="/test/").values_list(
            "action", flat=True
        )
    ) == ["change", "create"]


def test_follow_up_record__own_revision_reason__kept(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    follow_up = _record(
        staff,
        person,
        plan_changes=PlanChanges(activity_changes={walk.pk: {"hours_per_week": Decimal(6)}}),
        revision_reason="Mer promenad",
    )
    assert follow_up.plan_version is not None
    assert follow_up.plan_version.reason == "Mer promenad"


def test_follow_up_record__forbidden_plan_change__nothing_written(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    logged = AccessLog.objects.count()
    with pytest.raises(ValidationError):
        _record(
            staff,
            person,
            plan_changes=PlanChanges(
                goal="Nytt mål",
                activity_changes={walk.pk: {"status": ActivityStatus.COMPLETED}},
            ),
        )
    plan.refresh_from_db()
    walk.refresh_from_db()
    assert (plan.goal, plan.version, walk.status) == ("Arbete inom lager", 1, "proposed")
    assert not FollowUp.objects.exists()
    assert PlanVersion.objects.count() == 1
    assert AccessLog.objects.count() == logged


def test_follow_up_record__bad_follow_up__plan_not_revised(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    with pytest.raises(ValidationError):
        _record(
            staff,
            person,
            next_on=HELD + timedelta(days=45),
            plan_changes=PlanChanges(activity_changes={walk.pk: {"agreed": True}}),
        )
    walk.refresh_from_db()
    assert walk.agreed is False
    assert PlanVersion.objects.count() == 1


def test_follow_up_record__plan_changes_without_a_plan__refused(staff: Any, person: Any) -> None:
    with pytest.raises(ValidationError):
        _record(staff, person, plan_changes=PlanChanges(goal="Arbete"))
    assert not FollowUp.objects.exists()


def test_follow_up_record__moves_the_follow_up_deadline_off_overdue(
    staff: Any, client_person: Any
) -> None:
    # a day more than the policy's 30 days after coverage began: the suite's day, once the
    # requirement is that old
    today = max(TODAY, COVERED_FROM + timedelta(days=31))

    def follow_up_deadline() -> Any:
        (row,) = rows_for(
            caseload_queryset(Person.objects.filter(pk=client_person.pk), today=today),
            user=staff.case_manager,
            today=today,
        )
        return next(d for d in row.deadlines if d.kind == DeadlineKind.FOLLOW_UP)

    # covered for over 30 days without a follow-up: overdue
    assert follow_up_deadline().state == DeadlineState.OVERDUE
    _record(
        staff,
        client_person,
        held_on=today,
        next_on=today + timedelta(days=28),
        today=today,
    )
    after = follow_up_deadline()
    assert (after.state, after.due_on) == (DeadlineState.UPCOMING, today + timedelta(days=28))


# --- The pages -----------------------------------------------------------------------------------


def _url(person: Any, rest: str = "ny/") -> str:
    return f"/personer/{person.pk}/uppfoljning/{rest}"


def _post_data(plan: Plan | None, **overrides: str) -> dict[str, str]:
    today = timezone.localdate()
    data = {
        "held_on": today.isoformat(),
        "mode": "phone",
        "with_others": "region",
        "notes": "Mår bättre, vill börja i lagerträning.",
        "next_on": (today + timedelta(days=21)).isoformat(),
        "new_kind": "",
        "new_status": "planned",
    }
    for activity in plan.activities.all() if plan else []:
        data[f"a{activity.pk}_status"] = activity.status
        data[f"a{activity.pk}_hours"] = str(activity.hours_per_week)
        if activity.agreed:
            data[f"a{activity.pk}_agreed"] = "on"
    data.update(overrides)
    return data


def test_follow_up_new__prefilled_with_the_policy_next_date(
    staff: Any, client_person: Any, client: Client
) -> None:
    _plan(staff, client_person)
    client.force_login(staff.case_manager)
    response = client.get(_url(client_person))
    body = response.content.decode()
    today = timezone.localdate()
    assert response.status_code == 200
    assert f'value="{(today + timedelta(days=30)).isoformat()}"' in body
    assert "Promenadgrupp" in body and "Söka jobb" in body
    assert AccessLog.objects.filter(person_id=client_person.pk, action="view").exists()


def test_follow_up_new__status_choices__only_allowed_next_statuses(
    staff: Any, client_person: Any, client: Client
) -> None:
    plan = _plan(staff, client_person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    client.force_login(staff.case_manager)
    form = client.get(_url(client_person)).context["form"]
    choices = [value for value, _ in form.fields[f"a{walk.pk}_status"].choices]
    assert choices == ["proposed", "planned", "cancelled"]


def test_follow_up_new__post__revises_the_plan_and_shows_it_in_the_list(
    staff: Any, client_person: Any, client: Client
) -> None:
    plan = _plan(staff, client_person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    client.force_login(staff.case_manager)
    data = _post_data(
        plan,
        **{
            f"a{walk.pk}_status": "planned",
            f"a{walk.pk}_agreed": "on",
            "new_kind": "other",
            "new_title": "Språkcafé",
            "new_hours": "3",
        },
    )
    response = client.post(_url(client_person), data)
    assert response.status_code == 302 and response["Location"] == _url(client_person, "")
    follow_up = FollowUp.objects.get()
    assert follow_up.plan_version is not None and follow_up.plan_version.number == 2
    walk.refresh_from_db()
    assert (walk.status, walk.agreed) == ("planned", True)
    assert plan.activities.filter(title="Språkcafé", hours_per_week=3).exists()
    listing = client.get(_url(client_person, "")).content.decode()
    assert "Mår bättre" in listing and "Region" in listing
    assert gettext("Version %(n)s") % {"n": 2} in listing


def test_follow_up_new__post_without_plan_changes__no_new_version(
    staff: Any, client_person: Any, client: Client
) -> None:
    plan = _plan(staff, client_person)
    client.force_login(staff.case_manager)
    response = client.post(_url(client_person), _post_data(plan))
    assert response.status_code == 302
    assert FollowUp.objects.get().plan_version is None
    assert PlanVersion.objects.count() == 1


def test_follow_up_new__garbage__field_errors_and_nothing_changes(
    staff: Any, client_person: Any, client: Client
) -> None:
    plan = _plan(staff, client_person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    client.force_login(staff.case_manager)
    logged = AccessLog.objects.filter(action__in=["create", "change"]).count()
    data = _post_data(
        plan,
        **{
            "held_on": "igår",
            "mode": "brevduva",
            "with_others": "nato",
            "next_on": "2026-02-30",
            f"a{walk.pk}_status": "completed",  # proposed cannot become completed
            f"a{walk.pk}_hours": "många",
            "new_kind": "intervention",
            "new_intervention": str(10**20),
            "new_hours": "99",
        },
    )
    response = client.post(_url(client_person), data)
    body = response.content.decode()
    assert response.status_code == 200
    for field in (
        "held_on",
        "mode",
        "with_others",
        "next_on",
        f"a{walk.pk}_status",
        f"a{walk.pk}_hours",
        "new_intervention",
        "new_hours",
    ):
        assert f'id="id_{field}_error"' in body, field
    assert not FollowUp.objects.exists()
    walk.refresh_from_db()
    assert (walk.status, walk.hours_per_week) == ("proposed", Decimal(4))
    assert PlanVersion.objects.count() == 1
    assert AccessLog.objects.filter(action__in=["create", "change"]).count() == logged


def test_follow_up_new__next_on_too_late__error_beside_the_field(
    staff: Any, client_person: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    today = timezone.localdate()
    too_late = today + timedelta(days=31)
    response = client.post(_url(client_person), _post_data(None, next_on=too_late.isoformat()))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["next_on"]
    assert (today + timedelta(days=30)).isoformat() in errors["next_on"][0]
    assert not FollowUp.objects.exists()


def test_follow_up_new__new_activity_half_filled__asks_for_the_kind(
    staff: Any, client_person: Any, client: Client
) -> None:
    plan = _plan(staff, client_person)
    client.force_login(staff.case_manager)
    response = client.post(_url(client_person), _post_data(plan, new_title="Något"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_kind"]
    assert not FollowUp.objects.exists()


def test_follow_up_new__activity_cancelled_meanwhile__left_alone(
    staff: Any, client_person: Any, client: Client
) -> None:
    plan = _plan(staff, client_person)
    walk = plan.activities.get(kind=ActivityKind.HEALTH)
    client.force_login(staff.case_manager)
    data = _post_data(plan, **{f"a{walk.pk}_status": "planned"})
    PlanActivity.objects.filter(pk=walk.pk).update(status=ActivityStatus.CANCELLED)
    data[f"a{walk.pk}_status"] = "planned"
    response = client.post(_url(client_person), data)
    # the cancelled activity is no longer revisable: its fields are gone, the rest saves
    assert response.status_code == 302
    walk.refresh_from_db()
    assert walk.status == ActivityStatus.CANCELLED


def test_follow_up_pages__benefit_officer__list_yes_record_no(
    staff: Any, client_person: Any, client: Client
) -> None:
    _record(staff, client_person)
    client.force_login(staff.officer)
    listing = client.get(_url(client_person, ""))
    assert listing.status_code == 200 and "Gick igenom veckan." in listing.content.decode()
    assert AccessLog.objects.filter(
        user_id=staff.officer.pk, person_id=client_person.pk, action="view"
    ).exists()
    assert client.get(_url(client_person)).status_code == 403
    assert client.post(_url(client_person), _post_data(None)).status_code == 403
    assert FollowUp.objects.count() == 1


@pytest.mark.parametrize("who", ["outsider", "other_case_manager"])
def test_follow_up_pages__outside_scope__404_and_logged(
    staff: Any, client_person: Any, client: Client, who: str
) -> None:
    user = (
        staff.outsider
        if who == "outsider"
        else UserFactory(username="annan-cm", role="case_manager", unit=staff.unit)
    )
    client.force_login(user)
    assert client.get(_url(client_person, "")).status_code == 404
    if who == "other_case_manager":
        assert client.post(_url(client_person), _post_data(None)).status_code == 404
    assert not FollowUp.objects.exists()
    assert AccessLog.objects.filter(
        user_id=user.pk, person_id=client_person.pk, action="denied"
    ).exists()


def test_follow_up_list__every_follow_up_with_who_and_next_date(
    staff: Any, client_person: Any, client: Client
) -> None:
    earlier = HELD - timedelta(days=32)
    _record(staff, client_person, held_on=earlier, next_on=earlier + timedelta(days=19))
    _record(staff, client_person, notes="Andra mötet", with_others=[])
    client.force_login(staff.case_manager)
    body = client.get(_url(client_person, "")).content.decode()
    assert body.index(HELD.isoformat()) < body.index(earlier.isoformat())
    assert (earlier + timedelta(days=19)).isoformat() in body
    assert "Andra mötet" in body and "Arbetsförmedlingen" in body


# --- The person page's panel ---------------------------------------------------------------------


def test_person_page__panel_shows_latest_follow_ups_and_next_date(
    staff: Any, client_person: Any, client: Client
) -> None:
    today = timezone.localdate()
    for n in range(4):
        _record(
            staff,
            client_person,
            held_on=today - timedelta(days=40 - n),
            next_on=today - timedelta(days=30 - n),
            notes=f"Möte {n}",
            today=today,
        )
    client.force_login(staff.case_manager)
    body = client.get(f"/personer/{client_person.pk}/").content.decode()
    panel = body[body.index('id="follow-up-panel-h"') :]
    assert (today - timedelta(days=40)).isoformat() not in panel  # only the latest three
    assert (today - timedelta(days=37)).isoformat() in panel
    assert f"{(today - timedelta(days=27)).isoformat()} – <strong" in panel  # overdue
    assert f">{STATE_LABELS[DeadlineState.OVERDUE]}</strong>" in panel
    assert f'href="{_url(client_person)}"' in panel


def test_person_page__panel__query_count_does_not_grow_with_the_history(
    staff: Any, client: Client
) -> None:
    small = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    big = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    client.force_login(staff.case_manager)
    client.get(f"/personer/{small.pk}/")  # warm up
    client.get(f"/personer/{small.pk}/")  # warm up: the stored worklist row made (0023)
    with CaptureQueriesContext(connection) as first:
        assert client.get(f"/personer/{small.pk}/").status_code == 200
    _plan(staff, big)
    for n in range(6):
        held_on = HELD - timedelta(days=10 * n)
        _record(staff, big, held_on=held_on, next_on=held_on + timedelta(days=7))
    for n, code in enumerate(("sysselsattning", "arbetsinriktad-rehabilitering")):
        step_change_record(
            person=big,
            step=default_step(code),
            changed_on=HELD - timedelta(days=30 - n),
            reason="Redo",
            acting_user=staff.case_manager,
            page="",
        )
    for n in range(2):
        exit_record(
            person=big,
            exit_on=HELD - timedelta(days=n),
            reason="moved",
            note="",
            follow_up_months=[3, 6, 12],
            acting_user=staff.case_manager,
            page="",
        )
    client.get(f"/personer/{big.pk}/")  # its row recomputed after the writes, as after commit
    with CaptureQueriesContext(connection) as second:
        assert client.get(f"/personer/{big.pk}/").status_code == 200
    assert len(second) == len(first)
    assert Exit.objects.filter(person=big).count() == 2
    assert StepChange.objects.filter(person=big).count() == 2
