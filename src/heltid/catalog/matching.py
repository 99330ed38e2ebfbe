"""Does a person meet an intervention's criteria? One definition, as a database filter.

A fact the registry does not have yet (no assessment: activity capacity and Swedish level
unknown; no reason code) never excludes an intervention: the case manager sees it and the
page says which facts were missing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q

from heltid.catalog.models.intervention import SwedishRequirement
from heltid.rules.dates import age_on

# Which requirements accept a person's Swedish-language limitation.
_ACCEPTING: dict[str, tuple[str, ...]] = {
    "none": (SwedishRequirement.FLUENT, SwedishRequirement.MODERATE, SwedishRequirement.ANY),
    "moderate": (SwedishRequirement.MODERATE, SwedishRequirement.ANY),
    "large": (SwedishRequirement.ANY,),
}


@dataclass(frozen=True)
class CriteriaFacts:
    """What the catalogue's criteria are checked against."""

    age: int
    reason_group: str | None
    activity_hours: Decimal | None
    swedish_level: str | None

    @property
    def missing(self) -> list[str]:
        """The names of facts that are unknown (and so exclude nothing)."""
        names = {
            "reason_group": self.reason_group,
            "activity_hours": self.activity_hours,
            "swedish_level": self.swedish_level,
        }
        return [name for name, value in names.items() if value is None]


def person_criteria(person: object, *, on: date) -> CriteriaFacts:
    """The person's facts: age from the birth date, the latest assessment's capacity and
    Swedish level, the reason code's group. Prefetch ``assessments`` for lists."""
    assessments = sorted(
        person.assessments.all(),  # type: ignore[attr-defined]
        key=lambda a: (a.assessed_on, a.pk),
        reverse=True,
    )
    latest = next((a for a in assessments if a.assessed_on <= on), None)
    reason = person.reason_code  # type: ignore[attr-defined]
    return CriteriaFacts(
        age=age_on(person.birth_date, on),  # type: ignore[attr-defined]
        reason_group=reason.group if reason else None,
        activity_hours=latest.activity_capacity_hours if latest else None,
        swedish_level=latest.swedish_level if latest else None,
    )


def criteria_match_q(facts: CriteriaFacts) -> Q:
    """A filter on ``Intervention`` for the interventions whose criteria the facts meet."""
    match = (Q(age_min__isnull=True) | Q(age_min__lte=facts.age)) & (
        Q(age_max__isnull=True) | Q(age_max__gte=facts.age)
    )
    if facts.reason_group is not None:
        match &= Q(target_groups="") | Q(target_groups__contains=facts.reason_group)
    if facts.activity_hours is not None:
        match &= Q(min_activity_hours__isnull=True) | Q(
            min_activity_hours__lte=facts.activity_hours
        )
    if facts.swedish_level is not None:
        match &= Q(swedish_requirement__in=_ACCEPTING[facts.swedish_level])
    return match
