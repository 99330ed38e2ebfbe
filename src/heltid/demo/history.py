"""The demo's staircase history: 36 months of step changes and exits before the demo's day.

A monthly Markov chain through the staircase steps (``Step`` by position, low to high):

* current participants — everyone in the target group who is covered on the day and has an
  assessment — enter in the month their coverage began (see :func:`entry_month`), on the step
  below the one their latest assessment requests, and then move up, down or stay each month
  up to the last full month; they never exit (they are still here);
* former participants — new persons in the same units, drawn with the current participants'
  monthly inflow — run the same chain with a monthly exit probability per step; those who
  exited before the day's month are written with their support period, step changes and exit.

The history reads the way the planning engine's estimator reads it: a person's step at the
start of month m is their latest step change before m (unless they exited before m); during m
they moved if their last change within m is on another step, exited if their exit is within
m, and entered if their first change is within m. So each person has at most one event a
month, and the entry month has no move. Current participants who entered before the window
get their first placement on the window's eve: they stand on a step when it opens, and do not
count as entrants of its first month.

Deterministic for a seed and a day: the chain is planned in pure Python
(:func:`plan_history`, one ``random.Random``, lists only), then written with ``bulk_create``
inside the demo's transaction. The former participants are logged to the access log here,
like ``build_demo`` logs the recipients.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from heltid.accounts.models import Unit, User
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.casework.models import Exit, ExitReason, StepChange
from heltid.catalog.models import Step
from heltid.demo import names
from heltid.demo.casework import recorded_at
from heltid.demo.population import (
    AGES_TARGET_OTHER,
    AGES_TARGET_UNEMPLOYED,
    CASELOADS,
    FULL_TIME_REASONS,
    OTHER_TARGET,
    PART_TIME_REASONS,
    PROFILES,
    UNEMPLOYED,
    UNIT_NORD,
    UNIT_NORD_SHARE,
    UNIT_SYD,
    Band,
    pick,
)
from heltid.demo.reason_codes import reason_codes_by_label
from heltid.demo.testpersonnummer import adults_aged
from heltid.insights.filters import InsightFilter
from heltid.insights.metrics import population
from heltid.registry.fact_history import first_rows, snapshot_values
from heltid.registry.identity import parse_identity
from heltid.registry.models import FactSource, Household, IdKind, Person, PersonFact, SupportPeriod
from heltid.rules.dates import add_months, age_on, month_end, month_start
from heltid.rules.requirement import activity_requirement

HISTORY_MONTHS = 36
BATCH = 1000
DEMO_ACTOR = "demo"  # the actor build_demo logs the recipients under

# Monthly transition probabilities, from the lowest step to the highest (linear in between;
# the top step has no "up", the lowest no "down"). Exits only for former participants.
UP_LOWEST, UP_HIGHEST = 0.05, 0.03  # the highest step with an "up": the one below the top
DOWN_SECOND, DOWN_HIGHEST = 0.02, 0.035
EXIT_LOWEST, EXIT_HIGHEST = 0.02, 0.10
# Entry steps when no requested step says otherwise: halving from the lowest step upwards.
ENTRY_DECAY = 0.5
# Former participants drawn per current participant's entry in the same month (before the
# chain decides who exited).
FORMER_INFLOW = 1.0
# Exit reasons (ExitReason values): a plausible distribution, most to work.
EXIT_REASONS: tuple[tuple[str, float], ...] = (
    (ExitReason.WORK_REGULAR.value, 0.35),
    (ExitReason.WORK_SUBSIDISED.value, 0.10),
    (ExitReason.STUDIES.value, 0.15),
    (ExitReason.SICKNESS_COMPENSATION.value, 0.10),
    (ExitReason.UNEMPLOYMENT_INSURANCE.value, 0.10),
    (ExitReason.OTHER_SUPPORT.value, 0.05),
    (ExitReason.MOVED.value, 0.10),
    (ExitReason.OTHER.value, 0.05),
)
EXIT_NOTES = {
    ExitReason.WORK_REGULAR.value: "Anställning utan stöd; försörjningsstödet upphör.",
    ExitReason.WORK_SUBSIDISED.value: "Anställning med lönestöd.",
    ExitReason.STUDIES.value: "Börjar studera med studiemedel.",
    ExitReason.SICKNESS_COMPENSATION.value: "Beviljad sjukersättning av Försäkringskassan.",
    ExitReason.UNEMPLOYMENT_INSURANCE.value: "Ersättning från arbetslöshetskassan.",
    ExitReason.OTHER_SUPPORT.value: "Annan ersättning täcker försörjningen.",
    ExitReason.MOVED.value: "Flyttat från kommunen.",
    ExitReason.OTHER.value: "Avslutat av annat skäl.",
}
ENTRY_REASON = "Placering vid start i heltidsaktivering."
UP_REASON = "Uppföljning: redo för nästa steg."
DOWN_REASON = "Uppföljning: behöver mer stöd, tillbaka ett steg."

# Former participants: the target group's split (per 4,000: 1,000 coded unemployed, 800 other).
FORMER_CATEGORIES: tuple[tuple[str, float], ...] = ((UNEMPLOYED, 1000), (OTHER_TARGET, 800))
FORMER_AGES: dict[str, tuple[Band, ...]] = {
    UNEMPLOYED: AGES_TARGET_UNEMPLOYED,
    OTHER_TARGET: AGES_TARGET_OTHER,
}
FORMER_ABROAD = 0.5
FORMER_HOUSEHOLD_PREFIX = "DEMO-A"  # the population's households are DEMO-000001 …


# --- the chain, in pure Python ------------------------------------------------------------


@dataclass(frozen=True)
class StepOdds:
    """One step's monthly probabilities of moving up, down, and (former participants) exiting."""

    up: float
    down: float
    exit: float


