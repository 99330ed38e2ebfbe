"""Scenario parameters from the municipality's own history (decision 0010).

The staircase history is the step changes and the exits. For each month m (its first day):

- a person is *on* a step at the start of m when their latest event before m is a step change
  (not an exit); the step is that change's;
- during m they *exit* if an exit falls in m, else move *up* / *down* if their last step
  change in m is to a higher / lower step, else they *stay*;
- persons not on a step at the start of m with a step change in m are *entrants* of m, on the
  step of their last change in m.

Monthly probabilities per step are the counts over the person-months at risk in the window;
the inflow is the mean of entrants per month, spread by their steps. Places and the cost per
place-month come from the catalogue (the step's average), the support saved per household from
the riksnorm rule for the households on support, the share of exits to work or studies from the
exits in the window.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

import numpy as np

from heltid.casework.models import WORK_OR_STUDIES, Exit, StepChange
from heltid.catalog.models import Step
from heltid.ids import chunks
from heltid.insights import metrics
from heltid.planning.scenario import FloatArray, Scenario, StepParams, month_dates
from heltid.registry.models import Child, Person
from heltid.rules import Child as RuleChild
from heltid.rules import riksnorm, riksnorm_year_on
from heltid.rules.dates import add_months, age_on, month_start

DEFAULT_CASELOAD = 40  # persons per case manager, when the data cannot tell
CASE_MANAGER_COST_MONTH = 62_000  # kronor: a socialsekreterare's wage with contributions
HOUSING_PER_HOUSEHOLD = 6_500  # kronor a month: an assumption to edit, added to the riksnorm


@dataclass(frozen=True)
class History:
    """The staircase month by month: who was where, and what happened in each month."""

    steps: tuple[Step, ...]
    months: tuple[date, ...]  # first days, oldest first
    occupancy: FloatArray  # months × steps, at the start of each month
    at_risk: FloatArray  # steps: person-months over the months
    up: FloatArray
    down: FloatArray
    exits: FloatArray
    entrants: FloatArray  # months × steps, entrants during each month
    exits_to_work_or_studies: int
    exits_total: int

    def probabilities(self) -> tuple[FloatArray, FloatArray, FloatArray]:
        n = np.maximum(self.at_risk, 1.0)
        return self.up / n, self.down / n, self.exits / n


def history(*, first: date, months: int) -> History:
    """The history of ``months`` months from the month of ``first``. Three queries."""
    steps = tuple(Step.objects.filter(active=True).order_by("position", "pk"))
    index = {s.pk: i for i, s in enumerate(steps)}
    grid = month_dates(month_start(first), months + 1)  # and the month after, for occupancy
    events: dict[int, list[tuple[date, int, int]]] = defaultdict(list)  # date, order, step/-1
    for person_id, day, step_id, pk in StepChange.objects.filter(
        step__active=True, changed_on__lt=grid[-1]
    ).values_list("person_id", "changed_on", "step_id", "pk"):
        events[person_id].append((day, pk, index[step_id]))
    exit_reasons: list[str] = []
    for person_id, day, pk, reason in Exit.objects.filter(exit_on__lt=grid[-1]).values_list(
        "person_id", "exit_on", "pk", "reason"
    ):
        events[person_id].append((day, pk, -1))
        if grid[0] <= day < grid[-1]:
            exit_reasons.append(reason)

    n = len(steps)
    occupancy = np.zeros((months + 1, n))
    at_risk, up, down, exits = (np.zeros(n) for _ in range(4))
    entrants = np.zeros((months, n))
    for timeline in events.values():
        timeline.sort()
        days = [e[0] for e in timeline]
        for t, m in enumerate(grid):
            before = bisect_left(days, m)
            state = timeline[before - 1][2] if before else -1
            if state >= 0:
                occupancy[t, state] += 1
            if t == months:
                break
            during = timeline[before : bisect_left(days, grid[t + 1])]
            if state >= 0:
                at_risk[state] += 1
                if any(e[2] == -1 for e in during):
                    exits[state] += 1
                elif during:
                    moved = during[-1][2]
                    up[state] += moved > state
                    down[state] += moved < state
            elif during and during[-1][2] >= 0:
                entrants[t, during[-1][2]] += 1
    return History(
        steps=steps,
        months=grid[:-1],
        occupancy=occupancy,
        at_risk=at_risk,
        up=up,
        down=down,
        exits=exits,
        entrants=entrants,
        exits_to_work_or_studies=sum(r in WORK_OR_STUDIES for r in exit_reasons),
        exits_total=len(exit_reasons),
    )


def support_per_household(*, on: date) -> int:
    """The mean monthly riksnorm of the households on support on ``on`` plus the housing
    assumption: what an exit to self-sufficiency saves. Two queries per 5,000 households."""
    on_support = Person.objects.filter(metrics.on_support_q(on))
    adults: dict[int, int] = defaultdict(int)
    for household_id in on_support.values_list("household_id", flat=True):
        adults[household_id] += 1
    children: dict[int, list[int]] = defaultdict(list)
    for chunk in chunks(sorted(adults)):
        for household_id, born in Child.objects.filter(household_id__in=chunk).values_list(
            "household_id", "birth_date"
        ):
            age = age_on(born, on)
            if 0 <= age <= 20:
                children[household_id].append(age)
    if not adults:
        return 0
    year = riksnorm_year_on(on)
    totals = [
        riksnorm(
            year=year,
            adults=min(count, 2),
            children=[RuleChild(age=a) for a in children.get(household_id, [])],
        ).total
        for household_id, count in adults.items()
    ]
    return round(sum(totals) / len(totals)) + HOUSING_PER_HOUSEHOLD


def _steps(
    past: History, people: FloatArray, capacity: dict[str, metrics.StepCapacity] | None = None
) -> tuple[StepParams, ...]:
    """The steps with the history's monthly probabilities and the entrants' shares, ``people``
    on each at the start, and the catalogue's cost and places when ``capacity`` is given."""
    up, down, exit_ = past.probabilities()
    arrivals = past.entrants.sum(axis=0)
    shares = arrivals / arrivals.sum() if arrivals.sum() else np.zeros(len(past.steps))
    if not arrivals.sum() and len(past.steps):
        shares[0] = 1.0
    catalogue = capacity or {}
    last = len(past.steps) - 1
    return _normalise_shares(
        tuple(
            StepParams(
                code=s.code,
                name=s.name,
                people=int(people[i]),
                places=None,
                cost_per_place_month=(
                    catalogue[s.code].cost_per_place_month if s.code in catalogue else 0
                ),
                up=0.0 if i == last else _down_to_4(up[i]),
                down=0.0 if i == 0 else _down_to_4(down[i]),
                exit=_down_to_4(exit_[i]),
                entry_share=round(float(shares[i]), 4),
                catalogue_places=None if capacity is None else _places(catalogue, s.code),
            )
            for i, s in enumerate(past.steps)
        )
    )


