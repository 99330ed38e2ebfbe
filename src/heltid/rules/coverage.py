"""Whether a person is covered by the activity requirement, and from when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .dates import add_months, iso, month_end, month_start
from .exemptions import ExemptionDecision
from .policy import Policy
from .requirement import ActivityRequirement
from .types import CoverageFacts, Reason


@dataclass(frozen=True)
class Coverage:
    """The coverage decision for one person on one date."""

    covered: bool
    covered_from: date | None
    reasons: tuple[Reason, ...]


def support_status(
    facts: CoverageFacts, *, on: date, requirement: ActivityRequirement
) -> tuple[bool, Reason]:
    """Whether the person is on support on ``on``, with the reason."""
    source = requirement.min_consecutive_months.source
    since = facts.support_since
    if since is None:
        return False, Reason("support.none", "Personen har inte försörjningsstöd.", source)
    start = month_start(since)
    if on < start:
        text = f"Försörjningsstödet börjar först {iso(start)}."
        return False, Reason("support.not_started", text, source)
    if facts.support_until is not None:
        end = month_end(facts.support_until)
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


def assess_coverage(
    facts: CoverageFacts,
    *,
    on: date,
    on_support: bool,
    requirement: ActivityRequirement,
    policy: Policy,
    exemption: ExemptionDecision | None,
) -> Coverage:
    """Apply the national requirement, the state-programme rule and exemptions."""
    months = requirement.min_consecutive_months
    if not on_support or facts.support_since is None:
        return Coverage(
            covered=False,
            covered_from=None,
            reasons=(
                Reason(
                    "activity_requirement.not_covered",
                    f"Personen omfattas inte av aktivitetskravet {iso(on)} eftersom personen "
                    "inte har försörjningsstöd då.",
                    months.source,
                ),
            ),
        )

    reasons: list[Reason] = []
    since = month_start(facts.support_since)
    after_months = add_months(since, months.value)
    reasons.append(
        Reason(
            "activity_requirement.consecutive_months",
            f"Aktivitetskravet gäller efter minst {months.value} månader i följd med "
            f"försörjningsstöd; med stöd sedan {iso(since)} är det uppfyllt från "
            f"{iso(after_months)}.",
            months.source,
        )
    )
    covered_from: date | None = after_months
    deciding_source = months.source
    if requirement.in_force_from > after_months:
        covered_from = requirement.in_force_from
        deciding_source = requirement.in_force_source
        reasons.append(
            Reason(
                "activity_requirement.in_force",
                f"Aktivitetskravet gäller från {iso(requirement.in_force_from)}, så personen "
                "kan omfattas tidigast då.",
                requirement.in_force_source,
            )
        )

    programme = facts.af_programme
    if programme in requirement.full_time_programmes.value:
        reasons.append(
            Reason(
                "activity_requirement.full_time_programme",
                f"Personen deltar i {programme} hos Arbetsförmedlingen, ett program på heltid, "
                "och omfattas därför inte av det nationella aktivitetskravet.",
                requirement.full_time_programmes.source,
            )
        )
        national_from = covered_from
        covered_from = None
        if programme in policy.state_programmes.value:
            covered_from, reason = _state_programme(facts, national_from, policy)
            reasons.append(reason)
            deciding_source = policy.state_programme_days.source

    if exemption is not None:
        covered_from = None
        deciding_source = exemption.source

    if covered_from is None:
        text = f"Personen omfattas inte av aktivitetskravet {iso(on)}."
        covered = False
    elif on >= covered_from:
        text = f"Personen omfattas av aktivitetskravet från {iso(covered_from)}."
        covered = True
    else:
        text = (
            f"Personen omfattas inte av aktivitetskravet {iso(on)} men kommer att omfattas "
            f"från {iso(covered_from)}."
        )
        covered = False
    conclusion = "activity_requirement.covered" if covered else "activity_requirement.not_covered"
    reasons.append(Reason(conclusion, text, deciding_source))
    return Coverage(covered=covered, covered_from=covered_from, reasons=tuple(reasons))


def _state_programme(
    facts: CoverageFacts, national_from: date | None, policy: Policy
) -> tuple[date | None, Reason]:
    programme = facts.af_programme
    days = policy.state_programme_days
    if facts.af_programme_since is None:
        return None, Reason(
            "policy.state_programme_missing_since",
            f"Startdatum i {programme} saknas. Kommunala insatser ges först efter {days.value} "
            "dagar i programmet, så personen räknas inte som omfattad förrän startdatumet är "
            "registrerat.",
            days.source,
        )
    after_days = facts.af_programme_since + timedelta(days=days.value)
    covered_from = after_days if national_from is None else max(national_from, after_days)
    return covered_from, Reason(
        "policy.state_programme_days",
        f"Enligt kommunens riktlinje får deltagare i {programme} kommunala insatser efter "
        f"{days.value} dagar i programmet: i {programme} sedan "
        f"{iso(facts.af_programme_since)}, alltså från {iso(after_days)}.",
        days.source,
    )
