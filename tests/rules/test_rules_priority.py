"""Priority for activation under the Linköping policy."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from heltid.rules import CoverageFacts, explain

ON = date(2026, 11, 1)
BASE = CoverageFacts(birth_date=date(1990, 5, 17), support_since=date(2026, 5, 1))


def facts(**changes: object) -> CoverageFacts:
    return replace(BASE, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("person", "group", "activate_by"),
    [
        pytest.param(
            facts(birth_date=date(2003, 1, 1)),
            "young_adult_outside_af",
            date(2026, 8, 1),
            id="young_adult_within_3_months",
        ),
        pytest.param(
            facts(birth_date=date(2001, 11, 2)),
            "young_adult_outside_af",
            date(2026, 8, 1),
            id="young_adult_day_before_25",
        ),
        pytest.param(
            facts(birth_date=date(2001, 11, 1)),
            "adult_outside_af",
            date(2027, 7, 1),
            id="adult_on_25th_birthday",
        ),
        pytest.param(facts(), "adult_outside_af", date(2027, 7, 1), id="adult_within_14_months"),
        pytest.param(
            facts(af_programme="other"),
            "adult_outside_af",
            date(2027, 7, 1),
            id="other_programme_counts_as_outside_af",
        ),
        pytest.param(
            facts(af_programme="JOB", af_programme_since=date(2026, 1, 1)),
            "state_programme",
            date(2027, 3, 27),
            id="state_programme_job_450_days",
        ),
        pytest.param(
            facts(
                birth_date=date(2003, 1, 1), af_programme="UGA", af_programme_since=date(2026, 2, 1)
            ),
            "state_programme",
            date(2027, 4, 27),
            id="state_programme_uga_young_adult",
        ),
        pytest.param(
            facts(af_programme="UGA"), "state_programme", None, id="state_programme_without_since"
        ),
        pytest.param(
            facts(exemption="health_investigation"), "not_applicable", None, id="exempt_explicit"
        ),
        pytest.param(
            facts(af_programme="etablering"), "not_applicable", None, id="exempt_etablering"
        ),
        pytest.param(facts(support_since=None), "not_applicable", None, id="not_on_support"),
    ],
)
def test_priority__group_and_activate_by(
    person: CoverageFacts, group: str, activate_by: date | None
) -> None:
    result = explain(person, on=ON)
    assert result.priority.group == group
    assert result.priority.activate_by == activate_by
    assert result.priority.text
    reason = next(r for r in result.reasons if r.rule == "policy.priority")
    assert reason.text == result.priority.text
    assert reason.source


def test_priority__young_adult_text_names_the_date() -> None:
    result = explain(facts(birth_date=date(2003, 1, 1)), on=ON)
    assert "Ung vuxen (under 25 år)" in result.priority.text
    assert "2026-08-01" in result.priority.text


def test_priority__adult_cites_the_14_month_policy() -> None:
    result = explain(facts(), on=ON)
    reason = next(r for r in result.reasons if r.rule == "policy.priority")
    assert "14 månader" in reason.source
