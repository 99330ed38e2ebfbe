"""The demo's casework: requested next steps on the assessments, and for the case managers'
caseloads a plan with activities from the catalogue, follow-ups and assignment history —
some on time, some overdue, some newly covered with nothing done yet, as a real caseload looks.

Deterministic for a seed and a day; written with ``bulk_create`` inside the demo's transaction.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone

from heltid.accounts.models import User
from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    CaseAssignment,
    ExitTarget,
    FollowUp,
    FollowUpMode,
    Plan,
    PlanActivity,
    PlanVersion,
)
from heltid.casework.versions import snapshot
from heltid.catalog.models import Intervention, InterventionStatus, OccupancyCount, Step
from heltid.referrals.models import Referral, ReferralStatus
from heltid.referrals.services.places import transition
from heltid.referrals.services.referral import referral_accept, referral_create
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Child, Person
from heltid.rules import explain

# Requested next steps asked for in assessments (seeds: sysselsättning; arbetsinriktad
# rehabilitering; arbete med samhällsstöd) — chosen shares, with a demand for supported
# employment well above its places.
REQUESTED_STEPS = (
    ("sysselsattning", 30),
    ("arbetsinriktad-rehabilitering", 40),
    ("arbete-med-samhallsstod", 22),
    ("arbete-studier", 8),
)
PLAN_SHARE = 0.75  # of assessed caseload persons who have a plan
OVERDUE_SHARE = 0.2  # of persons with a plan whose last follow-up is over 30 days ago
RECORDED_AT = time(9)  # the demo's casework is recorded in the morning of the day it happened
GOALS = {
    ExitTarget.WORK: "Arbete inom {}",
    ExitTarget.STUDIES: "Studier inom vuxenutbildningen",
    ExitTarget.OTHER_SUPPORT: "Utredning av arbetsförmåga och rätt ersättning",
}
TRADES = ("lager och logistik", "handel", "vård och omsorg", "lokalvård", "restaurang", "bygg")


def recorded_at(day: date) -> datetime:
    """The moment the demo records what happened on ``day``: that day, never the real date the
    demo is built on (so snapshots of past days count it as known then)."""
    return timezone.make_aware(datetime.combine(day, RECORDED_AT))


def build_casework(*, seed: int, today: date) -> int:
    """Write the demo's casework; returns the number of plans made."""
    rng = random.Random(seed * 7919 + 17)
    _requested_steps(rng)
    case_managers = list(User.objects.filter(caseload__isnull=False).distinct().order_by("pk"))
    interventions = list(
        Intervention.objects.filter(status=InterventionStatus.ACTIVE).order_by("code")
    )
    plans = 0
    for case_manager in case_managers:
        plans += _caseload(rng, case_manager, interventions, today)
    _referrals(today)
    return plans


def _referrals(today: date) -> None:
    """Plan activities in an intervention get their referral, through the real services.

    The catalogue's counted occupancy (``OccupancyCount``) already includes these participants,
    so each referral that takes a place (or joins a queue) takes it over from the count: the
    staircase keeps the seeds' numbers, and the provider logins see real participants."""
    activities = (
        PlanActivity.objects.filter(kind=ActivityKind.INTERVENTION)
        .select_related("plan__person", "plan__created_by", "intervention")
        .order_by("pk")
    )
    for activity in activities:
        if activity.intervention is None:
            continue
        count = (
            OccupancyCount.objects.filter(intervention=activity.intervention, valid_from__lte=today)
            .order_by("-valid_from", "-pk")
            .first()
        )
        if count is None:
            continue
        if count.occupied > 0:
            count.occupied -= 1
        elif count.waiting > 0:
            count.waiting -= 1
        else:
            continue
        count.save(update_fields=["occupied", "waiting"])
        manager = activity.plan.created_by
        referral = referral_create(
            person=activity.plan.person,
            intervention=activity.intervention,
            plan_activity=activity,
            send=True,
            acting_user=manager,
            today=today,
        )
        referral = referral_accept(referral=referral, acting_user=None, today=today)
        if referral.status == "accepted" and activity.status == ActivityStatus.ONGOING:
            # The demo's day may lie before the real today, where referral_start's date checks
            # stand: the transition itself is the same.
            transition(referral, ReferralStatus.STARTED, acting_user=None, today=today)
        # From the day the count was taken, like the participants it stood for.
        since = timezone.make_aware(datetime.combine(count.valid_from, time(8)))
        started = (
            max(count.valid_from, activity.start_on or today)
            if referral.status == ReferralStatus.STARTED
            else None
        )
        Referral.objects.filter(pk=referral.pk).update(
            started_on=started,
            sent_at=since,
            place_from=since if referral.slot else None,
            accepted_at=since if referral.slot else None,
            waiting_since=None if referral.slot else since,
            created_at=since,
        )


