"""The demo's staircase history: a monthly chain of step changes, and former participants
with exits, consistent the way the planning engine's estimator reads them."""

from __future__ import annotations

import itertools
import random
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction

from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.audit.services import verify_chain
from heltid.casework.models import Exit, ExitReason, StepChange
from heltid.catalog.models import Step
from heltid.demo.generator import DemoSummary, build_demo
from heltid.demo.history import (
    EXIT_REASONS,
    HISTORY_MONTHS,
    Event,
    HistoryPlan,
    HistorySummary,
    Participant,
    Path,
    current_participants,
    entry_month,
    month_flows,
    plan_former_persons,
    plan_history,
    step_odds,
    summarise,
)
from heltid.demo.testpersonnummer import test_personnummer as skatteverket_numbers
from heltid.insights.filters import InsightFilter
from heltid.insights.metrics import population
from heltid.insights.statistics import target_group_stats
from heltid.registry.models import Person, SupportPeriod
from heltid.rules.dates import add_months, age_on, month_start
from heltid.rules.requirement import activity_requirement
from tests.clock import suite_today

DAY = suite_today()
THIS_MONTH = month_start(DAY)
FIRST_MONTH = add_months(THIS_MONTH, -HISTORY_MONTHS)
STEPS = (
    "sysselsattning",
    "arbetsinriktad-rehabilitering",
    "arbete-med-samhallsstod",
    "arbete-studier",
)


def _participants(count: int, *, seed: int = 0) -> list[Participant]:
    """Participants who entered over the last four years, most with a requested step."""
    rng = random.Random(seed)
    return [
        Participant(
            key=f"{number:012d}",
            entry=add_months(THIS_MONTH, -rng.randint(0, 48)),
            requested=rng.choice((None, 0, 1, 1, 2, 3)),
        )
        for number in range(count)
    ]


def _plan(seed: int = 1, count: int = 600) -> HistoryPlan:
    return plan_history(seed=seed, today=DAY, steps=STEPS, participants=_participants(count))


def _problems(events: Sequence[tuple[date, int]], exit_on: date | None) -> list[str]:
    """What breaks the history's rules for one person: ``events`` are (changed_on, position)
    in order; changes strictly increasing, at most one a month, each a move to another step,
    none on or after the exit, and the exit in the window before the day's month."""
    found = []
    days = [day for day, _ in events]
    if not events:
        found.append("no step change")
    if any(later <= earlier for earlier, later in itertools.pairwise(days)):
        found.append(f"changes not strictly increasing: {days}")
    months = [month_start(day) for day in days]
    if len(set(months)) != len(months):
        found.append(f"more than one change in a month: {days}")
    positions = [position for _, position in events]
    if any(a == b for a, b in itertools.pairwise(positions)):
        found.append(f"a change to the same step: {positions}")
    if exit_on is not None:
        if days and exit_on <= days[-1]:
            found.append(f"exit {exit_on} not after the last change {days[-1]}")
        if days and month_start(exit_on) == month_start(days[-1]):
            found.append(f"exit {exit_on} in the month of a change")
        if not FIRST_MONTH <= exit_on < THIS_MONTH:
            found.append(f"exit {exit_on} outside the window")
    if days and days[-1] > DAY:
        found.append(f"a change after the day: {days[-1]}")
    return found


def _path_events(path: Path) -> list[tuple[date, int]]:
    return [(e.on, e.step) for e in path.events]


# --- the plan, in pure Python -----------------------------------------------------------------


def test_plan__same_seed__same_plan_and_summary_another_seed_another() -> None:
    first, again, other = _plan(1), _plan(1), _plan(2)
    assert first == again
    assert summarise(first) == summarise(again)
    assert first != other
    assert summarise(first) != summarise(other)


def test_plan__every_path__consistent() -> None:
    plan = _plan(count=1000)
    for key, path in plan.current:
        assert path.exit_on is None and path.exit_reason == ""
        assert _problems(_path_events(path), None) == [], key
        assert (path.events[0].on < FIRST_MONTH) == path.carried_in
    for path in plan.formers:
        assert path.exit_on is not None
        assert _problems(_path_events(path), path.exit_on) == []
        assert FIRST_MONTH <= path.events[0].on < add_months(THIS_MONTH, -1)
    steps = [e.step for _, p in plan.current for e in p.events]
    steps += [e.step for p in plan.formers for e in p.events]
    assert set(steps) <= set(range(len(STEPS)))
    moves = [
        b.step - a.step
        for p in [p for _, p in plan.current] + list(plan.formers)
        for a, b in itertools.pairwise(p.events)
    ]
    assert set(moves) == {-1, 1}


