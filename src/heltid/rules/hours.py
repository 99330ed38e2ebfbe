"""Weekly hours of activity required of a person."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .dates import age_on, hours_text, iso
from .facts import as_decimal
from .requirement import ActivityRequirement, activity_requirement
from .types import CoverageFacts, Reason


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def compute_weekly_hours(
    facts: CoverageFacts, *, on: date, requirement: ActivityRequirement
) -> tuple[Decimal, tuple[Reason, ...]]:
    """Weekly hours under ``requirement``, with a reason for every step."""
    full_time = requirement.full_time_hours
    hours = full_time.value
    reasons = [
        Reason(
            rule="hours.full_time",
            text=f"Utgångspunkten är {hours_text(hours)} timmar aktivitet i veckan.",
            source=full_time.source,
        )
    ]

    under_age = requirement.child_under_age.value
    young_children = [
        born for born in facts.children_birth_dates if born <= on and age_on(born, on) < under_age
    ]
    if young_children:
        reduction = requirement.child_reduction_hours
        hours -= reduction.value
        reasons.append(
            Reason(
                rule="hours.child_reduction",
                text=(
                    f"{hours_text(reduction.value)} timmar mindre eftersom ett barn under "
                    f"{under_age} år bor i hushållet (yngsta född {iso(max(young_children))})."
                ),
                source=f"{reduction.source}; {requirement.child_under_age.source}"
                if reduction.source != requirement.child_under_age.source
                else reduction.source,
            )
        )

    part_time = as_decimal(facts.part_time_hours, what="Antal timmar deltidsarbete")
    if part_time > 0 and requirement.part_time_deduction.value:
        hours -= part_time
        reasons.append(
            Reason(
                rule="hours.part_time",
                text=f"{hours_text(part_time)} timmar mindre för deltidsarbete.",
                source=requirement.part_time_deduction.source,
            )
        )
    if hours < 0:
        hours = Decimal(0)
        reasons.append(
            Reason(
                rule="hours.minimum_zero",
                text="Timmarna kan inte bli färre än 0 i veckan.",
                source=requirement.part_time_deduction.source,
            )
        )

    if facts.individual_weekly_hours is not None:
        individual = as_decimal(facts.individual_weekly_hours, what="Individuellt timtal")
        hours, reason = _individual(facts, individual, hours, requirement)
        reasons.append(reason)

    reasons.append(
        Reason(
            rule="hours.result",
            text=f"Aktivitet {hours_text(hours)} timmar i veckan.",
            source=full_time.source,
        )
    )
    return hours, tuple(reasons)


def _individual(
    facts: CoverageFacts, individual: Decimal, standard: Decimal, requirement: ActivityRequirement
) -> tuple[Decimal, Reason]:
    rule = requirement.individual_requires_written_reason
    written = facts.individual_hours_reason.strip()
    if individual >= standard:
        return standard, Reason(
            rule="hours.individual_not_lower",
            text=(
                f"Det individuella timtalet {hours_text(individual)} används inte eftersom det "
                f"inte är lägre än {hours_text(standard)} timmar i veckan."
            ),
            source=rule.source,
        )
    if rule.value and not written:
        return standard, Reason(
            rule="hours.individual_missing_reason",
            text=(
                f"Det individuella timtalet {hours_text(individual)} används inte: ett lägre "
                "timtal kräver ett skriftligt skäl."
            ),
            source=rule.source,
        )
    text = f"Individuellt anpassat till {hours_text(individual)} timmar i veckan."
    if written:
        text = f"{text} Skäl: {_sentence(written)}"
    return individual, Reason(rule="hours.individual", text=text, source=rule.source)


def weekly_hours(facts: CoverageFacts, *, on: date) -> tuple[Decimal, tuple[Reason, ...]]:
    """Weekly hours of activity on ``on``, never below 0, with the reasons for them.

    Informational: computed whether or not the person is covered or exempt.
    """
    return compute_weekly_hours(facts, on=on, requirement=activity_requirement(on))
