"""Municipal exemption groups: explicit decisions and exemptions derived from facts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .dates import iso
from .policy import Policy, load_policy
from .types import CoverageFacts, ExemptionGroup, Reason

__all__ = [
    "ExemptionDecision",
    "ExemptionGroup",
    "effective_exemption",
    "exemption_label",
    "exemption_reasons",
    "parse_exemption",
    "resolve_exemption",
]

EXPLICIT = "explicit"
FROM_REASON_CODE = "reason_code"
FROM_AF_PROGRAMME = "af_programme"


@dataclass(frozen=True)
class ExemptionDecision:
    """The effective exemption of a person and where it comes from."""

    group: ExemptionGroup
    origin: str  # EXPLICIT | FROM_REASON_CODE | FROM_AF_PROGRAMME
    label: str  # Swedish
    source: str
    statute: str  # how the group stands under the statute, Swedish


def parse_exemption(value: str) -> ExemptionGroup:
    """An ExemptionGroup from its code; ValueError (Swedish) for an unknown code."""
    try:
        return ExemptionGroup(value)
    except ValueError:
        raise ValueError(f"Okänd undantagsgrupp: {value!r}.") from None


def exemption_label(code: str, *, policy: str = "linkoping") -> str:
    """The Swedish label of an exemption group, as the (latest) policy names it."""
    return load_policy(policy).group(parse_exemption(code)).label


def resolve_exemption(facts: CoverageFacts, policy: Policy) -> ExemptionDecision | None:
    """Explicit exemption first, then one implied by the AF programme, then by the reason code."""
    if facts.exemption is not None:
        definition = policy.group(parse_exemption(facts.exemption))
        return ExemptionDecision(
            definition.code, EXPLICIT, definition.label, definition.source, definition.statute
        )
    implied = policy.exemption_for_af_programme(facts.af_programme)
    origin = FROM_AF_PROGRAMME
    if implied is None:
        implied = policy.exemption_for_reason_code(facts.reason_code)
        origin = FROM_REASON_CODE
    if implied is None:
        return None
    definition = policy.group(implied.exemption)
    return ExemptionDecision(
        implied.exemption, origin, definition.label, implied.source, definition.statute
    )


def effective_exemption(
    facts: CoverageFacts, *, on: date | None = None, policy: str = "linkoping"
) -> str | None:
    """The effective exemption group code (explicit first, else derived per policy), or None.

    ``on`` picks the policy version; None uses the latest version.
    """
    decision = resolve_exemption(facts, load_policy(policy, on))
    return None if decision is None else decision.group.value


def exemption_reasons(
    decision: ExemptionDecision, facts: CoverageFacts, *, on: date
) -> tuple[tuple[Reason, ...], bool]:
    """Reasons explaining an exemption, and whether its review is due on ``on``."""
    if decision.origin == EXPLICIT:
        how = "beslutat undantag"
    elif decision.origin == FROM_AF_PROGRAMME:
        how = f"följer av programmet {facts.af_programme} hos Arbetsförmedlingen"
    else:
        how = f"följer av försörjningshindret ”{facts.reason_code}”"
    reasons = [
        Reason(
            rule=f"policy.exemption.{decision.origin}",
            text=(
                f"Kommunens riktlinje: undantagen från heltidsaktivering, {decision.label} "
                f"({how}). Undantaget kan omprövas. I förhållande till lagen: {decision.statute}"
            ),
            source=decision.source,
        )
    ]
    review_due = False
    if decision.origin == EXPLICIT:
        review_on = facts.exemption_review_on
        if review_on is None:
            rule = "policy.exemption.review_missing"
            text = "Inget datum för omprövning av undantaget är satt."
        elif on >= review_on:
            review_due = True
            rule = "policy.exemption.review_due"
            text = f"Undantaget ska omprövas nu: omprövningsdatumet var {iso(review_on)}."
        else:
            rule = "policy.exemption.review_planned"
            text = f"Undantaget ska omprövas senast {iso(review_on)}."
        reasons.append(Reason(rule=rule, text=text, source=decision.source))
    return tuple(reasons), review_due
