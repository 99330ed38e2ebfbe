"""The registry's facts about a person, in the form the rules take. One definition."""

from __future__ import annotations

from datetime import date

from heltid.registry.models import Person
from heltid.rules import CoverageFacts


def coverage_facts(person: Person, *, on: date) -> CoverageFacts:
    """For lists, prefetch ``support_periods``, ``exemptions`` and ``household__children``."""
    periods = sorted(person.support_periods.all(), key=lambda p: p.first_month, reverse=True)
    current = next((p for p in periods if p.first_month <= on), None)
    active = next(
        (e for e in person.exemptions.all() if e.ended_on is None or e.ended_on > on), None
    )
    reason = person.reason_code
    return CoverageFacts(
        birth_date=person.birth_date,
        support_since=current.first_month if current else None,
        support_until=current.last_month if current else None,
        af_programme=person.af_programme,
        af_programme_since=person.af_programme_since,
        reason_code=reason.label if reason else None,
        reason_group=reason.group if reason else None,
        exemption=active.group if active and active.decided_on <= on else None,
        exemption_review_on=active.review_on if active and active.decided_on <= on else None,
        children_birth_dates=tuple(c.birth_date for c in person.household.children.all()),
        part_time_hours=person.part_time_hours,
        individual_weekly_hours=person.individual_weekly_hours,
        individual_hours_reason=person.individual_hours_reason,
    )
