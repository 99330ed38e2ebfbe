"""Plans: one active per person, every change one version, versions say exactly what changed."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from heltid.audit.models import AccessLog
from heltid.casework.facts import casework_facts, plan_hours, with_casework_dates
from heltid.casework.models import ActivityKind, ActivityStatus, FollowUp, Plan, PlanVersion
from heltid.casework.services.plan import (
    NewActivity,
    PlanChanges,
    plan_create,
    plan_revise,
    plan_sign,
)
from heltid.casework.versions import diff
from heltid.registry.models import Person
from tests.catalog.factories import InterventionFactory
from tests.clock import suite_today
from tests.factories import covered_from

TODAY = suite_today()
MADE = TODAY - timedelta(days=22)  # the day the tests' plans are made
COVERED_FROM = covered_from()  # of a factory person (tests/factories.py)


def _plan(staff: Any, person: Any) -> Plan:
    return plan_create(
        person=person,
        goal="Arbete inom lager",
        exit_target="work",
        acting_user=staff.case_manager,
        today=MADE,
        activities=[
            NewActivity(kind=ActivityKind.JOB_SEARCH, title="Söka jobb", hours_per_week=Decimal(5))
        ],
    )


def test_plan_create__version_one_and_logged(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    assert plan.version == 1
    version = plan.versions.get()
    assert version.created_by == staff.case_manager
    assert [(c.field, c.kind) for c in diff(None, version.snapshot)] == [
        ("goal", "changed"),
        ("exit_target", "changed"),
        (None, "added"),
    ]
    assert AccessLog.objects.filter(person_id=person.pk, action="create").count() == 1


def test_plan_create__second_active_plan__refused(staff: Any, person: Any) -> None:
    _plan(staff, person)
    with pytest.raises(ValidationError):
        _plan(staff, person)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(person=person, goal="x", exit_target="work")


def test_plan_revise__history_shows_exactly_what_changed_by_whom(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    intervention = InterventionFactory(name="Lagerträning")
    v2 = plan_revise(
        plan=plan,
        changes=PlanChanges(
            add=[
                NewActivity(
                    kind=ActivityKind.INTERVENTION,
                    title="",
                    hours_per_week=Decimal(20),
                    intervention=intervention,
                )
            ]
        ),
        acting_user=staff.case_manager,
        reason="Anvisad till lagerträning",
    )
    assert v2 is not None and v2.number == 2
    activity = plan.activities.get(kind=ActivityKind.INTERVENTION)
    assert activity.title == "Lagerträning"
    v3 = plan_revise(
        plan=plan,
        changes=PlanChanges(
            goal="Arbete inom lager eller logistik",
            activity_changes={activity.pk: {"status": ActivityStatus.ONGOING, "agreed": True}},
        ),
        acting_user=staff.officer,
        reason="Uppföljning",
    )
    assert v3 is not None
    changes = diff(v2.snapshot, v3.snapshot)
    assert [(c.activity, c.field, c.old, c.new) for c in changes] == [
        (None, "goal", "Arbete inom lager", "Arbete inom lager eller logistik"),
        (str(activity.pk), "status", "planned", "ongoing"),
        (str(activity.pk), "agreed", False, True),
    ]
    assert (v3.created_by, v3.reason) == (staff.officer, "Uppföljning")
    assert list(plan.versions.values_list("number", flat=True)) == [3, 2, 1]


def test_plan_revise__nothing_changed__no_version(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    assert (
        plan_revise(plan=plan, changes=PlanChanges(goal=plan.goal), acting_user=None, reason="")
        is None
    )
    assert PlanVersion.objects.count() == 1


def test_plan_revise__forbidden_transition__changes_nothing(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    activity = plan.activities.get()
    with pytest.raises(ValidationError):
        plan_revise(
            plan=plan,
            changes=PlanChanges(
                goal="Nytt mål",
                activity_changes={activity.pk: {"status": ActivityStatus.COMPLETED}},
            ),
            acting_user=staff.case_manager,
            reason="",
        )
    plan.refresh_from_db()
    assert (plan.goal, plan.version) == ("Arbete inom lager", 1)


def test_plan_sign__records_date_and_version(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    version = plan_sign(plan=plan, signed_on=TODAY, acting_user=staff.case_manager)
    plan.refresh_from_db()
    assert (plan.signed_on, plan.signed_version, version.number) == (TODAY, 2, 2)
    assert (plan.created_on, timezone.localdate(version.created_at)) == (MADE, TODAY)


def test_plan_hours__job_search_is_not_assigned(staff: Any, person: Any) -> None:
    plan = _plan(staff, person)
    plan_revise(
        plan=plan,
        changes=PlanChanges(
            add=[
                NewActivity(
                    kind=ActivityKind.HEALTH, title="Promenadgrupp", hours_per_week=Decimal(5)
                ),
                NewActivity(
                    kind=ActivityKind.OTHER,
                    title="Förslag",
                    hours_per_week=Decimal(10),
                    status=ActivityStatus.PROPOSED,
                ),
            ]
        ),
        acting_user=None,
        reason="",
    )
    hours = plan_hours(list(plan.activities.all()), target=Decimal(30))
    assert (hours.assigned, hours.job_search, hours.missing, hours.matches) == (
        Decimal(5),
        Decimal(5),
        Decimal(25),
        False,
    )


def test_casework_dates__annotated_in_one_query(
    staff: Any, person: Any, django_assert_num_queries: Any
) -> None:
    plan = _plan(staff, person)
    activity = plan.activities.get()
    started, held, agreed_next = (MADE + timedelta(days=n) for n in (1, 8, 29))
    plan_revise(
        plan=plan,
        changes=PlanChanges(
            activity_changes={activity.pk: {"status": ActivityStatus.ONGOING, "start_on": started}}
        ),
        acting_user=None,
        reason="",
    )
    FollowUp.objects.create(
        person=person,
        held_on=held,
        mode="phone",
        notes="x",
        next_on=agreed_next,
    )
    with django_assert_num_queries(1):
        annotated = with_casework_dates(Person.objects.filter(pk=person.pk)).get()
    facts = casework_facts(annotated, covered_from=COVERED_FROM)
    assert (
        facts.plan_on,
        facts.first_activity_on,
        facts.last_follow_up_on,
        facts.next_follow_up_on,
    ) == (MADE, started, held, agreed_next)
    assert (facts.covered_from, facts.assessed_on) == (COVERED_FROM, None)
