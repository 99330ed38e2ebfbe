"""The dashboard's figures: one definition for the dashboard page, the board report and the
benchmarks.

Every function takes an :class:`InsightFilter` (or a date) and returns a dataclass of plain
numbers, ready for tables, charts and reports. Each uses a FIXED number of queries whatever the
size of the data: counts are aggregated in the database, or one flat query is folded in Python.
Nothing here suppresses small cells; the page does that for the people who see aggregates only.

Snapshots (inventory, coverage, follow-up compliance, capacity) are taken on the period's last
day; flows (lead times, referrals, attendance, step changes, exits) count what happened within
the period. The person filters (unit, sex, age group on the last day, step on the last day)
apply to both.

The coverage rules run in Python (:func:`heltid.rules.explain`), exactly as on the person page:
:func:`population` loads everyone on support on the last day in four flat queries and explains
each once; pass its result as ``base=`` to share it between several functions of one request.
"""

from __future__ import annotations

import statistics as stats
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce

from heltid.casework.facts import with_casework_dates
from heltid.casework.models import (
    COUNTING_STATUSES,
    NOT_ASSIGNED_KINDS,
    WORK_OR_STUDIES,
    ActivityStatus,
    Assessment,
    Exit,
    ExitReason,
    Health,
    PlanActivity,
    PlanStatus,
    StepChange,
)
from heltid.catalog.models import Intervention, InterventionStatus, Step
from heltid.catalog.selectors import staircase
from heltid.ids import chunks
from heltid.insights.filters import InsightFilter, age_span
from heltid.registry.models import (
    AfProgramme,
    Child,
    Exemption,
    FactKind,
    Person,
    PersonFact,
    SupportPeriod,
)
from heltid.rules import CoverageFacts, ExemptionGroup, explain
from heltid.rules.dates import add_months, age_on, month_start
from heltid.rules.deadlines import DeadlineKind, DeadlineState, casework_deadlines
from heltid.rules.explanation import activation_from
from heltid.rules.policy import load_policy
from heltid.rules.types import Period

# Lead-time distributions: upper bounds (days, inclusive) of the buckets; the last is open.
LEAD_TIME_BUCKETS: tuple[tuple[str, int | None], ...] = (
    ("0-7", 7),
    ("8-14", 14),
    ("15-30", 30),
    ("31-60", 60),
    ("61-90", 90),
    ("91-", None),
)


# --- the person filter ------------------------------------------------------------------------


def _birth_range(code: str, on: date) -> tuple[date, date] | None:
    """Birth dates of persons whose age on ``on`` falls in the age group ``code``."""
    span = age_span(code)
    if span is None:
        return None
    low, high = span
    return _years_before(on, high + 1) + timedelta(days=1), _years_before(on, low)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def current_step_subquery(on: date) -> Subquery:
    """The code of the step a person stands on on ``on`` (the latest step change)."""
    return Subquery(
        StepChange.objects.filter(person=OuterRef("pk"), changed_on__lte=on)
        .order_by("-changed_on", "-pk")
        .values("step__code")[:1]
    )


def persons(f: InsightFilter) -> QuerySet[Person]:
    """Persons matching the filter's unit, sex, age group and step (no support condition)."""
    result = Person.objects.all()
    if f.unit:
        result = result.filter(unit__code=f.unit)
    if f.sex:
        result = result.filter(sex=f.sex)
    if f.age_group:
        span = _birth_range(f.age_group, f.end)
        if span is None:
            return result.none()
        result = result.filter(birth_date__range=span)
    if f.step:
        result = result.annotate(current_step=current_step_subquery(f.end)).filter(
            current_step=f.step
        )
    return result


def of_persons(f: InsightFilter, path: str = "person") -> Q:
    """Rows whose person (at ``path``) matches ``f``'s person filters; no condition at all
    when there are none (a semi-join over every person costs time and filters nothing)."""
    if not (f.unit or f.sex or f.age_group or f.step):
        return Q()
    return Q(**{f"{path}__in": persons(f).values("pk")})


