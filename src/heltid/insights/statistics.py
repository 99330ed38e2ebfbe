"""Target-group statistics: one definition for `heltid stats` and the statistics page."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q

from heltid.casework.models import Assessment, Health
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Exemption, Person, ReasonGroup, SupportPeriod
from heltid.rules import ExemptionGroup, explain

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


def target_group_stats(*, on: date) -> TargetGroupStats:
    """Count everyone on support on ``on`` with the same rules the person page explains."""
    on_support = Q(support_periods__first_month__lte=on) & (
        Q(support_periods__last_month__isnull=True)
        | Q(support_periods__last_month__gte=on.replace(day=1))
    )
    persons = (
        Person.objects.filter(on_support)
        .distinct()
        .select_related("reason_code", "household")
        .prefetch_related(
            Prefetch("support_periods", queryset=SupportPeriod.objects.all()),
            Prefetch("exemptions", queryset=Exemption.objects.all()),
            "household__children",
            Prefetch("assessments", queryset=Assessment.objects.order_by("-assessed_on")),
        )
    )
    stats = TargetGroupStats(on=on)
    by_reason: Counter[str] = Counter()
    for person in persons.iterator(chunk_size=2000):
        explanation = explain(coverage_facts(person, on=on), on=on, policy=settings.HELTID_POLICY)
        stats.recipients += 1
        stats.covered += explanation.covered
        if explanation.exemption:
            stats.exempt += 1
            by_reason[explanation.exemption] += 1
        if not explanation.target_group:
            continue
        stats.target_group += 1
        if person.reason_code and person.reason_code.group == ReasonGroup.UNEMPLOYMENT:
            stats.unemployed_coded += 1
        stats.target_women += person.sex == "F"
        latest = next(iter(person.assessments.all()), None)
        if latest is not None:
            stats.target_assessed += 1
            stats.target_ill_health += latest.health != Health.NONE
    stats.other_target = stats.target_group - stats.unemployed_coded
    stats.exempt_by_reason = {g.value: by_reason.get(g.value, 0) for g in ExemptionGroup}
    return stats


def suppress(count: int) -> int | None:
    """Small cells are not shown to people who may only see aggregates."""
    return count if count == 0 or count >= SMALL_CELL else None