def _requested_steps(rng: random.Random) -> None:
    steps = {s.code: s for s in Step.objects.all()}
    codes = [code for code, _ in REQUESTED_STEPS if code in steps]
    weights = [w for code, w in REQUESTED_STEPS if code in steps]
    if not codes:
        return
    assessments = list(Assessment.objects.filter(requested_step__isnull=True).order_by("pk"))
    for assessment in assessments:
        assessment.requested_step = steps[rng.choices(codes, weights)[0]]
    Assessment.objects.bulk_update(assessments, ["requested_step"], batch_size=1000)


def _caseload(
    rng: random.Random, case_manager: User, interventions: list[Intervention], today: date
) -> int:
    persons = list(
        Person.objects.filter(case_manager=case_manager)
        .select_related("household", "reason_code")
        .prefetch_related(
            "support_periods",
            "exemptions",
            Prefetch("household__children", queryset=Child.objects.order_by("birth_date")),
            "facts",
            Prefetch("assessments", queryset=Assessment.objects.order_by("-assessed_on")),
        )
        .order_by("pk")
    )
    CaseAssignment.objects.bulk_create(
        CaseAssignment(
            person=p,
            case_manager=case_manager,
            assigned_by=None,
            reason="Ny i målgruppen (demo)",
            assigned_at=recorded_at(_support_began(p, today)),
        )
        for p in persons
    )
    made = 0
    for person in persons:
        explanation = explain(
            coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY
        )
        assessments = list(person.assessments.all())
        if not assessments or rng.random() > PLAN_SHARE:
            continue
        started = max(assessments[0].assessed_on, today - timedelta(days=300))
        _plan(rng, person, case_manager, interventions, started, explanation.weekly_hours, today)
        made += 1
    return made


def _support_began(person: Person, today: date) -> date:
    """The first month of the person's support period running on ``today``."""
    return max(
        (p.first_month for p in person.support_periods.all() if p.first_month <= today),
        default=today,
    )


def _plan(
    rng: random.Random,
    person: Person,
    case_manager: User,
    interventions: list[Intervention],
    started: date,
    target: Decimal,
    today: date,
) -> None:
    plan_on = min(today, started + timedelta(days=rng.randint(0, 10)))
    target_kind = rng.choices(list(GOALS), [70, 15, 15])[0]
    plan = Plan.objects.create(
        person=person,
        goal=GOALS[target_kind].format(rng.choice(TRADES)),
        exit_target=target_kind,
        created_on=plan_on,
        created_by=case_manager,
        version=1,
    )
    activities = []
    assigned = Decimal(0)
    if interventions and target > 0:
        chosen = rng.choice(interventions)
        hours = min(target, chosen.hours_per_week or Decimal(20), Decimal(30))
        ongoing = plan_on + timedelta(days=14) <= today
        activities.append(
            PlanActivity(
                plan=plan,
                kind=ActivityKind.INTERVENTION,
                intervention=chosen,
                title=chosen.name,
                hours_per_week=hours,
                status=ActivityStatus.ONGOING if ongoing else ActivityStatus.PLANNED,
                agreed=True,
                start_on=plan_on + timedelta(days=rng.randint(3, 14)),
                added_by=case_manager,
                added_at=recorded_at(plan_on),
            )
        )
        assigned += hours
    rest = target - assigned
    if rest > 0 and rng.random() < 0.7:  # most plans fill the week with a health track
        activities.append(
            PlanActivity(
                plan=plan,
                kind=ActivityKind.HEALTH,
                title="Hälsofrämjande aktivitet",
                hours_per_week=rest,
                status=ActivityStatus.PLANNED,
                agreed=True,
                added_by=case_manager,
                added_at=recorded_at(plan_on),
            )
        )
    activities.append(
        PlanActivity(
            plan=plan,
            kind=ActivityKind.JOB_SEARCH,
            title="Eget jobbsökande",
            hours_per_week=Decimal(rng.choice((3, 5, 8))),
            status=ActivityStatus.PLANNED,
            agreed=True,
            added_by=case_manager,
            added_at=recorded_at(plan_on),
        )
    )
    saved = PlanActivity.objects.bulk_create(activities)
    PlanVersion.objects.create(
        plan=plan,
        number=1,
        created_by=case_manager,
        reason="Plan upprättad",
        snapshot=snapshot(plan, saved),
        created_at=recorded_at(plan_on),
    )
    _follow_ups(rng, person, case_manager, plan, plan_on, today)


def _follow_ups(
    rng: random.Random, person: Person, case_manager: User, plan: Plan, plan_on: date, today: date
) -> None:
    overdue = rng.random() < OVERDUE_SHARE
    stop = today - timedelta(days=rng.randint(31, 50)) if overdue else today
    held = plan_on + timedelta(days=rng.randint(20, 30))
    rows = []
    while held <= stop:
        rows.append(
            FollowUp(
                person=person,
                held_on=held,
                mode=rng.choice(list(FollowUpMode)),
                notes="Uppföljning av planen. Deltagaren är på plats enligt schemat.",
                next_on=held + timedelta(days=28),
                plan=plan,
                created_by=case_manager,
                created_at=recorded_at(held),
            )
        )
        held += timedelta(days=rng.randint(21, 30))
    FollowUp.objects.bulk_create(rows)
