"""Weekly hours of activity."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from heltid.rules import CoverageFacts, explain, weekly_hours

ON = date(2026, 8, 1)
BASE = CoverageFacts(birth_date=date(1990, 5, 17), support_since=date(2026, 1, 1))


def facts(**changes: object) -> CoverageFacts:
    return replace(BASE, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("person", "expected", "rule"),
    [
        pytest.param(facts(), Decimal(40), "reading.hours.full_time", id="no_children"),
        pytest.param(
            facts(children_birth_dates=(date(2018, 8, 2),)),
            Decimal(30),
            "policy.hours.child_reduction",
            id="child_aged_7",
        ),
        pytest.param(
            facts(children_birth_dates=(date(2018, 8, 1),)),
            Decimal(40),
            "reading.hours.full_time",
            id="child_turns_8_today",
        ),
        pytest.param(
            facts(children_birth_dates=(date(2010, 1, 1), date(2024, 3, 1), date(2025, 6, 1))),
            Decimal(30),
            "policy.hours.child_reduction",
            id="two_young_children_reduce_once",
        ),
        pytest.param(
            facts(children_birth_dates=(date(2027, 1, 1),)),
            Decimal(40),
            "reading.hours.full_time",
            id="unborn_child_ignored",
        ),
        pytest.param(
            facts(part_time_hours=Decimal(15)),
            Decimal(25),
            "activity_requirement.hours.part_time",
            id="part_time_15",
        ),
        pytest.param(
            facts(part_time_hours=Decimal("12.5")),
            Decimal("27.5"),
            "activity_requirement.hours.part_time",
            id="part_time_12_5",
        ),
        pytest.param(
            facts(part_time_hours=Decimal(45)),
            Decimal(0),
            "hours.minimum_zero",
            id="part_time_45_gives_0",
        ),
        pytest.param(
            facts(children_birth_dates=(date(2022, 1, 1),), part_time_hours=Decimal(35)),
            Decimal(0),
            "hours.minimum_zero",
            id="child_and_part_time_35_gives_0",
        ),
        pytest.param(
            facts(
                individual_weekly_hours=Decimal(20), individual_hours_reason="Läkarintyg om halvtid"
            ),
            Decimal(20),
            "activity_requirement.hours.adapted",
            id="individual_lower_with_reason",
        ),
        pytest.param(
            facts(individual_weekly_hours=Decimal(20)),
            Decimal(40),
            "reading.hours.individual_missing_reason",
            id="individual_lower_without_reason_ignored",
        ),
        pytest.param(
            facts(individual_weekly_hours=Decimal(20), individual_hours_reason="   "),
            Decimal(40),
            "reading.hours.individual_missing_reason",
            id="individual_lower_with_blank_reason_ignored",
        ),
        pytest.param(
            facts(individual_weekly_hours=Decimal(45), individual_hours_reason="Vill mer"),
            Decimal(40),
            "hours.individual_not_lower",
            id="individual_higher_ignored",
        ),
        pytest.param(
            facts(
                part_time_hours=Decimal(15),
                individual_weekly_hours=Decimal(30),
                individual_hours_reason="Önskar mer",
            ),
            Decimal(25),
            "hours.individual_not_lower",
            id="individual_higher_than_after_part_time_ignored",
        ),
        pytest.param(
            facts(individual_weekly_hours=Decimal(0), individual_hours_reason="Sjukhusvistelse"),
            Decimal(0),
            "activity_requirement.hours.adapted",
            id="individual_zero_with_reason",
        ),
    ],
)
def test_weekly_hours__table(person: CoverageFacts, expected: Decimal, rule: str) -> None:
    hours, reasons = weekly_hours(person, on=ON)
    assert hours == expected
    assert rule in [reason.rule for reason in reasons]
    assert reasons[-1].rule == "hours.result"
    assert all(reason.source for reason in reasons)


def test_weekly_hours__individual_reason_text_shows_written_reason() -> None:
    person = facts(individual_weekly_hours=Decimal("12.5"), individual_hours_reason="Läkarintyg")
    hours, reasons = weekly_hours(person, on=ON)
    assert hours == Decimal("12.5")
    text = next(r.text for r in reasons if r.rule == "activity_requirement.hours.adapted")
    assert text == "Anpassat efter personens förmåga till 12,5 timmar i veckan. Skäl: Läkarintyg."


def test_weekly_hours__missing_reason_says_written_reason_required() -> None:
    _, reasons = weekly_hours(facts(individual_weekly_hours=Decimal(10)), on=ON)
    text = next(r.text for r in reasons if r.rule == "reading.hours.individual_missing_reason")
    assert "skriftligt skäl" in text


def test_weekly_hours__child_reduction_names_child() -> None:
    _, reasons = weekly_hours(facts(children_birth_dates=(date(2021, 3, 4),)), on=ON)
    text = next(r.text for r in reasons if r.rule == "policy.hours.child_reduction")
    assert text == (
        "Kommunens riktlinje: 10 timmar mindre eftersom ett barn under 8 år bor i hushållet "
        "(yngsta född 2021-03-04)."
    )


@pytest.mark.parametrize(
    "person",
    [
        pytest.param(facts(exemption="parental_leave"), id="exempt"),
        pytest.param(facts(support_since=None), id="not_on_support"),
    ],
)
def test_weekly_hours__computed_for_exempt_and_not_covered(person: CoverageFacts) -> None:
    result = explain(person, on=ON)
    assert result.covered is False
    assert result.weekly_hours == Decimal(40)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        pytest.param({"part_time_hours": Decimal(-1)}, "deltidsarbete", id="negative_part_time"),
        pytest.param(
            {"individual_weekly_hours": Decimal(-5)}, "Individuellt", id="negative_individual"
        ),
    ],
)
def test_weekly_hours__negative_hours_raise(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        weekly_hours(facts(**changes), on=ON)
