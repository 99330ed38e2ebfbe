"""The statute's exclusions and boundaries, one table (prop. 2025/26:207; decision record 0013).

Each row: the facts, a day, whether the person is covered that day, and from when (the start
of the stretch of coverage containing the day, or the next day coverage would start).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from heltid.rules import CoverageFacts, explain
from heltid.rules.types import Basis, Period

# On support since January 2025: covered from 1 October 2026 unless excluded.
ADULT = CoverageFacts(birth_date=date(1985, 4, 2), support_since=date(2025, 1, 1))


def facts(**changes: object) -> CoverageFacts:
    return replace(ADULT, **changes)  # type: ignore[arg-type]


def work(hours: int, starts_on: date | None = None, ends_on: date | None = None) -> Period:
    return Period("work", starts_on, ends_on, Decimal(hours))


TURNS_18 = facts(birth_date=date(2008, 11, 15))
TURNS_67 = facts(birth_date=date(1959, 11, 20))
NINETEEN = facts(birth_date=date(2007, 6, 1))
GYMNASIUM = (Period("gymnasieskola", date(2023, 8, 20), None),)
JOB_LATER_IN_MONTH = facts(af_programme="JOB", af_programme_since=date(2026, 11, 20))
JOB_ENDS_MID_MONTH = facts(
    af_programme="JOB", af_programme_since=date(2025, 2, 1), af_programme_until=date(2026, 11, 15)
)
JOB_RUNNING = facts(af_programme="JOB", af_programme_since=date(2025, 2, 1))
UGA_NO_DATES = facts(af_programme="UGA")
SICK_PAY = facts(benefits=(Period("sjukpenning", date(2026, 11, 5), date(2026, 11, 25)),))


@pytest.mark.parametrize(
    ("person", "on", "covered", "covered_from", "rule"),
    [
        # 17 → 18 on the birthday
        pytest.param(TURNS_18, date(2026, 11, 14), False, date(2026, 11, 15), "under_18", id="17"),
        pytest.param(TURNS_18, date(2026, 11, 15), True, date(2026, 11, 15), None, id="18_today"),
        pytest.param(facts(birth_date=date(2009, 3, 3)), date(2026, 11, 1), False,
                     date(2027, 3, 3), "under_18", id="17_year_old"),
        # riktålder för pension (67 in 2026)
        pytest.param(TURNS_67, date(2026, 11, 19), True, date(2026, 10, 1), None, id="66"),
        pytest.param(TURNS_67, date(2026, 11, 20), False, None, "pension_age", id="67_today"),
        pytest.param(facts(birth_date=date(1954, 2, 1)), date(2026, 11, 1), False, None,
                     "pension_age", id="72_year_old"),
        # 18–20 in grundskola or gymnasieskola
        pytest.param(replace(NINETEEN, schooling=GYMNASIUM), date(2026, 11, 1), False,
                     date(2028, 6, 1), "school", id="19_in_gymnasium"),
        pytest.param(NINETEEN, date(2026, 11, 1), True, date(2026, 10, 1), None,
                     id="19_not_in_school"),
        pytest.param(replace(NINETEEN, schooling=GYMNASIUM), date(2028, 6, 1), True,
                     date(2028, 6, 1), None, id="21_in_gymnasium_is_covered"),
        pytest.param(replace(NINETEEN, schooling=(Period("gymnasieskola", date(2023, 8, 20),
                     date(2026, 6, 10)),)), date(2026, 11, 1), True, date(2026, 10, 1), None,
                     id="19_left_school"),
        # full-time occupation; part-time reduces the hours instead
        pytest.param(facts(part_time_hours=Decimal(39)), date(2026, 11, 1), True,
                     date(2026, 10, 1), None, id="work_39h"),
        pytest.param(facts(part_time_hours=Decimal(40)), date(2026, 11, 1), False, None,
                     "full_time_occupation", id="work_40h"),
        pytest.param(facts(occupations=(work(20), Period("studies", None, None, Decimal(20))),),
                     date(2026, 11, 1), False, None, "full_time_occupation",
                     id="work_and_studies_together_full_time"),
        pytest.param(facts(occupations=(work(40, date(2026, 12, 1)),)), date(2026, 11, 30),
                     True, date(2026, 10, 1), None, id="full_time_job_starts_next_month"),
        pytest.param(facts(occupations=(work(40, date(2026, 3, 1), date(2026, 10, 31)),)),
                     date(2026, 11, 1), True, date(2026, 11, 1), None,
                     id="full_time_job_ended"),
        # sjukpenning and the other benefits, starting and stopping
        pytest.param(SICK_PAY, date(2026, 11, 4), True, date(2026, 10, 1), None,
                     id="before_sick_pay"),
        pytest.param(SICK_PAY, date(2026, 11, 5), False, date(2026, 11, 26), "benefit",
                     id="sick_pay_starts"),
        pytest.param(SICK_PAY, date(2026, 11, 25), False, date(2026, 11, 26), "benefit",
                     id="sick_pay_last_day"),
        pytest.param(SICK_PAY, date(2026, 11, 26), True, date(2026, 11, 26), None,
                     id="sick_pay_stopped"),
        pytest.param(facts(benefits=(Period("sjukersattning", date(2024, 1, 1)),)),
                     date(2026, 11, 1), False, None, "benefit", id="sjukersattning"),
        pytest.param(facts(benefits=(Period("aktivitetsersattning", date(2024, 1, 1)),)),
                     date(2026, 11, 1), False, None, "reading.exclusion.benefit",
                     id="aktivitetsersattning"),
        pytest.param(facts(benefits=(Period("foraldrapenning", date(2026, 9, 1)),)),
                     date(2026, 11, 1), True, date(2026, 10, 1), None,
                     id="parental_benefit_is_not_listed"),
        # Arbetsförmedlingen's full-time programmes, by their dates
        pytest.param(JOB_LATER_IN_MONTH, date(2026, 11, 10), True, date(2026, 10, 1), None,
                     id="programme_starts_later_in_month"),
        pytest.param(JOB_LATER_IN_MONTH, date(2026, 11, 20), False, None,
                     "full_time_programme", id="programme_started"),
        pytest.param(JOB_RUNNING, date(2026, 11, 1), False, None, "full_time_programme",
                     id="programme_running"),
        pytest.param(UGA_NO_DATES, date(2026, 11, 1), False, None, "full_time_programme",
                     id="programme_without_dates_counts_as_running"),
        pytest.param(JOB_ENDS_MID_MONTH, date(2026, 11, 15), False, date(2026, 11, 16),
                     "full_time_programme", id="programme_last_day"),
        pytest.param(JOB_ENDS_MID_MONTH, date(2026, 11, 16), True, date(2026, 11, 16), None,
                     id="programme_ended_within_month"),
        pytest.param(replace(JOB_RUNNING, af_assessment_from=date(2026, 11, 10)),
                     date(2026, 11, 9), False, date(2026, 11, 10), "full_time_programme",
                     id="before_af_assessment"),
        pytest.param(replace(JOB_RUNNING, af_assessment_from=date(2026, 11, 10)),
                     date(2026, 11, 10), True, date(2026, 11, 10), None,
                     id="af_assessed_not_enough_activity"),
    ],
)  # fmt: skip
def test_statute__exclusions_and_boundaries(
    person: CoverageFacts, on: date, covered: bool, covered_from: date | None, rule: str | None
) -> None:
    result = explain(person, on=on)
    assert result.covered is covered
    assert result.covered_from == covered_from
    rules = [r.rule for r in result.reasons]
    exclusions = [r for r in rules if ".exclusion." in r]
    if rule is None:
        assert exclusions == []
    else:
        expected = rule if "." in rule else f"activity_requirement.exclusion.{rule}"
        assert exclusions == [expected]


@pytest.mark.parametrize(
    ("hours", "expected"),
    [
        pytest.param(Decimal(0), Decimal(40), id="none"),
        pytest.param(Decimal(15), Decimal(25), id="15h"),
        pytest.param(Decimal(39), Decimal(1), id="39h"),
    ],
)
def test_statute__part_time_work_reduces_the_hours(hours: Decimal, expected: Decimal) -> None:
    result = explain(facts(part_time_hours=hours), on=date(2026, 11, 1))
    assert result.weekly_hours == expected


def test_statute__municipal_and_regional_interventions_reduce_the_hours() -> None:
    person = facts(
        occupations=(
            Period("municipal", date(2026, 10, 1), None, Decimal(10)),
            Period("regional", date(2026, 10, 1), date(2026, 10, 31), Decimal(5)),
        )
    )
    assert explain(person, on=date(2026, 10, 15)).weekly_hours == Decimal(25)
    assert explain(person, on=date(2026, 11, 1)).weekly_hours == Decimal(30)


def test_statute__household_one_adult_covered_the_other_excluded() -> None:
    child = (date(2022, 5, 1),)
    covered = facts(children_birth_dates=child)
    partner = facts(
        birth_date=date(1988, 1, 9),
        children_birth_dates=child,
        benefits=(Period("sjukersattning", date(2025, 6, 1)),),
    )
    day = date(2026, 11, 1)
    first, second = explain(covered, on=day), explain(partner, on=day)
    assert (first.covered, second.covered) == (True, False)
    # the municipality's reduction for a young child is policy, for each adult alike
    assert first.weekly_hours == second.weekly_hours == Decimal(30)
    basis = {r.rule: r.basis for r in first.reasons}
    assert basis["policy.hours.child_reduction"] is Basis.POLICY


def test_statute__every_reason_says_what_it_rests_on() -> None:
    result = explain(
        replace(
            JOB_RUNNING, exemption="extensive_ill_health", children_birth_dates=(date(2024, 1, 1),)
        ),
        on=date(2026, 11, 1),
    )
    by_basis = {r.rule: r.basis for r in result.reasons}
    assert by_basis["support.on_support"] is Basis.FACT
    assert by_basis["activity_requirement.exclusion.full_time_programme"] is Basis.LAW
    assert by_basis["policy.exemption.explicit"] is Basis.POLICY
    assert by_basis["policy.priority"] is Basis.POLICY
    assert by_basis["reading.hours.full_time"] is Basis.READING
    law_sources = [r.source for r in result.reasons if r.basis is Basis.LAW]
    assert all("2025/26:207" in s or "2025:400" in s for s in law_sources)


@pytest.mark.parametrize(
    "on", [date(2026, 7, 1), date(2026, 8, 15), date(2026, 9, 30)], ids=["jul", "aug", "sep"]
)
def test_statute__nobody_is_covered_before_october_2026(on: date) -> None:
    for person in (ADULT, facts(support_since=date(2020, 1, 1)), JOB_ENDS_MID_MONTH):
        result = explain(person, on=on)
        assert result.covered is False
        assert result.covered_from is not None and result.covered_from >= date(2026, 10, 1)