def step_odds(steps: int) -> tuple[StepOdds, ...]:
    """The probabilities for ``steps`` steps, lowest first."""
    odds = []
    for index in range(steps):
        share = index / (steps - 1) if steps > 1 else 0.0
        up_share = index / (steps - 2) if steps > 2 else 0.0
        up = 0.0 if index == steps - 1 else UP_LOWEST + (UP_HIGHEST - UP_LOWEST) * up_share
        down_share = (index - 1) / (steps - 2) if steps > 2 else 0.0
        down = 0.0 if index == 0 else DOWN_SECOND + (DOWN_HIGHEST - DOWN_SECOND) * down_share
        exit_ = EXIT_LOWEST + (EXIT_HIGHEST - EXIT_LOWEST) * share
        odds.append(StepOdds(up=round(up, 4), down=round(down, 4), exit=round(exit_, 4)))
    return tuple(odds)


@dataclass(frozen=True)
class Participant:
    """A current participant as the chain needs them."""

    key: str  # personnummer: orders the draws
    entry: date  # first day of the month the participation began (before clipping)
    requested: int | None  # index of the step the latest assessment requests (0 = lowest)


@dataclass(frozen=True)
class Event:
    """From ``on`` the person is on step ``step`` (an index, 0 = lowest)."""

    on: date
    step: int


@dataclass(frozen=True)
class Path:
    """One person's staircase history: the first placement, then one event per move."""

    events: tuple[Event, ...]
    exit_on: date | None = None
    exit_reason: str = ""
    carried_in: bool = False  # placed before the window opened

    @property
    def step_today(self) -> int:
        return self.events[-1].step


@dataclass(frozen=True)
class HistoryPlan:
    seed: int
    today: date
    first_month: date  # the window's first month
    steps: tuple[str, ...]  # step codes, lowest first
    odds: tuple[StepOdds, ...]
    current: tuple[tuple[str, Path], ...]  # participant key, path
    formers: tuple[Path, ...]  # those who exited before the day's month
    candidates: int  # former participants simulated (the exited are kept)


def history_months(today: date) -> tuple[date, date]:
    """The window's first month and the day's month (the window ends the month before)."""
    this_month = month_start(today)
    return add_months(this_month, -HISTORY_MONTHS), this_month