def on_support_q(on: date) -> Q:
    """Persons with a support period covering the month of ``on``."""
    return Q(
        Exists(
            SupportPeriod.objects.filter(person=OuterRef("pk"), first_month__lte=on).filter(
                Q(last_month__isnull=True) | Q(last_month__gte=month_start(on))
            )
        )
    )


# --- the population on the last day -----------------------------------------------------------


class PersonFacts(NamedTuple):
    """One recipient on the last day, explained by the rules (a named tuple: tens of thousands
    are made per request, and a tuple is made ten times faster than a frozen dataclass)."""

    pk: int
    sex: str
    household_id: int
    unit_code: str
    age: int
    step_code: str  # the step the person stands on on the day ("" for none)
    af_programme: str
    target_group: bool
    covered: bool
    covered_from: date | None
    exemption: str | None
    weekly_hours: Decimal
    assessed_on: date | None
    plan_on: date | None
    first_activity_on: date | None
    last_follow_up_on: date | None
    next_follow_up_on: date | None
    health: str | None
    requested_step_id: int | None
    plan_hours: Decimal
    has_ongoing: bool
    reason_code: str = ""  # the försörjningshinder's label
    # in the municipality's activation from (rules.activation_from); live rows only, not kept
    # in snapshots
    activation_from: date | None = None


@dataclass(frozen=True)
class Population:
    on: date
    rows: tuple[PersonFacts, ...]


