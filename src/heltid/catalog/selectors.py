"""Reads of the catalogue. Interventions hold no personal data, so every logged-in user sees
the whole catalogue; the person a match is made for is fetched through the registry's scoping."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from heltid.accounts.permissions import interventions_editable_q
from heltid.catalog.matching import CriteriaFacts, criteria_match_q
from heltid.catalog.models import Actor, Intervention, InterventionStatus, Step

# Interventions that count on the staircase and in capacity: those running or paused.
IN_OPERATION = (InterventionStatus.ACTIVE, InterventionStatus.PAUSED)


@dataclass(frozen=True)
class CatalogueFilter:
    """The catalogue page's filters; ``None`` or empty means "any"."""

    step: Step | None = None
    activity_type: str = ""
    provider: Actor | None = None
    free_only: bool = False
    language_support: bool = False
    status: str = ""
    text: str = ""
    facts: CriteriaFacts | None = None


def interventions(*, on: date, filters: CatalogueFilter | None = None) -> QuerySet[Intervention]:
    """The catalogue on a date, with live capacity, filtered; two tables joined, one query."""
    f = filters or CatalogueFilter()
    result = Intervention.objects.with_capacity(on=on).select_related("step", "provider")
    if f.step is not None:
        result = result.filter(step=f.step)
    if f.activity_type:
        result = result.filter(activity_type=f.activity_type)
    if f.provider is not None:
        result = result.filter(provider=f.provider)
    if f.status:
        result = result.filter(status=f.status)
    if f.language_support:
        result = result.filter(language_support=True)
    if f.text:
        result = result.filter(Q(name__icontains=f.text) | Q(description__icontains=f.text))
    if f.free_only:
        result = result.filter(free__gt=0, status=InterventionStatus.ACTIVE)  # type: ignore[misc]
    if f.facts is not None:
        result = result.filter(criteria_match_q(f.facts)).exclude(
            status__in=[InterventionStatus.NEEDED, InterventionStatus.ENDED]
        )
    return result.order_by("step__position", "name", "pk")


def editable_interventions(*, user: Any) -> QuerySet[Intervention]:
    return Intervention.objects.filter(interventions_editable_q(user))


@dataclass(frozen=True)
class StepSummary:
    """One step of the staircase picture. ``cost_per_month``: what the step's places cost a
    month (places × cost per place-month), filled or not."""

    step: Step
    places: int
    occupied: int
    free: int
    waiting: int
    interventions: int
    cost_per_month: int
    needs: int

    def as_json(self) -> dict[str, Any]:
        return {
            "step": self.step.name,
            "places": self.places,
            "occupied": self.occupied,
            "free": self.free,
            "waiting": self.waiting,
            "interventions": self.interventions,
            "cost_per_month": self.cost_per_month,
        }


def staircase(*, on: date) -> list[StepSummary]:
    """Per active step in order: places, occupied, free, waiting, interventions in operation,
    cost per month, and recorded needs (missing interventions). Two queries."""
    steps = list(Step.objects.filter(active=True).order_by("position", "pk"))
    totals: dict[int, dict[str, int]] = {
        s.pk: dict.fromkeys(
            ("places", "occupied", "free", "waiting", "interventions", "cost", "needs"), 0
        )
        for s in steps
    }
    rows = Intervention.objects.with_capacity(on=on).values_list(  # type: ignore[misc]
        "step_id", "status", "places", "occupied", "free", "waiting", "cost_per_place_month"
    )
    for step_id, status, places, occupied, free, waiting, cost in rows:
        t = totals.get(step_id)
        if t is None:
            continue
        if status == InterventionStatus.NEEDED:
            t["needs"] += 1
        elif status in IN_OPERATION:
            t["places"] += places
            t["occupied"] += occupied
            t["free"] += free
            t["waiting"] += waiting
            t["interventions"] += 1
            t["cost"] += places * cost
    return [
        StepSummary(
            step=s,
            places=totals[s.pk]["places"],
            occupied=totals[s.pk]["occupied"],
            free=totals[s.pk]["free"],
            waiting=totals[s.pk]["waiting"],
            interventions=totals[s.pk]["interventions"],
            cost_per_month=totals[s.pk]["cost"],
            needs=totals[s.pk]["needs"],
        )
        for s in steps
    ]