def _months(first: date, last: date) -> list[date]:
    """First days of the months ``first`` … ``last`` (inclusive)."""
    result = []
    month = first
    while month <= last:
        result.append(month)
        month = add_months(month, 1)
    return result


def _day_in(rng: random.Random, month: date, latest: date | None = None) -> date:
    last = month_end(month)
    if latest is not None and latest < last:
        last = latest
    return month + timedelta(days=rng.randint(0, (last - month).days))


def _entry_step(rng: random.Random, requested: int | None, steps: int) -> int:
    """The step below the requested one; the lowest for a request of the lowest; without a
    request, a draw weighted to the lower steps."""
    if requested is not None and 0 <= requested < steps:
        return max(0, requested - 1)
    weights = [ENTRY_DECAY**index for index in range(steps)]
    return rng.choices(range(steps), weights)[0]


def _walk(
    rng: random.Random,
    odds: Sequence[StepOdds],
    start: Event,
    months: Iterable[date],
    *,
    exits: bool,
) -> tuple[list[Event], date | None]:
    """The monthly chain from ``start`` through ``months``: one draw a month, at most one
    event; stops at an exit (``exits``) and returns it."""
    events = [start]
    step = start.step
    for month in months:
        draw = rng.random()
        here = odds[step]
        if exits:
            if draw < here.exit:
                return events, _day_in(rng, month)
            draw = (draw - here.exit) / (1 - here.exit)
        if draw < here.up:
            step += 1
        elif draw < here.up + here.down:
            step -= 1
        else:
            continue
        events.append(Event(_day_in(rng, month), step))
    return events, None


def plan_history(
    *, seed: int, today: date, steps: Sequence[str], participants: Sequence[Participant]
) -> HistoryPlan:
    """The whole history for ``today``; the same arguments give the same plan."""
    rng = random.Random(seed * 104_729 + 36)
    first, this_month = history_months(today)
    last_full = add_months(this_month, -1)
    odds = step_odds(len(steps))
    inflow: Counter[date] = Counter()
    current: list[tuple[str, Path]] = []
    for participant in sorted(participants, key=lambda p: p.key):
        entry = min(month_start(participant.entry), this_month)
        carried_in = entry < first
        step = _entry_step(rng, participant.requested, len(steps))
        if carried_in:
            placed = Event(first - timedelta(days=1), step)
            entry = add_months(first, -1)
        else:
            placed = Event(_day_in(rng, entry, today), step)
            inflow[entry] += 1
        events, _ = _walk(rng, odds, placed, _months(add_months(entry, 1), last_full), exits=False)
        current.append((participant.key, Path(tuple(events), carried_in=carried_in)))
    formers: list[Path] = []
    candidates = 0
    for month in _months(first, add_months(this_month, -2)):
        for _ in range(round(inflow[month] * FORMER_INFLOW)):
            candidates += 1
            placed = Event(_day_in(rng, month), _entry_step(rng, None, len(steps)))
            events, exit_on = _walk(
                rng, odds, placed, _months(add_months(month, 1), last_full), exits=True
            )
            if exit_on is not None:
                formers.append(Path(tuple(events), exit_on, pick(rng, EXIT_REASONS)))
    return HistoryPlan(
        seed=seed,
        today=today,
        first_month=first,
        steps=tuple(steps),
        odds=odds,
        current=tuple(current),
        formers=tuple(formers),
        candidates=candidates,
    )


# --- what the history says, read as the estimator reads it --------------------------------


