"""Waiting-list priority under the Linköping policy: 2 points a month covered (at most 24
months), 10 for a young adult, 10 outside Arbetsförmedlingen, 15 past the activation date,
8 when the intervention is on the step the assessment asked for."""

from __future__ import annotations

from datetime import date

import pytest

from heltid.rules import WaitingFacts, waiting_priority

ON = date(2026, 11, 24)


def facts(**changes: object) -> WaitingFacts:
    base: dict[str, object] = {
        "birth_date": date(1980, 5, 1),
        "covered_from": date(2026, 7, 1),
        "af_programme": "JOB",
        "activate_by": None,
        "requested_step": None,
        "intervention_step": "arbetsinriktad-rehabilitering",
    }
    base.update(changes)
    return WaitingFacts(**base)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "points"),
    [
        ({}, 8),  # four months covered
        ({"covered_from": None}, 0),
        ({"covered_from": date(2020, 1, 1)}, 48),  # capped at 24 months
        ({"birth_date": date(2003, 1, 1)}, 18),  # 23 years old
        ({"af_programme": "none"}, 18),
        ({"activate_by": date(2026, 11, 1)}, 23),
        ({"activate_by": date(2026, 12, 1)}, 8),
        ({"requested_step": "arbetsinriktad-rehabilitering"}, 16),
        ({"requested_step": "sysselsattning"}, 8),
        (
            {
                "birth_date": date(2003, 1, 1),
                "af_programme": "none",
                "activate_by": date(2026, 8, 1),
                "requested_step": "arbetsinriktad-rehabilitering",
            },
            51,
        ),
    ],
)
def test_waiting_priority__table(changes: dict[str, object], points: int) -> None:
    result = waiting_priority(facts(**changes), on=ON, policy="linkoping")
    assert result.points == points
    assert all(r.source for r in result.reasons)


def test_waiting_priority__reasons_name_the_points() -> None:
    result = waiting_priority(facts(af_programme="none"), on=ON, policy="linkoping")
    assert [r.rule for r in result.reasons] == ["waiting.time_covered", "waiting.outside_af"]
    assert "10 poäng" in result.reasons[1].text
