"""A "Stockholm scale" municipality for the dashboard benchmark (issue 6): 30,000 recipients with
three years of history.

Written with ``bulk_create`` straight into the tables: persons with generated personnummer born
in the 1890s (never a living person; see ``heltid.demo.recipient_files.synthetic_personnummer``)
— their ``birth_date`` is spread over working ages instead, so that the rules see a realistic
population —, households (every fourth with children), one or two support periods in the last
three years (a third ended), exemptions for every sixth, assessments with requested next steps,
plans with activities, follow-ups, step changes and exits. The same ``count`` and ``today``
always give the same rows.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from benchmarks.caseload import free_numbers
from heltid.accounts.models import Unit, UnitKind
from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    Exit,
    ExitReason,
    FollowUp,
    Plan,
    PlanActivity,
    StepChange,
)
from heltid.catalog.models import Step
from heltid.registry.models import (
    AfProgramme,
    Child,
    Exemption,
    Household,
    IdKind,
    Person,
    ReasonCode,
    SupportPeriod,
)

UNITS = ("sthlm-city", "sthlm-soder", "sthlm-vast", "sthlm-norr")
NAMES = ("Amina", "Bo", "Carita", "Dawit", "Elin", "Farah", "Gustav", "Hanna", "Ibrahim")
BATCH = 2000
EXEMPTIONS = ("parental_leave", "sick_listed_full", "health_investigation", "fk_application")
EXITS = tuple(ExitReason)


def _month(today: date, months_back: int) -> date:
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


def _units() -> list[Unit]:
    return [
        Unit.objects.get_or_create(code=c, defaults={"name": c, "kind": UnitKind.BENEFIT})[0]
        for c in UNITS
    ]


@transaction.atomic
def add_municipality(count: int, *, today: date) -> int:
    """``count`` recipients with three years of casework history; returns the persons made."""
    units = _units()
    reasons = list(ReasonCode.objects.filter(active=True).order_by("sort_order", "pk"))
    steps = list(Step.objects.filter(active=True).order_by("position", "pk"))
    numbers = free_numbers(count)
    households = Household.objects.bulk_create(
        [Household(reference=f"BENCH-DB-{i:06d}") for i in range(count)], batch_size=BATCH
    )
    Child.objects.bulk_create(
        [
            Child(household=h, birth_date=today - timedelta(days=365 * (1 + i % 15)))
            for i, h in enumerate(households)
            if i % 4 == 0
        ],
        batch_size=BATCH,
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                personnummer=number,
                id_kind=IdKind.PERSONNUMMER,
                birth_date=today - timedelta(days=365 * (19 + i % 46) + i % 300),
                sex="F" if i % 20 < 11 else "M",
                first_name=NAMES[i % len(NAMES)],
                last_name=f"Bench{i:06d}",
                household=households[i],
                reason_code=reasons[0] if i % 3 else reasons[i % len(reasons)],
                af_programme=AfProgramme.JOB if i % 17 == 0 else AfProgramme.NONE,
                af_programme_since=today - timedelta(days=200) if i % 17 == 0 else None,
                unit=units[i % len(units)],
            )
            for i, number in enumerate(numbers)
        ],
        batch_size=BATCH,
    )
    periods: list[SupportPeriod] = []
    for i, p in enumerate(persons):
        start = 3 + (i * 7) % 34  # months back, within three years
        if i % 3 == 0:  # an earlier period that ended, then a current one
            periods.append(
                SupportPeriod(person=p, first_month=_month(today, start), last_month=None)
            )
            if start > 6:
                periods.append(
                    SupportPeriod(
                        person=p,
                        first_month=_month(today, 36),
                        last_month=_month(today, 36 - min(start - 6, 20)),
                    )
                )
        elif i % 3 == 1:
            periods.append(SupportPeriod(person=p, first_month=_month(today, start)))
        else:
            periods.append(
                SupportPeriod(
                    person=p,
                    first_month=_month(today, start),
                    last_month=_month(today, max(start - 8, 1)),
                )
            )
    SupportPeriod.objects.bulk_create(periods, batch_size=BATCH)
    Exemption.objects.bulk_create(
        [
            Exemption(
                person=p,
                group=EXEMPTIONS[i % len(EXEMPTIONS)],
                decided_on=today - timedelta(days=30 + i % 300),
                review_on=today + timedelta(days=30 + i % 100),
            )
            for i, p in enumerate(persons)
            if i % 6 == 0
        ],
        batch_size=BATCH,
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                person=p,
                assessed_on=today - timedelta(days=days),
                swedish_level=("none", "moderate", "large")[i % 3],
                health=("none", "physical", "mental", "both")[i % 4],
                work_experience_years=i % 12,
                requested_step=steps[i % len(steps)] if steps else None,
            )
            for i, p in enumerate(persons)
            if i % 10 < 7
            for days in ((20 + i % 300, 400 + i % 300) if i % 5 == 0 else (20 + i % 300,))
        ],
        batch_size=BATCH,
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(
                person=p,
                goal="Arbete",
                exit_target="work",
                version=1,
                created_on=today - timedelta(days=10 + i % 280),
            )
            for i, p in enumerate(persons)
            if i % 10 < 4
        ],
        batch_size=BATCH,
    )
    PlanActivity.objects.bulk_create(
        [
            activity
            for j, plan in enumerate(plans)
            for activity in (
                PlanActivity(
                    plan=plan,
                    kind=ActivityKind.JOB_SEARCH,
                    title="Söka arbete",
                    hours_per_week=Decimal(5),
                    status=ActivityStatus.PLANNED,
                ),
                PlanActivity(
                    plan=plan,
                    kind=ActivityKind.OTHER,
                    title="Arbetsträning",
                    hours_per_week=Decimal(20 + j % 21),
                    status=ActivityStatus.ONGOING if j % 2 == 0 else ActivityStatus.PLANNED,
                    start_on=plan.created_on + timedelta(days=j % 30) if j % 2 == 0 else None,
                ),
            )
        ],
        batch_size=BATCH,
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                person=p,
                held_on=today - timedelta(days=5 + k * 35 + i % 30),
                mode="phone",
                notes="Uppföljning",
                next_on=today - timedelta(days=5 + k * 35 + i % 30) + timedelta(days=30),
            )
            for i, p in enumerate(persons)
            if i % 2 == 0
            for k in range(3)
        ],
        batch_size=BATCH,
    )
    if steps:
        StepChange.objects.bulk_create(
            [
                StepChange(
                    person=p,
                    step=steps[(i + k) % len(steps)],
                    changed_on=today - timedelta(days=700 - k * 300 + i % 60),
                    reason="Ny bedömning",
                )
                for i, p in enumerate(persons)
                if i % 5 < 2
                for k in range(2)
            ],
            batch_size=BATCH,
        )
    Exit.objects.bulk_create(
        [
            Exit(
                person=p,
                exit_on=today - timedelta(days=10 + (i * 13) % 1090),
                reason=EXITS[i % len(EXITS)],
            )
            for i, p in enumerate(persons)
            if i % 10 == 3
        ],
        batch_size=BATCH,
    )
    return len(persons)
