"""The dashboard's figures on hand-built data with known answers, and flat query counts."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    Exit,
    ExitReason,
    FollowUp,
    FollowUpMode,
    Health,
    Plan,
    PlanActivity,
    StepChange,
    SwedishLevel,
)
from heltid.catalog.models import InterventionStatus, Step
from heltid.insights import metrics
from heltid.insights.filters import InsightFilter
from heltid.referrals.models import Attendance, AttendanceStatus
from heltid.registry.models import AfProgramme, Exemption, Person, SupportPeriod
from heltid.rules.dates import add_months, month_start
from heltid.rules.requirement import activity_requirement
from tests.catalog.factories import InterventionFactory
from tests.clock import suite_today
from tests.conftest import Staff
from tests.factories import PersonFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db

DAY = suite_today()
START = add_months(month_start(DAY), -10)  # the period: this month and the ten before
PERIOD = InsightFilter(start=START, end=DAY)
# Coverage, and the deadlines and lead times that run from it, cannot begin before the
# requirement's in-force date: the tests of those live on a day it has been in force for four
# months (the suite's day, once it has).
SETTLED = max(DAY, add_months(activity_requirement(DAY).first_applied_month.value, 4))
SETTLED_PERIOD = InsightFilter(start=add_months(month_start(SETTLED), -10), end=SETTLED)


def _step(code: str) -> Step:
    return Step.objects.get(code=code)


def _assess(person: Person, *, on: date, health: str = Health.NONE, step: str = "") -> None:
    Assessment.objects.create(
        person=person,
        assessed_on=on,
        swedish_level=SwedishLevel.NO_LIMITATION,
        health=health,
        requested_step=_step(step) if step else None,
    )


def _plan(person: Person, *, on: date, hours: Decimal, status: str) -> Plan:
    plan = Plan.objects.create(person=person, goal="Arbete", exit_target="work", created_on=on)
    PlanActivity.objects.create(
        plan=plan,
        kind=ActivityKind.OTHER,
        title="Praktik",
        hours_per_week=hours,
        status=status,
        start_on=on + timedelta(days=10),
    )
    return plan


def _person(staff: Staff, **kwargs: Any) -> Person:
    since = kwargs.pop("support_since", START)
    return PersonFactory(unit=staff.unit, support_since=since, **kwargs)


def _explained(person: Person, period: InsightFilter = PERIOD) -> metrics.PersonFacts:
    return next(r for r in metrics.population(period).rows if r.pk == person.pk)


def test_inventory__mixed_registry__counts_each_group(staff: Staff) -> None:
    woman = _person(staff, sex="F")
    _assess(woman, on=add_months(START, 2), health=Health.MENTAL)
    man = _person(staff, sex="M", af_programme=AfProgramme.JOB)
    _assess(man, on=add_months(START, 2))
    exempt = _person(staff, sex="F")
    Exemption.objects.create(
        person=exempt, group="parental_leave", decided_on=add_months(START, 1), review_on=DAY
    )
    gone = _person(staff, sex="F")
    SupportPeriod.objects.filter(person=gone).update(last_month=add_months(START, 4))

    inv = metrics.inventory(PERIOD)

    assert inv.recipients == 3
    assert inv.target_group == 2
    assert inv.exempt == 1
    assert inv.exempt_by_reason["parental_leave"] == 1
    assert inv.in_af_programme == 1
    assert inv.women == 2
    assert inv.target_women == 1
    assert (inv.target_assessed, inv.target_ill_health) == (2, 1)
    assert inv.target_ill_health_share == 0.5
    assert inv.covered == sum(r.covered for r in metrics.population(PERIOD).rows)


def test_inventory__filters__unit_sex_age_and_step(staff: Staff) -> None:
    woman = _person(staff, sex="F", birth_date=date(DAY.year - 36, 6, 1))
    _person(staff, sex="M", birth_date=date(DAY.year - 60, 6, 1))
    PersonFactory(unit=staff.other_unit, sex="F", support_since=START)
    StepChange.objects.create(
        person=woman, step=_step("sysselsattning"), changed_on=add_months(START, 1), reason="x"
    )

    def count(**kwargs: str) -> int:
        return metrics.inventory(InsightFilter(start=PERIOD.start, end=DAY, **kwargs)).recipients

    assert count() == 3
    assert count(unit="ekb-nord") == 2
    assert count(sex="F", unit="ekb-nord") == 1
    assert count(age_group="30-44") == 1  # 35 or 36 on the last day
    assert count(age_group="55-67") == 1  # 59 or 60
    assert count(age_group="nonsense") == 0
    assert count(step="sysselsattning") == 1
    assert count(step="arbete-studier") == 0


def test_coverage__plans_activities_and_hours__counted_for_covered(staff: Staff) -> None:
    full, part, none = (_person(staff) for _ in range(3))
    _plan(full, on=DAY - timedelta(days=80), hours=Decimal(40), status=ActivityStatus.ONGOING)
    _plan(part, on=DAY - timedelta(days=80), hours=Decimal(10), status=ActivityStatus.PLANNED)
    facts = [_explained(p) for p in (full, part, none)]
    assert all(f.covered for f in facts), "people on support since ten months are covered"
    assert facts[0].weekly_hours <= 40

    cov = metrics.coverage(PERIOD)

    assert (cov.covered, cov.with_plan, cov.with_ongoing_activity, cov.with_full_hours) == (
        3,
        2,
        1,
        1,
    )


def test_lead_times__known_days__medians_and_buckets(staff: Staff) -> None:
    since = SETTLED_PERIOD.start
    a, b = _person(staff, support_since=since), _person(staff, support_since=since)
    covered_from = _explained(a, SETTLED_PERIOD).covered_from
    assert covered_from is not None and since <= covered_from <= SETTLED - timedelta(days=30)
    _assess(a, on=covered_from + timedelta(days=5))
    _assess(b, on=covered_from + timedelta(days=20))
    _plan(a, on=covered_from + timedelta(days=15), hours=Decimal(5), status="ongoing")
    sent_on = SETTLED - timedelta(days=60)
    sent = timezone.make_aware(datetime.combine(sent_on, time(10)))
    ReferralFactory(
        person=a, status="started", slot=1, sent_at=sent, started_on=sent_on + timedelta(days=14)
    )
    ReferralFactory(
        person=b, status="started", slot=1, sent_at=sent, started_on=sent_on + timedelta(days=4)
    )

    leads = metrics.lead_times(SETTLED_PERIOD)

    to_assessment = leads.get("coverage_assessment")
    assert (to_assessment.count, to_assessment.median_days) == (2, 12.5)
    assert dict(to_assessment.buckets)["0-7"] == 1
    assert dict(to_assessment.buckets)["15-30"] == 1
    assert leads.get("assessment_plan").median_days == 10
    assert leads.get("plan_activity").median_days == 10
    assert leads.get("coverage_activity").median_days == 25
    referral = leads.get("referral")
    assert (referral.count, referral.median_days) == (2, 9)


def test_follow_up_compliance__recent_and_overdue__share(staff: Staff) -> None:
    recent, old, never = (_person(staff, support_since=SETTLED_PERIOD.start) for _ in range(3))
    FollowUp.objects.create(
        person=recent,
        held_on=SETTLED - timedelta(days=3),
        mode=FollowUpMode.PHONE,
        notes="x",
        next_on=SETTLED + timedelta(days=20),
    )
    FollowUp.objects.create(
        person=old,
        held_on=SETTLED - timedelta(days=100),
        mode=FollowUpMode.PHONE,
        notes="x",
        next_on=SETTLED - timedelta(days=70),
    )

    result = metrics.follow_up_compliance(SETTLED_PERIOD)

    assert result.covered == 3
    assert result.on_time == 1  # ``never`` has been covered for months without a follow-up
    assert result.interval_days > 0
    del never


def test_attendance_rate__statuses__attended_share(staff: Staff) -> None:
    referral = ReferralFactory(person=_person(staff), status="started", slot=1)
    first = add_months(START, 2)
    for day, status in (
        (first + timedelta(days=1), AttendanceStatus.PRESENT),
        (first + timedelta(days=2), AttendanceStatus.OTHER_ACTIVITY),
        (first + timedelta(days=3), AttendanceStatus.UNEXCUSED),
        (first + timedelta(days=4), AttendanceStatus.SICK),
        (add_months(first, -12) + timedelta(days=4), AttendanceStatus.PRESENT),  # before
    ):
        Attendance.objects.create(referral=referral, day=day, status=status, hours=Decimal(4))

    rate = metrics.attendance_rate(PERIOD)

    assert (rate.days, rate.attended, rate.share) == (4, 2, 0.5)


def test_step_progression__up_down_first__counted_in_period(staff: Staff) -> None:
    a, b = _person(staff), _person(staff)
    for person, code, on in (
        (a, "sysselsattning", add_months(START, -7)),  # before the period: only a baseline
        (a, "arbete-med-samhallsstod", add_months(START, 2)),  # up
        (a, "arbete-studier", add_months(START, 5)),  # up
        (b, "arbete-med-samhallsstod", add_months(START, 1)),  # first
        (b, "sysselsattning", add_months(START, 3)),  # down
    ):
        StepChange.objects.create(person=person, step=_step(code), changed_on=on, reason="x")

    result = metrics.step_progression(PERIOD)

    assert (result.up, result.down, result.same, result.first, result.persons_up) == (
        2,
        1,
        0,
        1,
        1,
    )


def test_exits__reasons__share_to_work_or_studies(staff: Staff) -> None:
    for reason, on in (
        (ExitReason.WORK_REGULAR, add_months(START, 3)),
        (ExitReason.STUDIES, add_months(START, 4)),
        (ExitReason.MOVED, add_months(START, 5)),
        (ExitReason.OTHER_SUPPORT, add_months(START, 6)),
        (ExitReason.WORK_REGULAR, add_months(START, -6)),  # before the period
    ):
        Exit.objects.create(person=_person(staff), exit_on=on, reason=reason)

    result = metrics.exits(PERIOD)

    assert result.total == 4
    assert result.by_reason["work_regular"] == 1
    assert (result.to_work_or_studies, result.work_or_studies_share) == (2, 0.5)


def test_households_over_time__periods__per_month(staff: Staff) -> None:
    a = _person(staff, support_since=date(2026, 2, 1))
    _person(staff, support_since=date(2026, 4, 1), household=a.household)  # same household
    c = _person(staff, support_since=date(2025, 1, 1))
    SupportPeriod.objects.filter(person=c).update(last_month=date(2026, 2, 1))

    months = metrics.households_over_time(InsightFilter(date(2026, 1, 1), date(2026, 5, 31)))

    assert [(m.month.month, m.households, m.persons) for m in months] == [
        (1, 1, 1),
        (2, 2, 2),
        (3, 1, 1),
        (4, 1, 2),
        (5, 1, 2),
    ]


def test_capacity_vs_demand__requests_and_waiting__gap_in_places_and_money(
    staff: Staff,
) -> None:
    step = _step("arbete-med-samhallsstod")
    InterventionFactory(step=step, places=4, occupied=3, cost_per_place_month=8000, waiting=2)
    InterventionFactory(step=step, places=6, occupied=6, cost_per_place_month=10000)
    InterventionFactory(step=step, places=0, status=InterventionStatus.NEEDED, name="Behov")
    for _ in range(5):
        _assess(_person(staff), on=DAY - timedelta(days=30), step="arbete-med-samhallsstod")
    _assess(_person(staff), on=DAY - timedelta(days=30), step="arbete-studier")

    result = metrics.capacity_vs_demand(DAY)

    row = result.step("arbete-med-samhallsstod")
    assert (row.requested, row.waiting, row.demand) == (5, 2, 7)
    assert (row.places, row.free) == (10, 1)
    assert row.cost_per_place_month == 9200  # (4 × 8000 + 6 × 10000) / 10
    assert (row.gap_places, row.gap_sek_per_month) == (6, 55200)
    assert result.step("arbete-studier").requested == 1
    assert [m.name for m in result.missing] == ["Behov"]


def _everything() -> None:
    base = metrics.population(PERIOD)
    metrics.inventory(PERIOD, base=base)
    metrics.coverage(PERIOD, base=base)
    metrics.lead_times(PERIOD, base=base)
    metrics.follow_up_compliance(PERIOD, base=base)
    metrics.attendance_rate(PERIOD)
    metrics.step_progression(PERIOD)
    metrics.exits(PERIOD)
    metrics.households_over_time(PERIOD)
    metrics.capacity_vs_demand(DAY, base=base)


def _grow(staff: Staff, n: int) -> None:
    for i in range(n):
        p = _person(staff, sex="FM"[i % 2])
        _assess(p, on=DAY - timedelta(days=110), step="sysselsattning")
        _plan(p, on=DAY - timedelta(days=80), hours=Decimal(20), status=ActivityStatus.ONGOING)
        StepChange.objects.create(
            person=p, step=_step("sysselsattning"), changed_on=add_months(START, 2), reason="x"
        )
        Exit.objects.create(person=p, exit_on=DAY - timedelta(days=50), reason=ExitReason.STUDIES)
        FollowUp.objects.create(
            person=p,
            held_on=DAY - timedelta(days=22),
            mode=FollowUpMode.PHONE,
            notes="x",
            next_on=DAY - timedelta(days=3),
        )
        sent_on = DAY - timedelta(days=80)
        r = ReferralFactory(
            person=p,
            status="started",
            slot=1,
            started_on=sent_on + timedelta(days=9),
            sent_at=timezone.make_aware(datetime.combine(sent_on, time(0))),
        )
        Attendance.objects.create(
            referral=r, day=sent_on + timedelta(days=10), status="present", hours=Decimal(4)
        )


def test_all_metrics__5_and_50_persons__same_number_of_queries(staff: Staff) -> None:
    _grow(staff, 5)
    with CaptureQueriesContext(connection) as small:
        _everything()
    _grow(staff, 45)
    with CaptureQueriesContext(connection) as large:
        _everything()
    assert len(small.captured_queries) == len(large.captured_queries)
    assert metrics.inventory(PERIOD).recipients == 50
