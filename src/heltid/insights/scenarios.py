"""Saved planning scenarios: make the ready one from today's data, copy, run, tabulate, export.

The engine is :mod:`heltid.planning.scenario` (pure); the parameters from the municipality's
data come from :mod:`heltid.insights.scenario_estimate`."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from heltid.accounts.models import User
from heltid.clock import moment_of
from heltid.insights.models import SavedScenario
from heltid.insights.scenario_estimate import estimate
from heltid.planning.scenario import Scenario, ScenarioResult, simulate
from heltid.spreadsheets import values_only

WEB_RUNS = 1000  # runs on a page: 0.2 s for 10,000 people over 36 months


def ready_name() -> str:
    return _("What does full-time activation cost us?")


@transaction.atomic
def create_ready_scenario(
    *, user: User | None, today: date, months: int = 36, runs: int = WEB_RUNS
) -> SavedScenario:
    """The ready scenario: estimated from the last twelve months, the current catalogue and the
    households on support, with a place for everyone on a step."""
    scenario = estimate(today=today, months=months, runs=runs)
    scenario.validate()
    return SavedScenario.objects.create(
        name=ready_name(),
        description=_(
            "Made %(day)s from the step changes and exits of the last twelve months, the "
            "catalogue's cost per place-month and the households on support. Everyone on a "
            "step gets a place: the places needed show what full-time activation requires."
        )
        % {"day": today.isoformat()},
        params=scenario.as_dict(),
        ready_made=True,
        created_by=user,
        created_at=moment_of(today),  # made on ``today``, as its description says
    )


@transaction.atomic
def copy_scenario(*, saved: SavedScenario, user: User | None) -> SavedScenario:
    return SavedScenario.objects.create(
        name=(_("Copy of %(name)s") % {"name": saved.name})[:200],
        description=saved.description,
        params=saved.params,
        ready_made=False,
        copied_from=saved,
        created_by=user,
    )


@transaction.atomic
def save_scenario(
    *, saved: SavedScenario, name: str, description: str, scenario: Scenario
) -> SavedScenario:
    scenario.validate()
    saved.name = name
    saved.description = description
    saved.params = scenario.as_dict()
    saved.save()
    return saved


def scenario_of(saved: SavedScenario) -> Scenario:
    return Scenario.from_dict(saved.params)


def run(saved: SavedScenario) -> ScenarioResult:
    return simulate(scenario_of(saved))


# --- tables ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class MonthRow:
    month: date
    people: tuple[int, ...]  # per step, median
    waiting: tuple[int, ...]
    total: int
    waiting_total: int
    waiting_low: int  # 10th percentile of everyone waiting
    waiting_high: int  # 90th percentile
    staff: int
    gross: int
    savings: int
    net: int
    net_low: int  # 10th percentile
    net_high: int  # 90th percentile


def month_rows(result: ScenarioResult) -> list[MonthRow]:
    rows = []
    for t, month in enumerate(result.months):
        people = tuple(round(float(v)) for v in result.people.p50[t])
        rows.append(
            MonthRow(
                month=month,
                people=people,
                waiting=tuple(round(float(v)) for v in result.waiting.p50[t]),
                total=sum(people),
                waiting_total=round(float(result.waiting_total.p50[t])),
                waiting_low=round(float(result.waiting_total.p10[t])),
                waiting_high=round(float(result.waiting_total.p90[t])),
                staff=round(float(result.staff_needed.p50[t])),
                gross=round(float(result.gross_cost.p50[t])),
                savings=round(float(result.savings.p50[t])),
                net=round(float(result.net_cost.p50[t])),
                net_low=round(float(result.net_cost.p10[t])),
                net_high=round(float(result.net_cost.p90[t])),
            )
        )
    return rows


def years_as_json(result: ScenarioResult) -> list[dict[str, Any]]:
    def pct(values: tuple[float, float, float]) -> dict[str, int]:
        return {"p10": round(values[0]), "p50": round(values[1]), "p90": round(values[2])}

    return [
        {
            "year": y.year,
            "months": y.months,
            "gross_cost": pct(y.gross),
            "savings": pct(y.savings),
            "net_cost": pct(y.net),
        }
        for y in result.years
    ]


def scenario_xlsx(saved: SavedScenario, result: ScenarioResult) -> bytes:
    """Three sheets: the parameters, month by month, and the budget years."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    scenario = result.scenario
    names = [s.name for s in scenario.steps]
    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _("Parameters")
    about.append([_("Scenario"), saved.name])
    about.append([_("Description"), saved.description])
    about.append([_("First month"), scenario.start_month.isoformat()])
    about.append([_("Months"), scenario.months])
    about.append([_("Runs"), scenario.runs])
    about.append([_("New persons per month"), scenario.inflow])
    if scenario.shock is not None:
        about.append(
            [
                _("Shock: inflow times"),
                scenario.shock.factor,
                _("from month %(start)s for %(months)s months")
                % {"start": scenario.shock.start + 1, "months": scenario.shock.months},
            ]
        )
    about.append([_("Persons per case manager"), scenario.caseload])
    about.append([_("Case manager's cost per month (kr)"), scenario.case_manager_cost_month])
    about.append([_("Support saved per household and month (kr)"), scenario.support_per_household])
    about.append([_("Share of exits to work or studies"), scenario.self_sufficiency_share])
    about.append([])
    step_header = [
        _("Step"),
        _("Persons at the start"),
        _("Places (empty: as many as needed)"),
        _("Places in the catalogue"),
        _("Cost per place-month (kr)"),
        _("Up per month"),
        _("Down per month"),
        _("Exit per month"),
        _("Share of new persons"),
    ]
    about.append(step_header)
    for s in scenario.steps:
        about.append(
            [
                s.name,
                s.people,
                s.places,
                s.catalogue_places,
                s.cost_per_place_month,
                s.up,
                s.down,
                s.exit,
                s.entry_share,
            ]
        )
    for cell in about["A"]:
        cell.font = bold
    about.column_dimensions["A"].width = 44

    monthly = book.create_sheet(_("Per month"))
    monthly.append(
        [
            _("Month"),
            *[_("%(step)s: persons") % {"step": n} for n in names],
            *[_("%(step)s: waiting") % {"step": n} for n in names],
            _("Persons in all"),
            _("Waiting in all"),
            _("Waiting, 10th percentile"),
            _("Waiting, 90th percentile"),
            _("Case managers needed"),
            _("Gross cost (kr)"),
            _("Savings (kr)"),
            _("Net cost (kr)"),
            _("Net cost, 10th percentile (kr)"),
            _("Net cost, 90th percentile (kr)"),
        ]
    )
    for row in month_rows(result):
        monthly.append(
            [
                row.month.strftime("%Y-%m"),
                *row.people,
                *row.waiting,
                row.total,
                row.waiting_total,
                row.waiting_low,
                row.waiting_high,
                row.staff,
                row.gross,
                row.savings,
                row.net,
                row.net_low,
                row.net_high,
            ]
        )
    yearly = book.create_sheet(_("Per budget year"))
    yearly.append(
        [
            _("Year"),
            _("Months"),
            *[
                f"{what}, {p}"
                for what in (_("Gross cost (kr)"), _("Savings (kr)"), _("Net cost (kr)"))
                for p in ("p10", "p50", "p90")
            ],
        ]
    )
    for y in result.years:
        yearly.append([y.year, y.months, *[round(v) for v in (*y.gross, *y.savings, *y.net)]])
    for sheet in (monthly, yearly):
        for cell in sheet[1]:
            cell.font = bold
        sheet.freeze_panes = "B2"
    out = io.BytesIO()
    values_only(book)
    book.save(out)
    return out.getvalue()
