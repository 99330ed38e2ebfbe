"""Reads of referrals: waiting-list positions, lead times, matching a person to interventions,
and what provider staff work with.

Reads that depend on who asks take the user (provider staff: :func:`provider_referrals_q` and
:func:`may_work_intervention`); every list runs a fixed number of queries whatever its size."""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.permissions import (
    may_see_protected_identity,
    may_work_intervention,
    provider_referrals_q,
)
from heltid.casework.models import Assessment
from heltid.catalog.matching import CriteriaFacts, person_criteria
from heltid.catalog.models import Intervention, InterventionStatus, Step
from heltid.catalog.models.intervention import SwedishRequirement, TargetGroup
from heltid.catalog.selectors import CatalogueFilter, interventions
from heltid.ids import valid_id
from heltid.referrals.models import HOLDING, OPEN, WAITING_ORDER, Referral, ReferralStatus
from heltid.registry.models import Person

# Interventions a person can be referred to (not a recorded need, not ended).
REFERABLE = (InterventionStatus.PLANNED, InterventionStatus.ACTIVE, InterventionStatus.PAUSED)


def shown_name(user: Any, person: Person) -> str:
    """The name as this user may see it ("Protected identity" otherwise)."""
    if may_see_protected_identity(user, person):
        return f"{person.first_name} {person.last_name}"
    return _("Protected identity")


# --- Waiting-list positions --------------------------------------------------------------------


def waiting_positions(intervention_ids: Iterable[int]) -> dict[int, int]:
    """Referral id → its place in its intervention's waiting list (1 = offered the next free
    place), for every waiting referral of the interventions. One query."""
    ids = sorted(set(intervention_ids))
    if not ids:
        return {}
    rows = (
        Referral.objects.filter(intervention_id__in=ids, status=ReferralStatus.WAITING)
        .order_by("intervention_id", *WAITING_ORDER)
        .values_list("pk", "intervention_id")
    )
    positions: dict[int, int] = {}
    counts: dict[int, int] = {}
    for pk, intervention_id in rows:
        counts[intervention_id] = counts.get(intervention_id, 0) + 1
        positions[pk] = counts[intervention_id]
    return positions


# --- Lead times ----------------------------------------------------------------------------------


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def days_to_referral(*, covered_from: date | None, sent_at: datetime | None) -> int | None:
    """Days from the coverage decision (``covered_from``) to a referral's sending; None when
    either is missing or the referral was sent before the person was covered."""
    sent = _day(sent_at)
    if covered_from is None or sent is None or sent < covered_from:
        return None
    return (sent - covered_from).days


def days_to_start(referral: Referral) -> int | None:
    """Days from the referral's sending to the start of the intervention."""
    sent = _day(referral.sent_at)
    if sent is None or referral.started_on is None:
        return None
    return max((referral.started_on - sent).days, 0)


def first_referral_days(*, covered_from: date | None, referrals: Iterable[Referral]) -> int | None:
    """Coverage → referral for a person: days to the first referral sent on or after the day
    the person became covered."""
    days = [days_to_referral(covered_from=covered_from, sent_at=r.sent_at) for r in referrals]
    known = [d for d in days if d is not None]
    return min(known) if known else None


@dataclass(frozen=True)
class LeadTimes:
    """One referral's lead times in days (None: not reached yet)."""

    coverage_to_referral: int | None
    referral_to_start: int | None


def lead_times(referral: Referral, *, covered_from: date | None) -> LeadTimes:
    return LeadTimes(
        coverage_to_referral=days_to_referral(covered_from=covered_from, sent_at=referral.sent_at),
        referral_to_start=days_to_start(referral),
    )


@dataclass(frozen=True)
class LeadTimeMedians:
    """Medians over a list: coverage → first referral per person, referral → start per
    referral; with how many values each median is of."""

    coverage_to_referral: float | None
    persons: int
    referral_to_start: float | None
    started: int