def estimate(*, today: date, window: int = 12, months: int = 36, runs: int = 1000) -> Scenario:
    """A scenario starting this month, with everything estimated from the last ``window``
    months, the current catalogue and the households on support: "what does full-time
    activation cost us" — a place for everyone on a step (no place limit), at the catalogue's
    cost per place-month."""
    start = month_start(today)
    past = history(first=add_months(start, -window), months=window)
    capacity = {c.step_code: c for c in metrics.capacity_vs_demand(today, requested={}).steps}
    share = past.exits_to_work_or_studies / past.exits_total if past.exits_total else 0.5
    return Scenario(
        # the history's last row is the occupancy at the start of this month
        steps=_steps(past, past.occupancy[-1], capacity),
        start_month=start,
        months=months,
        inflow=round(float(past.entrants.sum() / window), 1),
        caseload=DEFAULT_CASELOAD,
        case_manager_cost_month=CASE_MANAGER_COST_MONTH,
        support_per_household=support_per_household(on=today),
        self_sufficiency_share=round(share, 3),
        runs=runs,
        notes={
            "window": f"{past.months[0].isoformat()}–{add_months(start, -1).isoformat()}"
            if past.months
            else "",
            "person_months": str(int(past.at_risk.sum())),
            "exits": str(past.exits_total),
        },
    )


def backtest(*, today: date, window: int = 12, runs: int = 500) -> tuple[Scenario, FloatArray]:
    """The scenario estimated from the last ``window`` months, started from the occupancy at
    their start with the entrants as they came, and the occupancy the history shows month by
    month (window + 1 months × steps, the last row being this month's start): the model's check
    against our own past."""
    start = month_start(today)
    first = add_months(start, -window)
    past = history(first=first, months=window)
    scenario = Scenario(
        steps=_steps(past, past.occupancy[0]),
        start_month=first,
        months=window + 1,
        inflow=float(past.entrants.sum() / window),
        inflow_by_month=tuple(float(n) for n in past.entrants.sum(axis=1)),
        runs=runs,
    )
    return scenario, past.occupancy


def _places(capacity: dict[str, metrics.StepCapacity], code: str) -> int:
    return capacity[code].places if code in capacity else 0


def _down_to_4(p: float) -> float:
    """A probability to four decimals, rounded down: the rounded up, down and exit of a step
    never add up to more than 1 (1/6 + 1/6 + 4/6 rounded would be 1.0001)."""
    return math.floor(float(p) * 10_000) / 10_000


def _normalise_shares(steps: tuple[StepParams, ...]) -> tuple[StepParams, ...]:
    """Rounded entry shares that sum to exactly 1 (the largest takes the rounding)."""
    total = sum(s.entry_share for s in steps)
    if not steps or total == 0:
        return steps
    largest = max(range(len(steps)), key=lambda i: steps[i].entry_share)
    fixed = list(steps)
    s = fixed[largest]
    fixed[largest] = StepParams(
        **{**s.__dict__, "entry_share": round(s.entry_share + 1.0 - total, 6)}
    )
    return tuple(fixed)