def population(f: InsightFilter) -> Population:
    """Everyone matching ``f`` who is on support on ``f.end``, explained. Five queries per
    5,000 persons.

    This is the live computation; pages and reports read it through
    :func:`heltid.insights.snapshots.population`, which stores it once per day."""
    on = f.end
    chosen = persons(f).filter(on_support_q(on))
    latest_assessment = Assessment.objects.filter(person=OuterRef("pk")).order_by(
        "-assessed_on", "-created_at", "-pk"
    )
    active_counting = PlanActivity.objects.filter(
        plan__person=OuterRef("pk"),
        plan__status=PlanStatus.ACTIVE,
        status__in=COUNTING_STATUSES,
    ).exclude(kind__in=NOT_ASSIGNED_KINDS)
    hours = (
        active_counting.values("plan__person")
        .annotate(total=Sum("hours_per_week"))
        .values("total")[:1]
    )
    rows = with_casework_dates(chosen).annotate(
        health=Subquery(latest_assessment.values("health")[:1]),
        requested_step_id=Subquery(latest_assessment.values("requested_step_id")[:1]),
        plan_hours=Coalesce(
            Subquery(hours, output_field=DecimalField(max_digits=6, decimal_places=1)),
            Decimal(0),
            output_field=DecimalField(max_digits=6, decimal_places=1),
        ),
        has_ongoing=Exists(
            PlanActivity.objects.filter(
                plan__person=OuterRef("pk"),
                plan__status=PlanStatus.ACTIVE,
                status=ActivityStatus.ONGOING,
            )
        ),
    )
    values = list(
        rows.values_list(
            "pk",
            "sex",
            "household_id",
            "birth_date",
            "unit__code",
            "af_programme",
            "af_programme_since",
            "reason_code__label",
            "reason_code__group",
            "part_time_hours",
            "individual_weekly_hours",
            "individual_hours_reason",
            "assessed_on",
            "plan_on",
            "first_activity_on",
            "last_follow_up_on",
            "next_follow_up_on",
            "health",
            "requested_step_id",
            "plan_hours",
            "has_ongoing",
        )
    )
    # The related rows by the ids just read, in chunks: an IN over a subquery with EXISTS made
    # PostgreSQL pick a nested loop of minutes on freshly loaded tables without statistics.
    person_ids = [row[0] for row in values]
    household_ids = sorted({row[2] for row in values})
    periods: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    exemptions: dict[int, list[tuple[str, date, date, date | None]]] = defaultdict(list)
    steps: dict[int, str] = {}
    # benefits and schooling as known on the day (decision record 0015)
    dated: dict[int, list[tuple[str, Period]]] = defaultdict(list)
    for chunk in chunks(person_ids):
        for person_id, first, last in SupportPeriod.objects.filter(person_id__in=chunk).values_list(
            "person_id", "first_month", "last_month"
        ):
            periods[person_id].append((first, last))
        for person_id, group, decided, review, ended in Exemption.objects.filter(
            person_id__in=chunk
        ).values_list("person_id", "group", "decided_on", "review_on", "ended_on"):
            exemptions[person_id].append((group, decided, review, ended))
        for person_id, code in (
            StepChange.objects.filter(person_id__in=chunk, changed_on__lte=on)
            .order_by("person_id", "changed_on", "pk")
            .values_list("person_id", "step__code")
        ):
            steps[person_id] = code  # the latest wins
        for person_id, kind, value, starts, ends in (
            PersonFact.objects.filter(
                person_id__in=chunk,
                kind__in=(FactKind.BENEFIT, FactKind.SCHOOLING),
                recorded_on__lte=on,
            )
            .exclude(superseded_on__lte=on)
            .values_list("person_id", "kind", "value", "starts_on", "ends_on")
        ):
            dated[person_id].append((kind, Period(value, starts, ends)))
    children: dict[int, list[date]] = defaultdict(list)
    for chunk in chunks(household_ids):
        for household_id, born in Child.objects.filter(household_id__in=chunk).values_list(
            "household_id", "birth_date"
        ):
            children[household_id].append(born)

    result = []
    for (
        pk,
        sex,
        household_id,
        birth,
        unit_code,
        af,
        af_since,
        label,
        group,
        part_time,
        individual,
        individual_reason,
        *casework,
    ) in values:
        facts = _coverage_facts(
            birth_date=birth,
            periods=periods.get(pk, []),
            exemptions=exemptions.get(pk, []),
            children=children.get(household_id, []),
            af_programme=af,
            af_programme_since=af_since,
            reason_label=label,
            reason_group=group,
            part_time_hours=part_time,
            individual_weekly_hours=individual,
            individual_hours_reason=individual_reason,
            on=on,
        )
        facts = replace(
            facts,
            benefits=tuple(p for k, p in dated.get(pk, []) if k == FactKind.BENEFIT),
            schooling=tuple(p for k, p in dated.get(pk, []) if k == FactKind.SCHOOLING),
        )
        try:
            explanation = explain(facts, on=on, policy=settings.HELTID_POLICY)
        except ValueError:  # inconsistent facts: shown on the person page, not counted here
            continue
        assessed, plan_on, first_activity, last_follow_up, next_follow_up = casework[:5]
        health, requested_step_id, plan_hours, has_ongoing = casework[5:]
        result.append(
            PersonFacts(
                pk=pk,
                sex=sex,
                household_id=household_id,
                unit_code=unit_code or "",
                age=age_on(birth, on),
                step_code=steps.get(pk, ""),
                # the programme on the day: one that starts later is not counted yet
                af_programme=af if af_since is None or af_since <= on else AfProgramme.NONE,
                target_group=explanation.target_group,
                covered=explanation.covered,
                covered_from=explanation.covered_from,
                exemption=explanation.exemption,
                weekly_hours=explanation.weekly_hours,
                activation_from=activation_from(explanation),
                assessed_on=assessed,
                plan_on=plan_on,
                first_activity_on=first_activity,
                last_follow_up_on=last_follow_up,
                next_follow_up_on=next_follow_up,
                health=health,
                requested_step_id=requested_step_id,
                plan_hours=Decimal(plan_hours or 0),
                has_ongoing=bool(has_ongoing),
                reason_code=label or "",
            )
        )
    return Population(on=on, rows=tuple(result))


