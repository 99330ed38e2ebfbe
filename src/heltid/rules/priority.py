"""Priority for activation under the municipal policy."""

from __future__ import annotations

from datetime import date, timedelta

from .dates import add_months, age_on, iso, month_start
from .policy import Policy
from .requirement import ActivityRequirement
from .types import CoverageFacts, Priority, Reason

YOUNG_ADULT = "young_adult_outside_af"
ADULT = "adult_outside_af"
STATE_PROGRAMME = "state_programme"
NOT_APPLICABLE = "not_applicable"


def _not_applicable(text: str, source: str) -> tuple[Priority, Reason]:
    return Priority(NOT_APPLICABLE, None, text), Reason("policy.priority", text, source)


def assess_priority(
    facts: CoverageFacts,
    *,
    on: date,
    on_support: bool,
    exempt: bool,
    requirement: ActivityRequirement,
    policy: Policy,
) -> tuple[Priority, Reason]:
    """The person's priority group and activation date, with the reason."""
    if not on_support or facts.support_since is None:
        return _not_applicable(
            f"Ingen prioritering: personen har inte försörjningsstöd {iso(on)}.", policy.source
        )
    if exempt:
        return _not_applicable(
            "Ingen prioritering: personen är undantagen, enligt lag eller av kommunen.",
            policy.source,
        )

    programme = facts.af_programme
    if programme in policy.state_programmes.value:
        days = policy.state_programme_days
        if facts.af_programme_since is None:
            text = (
                f"Deltar i {programme} hos Arbetsförmedlingen. Startdatum i programmet saknas, "
                f"så dagen för kommunala insatser (efter {days.value} dagar) kan inte räknas ut."
            )
            activate_by = None
        else:
            activate_by = facts.af_programme_since + timedelta(days=days.value)
            text = (
                f"Deltar i {programme} hos Arbetsförmedlingen: kommunala insatser från "
                f"{iso(activate_by)}, efter {days.value} dagar i programmet."
            )
        return Priority(STATE_PROGRAMME, activate_by, text), Reason(
            "policy.priority", text, days.source
        )
    if programme in requirement.full_time_programmes.value:
        return _not_applicable(
            f"Ingen prioritering: personen deltar i {programme} hos Arbetsförmedlingen.",
            requirement.full_time_programmes.source,
        )

    since = month_start(facts.support_since)
    limit = policy.young_adult_age_limit
    maximum = policy.max_months_to_activation
    if age_on(facts.birth_date, on) < limit.value:
        group, rule = YOUNG_ADULT, policy.young_adult_months
        who = f"Ung vuxen (under {limit.value} år)"
        sources = [limit.source, rule.source]
    else:
        group, rule = ADULT, policy.adult_months
        who = f"Vuxen ({limit.value} år eller äldre)"
        sources = [rule.source]
    months = rule.value
    if maximum.value < months:
        months = maximum.value
        sources.append(maximum.source)
    activate_by = add_months(since, months)
    text = (
        f"{who} utanför Arbetsförmedlingens program: ska vara i aktivering senast "
        f"{iso(activate_by)} ({months} månader efter att försörjningsstödet började "
        f"{iso(since)})."
    )
    return Priority(group, activate_by, text), Reason("policy.priority", text, "; ".join(sources))
