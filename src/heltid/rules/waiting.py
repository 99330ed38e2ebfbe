"""The waiting list's priority under the municipal policy: points, highest first, with the
reasons. Pure; the referral flow stores the points on the referral when it joins the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import age_on
from .policy import load_policy
from .types import Reason


@dataclass(frozen=True)
class WaitingFacts:
    birth_date: date
    covered_from: date | None
    af_programme: str  # "none" when outside Arbetsförmedlingen's programmes
    activate_by: date | None  # the policy's activation date (explain().priority.activate_by)
    requested_step: str | None  # step code asked for in the latest assessment
    intervention_step: str  # the step code of the intervention waited for


@dataclass(frozen=True)
class WaitingPriority:
    points: int
    reasons: tuple[Reason, ...]


def waiting_priority(facts: WaitingFacts, *, on: date, policy: str) -> WaitingPriority:
    """Points for time since coverage (per month, capped), young adults, being outside
    Arbetsförmedlingen's programmes, being past the activation date, and waiting for the step
    the assessment asked for."""
    rules = load_policy(policy, on).referrals
    limit = load_policy(policy, on).young_adult_age_limit.value
    reasons: list[Reason] = []
    points = 0
    if facts.covered_from is not None and facts.covered_from <= on:
        months = (on.year - facts.covered_from.year) * 12 + on.month - facts.covered_from.month
        months = min(max(months, 0), rules.max_months_counted.value)
        add = months * rules.points_per_month_covered.value
        points += add
        reasons.append(
            Reason(
                "waiting.time_covered",
                f"{months} månader sedan personen omfattas: {add} poäng.",
                rules.points_per_month_covered.source,
            )
        )
    checks = (
        (
            age_on(facts.birth_date, on) < limit,
            rules.young_adult_points,
            "waiting.young_adult",
            f"Ung vuxen (under {limit} år)",
        ),
        (
            facts.af_programme == "none",
            rules.outside_af_points,
            "waiting.outside_af",
            "Utanför Arbetsförmedlingens program",
        ),
        (
            facts.activate_by is not None and facts.activate_by < on,
            rules.past_activation_date_points,
            "waiting.past_activation_date",
            "Har passerat dagen för aktivering",
        ),
        (
            facts.requested_step is not None and facts.requested_step == facts.intervention_step,
            rules.requested_step_points,
            "waiting.requested_step",
            "Insatsen är på det steg som kartläggningen pekar ut",
        ),
    )
    for applies, value, rule, text in checks:
        if applies:
            points += value.value
            reasons.append(Reason(rule, f"{text}: {value.value} poäng.", value.source))
    return WaitingPriority(points=points, reasons=tuple(reasons))
