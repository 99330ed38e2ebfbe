"""Planning on the demo municipality: a scenario estimated from its history reproduces its last
twelve months of step occupancy, and the ready "cost of full-time activation" scenario runs and
its page renders."""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client

from heltid.demo.generator import build_demo
from heltid.insights.scenario_estimate import backtest
from heltid.insights.scenarios import create_ready_scenario, scenario_of
from heltid.planning.scenario import simulate
from heltid.rules.dates import add_months, month_start
from tests.clock import suite_today

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DAY = suite_today()
# the budget years of a 36-month scenario from this month
YEARS = list(range(DAY.year, add_months(month_start(DAY), 35).year + 1))


def test_demo__estimated_scenario_reproduces_the_last_12_months_within_10_percent(
    staff: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    build_demo(seed=1, on=DAY)
    scenario, actual = backtest(today=DAY, window=12)
    assert actual.shape == (13, len(scenario.steps))
    assert actual.min() >= 40, "every step has people enough for a 10 % comparison"
    simulated = simulate(scenario).mean_people
    relative = np.abs(simulated - actual) / actual
    table = np.round(relative, 3).tolist()
    # each step's occupancy over the twelve months: its mean, its month-by-month error on
    # average, and where it ends, within 10 %; every single month within 15 % (the top step has
    # some 70 people, whose month-to-month noise alone moves it by a tenth)
    mean_error = np.abs(simulated.mean(axis=0) - actual.mean(axis=0)) / actual.mean(axis=0)
    assert mean_error.max() < 0.10, mean_error
    assert relative.mean(axis=0).max() < 0.10, table
    assert relative[-1].max() < 0.10, table
    assert relative.max() < 0.15, table
    assert (np.abs(simulated.sum(axis=1) - actual.sum(axis=1)) / actual.sum(axis=1)).max() < 0.10
    # the history moves: a model that kept everyone where they stood would not do
    assert np.abs(actual[-1] - actual[0]).max() / actual[0].max() > 0.05

    # the ready scenario runs on the demo, and its page shows charts and tables
    saved = create_ready_scenario(user=staff.analyst, today=DAY, months=36, runs=1000)
    ready = scenario_of(saved)
    assert sum(s.people for s in ready.steps) == int(actual[-1].sum())
    assert ready.support_per_household > 5000 and ready.inflow > 0
    client = Client()
    client.force_login(staff.analyst)
    page = client.get(f"/planering/{saved.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert html.count("<svg") >= 2 and "<table" in html
    years = page.context["years"]
    assert [y.year for y in years] == YEARS
    assert all(y.gross[1] > 0 for y in years)

    call_command("scenario", "cost-of-activation", "--months", "36", "--runs", "200", "--json")
    out = json.loads(capsys.readouterr().out)
    assert [y["year"] for y in out["years"]] == YEARS
    assert all(
        y["net_cost"]["p10"] <= y["net_cost"]["p50"] <= y["net_cost"]["p90"] for y in out["years"]
    )