@dataclass(frozen=True)
class StepFlow:
    """Person-months that began on a step, and how they ended (the window's full months)."""

    months: int = 0
    up: int = 0
    down: int = 0
    exited: int = 0

    def rate(self, count: int) -> float:
        return count / self.months if self.months else 0.0


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def month_flows(paths: Iterable[Path], steps: Sequence[str], today: date) -> dict[str, StepFlow]:
    """Per step: the estimator's person-months and moves, over the window's full months.

    A person counts in month m on the step of their latest change before m, unless they
    exited before m; they moved up (down) if their last change within m is on a higher
    (lower) step, and exited if their exit falls within m."""
    first, this_month = history_months(today)
    window = range(_month_index(first), _month_index(this_month))
    counts = [[0, 0, 0, 0] for _ in steps]
    for path in paths:
        indices = [_month_index(e.on) for e in path.events]
        exit_index = _month_index(path.exit_on) if path.exit_on is not None else None
        last = window.stop - 1 if exit_index is None else min(window.stop - 1, exit_index)
        following = 0  # the first event not before the month
        for month in range(max(window.start, indices[0] + 1), last + 1):
            while following < len(indices) and indices[following] < month:
                following += 1
            step = path.events[following - 1].step
            row = counts[step]
            row[0] += 1
            within = following
            while within < len(indices) and indices[within] == month:
                within += 1
            if within > following:
                moved = path.events[within - 1].step
                row[1] += moved > step
                row[2] += moved < step
            row[3] += month == exit_index
    return {
        code: StepFlow(months=m, up=u, down=d, exited=x)
        for code, (m, u, d, x) in zip(steps, counts, strict=True)
    }


@dataclass
class HistorySummary:
    """What the history holds: the figures the planning engine will estimate from."""

    seed: int
    today: date
    first_month: date
    odds: dict[str, StepOdds] = field(default_factory=dict)
    current_participants: int = 0
    carried_in: int = 0
    former_candidates: int = 0
    former_participants: int = 0
    step_changes: int = 0
    exits: int = 0
    persons_by_step_today: dict[str, int] = field(default_factory=dict)
    entrants_by_month: dict[str, int] = field(default_factory=dict)  # YYYY-MM
    exits_by_step_last_12_months: dict[str, int] = field(default_factory=dict)
    exits_by_reason: dict[str, int] = field(default_factory=dict)
    flows: dict[str, StepFlow] = field(default_factory=dict)
    log_entries: int = 0

    def lines(self) -> list[str]:
        """The summary in Swedish, one fact a line."""
        by_step = ", ".join(f"{code} {n}" for code, n in self.persons_by_step_today.items())
        exits_by_step = ", ".join(
            f"{code} {n}" for code, n in self.exits_by_step_last_12_months.items()
        )
        lines = [
            f"Trapphistorik {self.first_month:%Y-%m} – {self.today.isoformat()} (frö {self.seed}).",
            f"Nuvarande deltagare: {self.current_participants} (varav {self.carried_in} "
            f"placerade före perioden). Avslutade deltagare: {self.former_participants} "
            f"(av {self.former_candidates} simulerade).",
            f"Stegförflyttningar: {self.step_changes}. Avslut: {self.exits}.",
            f"Per steg i dag: {by_step}.",
            f"Avslut senaste 12 månaderna per steg: {exits_by_step}.",
        ]
        for code, flow in self.flows.items():
            odds = self.odds[code]
            lines.append(
                f"  {code}: {flow.months} personmånader; upp {flow.rate(flow.up):.1%} "
                f"(modell {odds.up:.1%}), ned {flow.rate(flow.down):.1%} "
                f"(modell {odds.down:.1%}), avslut {flow.rate(flow.exited):.1%} "
                f"(modell {odds.exit:.1%})"
            )
        return lines


def summarise(plan: HistoryPlan) -> HistorySummary:
    """The counts of a plan (what the database will hold once it is written)."""
    first, this_month = history_months(plan.today)
    last_year = add_months(this_month, -12)
    paths = [path for _, path in plan.current] + list(plan.formers)
    entrants: Counter[date] = Counter(
        month_start(p.events[0].on) for p in paths if not p.carried_in
    )
    exit_steps: Counter[int] = Counter(
        p.step_today
        for p in plan.formers
        if p.exit_on is not None and last_year <= p.exit_on < this_month
    )
    today_steps: Counter[int] = Counter(path.step_today for _, path in plan.current)
    reasons = Counter(p.exit_reason for p in plan.formers)
    return HistorySummary(
        seed=plan.seed,
        today=plan.today,
        first_month=first,
        odds=dict(zip(plan.steps, plan.odds, strict=True)),
        current_participants=len(plan.current),
        carried_in=sum(path.carried_in for _, path in plan.current),
        former_candidates=plan.candidates,
        former_participants=len(plan.formers),
        step_changes=sum(len(p.events) for p in paths),
        exits=len(plan.formers),
        persons_by_step_today={code: today_steps[i] for i, code in enumerate(plan.steps)},
        entrants_by_month={
            f"{month:%Y-%m}": entrants[month] for month in _months(first, this_month)
        },
        exits_by_step_last_12_months={code: exit_steps[i] for i, code in enumerate(plan.steps)},
        exits_by_reason={reason: reasons[reason] for reason, _ in EXIT_REASONS},
        flows=month_flows(paths, plan.steps, plan.today),
    )