def test_plan__entry__below_the_requested_step_and_carried_in_before_the_window() -> None:
    entered = add_months(THIS_MONTH, -20)  # inside the window
    participants = [
        Participant("000000000001", entered, requested=2),
        Participant("000000000002", entered, requested=0),
        Participant("000000000003", add_months(FIRST_MONTH, -58), requested=1),
        Participant("000000000004", THIS_MONTH, requested=3),
    ]
    plan = plan_history(seed=1, today=DAY, steps=STEPS, participants=participants)
    paths = dict(plan.current)
    assert paths["000000000001"].events[0] == Event(paths["000000000001"].events[0].on, 1)
    assert month_start(paths["000000000001"].events[0].on) == entered
    assert paths["000000000002"].events[0].step == 0
    carried = paths["000000000003"]
    # placed on the window's eve
    assert carried.carried_in and carried.events[0] == Event(FIRST_MONTH - timedelta(days=1), 0)
    new = paths["000000000004"]
    assert new.events == (Event(new.events[0].on, 2),)
    assert THIS_MONTH <= new.events[0].on <= DAY
    summary = summarise(plan)
    assert summary.carried_in == 1
    # the former participants come in with the current participants' inflow
    formers = sum(month_start(p.events[0].on) == entered for p in plan.formers)
    assert summary.entrants_by_month[f"{entered:%Y-%m}"] == 2 + formers
    assert summary.entrants_by_month[f"{THIS_MONTH:%Y-%m}"] == 1
    assert summary.entrants_by_month[f"{FIRST_MONTH:%Y-%m}"] == 0
    assert len(summary.entrants_by_month) == HISTORY_MONTHS + 1


def test_step_odds__exits_rise_towards_work__no_move_off_the_staircase() -> None:
    odds = step_odds(4)
    assert odds[0].exit == 0.02 and odds[-1].exit == 0.10
    assert [o.exit for o in odds] == sorted(o.exit for o in odds)
    assert odds[0].down == 0 and odds[-1].up == 0
    assert all(o.up > 0 for o in odds[:-1]) and all(o.down > 0 for o in odds[1:])
    assert all(o.up + o.down + o.exit < 0.2 for o in odds)
    assert step_odds(1)[0].up == step_odds(1)[0].down == 0


def test_plan__formers__a_few_hundred_exits_with_reasons_from_the_distribution() -> None:
    plan = _plan(count=3000)
    reasons = Counter(p.exit_reason for p in plan.formers)
    assert 300 <= len(plan.formers) <= plan.candidates
    assert set(reasons) <= set(ExitReason.values)
    for reason, share in EXIT_REASONS:
        assert reasons[reason] / len(plan.formers) == pytest.approx(share, abs=0.04), reason
    assert sum(share for _, share in EXIT_REASONS) == pytest.approx(1)


def test_plan__exits_more_often_from_the_higher_steps() -> None:
    flows = summarise(_plan(count=3000)).flows
    rates = [flows[code].rate(flows[code].exited) for code in STEPS]
    assert rates[0] < rates[-1]
    assert all(flows[code].months > 0 for code in STEPS)


def test_month_flows__the_estimators_reading() -> None:
    # on step 0 from the window's eve; up in its third month; exit in its fifth
    path = Path(
        (
            Event(FIRST_MONTH - timedelta(days=1), 0),
            Event(add_months(FIRST_MONTH, 2) + timedelta(days=9), 1),
        ),
        exit_on=add_months(FIRST_MONTH, 4) + timedelta(days=4),
        exit_reason="studies",
    )
    flows = month_flows([path], STEPS, DAY)
    # the first three months start on step 0 (up in the third); the fourth and fifth on step 1
    # (exit in the fifth)
    assert flows[STEPS[0]].months == 3 and flows[STEPS[0]].up == 1
    assert flows[STEPS[1]].months == 2 and flows[STEPS[1]].exited == 1
    assert flows[STEPS[1]].down == flows[STEPS[1]].up == 0
    # an entrant counts from the month after the entry: last month's, not at all in the window
    entrant = Path((Event(add_months(THIS_MONTH, -1) + timedelta(days=2), 2),))
    assert month_flows([entrant], STEPS, DAY)[STEPS[2]].months == 0


