"""The demo's casework: requested steps, plans with versions, follow-ups on time and overdue."""

from __future__ import annotations

import pytest
from django.db.models import Count

from heltid.casework.facts import casework_facts, with_casework_dates
from heltid.casework.models import Assessment, CaseAssignment, FollowUp, Plan, PlanVersion
from heltid.casework.versions import diff
from heltid.catalog.selectors import staircase
from heltid.demo.generator import build_demo
from heltid.insights.filters import InsightFilter
from heltid.insights.metrics import population
from heltid.registry.models import Person
from heltid.rules import DeadlineKind, DeadlineState, casework_deadlines
from tests.clock import suite_today

DAY = suite_today()

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    build_demo(seed=1, on=DAY, recipients=800)


def test_demo__every_plan_has_its_first_version_and_belongs_to_a_caseload(demo: None) -> None:
    plans = list(Plan.objects.select_related("person"))
    assert len(plans) > 10
    assert all(p.person.case_manager_id is not None for p in plans)
    assert PlanVersion.objects.filter(number=1).count() == len(plans)
    for version in PlanVersion.objects.all():
        assert diff(None, version.snapshot)  # a snapshot the comparison can read
    assert (
        CaseAssignment.objects.count() == Person.objects.filter(case_manager__isnull=False).count()
    )


def test_demo__follow_ups__some_overdue_some_on_time(demo: None) -> None:
    covered_from = {
        r.pk: r.covered_from for r in population(InsightFilter(DAY, DAY)).rows if r.covered
    }
    states = []
    persons = with_casework_dates(Person.objects.filter(plans__isnull=False))
    for person in persons:
        if person.pk not in covered_from:
            continue  # covered only later (the plan came first): no deadlines run yet
        facts = casework_facts(person, covered_from=covered_from[person.pk])
        follow_up = next(
            d
            for d in casework_deadlines(facts, today=DAY, policy="linkoping")
            if d.kind == DeadlineKind.FOLLOW_UP
        )
        states.append(follow_up.state)
    assert DeadlineState.OVERDUE in states
    assert DeadlineState.UPCOMING in states or DeadlineState.DUE in states
    assert FollowUp.objects.values("person").annotate(n=Count("pk")).count() > 5


def test_demo__requested_steps__demand_for_supported_work_exceeds_its_places(demo: None) -> None:
    assert not Assessment.objects.filter(requested_step__isnull=True).exists()
    wanted = Assessment.objects.filter(requested_step__code="arbete-med-samhallsstod").count()
    supported = next(s for s in staircase(on=DAY) if s.step.code == "arbete-med-samhallsstod")
    assert wanted > supported.free + supported.waiting == 59