def _coverage_facts(
    *,
    birth_date: date,
    periods: Sequence[tuple[date, date | None]],
    exemptions: Sequence[tuple[str, date, date, date | None]],
    children: Sequence[date],
    af_programme: str,
    af_programme_since: date | None,
    reason_label: str | None,
    reason_group: str | None,
    part_time_hours: Decimal,
    individual_weekly_hours: Decimal | None,
    individual_hours_reason: str,
    on: date,
) -> CoverageFacts:
    """The same facts as :func:`heltid.registry.facts.coverage_facts`, from flat rows."""
    ordered = sorted(periods, key=lambda p: p[0], reverse=True)
    current = next((p for p in ordered if p[0] <= on), None)
    active = next(
        (
            e
            for e in sorted(exemptions, key=lambda e: e[1], reverse=True)
            if e[3] is None or e[3] > on
        ),
        None,
    )
    decided = active is not None and active[1] <= on
    return CoverageFacts(
        birth_date=birth_date,
        support_since=current[0] if current else None,
        support_until=current[1] if current else None,
        af_programme=af_programme,
        af_programme_since=af_programme_since,
        reason_code=reason_label,
        reason_group=reason_group,
        exemption=active[0] if active and decided else None,
        exemption_review_on=active[2] if active and decided else None,
        children_birth_dates=tuple(sorted(children)),
        part_time_hours=part_time_hours,
        individual_weekly_hours=individual_weekly_hours,
        individual_hours_reason=individual_hours_reason,
    )


def _base(f: InsightFilter, base: Population | None) -> Population:
    return base if base is not None and base.on == f.end else population(f)


# --- 1. inventory -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Inventory:
    on: date
    recipients: int
    target_group: int
    covered: int
    exempt: int
    exempt_by_reason: dict[str, int]
    in_af_programme: int
    women: int
    target_women: int
    target_assessed: int
    target_ill_health: int

    @property
    def target_women_share(self) -> float:
        return _share(self.target_women, self.target_group)

    @property
    def target_ill_health_share(self) -> float:
        return _share(self.target_ill_health, self.target_assessed)


def inventory(f: InsightFilter, *, base: Population | None = None) -> Inventory:
    """Recipients on the last day, the target group, covered, exempt by reason and in
    Arbetsförmedlingen programmes. Four queries (none with ``base``)."""
    pop = _base(f, base)
    by_reason: Counter[str] = Counter(r.exemption for r in pop.rows if r.exemption)
    target = [r for r in pop.rows if r.target_group]
    assessed = [r for r in target if r.health is not None]
    return Inventory(
        on=pop.on,
        recipients=len(pop.rows),
        target_group=len(target),
        covered=sum(r.covered for r in pop.rows),
        exempt=sum(by_reason.values()),
        exempt_by_reason={g.value: by_reason.get(g.value, 0) for g in ExemptionGroup},
        in_af_programme=sum(r.af_programme != AfProgramme.NONE for r in pop.rows),
        women=sum(r.sex == "F" for r in pop.rows),
        target_women=sum(r.sex == "F" for r in target),
        target_assessed=len(assessed),
        target_ill_health=sum(r.health != Health.NONE for r in assessed),
    )


# --- 2. coverage ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    covered: int
    with_plan: int
    with_ongoing_activity: int
    with_full_hours: int

    @property
    def plan_share(self) -> float:
        return _share(self.with_plan, self.covered)

    @property
    def activity_share(self) -> float:
        return _share(self.with_ongoing_activity, self.covered)

    @property
    def full_hours_share(self) -> float:
        return _share(self.with_full_hours, self.covered)


def coverage(f: InsightFilter, *, base: Population | None = None) -> Coverage:
    """Covered persons on the last day with an active plan, with an ongoing activity, and whose
    plan's assigned hours reach their weekly hours."""
    covered = [r for r in _base(f, base).rows if r.covered]
    return Coverage(
        covered=len(covered),
        with_plan=sum(r.plan_on is not None for r in covered),
        with_ongoing_activity=sum(r.has_ongoing for r in covered),
        with_full_hours=sum(
            r.plan_on is not None and r.plan_hours >= r.weekly_hours for r in covered
        ),
    )