def test_entry_month__coverage_start__before_the_national_requirement_the_local_one() -> None:
    in_force = activity_requirement(DAY).first_applied_month.value
    # covered from the requirement's in-force date: the month three months on support began
    assert entry_month(covered_from=in_force, support_since=date(2024, 2, 1), today=DAY) == date(
        2024, 5, 1
    )
    # covered later than that (an exemption ended, say): the month coverage began — as read on
    # that day (a pure computation: on the suite's first day, 2026-07-01, no one is covered
    # later than the in-force date yet)
    later = add_months(month_start(in_force), 2) + timedelta(days=14)
    assert entry_month(
        covered_from=later, support_since=date(2024, 2, 1), today=later
    ) == month_start(later)


def test_plan_former_persons__unused_skatteverket_numbers_of_adults() -> None:
    plan = _plan(count=1000)
    used = list(skatteverket_numbers()[:5000])
    persons = plan_former_persons(seed=1, today=DAY, formers=plan.formers, used=used)
    numbers = [p.personnummer for p in persons]
    assert len(persons) == len(plan.formers)
    assert len(set(numbers)) == len(numbers)
    assert not set(numbers) & set(used)
    assert set(numbers) <= set(skatteverket_numbers())
    for person, path in zip(persons, plan.formers, strict=True):
        assert age_on(person.birth_date, path.events[0].on) >= 18
        assert person.unit in ("ekb-nord", "ekb-syd")
    assert persons == plan_former_persons(seed=1, today=DAY, formers=plan.formers, used=used)


# --- the demo database ------------------------------------------------------------------------


@dataclass(frozen=True)
class Histories:
    events: dict[int, list[tuple[date, int]]]  # person: (changed_on, position) in order
    exits: dict[int, list[tuple[date, str]]]
    steps: dict[int, str]  # person: step code of the latest change


def _histories() -> Histories:
    events: dict[int, list[tuple[date, int]]] = defaultdict(list)
    steps: dict[int, str] = {}
    for person_id, changed_on, position, code in StepChange.objects.order_by(
        "person_id", "changed_on", "pk"
    ).values_list("person_id", "changed_on", "step__position", "step__code"):
        events[person_id].append((changed_on, position))
        steps[person_id] = code
    exits: dict[int, list[tuple[date, str]]] = defaultdict(list)
    for person_id, exit_on, reason in Exit.objects.order_by("person_id", "exit_on").values_list(
        "person_id", "exit_on", "reason"
    ):
        exits[person_id].append((exit_on, reason))
    return Histories(dict(events), dict(exits), steps)


def _check_database(histories: Histories) -> list[str]:
    problems = []
    for person_id in sorted(set(histories.events) | set(histories.exits)):
        person_exits = histories.exits.get(person_id, [])
        if len(person_exits) > 1:
            problems.append(f"{person_id}: {len(person_exits)} exits")
        exit_on = person_exits[0][0] if person_exits else None
        problems += [
            f"{person_id}: {p}" for p in _problems(histories.events.get(person_id, []), exit_on)
        ]
    return problems


def _on_support_today(person_ids: Sequence[int]) -> int:
    return (
        SupportPeriod.objects.filter(person__in=person_ids, first_month__lte=DAY)
        .exclude(last_month__lt=THIS_MONTH)
        .count()
    )


def _participant_pks() -> set[int]:
    rows = population(InsightFilter(start=DAY, end=DAY)).rows
    return {r.pk for r in rows if r.target_group and r.activation_from and r.assessed_on}


@pytest.mark.django_db
def test_small_demo__history_consistent__formers_off_support_and_logged() -> None:
    summary = build_demo(seed=3, on=DAY, recipients=400)
    histories = _histories()
    assert _check_database(histories) == []
    formers = sorted(histories.exits)
    assert formers, "the history has exits"
    assert _on_support_today(formers) == 0
    assert target_group_stats(on=DAY).recipients == summary.recipients == 400
    assert _participant_pks() <= set(histories.events)
    logged = {
        n.person_id for n in persons_named(AccessLog.objects.filter(actor="demo"), action="create")
    }
    assert logged == set(Person.objects.values_list("pk", flat=True))
    assert verify_chain().ok