# --- the former participants as persons, in pure Python -----------------------------------


@dataclass(frozen=True)
class FormerPerson:
    personnummer: str
    is_coordination_number: bool
    birth_date: date
    sex: str
    first_name: str
    last_name: str
    street_address: str
    postal_code: str
    reason_code: str
    part_time_hours: Decimal
    unit: str


class _Numbers:
    """Skatteverket's test numbers not yet used, by sex and age on the day."""

    def __init__(self, today: date, used: Iterable[str], rng: random.Random) -> None:
        taken = set(used)
        self._by_key: dict[tuple[str, int], list[str]] = {}
        for number in adults_aged(today, low=18, high=70):
            if number in taken:
                continue
            born = date(int(number[:4]), int(number[4:6]), int(number[6:8]) % 60 or 1)
            key = ("M" if int(number[10]) % 2 else "F", age_on(born, today))
            self._by_key.setdefault(key, []).append(number)
        for key in sorted(self._by_key):
            rng.shuffle(self._by_key[key])

    def take(self, sex: str, age: int) -> str:
        for wanted in (sex, "M" if sex == "F" else "F"):
            for distance in range(60):
                for candidate in (age - distance, age + distance)[: 1 if distance == 0 else 2]:
                    numbers = self._by_key.get((wanted, candidate))
                    if numbers:
                        return numbers.pop()
        raise ValueError("Skatteverkets testpersonnummer räcker inte till de avslutade.")


def plan_former_persons(
    *, seed: int, today: date, formers: Sequence[Path], used: Iterable[str]
) -> list[FormerPerson]:
    """One person per former participant, with a test number none of ``used``."""
    rng = random.Random(seed * 104_729 + 37)
    numbers = _Numbers(today, used, rng)
    result = []
    for path in formers:
        category = pick(rng, FORMER_CATEGORIES)
        profile = PROFILES[category]
        sex = "F" if rng.random() < profile.women else "M"
        low, high, _ = pick(rng, [((lo, hi, w), w) for lo, hi, w in FORMER_AGES[category]])
        age_at_entry = rng.randint(low, high)
        # years since the entry, rounded up: at least ``age_at_entry`` years old then
        age = age_at_entry + age_on(path.events[0].on, today) + 1
        identity = parse_identity(numbers.take(sex, age))
        abroad = rng.random() < FORMER_ABROAD
        first_names = (
            (names.FEMALE_FIRST_NAMES_ABROAD if abroad else names.FEMALE_FIRST_NAMES)
            if identity.sex == "F"
            else (names.MALE_FIRST_NAMES_ABROAD if abroad else names.MALE_FIRST_NAMES)
        )
        reason = pick(rng, profile.reasons)
        if reason in PART_TIME_REASONS:
            part_time = Decimal(rng.choice((8, 10, 12, 15, 16, 20, 24, 25, 30)))
        elif reason in FULL_TIME_REASONS:
            part_time = Decimal(40)
        else:
            part_time = Decimal(0)
        street = f"{rng.choice(names.STREET_NAMES)} {rng.randint(1, 60)}"
        if rng.random() < 0.7:
            street += f", lgh {rng.randint(10, 16)}{rng.randint(1, 4):02d}"
        result.append(
            FormerPerson(
                personnummer=identity.number,
                is_coordination_number=identity.is_coordination_number,
                birth_date=identity.birth_date,
                sex=identity.sex,
                first_name=rng.choice(first_names),
                last_name=rng.choice(names.LAST_NAMES_ABROAD if abroad else names.LAST_NAMES),
                street_address=street,
                postal_code=f"58{rng.randint(1, 7)} {rng.randint(10, 99)}",
                reason_code=reason,
                part_time_hours=part_time,
                unit=UNIT_NORD if rng.random() < UNIT_NORD_SHARE else UNIT_SYD,
            )
        )
    return result


