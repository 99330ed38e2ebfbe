"""The registry's facts about a person, in the form the rules take. One definition."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from heltid.registry.fact_history import children_on, known_facts
from heltid.registry.models import FactKind, Person, PersonFact, ReasonCode
from heltid.rules import CoverageFacts
from heltid.rules.types import Period


def _periods(facts: Iterable[PersonFact], kind: str) -> tuple[Period, ...]:
    return tuple(
        Period(
            f.value,
            f.starts_on,
            f.ends_on,
            None if f.hours is None else Decimal(f.hours),
        )
        for f in facts
        if f.kind == kind
    )


def _programme(facts: list[PersonFact], on: date) -> PersonFact | None:
    """The programme the person is in on ``on``, else the next one known to start."""
    programmes = [f for f in facts if f.kind == FactKind.PROGRAMME]
    running = [p for p in programmes if Period(p.value, p.starts_on, p.ends_on).covers(on)]
    if running:
        return max(running, key=lambda p: p.starts_on or date.min)
    coming = [p for p in programmes if p.starts_on is not None and p.starts_on > on]
    return min(coming, key=lambda p: p.starts_on or date.max) if coming else None


def _reason(person: Person, facts: list[PersonFact], on: date) -> tuple[str | None, str | None]:
    codes = [
        f
        for f in facts
        if f.kind == FactKind.REASON_CODE and Period(f.value, f.starts_on, f.ends_on).covers(on)
    ]
    if not codes:
        return None, None
    label = max(codes, key=lambda f: f.starts_on or date.min).value
    current = person.reason_code if person.reason_code_id else None
    if current is not None and current.label == label:
        return label, current.group
    group = ReasonCode.objects.filter(label=label).values_list("group", flat=True).first()
    return label, group


def _children(person: Person, known: list[PersonFact], on: date) -> tuple[date, ...]:
    """The children living with the person on ``on`` by the household facts known then; for a
    person with no household fact at all (recorded before households were dated facts), the
    household's children as recorded now."""
    if not any(f.kind == FactKind.HOUSEHOLD for f in person.facts.all()):
        return tuple(c.birth_date for c in person.household.children.all())
    return children_on(known, on)


def coverage_facts(person: Person, *, on: date, known_on: date | None = None) -> CoverageFacts:
    """The facts about ``person`` on ``on`` as they were known on ``known_on`` (default
    ``on``: the facts of that day, unchanged by anything recorded later).

    For lists, prefetch ``support_periods``, ``exemptions``, ``household__children`` and
    ``facts``.
    """
    known = known_facts(person.facts.all(), on if known_on is None else known_on)
    periods = sorted(person.support_periods.all(), key=lambda p: p.first_month, reverse=True)
    current = next((p for p in periods if p.first_month <= on), None)
    active = next(
        (e for e in person.exemptions.all() if e.ended_on is None or e.ended_on > on), None
    )
    programme = _programme(known, on)
    assessments = [
        f.starts_on
        for f in known
        if f.kind == FactKind.AF_ASSESSMENT
        and f.starts_on is not None
        and (programme is None or programme.starts_on is None or f.starts_on >= programme.starts_on)
    ]
    reason_label, reason_group = _reason(person, known, on)
    return CoverageFacts(
        birth_date=person.birth_date,
        support_since=current.first_month if current else None,
        support_until=current.last_month if current else None,
        af_programme=programme.value if programme else "none",
        af_programme_since=programme.starts_on if programme else None,
        af_programme_until=programme.ends_on if programme else None,
        af_assessment_from=max(assessments) if assessments and programme else None,
        reason_code=reason_label,
        reason_group=reason_group,
        exemption=active.group if active and active.decided_on <= on else None,
        exemption_review_on=active.review_on if active and active.decided_on <= on else None,
        children_birth_dates=_children(person, known, on),
        occupations=_periods(known, FactKind.OCCUPATION),
        benefits=_periods(known, FactKind.BENEFIT),
        schooling=_periods(known, FactKind.SCHOOLING),
        individual_weekly_hours=person.individual_weekly_hours,
        individual_hours_reason=person.individual_hours_reason,
    )
