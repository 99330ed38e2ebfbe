"""Property tests: hours stay within bounds, riksnorm totals add up."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from heltid.rules import Child, CoverageFacts, riksnorm, weekly_hours

ON = date(2026, 11, 1)

hours = st.decimals(min_value=0, max_value=80, places=1, allow_nan=False, allow_infinity=False)


@settings(database=None, max_examples=300)
@given(
    children=st.lists(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)), max_size=5),
    part_time=hours,
    individual=st.none() | hours,
    reason=st.sampled_from(["", "  ", "Läkarintyg"]),
    on=st.dates(min_value=date(2026, 7, 1), max_value=date(2035, 12, 31)),
)
def test_weekly_hours__always_between_0_and_40(
    children: list[date], part_time: Decimal, individual: Decimal | None, reason: str, on: date
) -> None:
    facts = CoverageFacts(
        birth_date=date(1980, 1, 1),
        support_since=date(2026, 1, 1),
        children_birth_dates=tuple(children),
        part_time_hours=part_time,
        individual_weekly_hours=individual,
        individual_hours_reason=reason,
    )
    result, reasons = weekly_hours(facts, on=on)
    assert Decimal(0) <= result <= Decimal(40)
    assert reasons


@settings(database=None, max_examples=300)
@given(
    adults=st.sampled_from([1, 2]),
    children=st.lists(
        st.builds(
            Child, age=st.integers(min_value=0, max_value=20), lunch_outside_home=st.booleans()
        ),
        max_size=12,
    ),
)
def test_riksnorm__total_is_sum_of_lines(adults: int, children: list[Child]) -> None:
    result = riksnorm(year=2026, adults=adults, children=children)
    assert result.total == sum(line.amount for line in result.lines)
    assert len(result.lines) == 1 + len(children) + 1
    assert all(line.amount > 0 and line.source for line in result.lines)