# --- reading the demo and writing the history ---------------------------------------------


@dataclass(frozen=True)
class CurrentParticipant:
    participant: Participant
    pk: int
    recorded_by: int | None  # the case manager, or the unit's case manager login


def entry_month(*, covered_from: date, support_since: date, today: date) -> date:
    """The month a current participant entered the staircase: the month their coverage began.

    Coverage under the national requirement cannot begin before it is first applied, so for
    those covered from that very date the month the consecutive-months condition was met
    counts (the municipality's full-time activation ran before the national requirement)."""
    requirement = activity_requirement(today)
    covered = month_start(covered_from)
    if covered > month_start(requirement.first_applied_month.value):
        return covered
    after = add_months(month_start(support_since), requirement.min_consecutive_months.value)
    return min(covered, after)


def current_participants(today: date, steps: Sequence[Step]) -> list[CurrentParticipant]:
    """Everyone in the municipality's activation on ``today`` (covered by the statute, or a
    JOB/UGA participant past the policy's days) with an assessment."""
    index = {step.pk: number for number, step in enumerate(steps)}
    rows = [
        r
        for r in population(InsightFilter(start=today, end=today)).rows
        if r.target_group and r.activation_from and r.assessed_on
    ]
    pks = [r.pk for r in rows]
    since: dict[int, date] = {}
    for person_id, first in (
        SupportPeriod.objects.filter(person__in=pks, first_month__lte=today)
        .order_by("first_month")
        .values_list("person_id", "first_month")
    ):
        since[person_id] = first  # the latest wins
    persons = {
        pk: (number, manager)
        for pk, number, manager in Person.objects.filter(pk__in=pks).values_list(
            "pk", "personnummer", "case_manager_id"
        )
    }
    managers = _unit_case_managers()
    result = []
    for r in rows:
        assert r.activation_from is not None
        number, manager = persons[r.pk]
        requested = index.get(r.requested_step_id) if r.requested_step_id else None
        entry = entry_month(covered_from=r.activation_from, support_since=since[r.pk], today=today)
        result.append(
            CurrentParticipant(
                Participant(key=number, entry=entry, requested=requested),
                pk=r.pk,
                recorded_by=manager or managers.get(r.unit_code),
            )
        )
    return result


def _unit_case_managers() -> dict[str, int]:
    """The case manager login of each demo unit, by unit code."""
    by_name = dict(User.objects.filter(username__in=CASELOADS).values_list("username", "pk"))
    return {unit: by_name[name] for name, (unit, _) in CASELOADS.items() if name in by_name}


def build_history(*, seed: int, today: date) -> HistorySummary:
    """Write the demo's staircase history for ``today``; deterministic for a seed."""
    steps = list(Step.objects.filter(active=True).order_by("position", "pk"))
    if not steps:
        return HistorySummary(seed=seed, today=today, first_month=history_months(today)[0])
    currents = current_participants(today, steps)
    plan = plan_history(
        seed=seed,
        today=today,
        steps=[s.code for s in steps],
        participants=[c.participant for c in currents],
    )
    by_key = {c.participant.key: c for c in currents}
    changes = []
    for key, path in plan.current:
        current = by_key[key]
        changes.extend(_step_changes(steps, current.pk, current.recorded_by, path))
    StepChange.objects.bulk_create(changes, batch_size=BATCH)
    written = _write_formers(plan, steps)
    summary = summarise(plan)
    summary.log_entries = written
    return summary


