"""Riksnorm: household totals computed by hand from the 2026 table."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

from heltid.rules import (
    Child,
    ParameterError,
    riksnorm,
    riksnorm_as_json,
    riksnorm_shared_adult,
)
from heltid.rules.parameters import read_parameter_file

# The package re-exports the function `riksnorm`, which shadows the submodule
# attribute; fetch the module itself for monkeypatching.
riksnorm_module = importlib.import_module("heltid.rules.riksnorm")

# The 2026 table (SFS 2025:468 12 kap. 2 §, ändr. SFS 2025:1046), kronor per month,
# written out here so that the expected totals below are computed by hand.
SINGLE = 3940
COUPLE = 7100
CHILD_0, CHILD_0_LUNCH = 2740, 2560
CHILD_1_2, CHILD_1_2_LUNCH = 3060, 2800
CHILD_3, CHILD_3_LUNCH = 2720, 2500
CHILD_4_6, CHILD_4_6_LUNCH = 3060, 2720
CHILD_7_10 = 3820
CHILD_11_14 = 4390
CHILD_15_18 = 4960
CHILD_19_20 = 5000
COMMON = {1: 1280, 2: 1410, 3: 1790, 4: 2030, 5: 2330, 6: 2640, 7: 2830}


@pytest.mark.parametrize(
    ("adults", "children", "expected"),
    [
        pytest.param(1, [], 3940 + 1280, id="single_adult"),
        pytest.param(2, [], 7100 + 1410, id="couple"),
        pytest.param(
            1,
            [Child(3, lunch_outside_home=True)],
            SINGLE + CHILD_3_LUNCH + COMMON[2],
            id="single_parent_with_3_year_old_in_preschool",
        ),
        pytest.param(
            1, [Child(3)], SINGLE + CHILD_3 + COMMON[2], id="single_parent_with_3_year_old_at_home"
        ),
        pytest.param(
            2,
            [Child(2, lunch_outside_home=True), Child(8), Child(15)],
            COUPLE + CHILD_1_2_LUNCH + CHILD_7_10 + CHILD_15_18 + COMMON[5],
            id="couple_with_three_children",
        ),
        pytest.param(
            2,
            [Child(0), Child(1), Child(3), Child(5), Child(9), Child(12), Child(17)],
            COUPLE
            + CHILD_0
            + CHILD_1_2
            + CHILD_3
            + CHILD_4_6
            + CHILD_7_10
            + CHILD_11_14
            + CHILD_15_18
            + COMMON[7]
            + 2 * (COMMON[7] - COMMON[6]),
            id="household_of_nine",
        ),
        pytest.param(
            1,
            [Child(0, lunch_outside_home=True), Child(6, lunch_outside_home=True)],
            SINGLE + CHILD_0_LUNCH + CHILD_4_6_LUNCH + COMMON[3],
            id="lunch_outside_home_ages_0_and_6",
        ),
        pytest.param(
            1,
            [Child(7, lunch_outside_home=True)],
            SINGLE + CHILD_7_10 + COMMON[2],
            id="lunch_flag_ignored_from_age_7",
        ),
        pytest.param(
            2, [Child(19), Child(20)], COUPLE + 2 * CHILD_19_20 + COMMON[4], id="young_adults_19_20"
        ),
        pytest.param(
            1, [Child(11), Child(14)], SINGLE + 2 * CHILD_11_14 + COMMON[3], id="ages_11_and_14"
        ),
    ],
)
def test_riksnorm__household_total(adults: int, children: list[Child], expected: int) -> None:
    result = riksnorm(year=2026, adults=adults, children=children)
    assert result.total == expected
    assert result.total == sum(line.amount for line in result.lines)
    assert result.year == 2026
    assert all(line.source for line in result.lines)


def test_riksnorm__single_adult_lines() -> None:
    result = riksnorm(year=2026, adults=1)
    assert [(line.label, line.amount) for line in result.lines] == [
        ("Ensamstående vuxen", 3940),
        ("Gemensamma hushållskostnader, 1 person", 1280),
    ]
    assert result.total == 5220


def test_riksnorm__couple_with_three_children() -> None:
    result = riksnorm(
        year=2026, adults=2, children=[Child(2, lunch_outside_home=True), Child(8), Child(15)]
    )
    assert [(line.label, line.amount) for line in result.lines] == [
        ("Två sammanboende vuxna (makar eller sambor)", 7100),
        ("Barn 2 år (lunch utanför hemmet)", 2800),
        ("Barn 8 år", 3820),
        ("Barn 15 år", 4960),
        ("Gemensamma hushållskostnader, 5 personer", 2330),
    ]
    assert result.total == 21010


def test_riksnorm__household_of_nine_explains_the_extension() -> None:
    children = [Child(age) for age in (0, 1, 3, 5, 9, 12, 17)]
    common = riksnorm(year=2026, adults=2, children=children).lines[-1]
    assert common.amount == 2830 + 2 * 190
    assert common.label == "Gemensamma hushållskostnader, 9 personer (7 personer + 2 × 190 kr)"
    assert "fler än 7 personer" in common.source


@pytest.mark.parametrize(
    ("household_size", "share"),
    [
        pytest.param(2, 705, id="two_persons_1410_halved"),
        pytest.param(3, 597, id="three_persons_596_67_rounds_up"),
        pytest.param(4, 508, id="four_persons_507_5_rounds_half_up"),
        pytest.param(6, 440, id="six_persons_exact"),
        pytest.param(8, 378, id="eight_persons_3020_over_8_is_377_5"),
    ],
)
def test_riksnorm_shared_adult__share_of_common_costs(household_size: int, share: int) -> None:
    result = riksnorm_shared_adult(year=2026, household_size=household_size)
    assert [line.amount for line in result.lines] == [SINGLE, share]
    assert result.total == SINGLE + share
    assert "avrundat till hela kronor" in result.lines[1].label


def test_riksnorm_shared_adult__household_of_three() -> None:
    result = riksnorm_shared_adult(year=2026, household_size=3)
    assert result.total == 3940 + 597
    assert result.lines[1].label.startswith(
        "Andel av gemensamma hushållskostnader: 1790 kr för 3 personer delat med 3"
    )
    assert "delat med antalet personer" in result.lines[1].source


@pytest.mark.parametrize(
    ("call", "message"),
    [
        pytest.param(
            lambda: riksnorm(year=2021, adults=1),
            "saknar tabellen för gemensamma hushållskostnader",
            id="2021_single_adult_has_no_common_table",
        ),
        pytest.param(
            lambda: riksnorm(year=2021, adults=1, children=[Child(4)]),
            "saknar tabellen för barn",
            id="2021_child_table_missing",
        ),
        pytest.param(
            lambda: riksnorm_shared_adult(year=2021, household_size=2),
            "saknar tabellen för gemensamma hushållskostnader",
            id="2021_shared_adult",
        ),
        pytest.param(
            lambda: riksnorm(year=2023, adults=1),
            "finns inte i parametrarna",
            id="year_2023_missing",
        ),
        pytest.param(lambda: riksnorm(year=2026, adults=0), "Antalet vuxna", id="no_adults"),
        pytest.param(lambda: riksnorm(year=2026, adults=3), "Antalet vuxna", id="three_adults"),
        pytest.param(
            lambda: riksnorm(year=2026, adults=1, children=[Child(-1)]),
            "kan inte vara negativ",
            id="negative_child_age",
        ),
        pytest.param(
            lambda: riksnorm(year=2026, adults=1, children=[Child(21)]),
            "högst 20 år",
            id="child_older_than_20",
        ),
        pytest.param(
            lambda: riksnorm_shared_adult(year=2026, household_size=1),
            "minst 2 personer",
            id="shared_household_of_one",
        ),
        pytest.param(
            lambda: riksnorm_shared_adult(year=2026, household_size=0),
            "minst 2 personer",
            id="shared_household_of_zero",
        ),
    ],
)
def test_riksnorm__bad_input_raises_value_error(call: object, message: str) -> None:
    assert callable(call)
    with pytest.raises(ValueError, match=message):
        call()


def test_riksnorm__2021_adults_are_in_the_data() -> None:
    # The 2021 version exists (adults only), so the error is about the missing
    # common table, not about the year.
    with pytest.raises(ValueError, match="2021"):
        riksnorm(year=2021, adults=2)


def test_riksnorm_as_json__round_trips_through_json() -> None:
    data = riksnorm_as_json(riksnorm(year=2026, adults=1, children=[Child(3, True)]))
    assert json.loads(json.dumps(data)) == data
    assert data["year"] == 2026
    assert data["total"] == 7850
    assert data["lines"][1] == {
        "label": "Barn 3 år (lunch utanför hemmet)",
        "amount": 2500,
        "source": "SFS 2025:468 12 kap. 2 § (ändr. SFS 2025:1046)",
    }


BROKEN_CHILDREN = """
[2030]
valid_from = "2030-01-01"
source = "SFS 2029:1"
[2030.adults]
single = 4000
couple = 7200
[2030.children]
"0" = { amount = 2800 }
"2-20" = { amount = 4000 }
[2030.common]
"1" = 1300
"2" = 1450
"""


def test_riksnorm__gap_in_child_ages_is_a_parameter_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "riksnorm.toml"
    path.write_text(BROKEN_CHILDREN, encoding="utf-8")
    versions = read_parameter_file(path)
    monkeypatch.setattr(riksnorm_module, "load_versions", lambda name: versions)
    with pytest.raises(ParameterError, match="age brackets must cover 0-20"):
        riksnorm(year=2030, adults=1)
