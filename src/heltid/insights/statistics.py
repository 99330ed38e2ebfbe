"""Target-group statistics: one definition for `heltid stats` and the statistics page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from heltid.casework.models import Health
from heltid.registry.models import ReasonCode, ReasonGroup
from heltid.rules import ExemptionGroup

if TYPE_CHECKING:
    from heltid.insights.metrics import Population

SMALL_CELL = 5  # counts under this are suppressed on pages shown to analysts


@dataclass
class TargetGroupStats:
    on: date
    recipients: int = 0
    target_group: int = 0
    unemployed_coded: int = 0
    other_target: int = 0
    exempt: int = 0
    covered: int = 0
    exempt_by_reason: dict[str, int] = field(default_factory=dict)
    target_women: int = 0
    target_assessed: int = 0
    target_ill_health: int = 0

    @property
    def target_women_share(self) -> float:
        return round(self.target_women / self.target_group, 3) if self.target_group else 0.0

    @property
    def target_ill_health_share(self) -> float:
        return (
            round(self.target_ill_health / self.target_assessed, 3) if self.target_assessed else 0.0
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "recipients": self.recipients,
            "target_group": self.target_group,
            "unemployed_coded": self.unemployed_coded,
            "other_target": self.other_target,
            "exempt": self.exempt,
            "exempt_by_reason": self.exempt_by_reason,
            "covered": self.covered,
            "target_women_share": self.target_women_share,
            "target_ill_health_share": self.target_ill_health_share,
        }


def target_group_stats(*, on: date, base: Population | None = None) -> TargetGroupStats:
    """Everyone on support on ``on``, explained by the same rules as the person page — from
    ``base`` (a stored snapshot's population) or computed now."""
    from heltid.insights import metrics
    from heltid.insights.filters import InsightFilter

    pop = base if base is not None else metrics.population(InsightFilter(start=on, end=on))
    unemployment = set(
        ReasonCode.objects.filter(group=ReasonGroup.UNEMPLOYMENT).values_list("label", flat=True)
    )
    stats = TargetGroupStats(on=pop.on)
    by_reason: Counter[str] = Counter()
    for r in pop.rows:
        stats.recipients += 1
        stats.covered += r.covered
        if r.exemption:
            stats.exempt += 1
            by_reason[r.exemption] += 1
        if not r.target_group:
            continue
        stats.target_group += 1
        stats.unemployed_coded += r.reason_code in unemployment
        stats.target_women += r.sex == "F"
        if r.health is not None:
            stats.target_assessed += 1
            stats.target_ill_health += r.health != Health.NONE
    stats.other_target = stats.target_group - stats.unemployed_coded
    stats.exempt_by_reason = {g.value: by_reason.get(g.value, 0) for g in ExemptionGroup}
    return stats


def suppress(count: int) -> int | None:
    """Small cells are not shown to people who may only see aggregates."""
    return count if count == 0 or count >= SMALL_CELL else None


def start_page_figures(*, on: date, today: date) -> dict[str, Any]:
    """The analysts' start page for ``on``, from the stored statistics, as a JSON-able payload
    (run by a background task, decision 0022). The target group's two parts and the exemptions
    by group are suppressed together with their totals, so no hidden count follows by
    subtraction."""
    from heltid.insights import snapshots
    from heltid.insights.filters import InsightFilter
    from heltid.insights.privacy import suppress_distribution
    from heltid.rules import exemption_label

    basis = snapshots.basis(InsightFilter(start=on, end=on), today=today)
    stats = target_group_stats(on=on, base=basis.base)
    parts, target = suppress_distribution(
        {"unemployed": stats.unemployed_coded, "other": stats.other_target}
    )
    by_group, exempt = suppress_distribution(stats.exempt_by_reason)
    return {
        "on": stats.on.isoformat(),
        "counts": {
            # recipients = target group + exempted + the rest: hidden with the exempted
            "recipients": suppress(stats.recipients) if exempt is not None else None,
            "target_group": target,
            "unemployed_coded": parts["unemployed"],
            "other_target": parts["other"],
            "covered": suppress(stats.covered),
            "exempt": exempt,
        },
        "exempt_rows": [
            {"label": str(exemption_label(group)), "count": by_group[group]}
            for group in stats.exempt_by_reason
        ],
        "women_pct": share_pct(stats.target_women, stats.target_group),
        "ill_health_pct": share_pct(stats.target_ill_health, stats.target_assessed),
        "source": snapshots.describe(basis.snapshot),
    }


def share_pct(part: int, whole: int) -> int | None:
    """A share in per cent, shown only when the part and the rest are both not small: with the
    whole published elsewhere, a share gives back its part."""
    if not whole or suppress(part) is None or suppress(whole - part) is None:
        return None
    return round(100 * part / whole)