# --- 3. lead times ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LeadTime:
    """Days from one event to the next: how many, the median, and a distribution."""

    code: str  # coverage_assessment, assessment_plan, plan_activity, coverage_activity, referral
    count: int
    median_days: float | None
    buckets: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class LeadTimes:
    items: tuple[LeadTime, ...]

    def get(self, code: str) -> LeadTime:
        return next(i for i in self.items if i.code == code)


def lead_time(code: str, days: Iterable[int]) -> LeadTime:
    values = sorted(max(d, 0) for d in days)
    buckets: list[tuple[str, int]] = []
    low = 0
    for label, high in LEAD_TIME_BUCKETS:
        buckets.append((label, sum(1 for v in values if v >= low and (high is None or v <= high))))
        low = (high or 0) + 1
    return LeadTime(
        code=code,
        count=len(values),
        median_days=float(stats.median(values)) if values else None,
        buckets=tuple(buckets),
    )


def lead_times(f: InsightFilter, *, base: Population | None = None) -> LeadTimes:
    """For covered persons whose coverage began in the period: coverage → assessment → plan →
    first activity (latest assessment, active plan, first started activity; done before
    coverage counts as 0 days). For referrals sent in the period that have started: sent →
    start. Five queries (one with ``base``)."""
    from heltid.referrals.models import Referral

    rows = [
        r
        for r in _base(f, base).rows
        if r.covered and r.covered_from is not None and f.start <= r.covered_from <= f.end
    ]

    def gaps(pairs: Iterable[tuple[date | None, date | None]]) -> list[int]:
        return [(b - a).days for a, b in pairs if a is not None and b is not None]

    referrals = Referral.objects.filter(
        of_persons(f),
        sent_at__date__range=(f.start, f.end),
        started_on__isnull=False,
    )
    if f.known_at is not None:  # a start registered after the figures were stored waits
        referrals = referrals.filter(started_on__lte=f.known_at.date())
    referral_days = [
        (started - sent.date()).days
        for sent, started in referrals.values_list("sent_at", "started_on")
        if sent is not None and started is not None
    ]
    return LeadTimes(
        items=(
            lead_time("coverage_assessment", gaps((r.covered_from, r.assessed_on) for r in rows)),
            lead_time("assessment_plan", gaps((r.assessed_on, r.plan_on) for r in rows)),
            lead_time("plan_activity", gaps((r.plan_on, r.first_activity_on) for r in rows)),
            lead_time(
                "coverage_activity", gaps((r.covered_from, r.first_activity_on) for r in rows)
            ),
            lead_time("referral", referral_days),
        )
    )


# --- 4. follow-up compliance ------------------------------------------------------------------


@dataclass(frozen=True)
class FollowUpCompliance:
    """Covered persons on the last day whose follow-up is not overdue by the policy's interval
    (counted from the last follow-up, or from coverage when there has been none)."""

    covered: int
    on_time: int
    interval_days: int

    @property
    def share(self) -> float:
        return _share(self.on_time, self.covered)


def follow_up_compliance(f: InsightFilter, *, base: Population | None = None) -> FollowUpCompliance:
    pop = _base(f, base)
    covered = [r for r in pop.rows if r.covered and r.covered_from is not None]
    on_time = sum(followed_up_on_time(r, on=pop.on) for r in covered)
    interval = load_policy(settings.HELTID_POLICY, pop.on).casework.follow_up_days.value
    return FollowUpCompliance(covered=len(covered), on_time=on_time, interval_days=interval)


def followed_up_on_time(r: PersonFacts, *, on: date) -> bool:
    """No follow-up of this covered person is overdue on ``on`` by the policy's interval."""
    deadlines = casework_deadlines(_casework_facts(r), today=on, policy=settings.HELTID_POLICY)
    return not any(
        d.kind == DeadlineKind.FOLLOW_UP and d.state == DeadlineState.OVERDUE for d in deadlines
    )


def _casework_facts(r: PersonFacts) -> Any:
    from heltid.rules.deadlines import CaseworkFacts

    return CaseworkFacts(
        covered_from=r.covered_from,
        assessed_on=r.assessed_on,
        plan_on=r.plan_on,
        first_activity_on=r.first_activity_on,
        last_follow_up_on=r.last_follow_up_on,
        next_follow_up_on=r.next_follow_up_on,
    )