@dataclass(frozen=True)
class FullHistory:
    demo: DemoSummary
    planned: HistorySummary
    histories: Histories
    participants: set[int]


@pytest.fixture(scope="module")
def full(django_db_setup: Any, django_db_blocker: Any) -> Iterator[FullHistory]:
    with django_db_blocker.unblock(), transaction.atomic():
        demo = build_demo(seed=1, on=DAY)
        steps = list(Step.objects.filter(active=True).order_by("position", "pk"))
        currents = current_participants(DAY, steps)
        plan = plan_history(
            seed=1,
            today=DAY,
            steps=[s.code for s in steps],
            participants=[c.participant for c in currents],
        )
        yield FullHistory(demo, summarise(plan), _histories(), _participant_pks())
        transaction.set_rollback(True)


@pytest.mark.slow
@pytest.mark.django_db
def test_full_demo__the_seed_facts_still_hold(full: FullHistory) -> None:
    stats = target_group_stats(on=DAY)
    assert stats.recipients == full.demo.recipients == 4000
    assert stats.target_group == full.demo.target_group
    assert abs(stats.target_group - 1800) <= 90
    assert stats.target_women_share > 0.5
    assert 0.65 <= stats.target_ill_health_share <= 0.75


@pytest.mark.slow
@pytest.mark.django_db
def test_full_demo__every_history_consistent(full: FullHistory) -> None:
    assert _check_database(full.histories) == []


@pytest.mark.slow
@pytest.mark.django_db
def test_full_demo__current_participants_each_on_a_step_today(full: FullHistory) -> None:
    planned = full.planned
    assert len(full.participants) == planned.current_participants > 1000
    assert full.participants <= set(full.histories.steps)
    assert not full.participants & set(full.histories.exits)
    today = Counter(full.histories.steps[pk] for pk in full.participants)
    assert dict(today) == {k: v for k, v in planned.persons_by_step_today.items() if v}


@pytest.mark.slow
@pytest.mark.django_db
def test_full_demo__formers_exited_before_this_month_and_are_off_support(
    full: FullHistory,
) -> None:
    formers = sorted(full.histories.exits)
    assert 200 <= len(formers) == full.planned.exits == full.planned.former_participants
    assert _on_support_today(formers) == 0
    assert not Person.objects.filter(pk__in=formers, assessments__isnull=False).exists()
    reasons = Counter(reason for e in full.histories.exits.values() for _, reason in e)
    assert dict(reasons) == {k: v for k, v in full.planned.exits_by_reason.items() if v}
    assert reasons[ExitReason.WORK_REGULAR] == max(reasons.values())
    # each former's support ends in the exit month
    for person_id, last in SupportPeriod.objects.filter(person__in=formers).values_list(
        "person_id", "last_month"
    ):
        assert last == month_start(full.histories.exits[person_id][0][0])
    numbers = set(Person.objects.values_list("personnummer", flat=True))
    assert len(numbers) == 4000 + len(formers)
    assert numbers <= set(skatteverket_numbers())


@pytest.mark.slow
@pytest.mark.django_db
def test_full_demo__database_holds_the_planned_summary(full: FullHistory) -> None:
    planned = full.planned
    assert StepChange.objects.count() == planned.step_changes
    assert Exit.objects.count() == planned.exits
    index = {
        position: number
        for number, position in enumerate(
            Step.objects.values_list("position", flat=True).order_by("position")
        )
    }
    paths = [
        Path(
            tuple(Event(day, index[position]) for day, position in events),
            exit_on=full.histories.exits[pk][0][0] if pk in full.histories.exits else None,
        )
        for pk, events in full.histories.events.items()
    ]
    assert month_flows(paths, STEPS, DAY) == planned.flows
    entrants = Counter(
        f"{month_start(events[0][0]):%Y-%m}"
        for events in full.histories.events.values()
        if events[0][0] >= FIRST_MONTH
    )
    assert dict(entrants) == {k: v for k, v in planned.entrants_by_month.items() if v}
    last_year = add_months(THIS_MONTH, -12)
    exits_by_step = Counter(
        full.histories.steps[pk]
        for pk, person_exits in full.histories.exits.items()
        if last_year <= person_exits[0][0] < THIS_MONTH
    )
    assert dict(exits_by_step) == {
        k: v for k, v in planned.exits_by_step_last_12_months.items() if v
    }
