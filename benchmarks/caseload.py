"""A synthetic caseload for the caseload-page benchmark (issue 4: a case manager with 120 persons).

Written with ``bulk_create`` straight into the tables: persons with generated personnummer born
in the 1890s (never a living person; see ``heltid.demo.recipient_files.synthetic_personnummer``),
their households (every fifth with children), support periods (most long enough to be covered,
some too new to be, one in nine ended), and — spread over the caseload — assessments, plans with
activities and follow-ups, so that every deadline state occurs. The same ``first`` and ``count``
always give the same rows, so a caseload can grow in two calls (30, then 90 more).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import islice

from django.db import transaction

from heltid.accounts.models import User
from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    FollowUp,
    Plan,
    PlanActivity,
)
from heltid.demo.recipient_files import synthetic_personnummer
from heltid.registry.identity import parse_identity
from heltid.registry.models import Child, Household, IdKind, Person, ReasonCode, SupportPeriod

CHECK_BATCH = 500
FIRST_NAMES = ("Amina", "Bo", "Carita", "Dawit", "Elin", "Farah", "Gustav", "Hanna", "Ibrahim")
LAST_NAMES = ("Andersson", "Berg", "Hassan", "Lind", "Mohammed", "Nyström", "Öberg", "Yilmaz")


def free_numbers(count: int) -> list[str]:
    """``count`` synthetic personnummer not yet in the registry (the registry benchmark's import
    takes the first ones)."""
    generator = synthetic_personnummer(10**6)
    taken = Person.objects.filter(personnummer__startswith="189").count()
    generator = islice(generator, taken, None)
    result: list[str] = []
    while len(result) < count:
        batch = list(islice(generator, CHECK_BATCH))
        if not batch:
            raise SystemExit("no free synthetic personnummer left")
        used = set(
            Person.objects.filter(personnummer__in=batch).values_list("personnummer", flat=True)
        )
        result.extend(n for n in batch if n not in used)
    return result[:count]


def _month(today: date, months_back: int) -> date:
    index = today.year * 12 + today.month - 1 - months_back
    return date(index // 12, index % 12 + 1, 1)


@transaction.atomic
def add_caseload(case_manager: User, count: int, *, today: date, first: int = 0) -> list[Person]:
    """``count`` persons on ``case_manager``'s caseload, numbered from ``first``."""
    reason = ReasonCode.objects.get(label="Arbetslös, ingen ersättning/stöd")
    numbers = free_numbers(count)
    households = Household.objects.bulk_create(
        [Household(reference=f"BENCH-CL-{case_manager.pk}-{first + i:05d}") for i in range(count)]
    )
    Child.objects.bulk_create(
        [
            Child(household=h, birth_date=today - timedelta(days=365 * (2 + i % 9)))
            for i, h in enumerate(households, start=first)
            if i % 5 == 0
        ]
    )
    persons = []
    for i, (number, household) in enumerate(zip(numbers, households, strict=True), start=first):
        identity = parse_identity(number)
        persons.append(
            Person(
                personnummer=identity.number,
                id_kind=IdKind.PERSONNUMMER,
                birth_date=identity.birth_date,
                sex=identity.sex,
                first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                last_name=LAST_NAMES[i % len(LAST_NAMES)],
                protected_identity=i % 15 == 0,
                household=household,
                reason_code=reason,
                unit_id=case_manager.unit_id,
                case_manager=case_manager,
            )
        )
    persons = Person.objects.bulk_create(persons)
    SupportPeriod.objects.bulk_create(
        [
            SupportPeriod(
                person=p,
                first_month=_month(today, 2 if i % 8 == 0 else 4 + i % 20),
                last_month=_month(today, 1) if i % 9 == 0 else None,
            )
            for i, p in enumerate(persons, start=first)
        ]
    )
    Assessment.objects.bulk_create(
        [
            Assessment(
                person=p,
                assessed_on=today - timedelta(days=5 + i % 40),
                swedish_level=("none", "moderate", "large")[i % 3],
                health=("none", "physical", "mental", "both")[i % 4],
                activity_capacity_hours=Decimal(10 + i % 30),
                assessed_by=case_manager,
            )
            for i, p in enumerate(persons, start=first)
            if i % 2 == 0
        ]
    )
    plans = Plan.objects.bulk_create(
        [
            Plan(
                person=p,
                goal="Arbete inom vård eller lager",
                exit_target="work",
                version=1,
                created_on=today - timedelta(days=4 + i % 35),
                created_by=case_manager,
            )
            for i, p in enumerate(persons, start=first)
            if i % 3 != 1
        ]
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
                    added_by=case_manager,
                ),
                PlanActivity(
                    plan=plan,
                    kind=ActivityKind.OTHER,
                    title="Arbetsträning",
                    hours_per_week=Decimal(20),
                    status=ActivityStatus.ONGOING if j % 2 == 0 else ActivityStatus.PLANNED,
                    start_on=plan.created_on if j % 2 == 0 else None,
                    added_by=case_manager,
                ),
            )
        ]
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(
                person=p,
                held_on=today - timedelta(days=3 + i % 40),
                mode="phone",
                notes="Uppföljning per telefon",
                next_on=today - timedelta(days=3 + i % 40) + timedelta(days=14 + i % 20),
                created_by=case_manager,
            )
            for i, p in enumerate(persons, start=first)
            if i % 4 == 0
        ]
    )
    return persons