# --- 5. attendance ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceRate:
    """Registered attendance days in the period: attended (present or another planned
    activity) against all registered days."""

    days: int
    attended: int

    @property
    def share(self) -> float:
        return _share(self.attended, self.days)


def attendance_rate(f: InsightFilter) -> AttendanceRate:
    """One query."""
    from heltid.referrals.models import ATTENDED, Attendance

    days = Attendance.objects.filter(of_persons(f, "referral__person"), day__range=(f.start, f.end))
    totals = days.aggregate(days=Count("pk"), attended=Count("pk", filter=Q(status__in=ATTENDED)))
    return AttendanceRate(days=totals["days"] or 0, attended=totals["attended"] or 0)


# --- 6. step progression ----------------------------------------------------------------------


@dataclass(frozen=True)
class StepProgression:
    """Step changes in the period: up (towards work), down, and first placements."""

    up: int
    down: int
    same: int
    first: int
    persons_up: int

    @property
    def changes(self) -> int:
        return self.up + self.down + self.same + self.first


def step_progression(f: InsightFilter) -> StepProgression:
    """Each change is compared with the person's previous step (by position). One query."""
    changes = StepChange.objects.filter(of_persons(f), changed_on__lte=f.end)
    if f.known_at is not None:
        changes = changes.filter(created_at__lte=f.known_at)
    rows = changes.order_by("person_id", "changed_on", "pk").values_list(
        "person_id", "changed_on", "step__position"
    )
    up = down = same = first = 0
    risers: set[int] = set()
    previous: tuple[int, int] | None = None  # person, position
    for person_id, changed_on, position in rows:
        before = previous[1] if previous and previous[0] == person_id else None
        previous = (person_id, position)
        if changed_on < f.start:
            continue
        if before is None:
            first += 1
        elif position > before:
            up += 1
            risers.add(person_id)
        elif position < before:
            down += 1
        else:
            same += 1
    return StepProgression(up=up, down=down, same=same, first=first, persons_up=len(risers))


# --- 7. exits ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Exits:
    by_reason: dict[str, int]
    total: int
    to_work_or_studies: int

    @property
    def work_or_studies_share(self) -> float:
        return _share(self.to_work_or_studies, self.total)


def exits(f: InsightFilter) -> Exits:
    """Exits in the period by reason. One query."""
    recorded = Exit.objects.filter(of_persons(f), exit_on__range=(f.start, f.end))
    if f.known_at is not None:
        recorded = recorded.filter(created_at__lte=f.known_at)
    counts = dict(recorded.values_list("reason").annotate(n=Count("pk")).values_list("reason", "n"))
    by_reason = {r.value: counts.get(r.value, 0) for r in ExitReason}
    return Exits(
        by_reason=by_reason,
        total=sum(by_reason.values()),
        to_work_or_studies=sum(by_reason[r.value] for r in WORK_OR_STUDIES),
    )


# --- 8. households over time ------------------------------------------------------------------


@dataclass(frozen=True)
class MonthCount:
    month: date  # first day
    households: int
    persons: int


def households_over_time(f: InsightFilter) -> list[MonthCount]:
    """Households (and adults) on support in each month of the period. One query."""
    first = month_start(f.start)
    last = month_start(f.end)
    months: list[date] = []
    m = first
    while m <= last:
        months.append(m)
        m = add_months(m, 1)
    periods = SupportPeriod.objects.filter(of_persons(f), first_month__lte=last).filter(
        Q(last_month__isnull=True) | Q(last_month__gte=first)
    )
    counts: dict[str, Any] = {}
    for i, m in enumerate(months):
        during = Q(first_month__lte=m) & (Q(last_month__isnull=True) | Q(last_month__gte=m))
        counts[f"h{i}"] = Count("person__household_id", filter=during, distinct=True)
        counts[f"p{i}"] = Count("person_id", filter=during, distinct=True)
    totals = periods.aggregate(**counts) if months else {}
    return [
        MonthCount(m, totals.get(f"h{i}") or 0, totals.get(f"p{i}") or 0)
        for i, m in enumerate(months)
    ]


