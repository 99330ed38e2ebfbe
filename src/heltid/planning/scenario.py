"""Scenarios: the monthly flow of people through the staircase, with its costs and savings.

Pure Python and numpy; no Django. The model, one month at a time:

- Each step of the staircase has people *assigned* to it. With ``places`` on the step, as many
  as there are places are *placed* (in an activity); the rest *wait* for a place. ``places``
  None means as many places as needed (nobody waits).
- A placed person moves one step up with ``up``, one step down with ``down``, leaves support
  with ``exit``, and otherwise stays. Waiting people only leave (with ``exit``) or keep waiting.
  The top step has no "up", the bottom step no "down".
- New people come each month: a Poisson number with mean ``inflow`` (times ``shock.factor``
  during a shock, e.g. an economic downturn), spread over the steps by ``entry_share``.
- A share ``self_sufficiency_share`` of those who leave go to work or studies; each of their
  households saves ``support_per_household`` kronor a month from the month after, for the rest
  of the horizon.
- Costs of a month: the places in use (placed × ``cost_per_place_month``) and the case
  managers needed for everyone assigned at ``caseload`` persons each. Net cost = gross −
  savings.

:func:`simulate` runs the model ``runs`` times at once (vectorised: arrays of runs × steps) and
gives medians with 10th–90th percentile bands; :func:`markov_expectation` is the closed form of
the model without place limits (a Markov chain with inflow), which the simulation must match.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt

MAX_MONTHS = 60
MAX_RUNS = 5000
PERCENTILES = (10, 50, 90)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class ScenarioError(ValueError):
    """A scenario that cannot be run; the message is Swedish and names the field."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name


@dataclass(frozen=True)
class StepParams:
    code: str
    name: str
    people: int  # assigned at the start (placed or waiting)
    places: int | None  # None: as many as needed
    cost_per_place_month: int  # kronor
    up: float  # monthly probabilities
    down: float
    exit: float
    entry_share: float  # share of the inflow that starts on this step
    catalogue_places: int | None = None  # places in the catalogue today (for the gap)


@dataclass(frozen=True)
class Shock:
    """Inflow times ``factor`` for ``months`` months from month ``start`` (0 = the first)."""

    start: int
    months: int
    factor: float

    def validate(self) -> None:
        if self.start < 0 or self.months < 0 or self.factor < 0 or not math.isfinite(self.factor):
            raise ScenarioError("shock", "Chocken behöver start, längd och faktor ≥ 0.")


