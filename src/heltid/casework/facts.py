"""The casework facts of a person, in the form the rules take, and a plan's hours against the
weekly target. One definition each; the caseload, the person page, the plan and the PDF use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import DateField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from heltid.casework.models import (
    COUNTING_STATUSES,
    ActivityStatus,
    Assessment,
    FollowUp,
    Plan,
    PlanActivity,
    PlanStatus,
)
from heltid.rules import CaseworkFacts


def with_casework_dates(persons: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate ``assessed_on`` (latest assessment), ``plan_on`` (the active plan's date),
    ``first_activity_on`` (the earliest start of an activity that has started),
    ``last_follow_up_on`` and ``next_follow_up_on`` — one query for any number of persons."""
    latest_follow_up = FollowUp.objects.filter(person=OuterRef("pk")).order_by("-held_on", "-pk")
    started = PlanActivity.objects.filter(
        plan__person=OuterRef("pk"),
        status__in=[ActivityStatus.ONGOING, ActivityStatus.COMPLETED],
    ).annotate(began=Coalesce("start_on", "added_at__date", output_field=DateField()))
    annotated: QuerySet[Any] = persons.annotate(
        assessed_on=Subquery(
            Assessment.objects.filter(person=OuterRef("pk"))
            .order_by("-assessed_on", "-pk")
            .values("assessed_on")[:1]
        ),
        plan_on=Subquery(
            Plan.objects.filter(person=OuterRef("pk"), status=PlanStatus.ACTIVE).values(
                "created_on"
            )[:1]
        ),
        first_activity_on=Subquery(started.order_by("began").values("began")[:1]),
        last_follow_up_on=Subquery(latest_follow_up.values("held_on")[:1]),
        next_follow_up_on=Subquery(latest_follow_up.values("next_on")[:1]),
    )
    return annotated


def casework_facts(person: Any, *, covered_from: date | None) -> CaseworkFacts:
    """From a person annotated by :func:`with_casework_dates`."""
    return CaseworkFacts(
        covered_from=covered_from,
        assessed_on=person.assessed_on,
        plan_on=person.plan_on,
        first_activity_on=person.first_activity_on,
        last_follow_up_on=person.last_follow_up_on,
        next_follow_up_on=person.next_follow_up_on,
    )


@dataclass(frozen=True)
class PlanHours:
    """A plan's week against the person's target. ``assigned``: hours of planned or ongoing
    activities that count as assigned; ``job_search``: own job search, planned but not counted."""

    target: Decimal
    assigned: Decimal
    job_search: Decimal

    @property
    def missing(self) -> Decimal:
        return max(self.target - self.assigned, Decimal(0))

    @property
    def over(self) -> Decimal:
        return max(self.assigned - self.target, Decimal(0))

    @property
    def matches(self) -> bool:
        return self.assigned == self.target


def plan_hours(activities: list[PlanActivity], *, target: Decimal) -> PlanHours:
    counting = [a for a in activities if a.status in COUNTING_STATUSES]
    return PlanHours(
        target=target,
        assigned=sum((a.hours_per_week for a in counting if a.counts_as_assigned), Decimal(0)),
        job_search=sum(
            (a.hours_per_week for a in counting if not a.counts_as_assigned), Decimal(0)
        ),
    )
