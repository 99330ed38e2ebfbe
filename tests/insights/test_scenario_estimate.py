"""Scenario parameters from the history: hand-built step changes and exits with known counts."""

from __future__ import annotations

from datetime import date

import pytest

from heltid.casework.models import Exit, ExitReason, StepChange
from heltid.catalog.models import Step
from heltid.insights.scenario_estimate import estimate, history
from heltid.planning.scenario import simulate
from heltid.registry.models import Person
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
    s = _steps()
    for i in range(30):
        p = PersonFactory(support_since=date(2025, 1, 1))
        _change(p, s[i % 3], date(2025, 6, 1 + i % 20))
        if i % 5 == 0:
            _change(p, s[i % 3 + 1], date(2026, 3, 10))
        if i % 7 == 0:
            Exit.objects.create(person=p, exit_on=date(2026, 5, 2), reason=ExitReason.STUDIES)
    scenario = estimate(today=date(2026, 11, 24), window=12, months=12, runs=50)
    scenario.validate()
    assert scenario.start_month == date(2026, 11, 1)
    assert sum(step.people for step in scenario.steps) == 30 - 5  # five exited
    assert scenario.self_sufficiency_share == 1.0
    assert scenario.support_per_household > 0
    assert simulate(scenario).people.p50.shape == (12, len(s))
