"""Does a person meet an intervention's criteria? One definition, as a database filter.

A fact the registry does not have yet (no assessment: activity capacity and Swedish level
unknown; no reason code) never excludes an intervention: the case manager sees it and the
page says which facts were missing."""

from __future__ import annotations

from collections.abc import Iterable
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
    reason = person.reason_code  # type: ignore[attr-defined]
    return criteria_facts(
        birth_date=person.birth_date,  # type: ignore[attr-defined]
        reason_group=reason.group if reason else None,
        assessments=(
            (a.assessed_on, a.pk, a.activity_capacity_hours, a.swedish_level)
            for a in person.assessments.all()  # type: ignore[attr-defined]
        ),
        on=on,
    )


# An assessment as the criteria read it: (assessed_on, pk, activity_capacity_hours,
# swedish_level).
AssessmentFacts = tuple[date, int, Decimal | None, str | None]


def criteria_facts(
    *,
    birth_date: date,
    reason_group: str | None,
    assessments: Iterable[AssessmentFacts],
    on: date,
) -> CriteriaFacts:
    """:func:`person_criteria` from plain values (lists of thousands read them with
    ``values_list``): the latest assessment on ``on`` (by date, then the later one recorded)."""
    latest = max((a for a in assessments if a[0] <= on), key=lambda a: (a[0], a[1]), default=None)
    return CriteriaFacts(
        age=age_on(birth_date, on),
        reason_group=reason_group,
        activity_hours=latest[2] if latest else None,
        swedish_level=latest[3] if latest else None,
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


@dataclass(frozen=True)
class Thresholds:
    """The limits a set of interventions' criteria compare a person's numbers with."""

    age_min: frozenset[int]
    age_max: frozenset[int]
    activity_hours: frozenset[Decimal]

    @classmethod
    def of(cls, interventions: object) -> Thresholds:
        """From a queryset of ``Intervention`` (one query)."""
        rows = list(
            interventions.values_list(  # type: ignore[attr-defined]
                "age_min", "age_max", "min_activity_hours"
            ).distinct()
        )
        return cls(
            age_min=frozenset(r[0] for r in rows if r[0] is not None),
            age_max=frozenset(r[1] for r in rows if r[1] is not None),
            activity_hours=frozenset(r[2] for r in rows if r[2] is not None),
        )

    def key(self, facts: CriteriaFacts) -> tuple[object, ...]:
        """Facts with the same key meet the criteria of the same interventions (of these
        thresholds), under ``criteria_match_q``: a number matters only by which limits it
        reaches."""
        hours = facts.activity_hours
        return (
            frozenset(m for m in self.age_min if m <= facts.age),
            frozenset(m for m in self.age_max if m >= facts.age),
            None if hours is None else frozenset(m for m in self.activity_hours if m <= hours),
            facts.reason_group,
            facts.swedish_level,
        )
