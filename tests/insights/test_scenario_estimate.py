"""Scenario parameters from the history: hand-built step changes and exits with known counts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from heltid.casework.models import Exit, ExitReason, StepChange
from heltid.catalog.models import Step
from heltid.insights.scenario_estimate import (
    HOUSING_PER_HOUSEHOLD,
    estimate,
    history,
    support_per_household,
)
from heltid.planning.scenario import simulate
from heltid.registry.models import Person
from heltid.rules import riksnorm, riksnorm_year_on
from heltid.rules.dates import add_months, month_start
from heltid.rules.parameters import latest_version
from tests.clock import suite_today
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _steps() -> list[Step]:
    return list(Step.objects.filter(active=True).order_by("position", "pk"))


def _change(person: Person, step: Step, day: date) -> None:
    StepChange.objects.create(person=person, step=step, changed_on=day, reason="test")


def test_history__counts_each_month_by_the_definition() -> None:
    s = _steps()
    a, b, c, d = (PersonFactory(support_since=date(2025, 1, 1)) for _ in range(4))
    _change(a, s[0], date(2025, 12, 10))  # enters in December on step 0
    _change(a, s[1], date(2026, 1, 20))  # up in January
    _change(b, s[1], date(2025, 11, 3))  # on step 1 from November
    _change(b, s[0], date(2026, 2, 5))  # down in February
    _change(c, s[1], date(2025, 11, 3))
    Exit.objects.create(person=c, exit_on=date(2026, 1, 15), reason=ExitReason.WORK_REGULAR)
    _change(d, s[2], date(2026, 2, 1))  # enters in February on step 2

    h = history(first=date(2025, 12, 1), months=3)  # December, January, February
    assert h.months == (date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1))
    # start of December: b and c on step 1; January: a on 0, b and c on 1; February: a, b on 1
    assert h.occupancy[0][:3].tolist() == [0, 2, 0]
    assert h.occupancy[1][:3].tolist() == [1, 2, 0]
    assert h.occupancy[2][:3].tolist() == [0, 2, 0]
    assert h.occupancy[3][:3].tolist() == [1, 1, 1]  # March: b down to 0, a on 1, d on 2
    # at risk: step 0 one month (a in Jan); step 1: Dec 2 + Jan 2 + Feb 2 = 6
    assert h.at_risk[0] == 1 and h.at_risk[1] == 6
    assert h.up[0] == 1 and h.down[1] == 1 and h.exits[1] == 1
    assert h.entrants[0][0] == 1 and h.entrants[2][2] == 1  # a in December, d in February
    assert h.exits_total == 1 and h.exits_to_work_or_studies == 1
    up, down, exit_ = h.probabilities()
    assert up[0] == 1.0 and down[1] == pytest.approx(1 / 6) and exit_[1] == pytest.approx(1 / 6)


def test_estimate__a_runnable_scenario_from_the_data() -> None:
    today = suite_today()
    this_month = month_start(today)
    s = _steps()
    for i in range(30):
        p = PersonFactory(support_since=add_months(this_month, -24))
        # on a step since before the window; a fifth move up and a seventh leave inside it
        _change(p, s[i % 3], add_months(this_month, -17) + timedelta(days=i % 20))
        if i % 5 == 0:
            _change(p, s[i % 3 + 1], add_months(this_month, -8) + timedelta(days=9))
        if i % 7 == 0:
            Exit.objects.create(
                person=p,
                exit_on=add_months(this_month, -6) + timedelta(days=1),
                reason=ExitReason.STUDIES,
            )
    scenario = estimate(today=today, window=12, months=12, runs=50)
    scenario.validate()
    assert scenario.start_month == this_month
    assert sum(step.people for step in scenario.steps) == 30 - 5  # five exited
    assert scenario.self_sufficiency_share == 1.0
    assert scenario.support_per_household > 0
    assert simulate(scenario).people.p50.shape == (12, len(s))


def test_riksnorm_year__the_norm_in_force__the_latest_before_next_years_is_decided() -> None:
    latest = latest_version("riksnorm").valid_from.year
    assert riksnorm_year_on(date(latest, 1, 1)) == latest
    assert riksnorm_year_on(date(latest, 12, 31)) == latest
    # a year whose norm is not in the parameters yet: the latest one stands
    assert riksnorm_year_on(date(latest + 1, 6, 30)) == latest


def test_support_per_household__a_single_adult__the_riksnorm_in_force_and_housing() -> None:
    today = suite_today()
    PersonFactory(support_since=add_months(month_start(today), -6))
    expected = riksnorm(year=riksnorm_year_on(today), adults=1).total + HOUSING_PER_HOUSEHOLD
    assert support_per_household(on=today) == expected