# --- 9. capacity versus demand ----------------------------------------------------------------


@dataclass(frozen=True)
class MissingIntervention:
    code: str
    name: str
    step: str
    places: int
    cost_per_place_month: int


@dataclass(frozen=True)
class StepCapacity:
    """Demand (covered persons asking for the step + the waiting list) against supply."""

    step_code: str
    step_name: str
    requested: int
    waiting: int
    places: int
    occupied: int
    free: int
    cost_per_place_month: int  # the step's average (weighted by places)

    @property
    def demand(self) -> int:
        return self.requested + self.waiting

    @property
    def gap_places(self) -> int:
        """Places missing: demand that the free places cannot take."""
        return max(self.demand - self.free, 0)

    @property
    def gap_sek_per_month(self) -> int:
        return self.gap_places * self.cost_per_place_month


@dataclass(frozen=True)
class CapacityVsDemand:
    on: date
    steps: tuple[StepCapacity, ...]
    missing: tuple[MissingIntervention, ...] = field(default_factory=tuple)

    @property
    def gap_places(self) -> int:
        return sum(s.gap_places for s in self.steps)

    @property
    def gap_sek_per_month(self) -> int:
        return sum(s.gap_sek_per_month for s in self.steps)

    def step(self, code: str) -> StepCapacity:
        return next(s for s in self.steps if s.step_code == code)


def capacity_vs_demand(
    on: date, *, base: Population | None = None, requested: Mapping[int, int] | None = None
) -> CapacityVsDemand:
    """Per active staircase step: demand from the latest assessments' requested next step of
    everyone covered on ``on`` plus the waiting lists, supply from the catalogue, and the gap in
    places and in SEK per month (missing places × the step's average cost per place-month; a
    step without places uses its recorded needs' cost). ``requested`` (covered persons per
    requested step id, e.g. from a snapshot) spares computing the population. Eight queries
    (three with ``base`` or ``requested``)."""
    if requested is None:
        pop = base if base is not None and base.on == on else population(InsightFilter(on, on))
        requested = Counter(
            r.requested_step_id for r in pop.rows if r.covered and r.requested_step_id
        )
    needed = list(
        Intervention.objects.with_capacity(on=on)
        .filter(status=InterventionStatus.NEEDED, step__active=True)
        .order_by("step__position", "name", "pk")
        .values_list(  # type: ignore[misc]
            "code", "name", "step_id", "step__name", "places", "cost_per_place_month"
        )
    )
    needed_cost: dict[int, list[int]] = defaultdict(list)
    for _code, _name, step_id, _step, _places, cost in needed:
        needed_cost[step_id].append(cost)
    steps = []
    for s in staircase(on=on):
        if s.places:
            average = round(s.cost_per_month / s.places)
        elif needed_cost.get(s.step.pk):
            average = round(stats.mean(needed_cost[s.step.pk]))
        else:
            average = 0
        steps.append(
            StepCapacity(
                step_code=s.step.code,
                step_name=s.step.name,
                requested=requested.get(s.step.pk, 0),
                waiting=s.waiting,
                places=s.places,
                occupied=s.occupied,
                free=s.free,
                cost_per_place_month=average,
            )
        )
    return CapacityVsDemand(
        on=on,
        steps=tuple(steps),
        missing=tuple(
            MissingIntervention(code, name, step_name, places, cost)
            for code, name, _step_id, step_name, places, cost in needed
        ),
    )


def steps_choices() -> list[tuple[str, str]]:
    """Active steps as (code, name), in staircase order. One query."""
    return list(
        Step.objects.filter(active=True).order_by("position", "pk").values_list("code", "name")
    )


def _share(part: int, whole: int) -> float:
    return round(part / whole, 3) if whole else 0.0
