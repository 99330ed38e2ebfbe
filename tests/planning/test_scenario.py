"""The scenario engine against mathematics: without place limits the model is a Markov chain
with inflow, and the simulated mean occupancy must match the closed form (matrix powers)."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from heltid.planning.scenario import (
    Scenario,
    ScenarioError,
    Shock,
    StepParams,
    markov_expectation,
    month_dates,
    simulate,
)

STEPS = (
    StepParams(
        "a", "Rehabilitering", 3000, None, 9000, up=0.06, down=0.0, exit=0.02, entry_share=0.5
    ),
    StepParams(
        "b", "Sysselsättning", 2500, None, 7000, up=0.08, down=0.03, exit=0.03, entry_share=0.3
    ),
    StepParams(
        "c", "Arbetsträning", 2000, None, 12000, up=0.10, down=0.04, exit=0.05, entry_share=0.2
    ),
    StepParams(
        "d", "Arbete med stöd", 1500, None, 15000, up=0.12, down=0.05, exit=0.06, entry_share=0.0
    ),
    StepParams("e", "Arbete", 1000, None, 0, up=0.0, down=0.03, exit=0.15, entry_share=0.0),
)


def _scenario(**changes: object) -> Scenario:
    values: dict[str, object] = {
        "steps": STEPS,
        "start_month": date(2026, 1, 1),
        "months": 36,
        "inflow": 400.0,
        "shock": Shock(start=6, months=12, factor=1.5),
        "caseload": 40,
        "case_manager_cost_month": 60_000,
        "support_per_household": 11_000,
        "self_sufficiency_share": 0.6,
        "runs": 2000,
        "seed": 7,
    }
    values.update(changes)
    return Scenario(**values)  # type: ignore[arg-type]


def test_simulation_without_place_limits__mean_matches_the_markov_chain_within_1_percent() -> None:
    scenario = _scenario()
    expected = markov_expectation(scenario)
    simulated = simulate(scenario).mean_people
    assert expected.shape == simulated.shape == (36, 5)
    relative = np.abs(simulated - expected) / expected
    assert relative.max() < 0.01, f"largest relative difference {relative.max():.4f}"
    # and the closed form is not trivial: people move, and the shock shows in the inflow
    assert abs(expected[35, 4] - expected[0, 4]) > 100
    no_shock = markov_expectation(_scenario(shock=None))
    assert expected[20].sum() > no_shock[20].sum() + 1000


def test_markov_expectation__hand_computed_two_steps() -> None:
    """Two steps, no inflow: x1 = (100·0.7, 100·0.2) = (70, 20);
    x2 = (70·0.7 + 20·0.1, 70·0.2 + 20·0.8) = (51, 30)."""
    steps = (
        StepParams("a", "A", 100, None, 0, up=0.2, down=0.0, exit=0.1, entry_share=1.0),
        StepParams("b", "B", 0, None, 0, up=0.0, down=0.1, exit=0.1, entry_share=0.0),
    )
    x = markov_expectation(_scenario(steps=steps, inflow=0.0, shock=None, months=3))
    assert np.allclose(x, [[100, 0], [70, 20], [51, 30]])


def test_place_limits__queues_form_and_nobody_is_lost() -> None:
    limited = tuple(
        StepParams(
            s.code,
            s.name,
            s.people,
            1500 if s.code == "c" else None,
            s.cost_per_place_month,
            s.up,
            s.down,
            s.exit,
            s.entry_share,
        )
        for s in STEPS
    )
    result = simulate(_scenario(steps=limited, runs=200))
    c = 2
    assert result.waiting.p50[:, c].max() > 0  # step c has more people than places
    assert np.all(result.waiting.p50[:, [0, 1, 3, 4]] == 0)
    # everyone assigned to c who is not waiting has a place: placed never exceeds the limit
    placed_c = result.people.p50[:, c] - result.waiting.p50[:, c]
    assert placed_c.max() <= 1500
    # the queue's band: percentiles of each run's total, in order, and wide once queues grow
    band = result.waiting_total
    assert np.all(band.p10 <= band.p50) and np.all(band.p50 <= band.p90)
    assert band.p90[-1] > band.p10[-1] > 0


def test_costs_savings_and_budget_years() -> None:
    result = simulate(_scenario(runs=300))
    first = 0
    # month 0: the starting people, on known costs, nothing saved yet
    expected_gross = (3000 * 9000 + 2500 * 7000 + 2000 * 12000 + 1500 * 15000 + 0) + np.ceil(
        10000 / 40
    ) * 60_000
    assert result.gross_cost.p50[first] == expected_gross
    assert result.savings.p50[first] == 0
    assert result.savings.p50[-1] > result.savings.p50[1] > 0
    assert np.allclose(result.net_cost.p50, result.net_cost.p50)  # shape check
    assert [y.year for y in result.years] == [2026, 2027, 2028]
    for y in result.years:
        assert y.gross[0] <= y.gross[1] <= y.gross[2]
        assert y.net[1] == pytest.approx(y.gross[1] - y.savings[1], rel=0.05)
    assert result.months[0] == date(2026, 1, 1) and result.months[-1] == date(2028, 12, 1)


def test_same_seed_same_result_other_seed_other() -> None:
    a = simulate(_scenario(runs=50))
    b = simulate(_scenario(runs=50))
    c = simulate(_scenario(runs=50, seed=8))
    assert np.array_equal(a.people.p50, b.people.p50)
    assert not np.array_equal(a.people.p90, c.people.p90)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"months": 0}, "months"),
        ({"months": 61}, "months"),
        ({"runs": 0}, "runs"),
        ({"inflow": -1.0}, "inflow"),
        ({"caseload": 0}, "caseload"),
        ({"self_sufficiency_share": 1.5}, "self_sufficiency_share"),
        ({"start_month": date(2026, 1, 15)}, "start_month"),
    ],
)
def test_validate__bad_values__error_names_the_field(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ScenarioError) as error:
        simulate(_scenario(**changes))
    assert error.value.field == field


def test_validate__probabilities_over_one_or_moves_off_the_staircase() -> None:
    too_much = (
        StepParams("a", "A", 1, None, 0, up=0.6, down=0.0, exit=0.5, entry_share=1.0),
        StepParams("b", "B", 1, None, 0, up=0.0, down=0.0, exit=0.0, entry_share=0.0),
    )
    with pytest.raises(ScenarioError, match="högst 1"):
        simulate(_scenario(steps=too_much))
    top_up = (StepParams("a", "A", 1, None, 0, up=0.1, down=0.0, exit=0.0, entry_share=1.0),)
    with pytest.raises(ScenarioError, match="översta"):
        simulate(_scenario(steps=top_up))


def test_round_trip_as_dict() -> None:
    scenario = _scenario()
    assert Scenario.from_dict(scenario.as_dict()) == scenario
    with pytest.raises(ScenarioError):
        Scenario.from_dict({"steps": "x"})


def test_month_dates__across_years() -> None:
    assert month_dates(date(2025, 11, 1), 3) == (
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
    )