def _median(values: list[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def median_lead_times(
    referrals: Iterable[Referral], *, covered_from: Mapping[int, date | None]
) -> LeadTimeMedians:
    """Medians of the lead times of ``referrals``; ``covered_from`` maps person id to the day
    the person became covered (persons missing from it count for referral → start only)."""
    by_person: dict[int, list[Referral]] = {}
    starts: list[int] = []
    for referral in referrals:
        by_person.setdefault(referral.person_id, []).append(referral)
        days = days_to_start(referral)
        if days is not None:
            starts.append(days)
    firsts = [
        first_referral_days(covered_from=covered_from.get(person_id), referrals=items)
        for person_id, items in by_person.items()
    ]
    known = [d for d in firsts if d is not None]
    return LeadTimeMedians(
        coverage_to_referral=_median(known),
        persons=len(known),
        referral_to_start=_median(starts),
        started=len(starts),
    )


# --- A person's referrals ----------------------------------------------------------------------


@dataclass(frozen=True)
class ReferralRow:
    referral: Referral
    position: int | None  # on the waiting list
    lead: LeadTimes


def person_referral_rows(
    *, person: Person, covered_from: date | None, open_only: bool = False
) -> list[ReferralRow]:
    """The person's referrals, open ones first, newest first; two queries. The caller has
    checked that the user may see the person."""
    referrals = Referral.objects.filter(person=person).select_related(
        "intervention__provider", "intervention__step", "decline_reason", "plan_activity"
    )
    if open_only:
        referrals = referrals.filter(status__in=OPEN)
    items = sorted(referrals, key=lambda r: (r.status not in OPEN, -r.created_at.timestamp()))
    positions = waiting_positions(
        r.intervention_id for r in items if r.status == ReferralStatus.WAITING
    )
    return [
        ReferralRow(
            referral=r,
            position=positions.get(r.pk),
            lead=lead_times(r, covered_from=covered_from),
        )
        for r in items
    ]


# --- Matching a person to interventions --------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    """One criterion's fit, in words; ``good`` False when the intervention fits less well."""

    text: str
    good: bool


@dataclass(frozen=True)
class MatchRow:
    intervention: Any  # an Intervention annotated with places, occupied, free, waiting
    fits: tuple[Fit, ...]
    rank: tuple[Any, ...]
    open_referral: Referral | None

    @property
    def free(self) -> int:
        return int(self.intervention.free)


@dataclass(frozen=True)
class Matching:
    facts: CriteriaFacts
    requested_step: Step | None
    rows: list[MatchRow] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


def _latest_assessment(person: Person, on: date) -> Assessment | None:
    """The latest assessment on ``on``, the same one :func:`person_criteria` reads."""
    done = [a for a in person.assessments.all() if a.assessed_on <= on]
    return max(done, key=lambda a: (a.assessed_on, a.pk), default=None)


def _hours(value: Decimal) -> str:
    return str(floatformat(value, "-1"))


def _fits(
    item: Any, facts: CriteriaFacts, requested: Step | None
) -> tuple[tuple[Fit, ...], tuple[Any, ...]]:
    """Why an intervention fits, criterion by criterion, and its rank key: free places first,
    then the step the assessment asks for (then the nearest step), the activity capacity,
    the Swedish level, the age and the target group — an unknown fact ranks nobody lower."""
    fits: list[Fit] = []
    # the step requested in the assessment
    if requested is None:
        step_miss, distance = False, 0
        fits.append(Fit(_("Step: %(step)s") % {"step": item.step.name}, True))
    else:
        step_miss = item.step_id != requested.pk
        distance = abs(item.step.position - requested.position)
        if step_miss:
            text = _("Step: %(step)s (the assessment asks for %(requested)s)") % {
                "step": item.step.name,
                "requested": requested.name,
            }
        else:
            text = _("The step the assessment asks for: %(step)s") % {"step": item.step.name}
        fits.append(Fit(text, not step_miss))
    # activity capacity against the intervention's hours
    capacity = facts.activity_hours
    if capacity is None:
        capacity_miss = False
        fits.append(
            Fit(_("%(h)s hours a week") % {"h": _hours(item.hours_per_week)}, True),
        )
    else:
        capacity_miss = item.hours_per_week > capacity
        words = (
            _("%(h)s hours a week, more than the activity capacity of %(c)s hours")
            if capacity_miss
            else _("%(h)s hours a week, within the activity capacity of %(c)s hours")
        )
        fits.append(
            Fit(
                words % {"h": _hours(item.hours_per_week), "c": _hours(capacity)}, not capacity_miss
            )
        )
    # Swedish: an intervention made for the person's level, or with language support
    level = facts.swedish_level
    if level is None:
        swedish_miss = False
        fits.append(Fit(str(SwedishRequirement(item.swedish_requirement).label), True))
    else:
        swedish_miss = not (
            item.swedish_requirement == level or (level != "none" and item.language_support)
        )
        if item.language_support and level != "none":
            text = _("Language support for the person's level of Swedish")
        elif not swedish_miss:
            text = _("Made for the person's level of Swedish")
        else:
            text = _("Accepts the person's level of Swedish")
        fits.append(Fit(text, not swedish_miss))
    # age: an intervention for the person's age group
    if item.age_min is not None or item.age_max is not None:
        age_miss = False
        fits.append(
            Fit(
                _("For ages %(lo)s–%(hi)s")
                % {
                    "lo": item.age_min or 0,
                    "hi": item.age_max if item.age_max is not None else "…",
                },
                True,
            )
        )
    else:
        age_miss = True
        fits.append(Fit(_("No age limit"), False))
    # target group: an intervention for the person's group
    groups = item.target_group_list
    if facts.reason_group is not None and facts.reason_group in groups:
        target_miss = False
        fits.append(
            Fit(
                _("For the target group %(g)s") % {"g": TargetGroup(facts.reason_group).label}, True
            )
        )
    else:
        target_miss = facts.reason_group is not None
        fits.append(Fit(_("Open to every target group"), not target_miss))
    rank = (
        item.free <= 0,
        step_miss,
        distance,
        capacity_miss,
        swedish_miss,
        age_miss,
        target_miss,
        item.waiting,
        item.name.casefold(),
        item.pk,
    )
    return tuple(fits), rank


def matching_for(*, person: Person, on: date) -> Matching:
    """Interventions whose criteria the person meets, ranked (see :func:`_fits`) with why each
    fits, and the person's open referral to each. Three queries; the caller has checked that
    the user may see the person."""
    person_with = Person.objects.select_related("reason_code").prefetch_related(
        Prefetch("assessments", queryset=Assessment.objects.select_related("requested_step"))
    )
    subject = person_with.get(pk=person.pk)
    facts = person_criteria(subject, on=on)
    latest = _latest_assessment(subject, on)
    requested = latest.requested_step if latest is not None else None
    items = list(interventions(on=on, filters=CatalogueFilter(facts=facts)))
    open_referrals = {
        r.intervention_id: r for r in Referral.objects.filter(person=person, status__in=OPEN)
    }
    rows = []
    for item in items:
        fits, rank = _fits(item, facts, requested)
        rows.append(
            MatchRow(
                intervention=item, fits=fits, rank=rank, open_referral=open_referrals.get(item.pk)
            )
        )
    rows.sort(key=lambda row: row.rank)
    labels = {
        "reason_group": _("reason code"),
        "activity_hours": _("activity capacity"),
        "swedish_level": _("Swedish level"),
    }
    missing = [str(labels[name]) for name in facts.missing]
    if requested is None:
        missing.append(_("requested step"))
    return Matching(facts=facts, requested_step=requested, rows=rows, missing=missing)


# --- Provider staff ----------------------------------------------------------------------------


def provider_interventions(*, user: Any, on: date) -> list[Any]:
    """The interventions of the user's organisation with today's places, occupied, free and
    waiting, and ``new_referrals`` (sent, not yet answered). One query."""
    if user.unit_id is None:
        return []
    new = (
        Referral.objects.filter(intervention=OuterRef("pk"), status=ReferralStatus.SENT)
        .order_by()
        .values("intervention")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return list(
        Intervention.objects.with_capacity(on=on)
        .filter(provider__unit_id=user.unit_id)
        .exclude(status=InterventionStatus.NEEDED)
        .annotate(new_referrals=Coalesce(Subquery(new), Value(0)))
        .select_related("step", "provider")
        .order_by("name", "pk")
    )


def provider_intervention(*, user: Any, intervention_id: int, on: date) -> Any:
    """One of the organisation's interventions with its capacity, or 404."""
    if not valid_id(intervention_id):
        raise Http404
    item = (
        Intervention.objects.with_capacity(on=on)
        .select_related("step", "provider")
        .filter(pk=intervention_id)
        .first()
    )
    if item is None or not may_work_intervention(user, item):
        raise Http404
    return item


def provider_referrals(*, user: Any) -> QuerySet[Referral]:
    """Every referral provider staff may work with, with what their pages show."""
    return Referral.objects.filter(provider_referrals_q(user)).select_related(
        "person", "intervention__provider", "plan_activity"
    )


def provider_referral(*, user: Any, referral_id: int) -> Referral:
    """One referral the user works with, or 404 (never saying whether it exists)."""
    if not valid_id(referral_id):
        raise Http404
    referral = provider_referrals(user=user).filter(pk=referral_id).first()
    if referral is None:
        raise Http404
    return referral


@dataclass(frozen=True)
class ProviderRow:
    """A participant as provider staff see them: the minimum."""

    referral: Referral
    name: str
    hours: Decimal | None  # the plan's hours a week for this intervention
    position: int | None = None


@dataclass(frozen=True)
class ProviderLists:
    incoming: list[ProviderRow]  # sent: to accept or decline
    offered: list[ProviderRow]  # offered a freed place: to confirm
    waiting: list[ProviderRow]  # in order
    holding: list[ProviderRow]  # accepted or started

    @property
    def person_ids(self) -> list[int]:
        rows = [*self.incoming, *self.offered, *self.waiting, *self.holding]
        return sorted({row.referral.person_id for row in rows})


def provider_row(user: Any, referral: Referral, position: int | None = None) -> ProviderRow:
    activity = referral.plan_activity
    return ProviderRow(
        referral=referral,
        name=shown_name(user, referral.person),
        hours=activity.hours_per_week if activity is not None else None,
        position=position,
    )


def provider_lists(*, user: Any, intervention: Intervention) -> ProviderLists:
    """The intervention's open referrals the user works with, grouped. Two queries."""
    referrals = list(
        provider_referrals(user=user)
        .filter(intervention=intervention, status__in=OPEN)
        .order_by("sent_at", "pk")
    )
    positions = waiting_positions([intervention.pk])
    waiting = sorted(
        (r for r in referrals if r.status == ReferralStatus.WAITING),
        key=lambda r: positions.get(r.pk, 0),
    )
    return ProviderLists(
        incoming=[provider_row(user, r) for r in referrals if r.status == ReferralStatus.SENT],
        offered=[provider_row(user, r) for r in referrals if r.status == ReferralStatus.OFFERED],
        waiting=[provider_row(user, r, positions.get(r.pk)) for r in waiting],
        holding=[
            provider_row(user, r)
            for r in sorted(
                (
                    r
                    for r in referrals
                    if r.status in HOLDING and r.status != ReferralStatus.OFFERED
                ),
                key=lambda r: (r.started_on or date.max, r.pk),
            )
        ],
    )
