"""Casework deadlines from the Linköping policy: 14 days to assessment and plan, 30 to the first
activity, a follow-up at least every 30 days, "due" seven days ahead."""

from __future__ import annotations

from datetime import date

import pytest

from heltid.rules import (
    CaseworkFacts,
    DeadlineKind,
    DeadlineState,
    casework_deadlines,
    latest_next_follow_up,
)

COVERED = date(2026, 9, 1)
D, U, DUE, LATE = (
    DeadlineState.DONE,
    DeadlineState.UPCOMING,
    DeadlineState.DUE,
    DeadlineState.OVERDUE,
)


def states(facts: CaseworkFacts, today: date) -> dict[str, tuple[date, DeadlineState]]:
    return {
        d.kind.value: (d.due_on, d.state)
        for d in casework_deadlines(facts, today=today, policy="linkoping")
    }


@pytest.mark.parametrize(
    ("facts", "today", "expected"),
    [
        (  # the day of coverage: everything ahead
            CaseworkFacts(covered_from=COVERED),
            COVERED,
            {
                "assessment": (date(2026, 9, 15), U),
                "plan": (date(2026, 9, 15), U),
                "first_activity": (date(2026, 10, 1), U),
                "follow_up": (date(2026, 10, 1), U),
            },
        ),
        (  # eight days in: assessment and plan due within the week
            CaseworkFacts(covered_from=COVERED),
            date(2026, 9, 9),
            {
                "assessment": (date(2026, 9, 15), DUE),
                "plan": (date(2026, 9, 15), DUE),
                "first_activity": (date(2026, 10, 1), U),
                "follow_up": (date(2026, 10, 1), U),
            },
        ),
        (  # nothing done in 20 days: both overdue
            CaseworkFacts(covered_from=COVERED),
            date(2026, 9, 21),
            {
                "assessment": (date(2026, 9, 15), LATE),
                "plan": (date(2026, 9, 15), LATE),
                "first_activity": (date(2026, 10, 1), U),
                "follow_up": (date(2026, 10, 1), U),
            },
        ),
        (  # assessed and planned, but never followed up: the follow-up counts from coverage
            CaseworkFacts(
                covered_from=COVERED,
                assessed_on=date(2026, 9, 5),
                plan_on=date(2026, 9, 10),
                first_activity_on=date(2026, 9, 20),
            ),
            date(2026, 10, 11),
            {
                "assessment": (date(2026, 9, 15), D),
                "plan": (date(2026, 9, 15), D),
                "first_activity": (date(2026, 10, 1), D),
                "follow_up": (date(2026, 10, 1), LATE),
            },
        ),
        (  # a follow-up moves the next one 30 days on, or to the agreed earlier date
            CaseworkFacts(
                covered_from=COVERED,
                plan_on=date(2026, 9, 10),
                last_follow_up_on=date(2026, 10, 11),
                next_follow_up_on=date(2026, 10, 25),
            ),
            date(2026, 10, 12),
            {
                "assessment": (date(2026, 9, 15), LATE),
                "plan": (date(2026, 9, 15), D),
                "first_activity": (date(2026, 10, 1), LATE),
                "follow_up": (date(2026, 10, 25), U),
            },
        ),
    ],
)
def test_deadlines__table(
    facts: CaseworkFacts, today: date, expected: dict[str, tuple[date, DeadlineState]]
) -> None:
    assert states(facts, today) == expected


def test_deadlines__not_covered__none() -> None:
    assert (
        casework_deadlines(CaseworkFacts(covered_from=None), today=COVERED, policy="linkoping")
        == ()
    )
    future = CaseworkFacts(covered_from=date(2026, 12, 1))
    assert casework_deadlines(future, today=COVERED, policy="linkoping") == ()


def test_deadlines__late_and_sources() -> None:
    facts = CaseworkFacts(covered_from=COVERED, assessed_on=date(2026, 9, 30))
    assessment = casework_deadlines(facts, today=date(2026, 10, 1), policy="linkoping")[0]
    assert assessment.kind == DeadlineKind.ASSESSMENT
    assert assessment.state == D and assessment.late
    assert "kartläggning" in assessment.source


def test_latest_next_follow_up__thirty_days() -> None:
    assert latest_next_follow_up(date(2026, 10, 1), policy="linkoping") == date(2026, 10, 31)
