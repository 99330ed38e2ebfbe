"""Put the rules together: one explained result per person and date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from .coverage import assess_coverage, support_status
from .exemptions import exemption_reasons, resolve_exemption
from .facts import check_facts
from .hours import compute_weekly_hours
from .policy import load_policy
from .priority import assess_priority
from .requirement import activity_requirement
from .types import CoverageFacts, Explanation, Reason


def explain(facts: CoverageFacts, *, on: date, policy: str = "linkoping") -> Explanation:
    """Everything the rules say about ``facts`` on ``on``, with reasons and sources.

    Raises ValueError (Swedish message) for inconsistent facts and
    ParameterError when no policy version applies to ``on``.
    """
    check_facts(facts, on=on)
    rules = load_policy(policy, on)
    requirement = activity_requirement(on)

    on_support, support_reason = support_status(facts, on=on, requirement=requirement)
    reasons: list[Reason] = [support_reason]

    decision = resolve_exemption(facts, rules)
    review_due = False
    exemption_steps: tuple[Reason, ...] = ()
    if decision is not None:
        exemption_steps, review_due = exemption_reasons(decision, facts, on=on)

    coverage = assess_coverage(facts, on=on, on_support=on_support, requirement=requirement)
    # The municipality's exemption steps go just before the coverage conclusion (the last
    # reason); they never change the statute's answer.
    reasons.extend(coverage.reasons[:-1])
    reasons.extend(exemption_steps)
    reasons.append(coverage.reasons[-1])
    if decision is not None and coverage.covered:
        reasons.append(
            Reason(
                "policy.exemption.scope",
                "Kommunens undantagsgrupp lyfter inte lagens aktivitetskrav. Omfattningen "
                "anpassas i stället individuellt efter personens förmåga (ange timtal och "
                "skriftligt skäl).",
                decision.source,
            )
        )

    # The municipality's target group is its own policy: it does not follow the statute's
    # exclusions (decision record 0014); the statute's answer is ``covered`` above.
    target_group = on_support and decision is None
    if target_group:
        target_text = (
            "Personen ingår i kommunens målgrupp för heltidsaktivering: har försörjningsstöd "
            "och är inte undantagen enligt kommunens riktlinje."
        )
    elif not on_support:
        target_text = (
            "Personen ingår inte i kommunens målgrupp eftersom personen inte har försörjningsstöd."
        )
    else:
        target_text = (
            "Personen ingår inte i kommunens målgrupp eftersom kommunen undantagit personen."
        )
    reasons.append(Reason("policy.target_group", target_text, rules.source))

    priority, priority_reason = assess_priority(
        facts,
        on=on,
        on_support=on_support,
        exempt=decision is not None,
        requirement=requirement,
        policy=rules,
    )
    reasons.append(priority_reason)

    hours, hour_reasons = compute_weekly_hours(facts, on=on, requirement=requirement, policy=rules)
    reasons.extend(hour_reasons)

    return Explanation(
        on=on,
        covered=coverage.covered,
        covered_from=coverage.covered_from,
        weekly_hours=hours,
        priority=priority,
        exemption=None if decision is None else decision.group.value,
        exemption_review_due=review_due,
        target_group=target_group,
        reasons=tuple(reasons),
    )


def activation_from(e: Explanation) -> date | None:
    """From when the person is in the municipality's full-time activation on ``e.on``: from
    coverage by the statute, or, for a JOB/UGA participant in the target group, from the
    policy's day in the programme (decision record 0014). None when not in activation."""
    if e.covered:
        return e.covered_from
    starts = e.priority.activate_by
    if e.target_group and e.priority.group == "state_programme" and starts and starts <= e.on:
        return starts
    return None


def _number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def explanation_as_json(e: Explanation) -> dict[str, Any]:
    """A JSON-ready dict of an explanation."""
    return {
        "on": e.on.isoformat(),
        "covered": e.covered,
        "covered_from": _day(e.covered_from),
        "weekly_hours": _number(e.weekly_hours),
        "priority": {
            "group": e.priority.group,
            "activate_by": _day(e.priority.activate_by),
            "text": e.priority.text,
        },
        "exemption": e.exemption,
        "exemption_review_due": e.exemption_review_due,
        "target_group": e.target_group,
        "reasons": [
            {"rule": r.rule, "basis": r.basis.value, "text": r.text, "source": r.source}
            for r in e.reasons
        ],
    }