@dataclass(frozen=True)
class Scenario:
    steps: tuple[StepParams, ...]
    start_month: date  # the first month (its first day)
    months: int = 36
    inflow: float = 0.0  # new persons per month
    # new persons month by month, typed in or as they came (a back-test); overrides ``inflow``
    # and ``shock`` for the months it covers
    inflow_by_month: tuple[float, ...] = ()
    shock: Shock | None = None
    caseload: int = 40  # persons per case manager
    case_manager_cost_month: int = 0  # kronor, with employer contributions
    support_per_household: int = 0  # kronor a month saved per exit to self-sufficiency
    self_sufficiency_share: float = 0.5
    runs: int = 1000
    seed: int = 1
    notes: dict[str, str] = field(default_factory=dict)  # where each figure came from

    def validate(self) -> None:
        """Raises ScenarioError for the first problem found."""
        checks = (
            ("steps", bool(self.steps), "Scenariot behöver minst ett steg."),
            ("months", 1 <= self.months <= MAX_MONTHS, f"Antalet månader ska vara 1–{MAX_MONTHS}."),
            ("runs", 1 <= self.runs <= MAX_RUNS, f"Antalet körningar ska vara 1–{MAX_RUNS}."),
            ("start_month", self.start_month.day == 1, "Startmånaden anges med dess första dag."),
            (
                "inflow",
                self.inflow >= 0 and math.isfinite(self.inflow),
                "Inflödet kan inte vara negativt.",
            ),
            ("caseload", self.caseload >= 1, "Ärenden per handläggare ska vara minst 1."),
            (
                "case_manager_cost_month",
                self.case_manager_cost_month >= 0,
                "Beloppet kan inte vara negativt.",
            ),
            (
                "support_per_household",
                self.support_per_household >= 0,
                "Beloppet kan inte vara negativt.",
            ),
            (
                "self_sufficiency_share",
                0 <= self.self_sufficiency_share <= 1,
                "Andelen ska vara mellan 0 och 1.",
            ),
        )
        for name, ok, message in checks:
            if not ok:
                raise ScenarioError(name, message)
        if self.shock is not None:
            self.shock.validate()
        last = len(self.steps) - 1
        for i, s in enumerate(self.steps):
            _validate_step(s, f"steps.{i}", first=i == 0, top=i == last)
        if any(n < 0 or not math.isfinite(n) for n in self.inflow_by_month):
            raise ScenarioError("inflow_by_month", "Inflödet kan inte vara negativt.")
        arrivals = self.inflow > 0 or any(self.inflow_by_month)
        if arrivals and not math.isclose(sum(s.entry_share for s in self.steps), 1.0):
            raise ScenarioError("entry_share", "Inflödets andelar per steg ska summera till 1.")

    def inflow_in(self, month: int) -> float:
        if month < len(self.inflow_by_month):
            return self.inflow_by_month[month]
        shock = self.shock
        if shock is not None and shock.start <= month < shock.start + shock.months:
            return self.inflow * shock.factor
        return self.inflow

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["start_month"] = self.start_month.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Scenario:
        """The inverse of :meth:`as_dict` (raises ScenarioError for a malformed dict)."""
        try:
            steps = tuple(StepParams(**s) for s in data["steps"])
            data = {**data, "inflow_by_month": tuple(data.get("inflow_by_month", ()))}
            shock = Shock(**data["shock"]) if data.get("shock") else None
            values = {k: v for k, v in data.items() if k not in {"steps", "shock", "start_month"}}
            return cls(
                steps=steps,
                shock=shock,
                start_month=date.fromisoformat(data["start_month"]),
                **values,
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ScenarioError("scenario", f"Scenariot kan inte läsas: {exc}") from exc


def _validate_step(s: StepParams, where: str, *, first: bool, top: bool) -> None:
    if s.people < 0 or (s.places is not None and s.places < 0):
        raise ScenarioError(where, f"{s.name}: antal kan inte vara negativa.")
    if s.cost_per_place_month < 0:
        raise ScenarioError(where, f"{s.name}: kostnaden kan inte vara negativ.")
    for p in (s.up, s.down, s.exit, s.entry_share):
        if not 0 <= p <= 1 or not math.isfinite(p):
            raise ScenarioError(where, f"{s.name}: sannolikheter ska vara 0–1.")
    if s.up + s.down + s.exit > 1 + 1e-9:
        raise ScenarioError(where, f"{s.name}: upp, ner och avslut får tillsammans vara högst 1.")
    if (top and s.up > 0) or (first and s.down > 0):
        raise ScenarioError(where, f"{s.name}: översta steget har inget upp, nedersta inget ner.")


# --- results --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    """10th, 50th and 90th percentiles over the runs (same shape: months, or months × steps)."""

    p10: FloatArray
    p50: FloatArray
    p90: FloatArray


@dataclass(frozen=True)
class YearTotal:
    """A budget (calendar) year's sums, percentiles over the runs of each run's yearly sum."""

    year: int
    months: int
    gross: tuple[float, float, float]
    savings: tuple[float, float, float]
    net: tuple[float, float, float]


@dataclass(frozen=True)
class ScenarioResult:
    scenario: Scenario
    months: tuple[date, ...]
    people: Band  # months × steps: assigned at the start of the month
    waiting: Band  # months × steps
    waiting_total: Band  # months: everyone waiting, percentiles of each run's total
    places_needed: Band  # months × steps (= assigned: a place for everyone)
    staff_needed: Band  # months
    gross_cost: Band
    savings: Band
    net_cost: Band
    mean_people: FloatArray  # months × steps, the mean over the runs (for checks)
    years: tuple[YearTotal, ...]


def _band(values: FloatArray) -> Band:
    p10, p50, p90 = np.percentile(values, PERCENTILES, axis=0)
    return Band(p10=p10, p50=p50, p90=p90)


def month_dates(start: date, months: int) -> tuple[date, ...]:
    index = start.year * 12 + start.month - 1
    return tuple(date((index + i) // 12, (index + i) % 12 + 1, 1) for i in range(months))


def _transition_probabilities(steps: tuple[StepParams, ...]) -> FloatArray:
    """steps × (stay, up, down, exit)."""
    rows = [[1.0 - s.up - s.down - s.exit, s.up, s.down, s.exit] for s in steps]
    probabilities: FloatArray = np.clip(np.array(rows, dtype=np.float64), 0.0, 1.0)
    normalised: FloatArray = probabilities / probabilities.sum(axis=1, keepdims=True)
    return normalised


def simulate(scenario: Scenario) -> ScenarioResult:
    """Run the scenario ``scenario.runs`` times; every array has the runs as its first axis."""
    scenario.validate()
    steps = scenario.steps
    n_steps, runs, months = len(steps), scenario.runs, scenario.months
    rng = np.random.default_rng(scenario.seed)
    moves_p = _transition_probabilities(steps)
    exit_p = np.array([s.exit for s in steps])
    entry = np.array([s.entry_share for s in steps], dtype=np.float64)
    entry = entry / entry.sum() if entry.sum() > 0 else np.full(n_steps, 1.0 / n_steps)
    unlimited = np.iinfo(np.int64).max // 4
    places = np.array([unlimited if s.places is None else s.places for s in steps])
    costs = np.array([s.cost_per_place_month for s in steps], dtype=np.float64)

    assigned = np.tile(np.array([s.people for s in steps], dtype=np.int64), (runs, 1))
    self_sufficient = np.zeros(runs, dtype=np.int64)  # households off support so far
    people = np.empty((months, runs, n_steps), dtype=np.int64)
    waiting = np.empty((months, runs, n_steps), dtype=np.int64)
    gross = np.empty((months, runs), dtype=np.float64)
    savings = np.empty((months, runs), dtype=np.float64)
    staff = np.empty((months, runs), dtype=np.float64)
    for t in range(months):
        placed = np.minimum(assigned, places)
        queue = assigned - placed
        people[t], waiting[t] = assigned, queue
        staff[t] = np.ceil(assigned.sum(axis=1) / scenario.caseload)
        gross[t] = placed @ costs + staff[t] * scenario.case_manager_cost_month
        savings[t] = self_sufficient * float(scenario.support_per_household)

        moves = rng.multinomial(placed, moves_p)  # runs × steps × (stay, up, down, exit)
        queue_exits = rng.binomial(queue, exit_p)
        after = assigned - moves[:, :, 1] - moves[:, :, 2] - moves[:, :, 3] - queue_exits
        after[:, 1:] += moves[:, :-1, 1]  # up one step
        after[:, :-1] += moves[:, 1:, 2]  # down one step
        exits = moves[:, :, 3].sum(axis=1) + queue_exits.sum(axis=1)
        self_sufficient += rng.binomial(exits, scenario.self_sufficiency_share)
        arrivals = rng.poisson(scenario.inflow_in(t), size=runs)
        after += rng.multinomial(arrivals, entry)
        assigned = after

    people_f = people.astype(np.float64)
    net = gross - savings
    dates = month_dates(scenario.start_month, months)
    return ScenarioResult(
        scenario=scenario,
        months=dates,
        people=_band(people_f.transpose(1, 0, 2)),
        waiting=_band(waiting.astype(np.float64).transpose(1, 0, 2)),
        waiting_total=_band(waiting.sum(axis=2).astype(np.float64).T),
        places_needed=_band(people_f.transpose(1, 0, 2)),
        staff_needed=_band(staff.T),
        gross_cost=_band(gross.T),
        savings=_band(savings.T),
        net_cost=_band(net.T),
        mean_people=people_f.mean(axis=1),
        years=_years(dates, gross, savings, net),
    )


def _years(
    dates: tuple[date, ...], gross: FloatArray, savings: FloatArray, net: FloatArray
) -> tuple[YearTotal, ...]:
    totals = []
    for year in sorted({d.year for d in dates}):
        rows = [i for i, d in enumerate(dates) if d.year == year]

        def pct(values: FloatArray, rows: list[int] = rows) -> tuple[float, float, float]:
            sums = values[rows].sum(axis=0)
            p10, p50, p90 = np.percentile(sums, PERCENTILES)
            return float(p10), float(p50), float(p90)

        totals.append(
            YearTotal(
                year=year,
                months=len(rows),
                gross=pct(gross),
                savings=pct(savings),
                net=pct(net),
            )
        )
    return tuple(totals)


def markov_expectation(scenario: Scenario) -> FloatArray:
    """The expected people per step at the start of each month when no step has a place limit:
    x(t) = x(0)·Mᵗ + Σₖ₌₀ᵗ⁻¹ a(k)·Mᵗ⁻¹⁻ᵏ, with M the monthly movement between steps and a(k) the
    month's expected arrivals per step. Months × steps."""
    scenario.validate()
    steps = scenario.steps
    n = len(steps)
    movement = np.zeros((n, n))
    for i, s in enumerate(steps):
        movement[i, i] = 1.0 - s.up - s.down - s.exit
        if i + 1 < n:
            movement[i, i + 1] = s.up
        if i > 0:
            movement[i, i - 1] = s.down
    entry = np.array([s.entry_share for s in steps], dtype=np.float64)
    entry = entry / entry.sum() if entry.sum() > 0 else np.full(n, 1.0 / n)
    start = np.array([s.people for s in steps], dtype=np.float64)
    out = np.empty((scenario.months, n))
    for t in range(scenario.months):
        value = start @ np.linalg.matrix_power(movement, t)
        for k in range(t):
            value += scenario.inflow_in(k) * entry @ np.linalg.matrix_power(movement, t - 1 - k)
        out[t] = value
    return out
