"""Whether a person is covered by the activity requirement, and from when.

The statute's conditions only: on support for the minimum months in a row, not before the
requirement is first applied, and none of the statute's exclusions. The municipality's own
policy (exemption groups, the JOB/UGA day rule) never changes this answer; see
``explanation`` for how it is shown beside it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months, iso, month_end, month_start
from .exclusions import af_assessment_reason, boundary_days, statutory_exclusions
from .requirement import ActivityRequirement
from .types import CoverageFacts, Reason


@dataclass(frozen=True)
class Coverage:
    """The coverage decision for one person on one date."""

    covered: bool
    covered_from: date | None
    exclusions: tuple[Reason, ...]  # the statute's exclusions that apply on the date
    reasons: tuple[Reason, ...]


def _support_end(facts: CoverageFacts) -> date | None:
    return None if facts.support_until is None else month_end(facts.support_until)


def support_status(
    facts: CoverageFacts, *, on: date, requirement: ActivityRequirement
) -> tuple[bool, Reason]:
    """Whether the person is on support on ``on``, with the reason."""
    source = "Registrets uppgift om försörjningsstöd (från verksamhetssystemet)"
    since = facts.support_since
    if since is None:
        return False, Reason("support.none", "Personen har inte försörjningsstöd.", source)
    start = month_start(since)
    if on < start:
        text = f"Försörjningsstödet börjar först {iso(start)}."
        return False, Reason("support.not_started", text, source)
    end = _support_end(facts)
    if end is not None:
        if on > end:
            text = (
                f"Försörjningsstödet upphörde {iso(end)}; personen har inte försörjningsstöd "
                f"{iso(on)}."
            )
            return False, Reason("support.ended", text, source)
        text = f"Personen har försörjningsstöd från {iso(start)} till och med {iso(end)}."
        return True, Reason("support.on_support", text, source)
    text = f"Personen har försörjningsstöd sedan {iso(start)} (pågående period)."
    return True, Reason("support.on_support", text, source)


def earliest_day(facts: CoverageFacts, requirement: ActivityRequirement) -> date | None:
    """The first day the statute's time conditions are met: the minimum months in a row on
    support, and not before the month the requirement is first applied to."""
    if facts.support_since is None:
        return None
    after_months = add_months(
        month_start(facts.support_since), requirement.min_consecutive_months.value
    )
    return max(after_months, requirement.first_applied_month.value)


def covered_on(facts: CoverageFacts, day: date, requirement: ActivityRequirement) -> bool:
    """The statute's answer for one day (no reasons)."""
    start = earliest_day(facts, requirement)
    end = _support_end(facts)
    if start is None or day < start or (end is not None and day > end):
        return False
    return not statutory_exclusions(facts, day, requirement)


def _covered_from(
    facts: CoverageFacts, on: date, requirement: ActivityRequirement, covered: bool
) -> date | None:
    """When an unbroken stretch of coverage that contains ``on`` began or, when the person is
    not covered on ``on``, the next day they will be if the known facts hold."""
    start = earliest_day(facts, requirement)
    if start is None:
        return None
    days = {start, *boundary_days(facts, requirement)}
    end = _support_end(facts)
    if end is not None:
        days.add(end + timedelta(days=1))
    points = sorted(d for d in days if d >= start)
    if covered:
        began = start
        for point in reversed([p for p in points if p <= on]):
            if not covered_on(facts, point - timedelta(days=1), requirement):
                began = point
                break
        return began
    return next((p for p in points if p > on and covered_on(facts, p, requirement)), None)


def assess_coverage(
    facts: CoverageFacts, *, on: date, on_support: bool, requirement: ActivityRequirement
) -> Coverage:
    """Apply the statute: the months on support, the transition and the exclusions."""
    months = requirement.min_consecutive_months
    first = requirement.first_applied_month
    reasons: list[Reason] = []
    exclusions = statutory_exclusions(facts, on, requirement)
    if facts.support_since is not None:
        since = month_start(facts.support_since)
        after_months = add_months(since, months.value)
        reasons.append(
            Reason(
                "activity_requirement.consecutive_months",
                f"Aktivitetskravet gäller den som har fått försörjningsstöd under minst "
                f"{months.value} sammanhängande månader; med stöd sedan {iso(since)} är det "
                f"uppfyllt från {iso(after_months)}.",
                months.source,
            )
        )
        if first.value > after_months:
            reasons.append(
                Reason(
                    "activity_requirement.first_applied",
                    f"Lagen gäller från {iso(requirement.in_force_from)}, men kravet på att "
                    "delta i aktiviteter tillämpas första gången på försörjningsstöd som avser "
                    f"{_month_name(first.value)}; personen kan omfattas tidigast "
                    f"{iso(first.value)}.",
                    first.source,
                )
            )
    reasons.extend(exclusions)
    assessment = af_assessment_reason(facts, on, requirement)
    if assessment is not None:
        reasons.append(assessment)

    covered = on_support and covered_on(facts, on, requirement)
    covered_from = _covered_from(facts, on, requirement, covered)
    if not on_support:
        text = (
            f"Personen omfattas inte av aktivitetskravet {iso(on)} eftersom personen inte har "
            "försörjningsstöd då."
        )
    elif covered:
        text = f"Personen omfattas av aktivitetskravet från {iso(covered_from)}."  # type: ignore[arg-type]
    elif covered_from is not None:
        text = (
            f"Personen omfattas inte av aktivitetskravet {iso(on)} men kommer att omfattas "
            f"från {iso(covered_from)} om uppgifterna står sig."
        )
    else:
        text = f"Personen omfattas inte av aktivitetskravet {iso(on)}."
    conclusion = "activity_requirement.covered" if covered else "activity_requirement.not_covered"
    reasons.append(Reason(conclusion, text, requirement.in_force_source))
    return Coverage(
        covered=covered,
        covered_from=covered_from if on_support else None,
        exclusions=tuple(exclusions),
        reasons=tuple(reasons),
    )


_MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def _month_name(day: date) -> str:
    return f"{_MONTHS[day.month - 1]} {day.year}"
