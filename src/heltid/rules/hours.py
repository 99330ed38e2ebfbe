"""The scope of activity required of a person: hours a week.

The statute: full time in the normal case, less the person's part-time occupation (work,
studies, state, municipal or regional interventions), adapted to the person's ability.
Full time as 40 hours and the written reason for a lower figure are Heltid's reading
(decision record 0013). A reduction for young children is the municipality's policy.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .dates import age_on, hours_text, iso
from .exclusions import occupations_on
from .facts import as_decimal
from .policy import Policy, load_policy
from .requirement import ActivityRequirement, activity_requirement
from .types import CoverageFacts, Reason


def is_hours_reason(reason: Reason) -> bool:
    """Whether a reason is a step of the hours (law, reading or policy)."""
    return reason.rule.startswith("hours.") or ".hours." in reason.rule


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def compute_weekly_hours(
    facts: CoverageFacts, *, on: date, requirement: ActivityRequirement, policy: Policy
) -> tuple[Decimal, tuple[Reason, ...]]:
    """Weekly hours under ``requirement`` and ``policy``, with a reason for every step."""
    full_time = requirement.full_time_hours
    hours = full_time.value
    reasons = [
        Reason(
            rule="reading.hours.full_time",
            text=(
                f"Aktivitetskravet omfattar normalt heltid, här {hours_text(hours)} timmar "
                "i veckan."
            ),
            source=full_time.source,
        )
    ]

    as_decimal(facts.part_time_hours, what="Antal timmar deltidsarbete")
    labels = requirement.occupations
    for occupation in occupations_on(facts, on):
        amount = as_decimal(occupation.hours or 0, what="Antal timmar sysselsättning")
        hours -= amount
        label = labels.value.get(occupation.kind, occupation.kind)
        reasons.append(
            Reason(
                rule="activity_requirement.hours.part_time",
                text=f"{hours_text(amount)} timmar mindre för deltidssysselsättning: {label}.",
                source=labels.source,
            )
        )

    under_age = policy.child_under_age.value
    young_children = [
        born for born in facts.children_birth_dates if born <= on and age_on(born, on) < under_age
    ]
    if young_children:
        reduction = Decimal(policy.child_reduction_hours.value)
        hours -= reduction
        reasons.append(
            Reason(
                rule="policy.hours.child_reduction",
                text=(
                    f"Kommunens riktlinje: {hours_text(reduction)} timmar mindre eftersom ett "
                    f"barn under {under_age} år bor i hushållet (yngsta född "
                    f"{iso(max(young_children))})."
                ),
                source=policy.child_reduction_hours.source,
            )
        )

    if hours < 0:
        hours = Decimal(0)
        reasons.append(
            Reason(
                rule="hours.minimum_zero",
                text="Timmarna kan inte bli färre än 0 i veckan.",
                source=labels.source,
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
            source=requirement.adapted_to_ability.source,
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
            source=requirement.adapted_to_ability.source,
        )
    if rule.value and not written:
        return standard, Reason(
            rule="reading.hours.individual_missing_reason",
            text=(
                f"Det individuella timtalet {hours_text(individual)} används inte: ett lägre "
                "timtal kräver ett skriftligt skäl."
            ),
            source=rule.source,
        )
    text = f"Anpassat efter personens förmåga till {hours_text(individual)} timmar i veckan."
    if written:
        text = f"{text} Skäl: {_sentence(written)}"
    return individual, Reason(
        rule="activity_requirement.hours.adapted",
        text=text,
        source=requirement.adapted_to_ability.source,
    )


def weekly_hours(
    facts: CoverageFacts, *, on: date, policy: str = "linkoping"
) -> tuple[Decimal, tuple[Reason, ...]]:
    """Weekly hours of activity on ``on``, never below 0, with the reasons for them.

    Informational: computed whether or not the person is covered or exempt.
    """
    return compute_weekly_hours(
        facts, on=on, requirement=activity_requirement(on), policy=load_policy(policy, on)
    )
