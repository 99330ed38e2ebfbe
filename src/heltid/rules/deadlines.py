"""Casework deadlines from the municipal policy: assessment, plan and first activity within N
days of coverage, and a follow-up at least every N days. Pure; one definition, used by the
caseload, the person page and the reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from .policy import load_policy


class DeadlineKind(StrEnum):
    ASSESSMENT = "assessment"
    PLAN = "plan"
    FIRST_ACTIVITY = "first_activity"
    FOLLOW_UP = "follow_up"


class DeadlineState(StrEnum):
    DONE = "done"  # happened (on time or late: see ``late``)
    UPCOMING = "upcoming"  # not due for a while
    DUE = "due"  # due within the policy's due-soon window (or today)
    OVERDUE = "overdue"  # the day has passed


@dataclass(frozen=True)
class CaseworkFacts:
    """What has happened in a case. ``covered_from`` None: not covered, so no deadlines run."""

    covered_from: date | None
    assessed_on: date | None = None
    plan_on: date | None = None
    first_activity_on: date | None = None
    last_follow_up_on: date | None = None
    next_follow_up_on: date | None = None  # as agreed at the last follow-up


@dataclass(frozen=True)
class Deadline:
    kind: DeadlineKind
    due_on: date
    state: DeadlineState
    done_on: date | None
    source: str

    @property
    def late(self) -> bool:
        """Done after the due date."""
        return self.done_on is not None and self.done_on > self.due_on

    @property
    def open(self) -> bool:
        return self.state in (DeadlineState.DUE, DeadlineState.OVERDUE)


def _state(due_on: date, done_on: date | None, *, today: date, soon: int) -> DeadlineState:
    if done_on is not None:
        return DeadlineState.DONE
    if due_on < today:
        return DeadlineState.OVERDUE
    if due_on <= today + timedelta(days=soon):
        return DeadlineState.DUE
    return DeadlineState.UPCOMING


def latest_next_follow_up(held_on: date, *, policy: str) -> date:
    """The latest date the next follow-up may be set to after one held on ``held_on``."""
    days = load_policy(policy, held_on).casework.follow_up_days.value
    return held_on + timedelta(days=days)


def casework_deadlines(facts: CaseworkFacts, *, today: date, policy: str) -> tuple[Deadline, ...]:
    """The case's deadlines on ``today``: the three start deadlines counted from coverage, and
    the next follow-up — the agreed date, or N days after the last follow-up (after coverage when
    there has been none), whichever is earlier. Making the plan is not a follow-up: the first
    follow-up is due N days after coverage whatever else has happened."""
    if facts.covered_from is None or facts.covered_from > today:
        return ()
    rules = load_policy(policy, facts.covered_from).casework
    soon = rules.due_soon_days.value
    start = facts.covered_from
    result = []
    for kind, days, done_on in (
        (DeadlineKind.ASSESSMENT, rules.assessment_days, facts.assessed_on),
        (DeadlineKind.PLAN, rules.plan_days, facts.plan_on),
        (DeadlineKind.FIRST_ACTIVITY, rules.first_activity_days, facts.first_activity_on),
    ):
        due_on = start + timedelta(days=days.value)
        result.append(
            Deadline(
                kind, due_on, _state(due_on, done_on, today=today, soon=soon), done_on, days.source
            )
        )
    follow = load_policy(policy, today).casework.follow_up_days
    counted_from = facts.last_follow_up_on or start
    due_on = counted_from + timedelta(days=follow.value)
    if facts.next_follow_up_on is not None and facts.last_follow_up_on is not None:
        due_on = min(due_on, facts.next_follow_up_on)
    result.append(
        Deadline(
            DeadlineKind.FOLLOW_UP,
            due_on,
            _state(due_on, None, today=today, soon=soon),
            None,
            follow.source,
        )
    )
    return tuple(result)