def _step_changes(
    steps: Sequence[Step], person_id: int, recorded_by: int | None, path: Path
) -> list[StepChange]:
    rows = []
    previous: int | None = None
    for event in path.events:
        if previous is None:
            reason = ENTRY_REASON
        else:
            reason = UP_REASON if event.step > previous else DOWN_REASON
        previous = event.step
        rows.append(
            StepChange(
                person_id=person_id,
                step=steps[event.step],
                changed_on=event.on,
                reason=reason,
                created_by_id=recorded_by,
                created_at=recorded_at(event.on),
            )
        )
    return rows


def _write_formers(plan: HistoryPlan, steps: Sequence[Step]) -> int:
    """The former participants: person, household, support period, step changes and exit.
    Returns the number of access-log entries written (one per person, as ``build_demo``)."""
    if not plan.formers:
        return 0
    used = Person.objects.values_list("personnummer", flat=True).order_by("personnummer")
    planned = plan_former_persons(
        seed=plan.seed, today=plan.today, formers=plan.formers, used=list(used)
    )
    units = {u.code: u for u in Unit.objects.filter(code__in=[UNIT_NORD, UNIT_SYD])}
    codes = reason_codes_by_label(sorted({p.reason_code for p in planned}))
    managers = _unit_case_managers()
    taken = set(
        Household.objects.filter(reference__startswith=FORMER_HOUSEHOLD_PREFIX).values_list(
            "reference", flat=True
        )
    )
    references = (
        reference
        for number in range(1, len(planned) + len(taken) + 1)
        if (reference := f"{FORMER_HOUSEHOLD_PREFIX}{number:05d}") not in taken
    )
    households = Household.objects.bulk_create(
        [
            Household(
                reference=next(references),
                cohabiting=False,
                unit=units.get(p.unit) or next(iter(units.values())),
            )
            for p in planned
        ],
        batch_size=BATCH,
    )
    persons = Person.objects.bulk_create(
        [
            Person(
                personnummer=p.personnummer,
                id_kind=IdKind.SAMORDNINGSNUMMER
                if p.is_coordination_number
                else IdKind.PERSONNUMMER,
                birth_date=p.birth_date,
                sex=p.sex,
                first_name=p.first_name,
                last_name=p.last_name,
                street_address=p.street_address,
                postal_code=p.postal_code,
                city="Linköping",
                household=household,
                part_time_hours=p.part_time_hours,
                reason_code=codes[p.reason_code],
                unit=units.get(p.unit) or next(iter(units.values())),
            )
            for p, household in zip(planned, households, strict=True)
        ],
        batch_size=BATCH,
    )
    months = activity_requirement(plan.today).min_consecutive_months.value
    periods, changes, exits = [], [], []
    facts: list[PersonFact] = []
    for p, person, household, path in zip(planned, persons, households, plan.formers, strict=True):
        assert path.exit_on is not None
        recorded_by = managers.get(p.unit)
        entry = month_start(path.events[0].on)
        facts.extend(
            first_rows(
                person.pk,
                snapshot_values(
                    af_programme="none",
                    af_programme_since=None,
                    part_time_hours=p.part_time_hours,
                    reason_label=p.reason_code,
                    household=household.reference,
                ),
                recorded_on=add_months(entry, -months),
                source=FactSource.DEMO,
            )
        )
        # on support the consecutive months the requirement asks for before the entry
        periods.append(
            SupportPeriod(
                person=person,
                first_month=add_months(entry, -months),
                last_month=month_start(path.exit_on),
            )
        )
        changes.extend(_step_changes(steps, person.pk, recorded_by, path))
        exits.append(
            Exit(
                person=person,
                exit_on=path.exit_on,
                reason=path.exit_reason,
                note=EXIT_NOTES[path.exit_reason],
                created_by_id=recorded_by,
                created_at=recorded_at(path.exit_on),
            )
        )
    SupportPeriod.objects.bulk_create(periods, batch_size=BATCH)
    PersonFact.objects.bulk_create(facts, batch_size=BATCH)
    StepChange.objects.bulk_create(changes, batch_size=BATCH)
    Exit.objects.bulk_create(exits, batch_size=BATCH)
    return log_entries(
        user=None,
        actor=DEMO_ACTOR,
        entries=[Entry(Action.CREATE, p.pk, {"source": "demo"}) for p in persons],
    )
