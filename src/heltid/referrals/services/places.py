"""Taking and freeing places. The one place where a referral gets or loses a place.

Every function here locks the intervention's row first (``SELECT … FOR UPDATE`` on
PostgreSQL; SQLite's IMMEDIATE transactions serialise writers), counts the places held on the
day, and gives the lowest free place number; the partial unique constraint on
(intervention, slot) makes a double booking impossible even if this code were wrong."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.catalog.models import Intervention
from heltid.clock import moment_of
from heltid.referrals.models import (
    HOLDING,
    TRANSITIONS,
    WAITING_ORDER,
    Referral,
    ReferralEvent,
    ReferralStatus,
)


def transition(
    referral: Referral,
    to: str,
    *,
    acting_user: Any,
    note: str = "",
    page: str = "",
    today: date | None = None,
) -> None:
    """Move a referral to ``to`` if the flow allows it; record the event and the access log.
    The event and the referral's dates are stamped on ``today`` (the business day; default:
    now). Callers hold a transaction and, for place changes, the intervention's lock."""
    if to not in TRANSITIONS[referral.status]:
        raise ValidationError(
            _("A referral that is %(old)s cannot become %(new)s.")
            % {
                "old": str(ReferralStatus(referral.status).label).lower(),
                "new": str(ReferralStatus(to).label).lower(),
            }
        )
    now = moment_of(today)
    ReferralEvent.objects.create(
        referral=referral,
        from_status=referral.status,
        to_status=to,
        at=now,
        by=acting_user if getattr(acting_user, "pk", None) else None,
        note=note[:300],
    )
    referral.status = to
    if to not in HOLDING:
        referral.slot = None
    if to == ReferralStatus.SENT:
        referral.sent_at = now
    elif to == ReferralStatus.WAITING:
        referral.waiting_since = now
    elif to == ReferralStatus.OFFERED:
        referral.offered_at = now
    elif to == ReferralStatus.ACCEPTED:
        referral.accepted_at = now
    if to in HOLDING and referral.place_from is None:
        referral.place_from = now
    if to in (ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        referral.ended_at = now
    referral.save()
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=referral.person_id,
        page=page,
        detail={"referral": referral.pk, "status": to},
    )


def _lock(intervention_id: int) -> Intervention:
    return Intervention.objects.select_for_update().get(pk=intervention_id)


def free_slot(intervention_id: int, *, on: date) -> int | None:
    """The lowest place number free for a Heltid referral on ``on``, or None when full.
    Places taken outside Heltid (the dated occupancy count) come off the top."""
    row = (
        Intervention.objects.with_capacity(on=on)
        .filter(pk=intervention_id)
        .values("places", "occupied", "heltid_occupied")  # type: ignore[misc]
        .get()
    )
    if row["occupied"] >= row["places"]:
        return None
    heltid_places = row["places"] - (row["occupied"] - row["heltid_occupied"])
    taken = set(
        Referral.objects.filter(intervention_id=intervention_id, status__in=HOLDING).values_list(
            "slot", flat=True
        )
    )
    return next((n for n in range(1, heltid_places + 1) if n not in taken), None)


@transaction.atomic
def referral_accept(
    *, referral: Referral, acting_user: Any, page: str = "", today: date | None = None
) -> Referral:
    """The provider accepts: the referral takes a place, or goes to the waiting list when the
    intervention is full. An offered referral already holds its place."""
    day = today or timezone.localdate()
    _lock(referral.intervention_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == ReferralStatus.OFFERED:
        transition(referral, ReferralStatus.ACCEPTED, acting_user=acting_user, page=page, today=day)
        return referral
    if referral.status != ReferralStatus.SENT:
        raise ValidationError(
            _("Only a referral sent to the provider or offered a place can be accepted.")
        )
    slot = free_slot(referral.intervention_id, on=day)
    if slot is None:
        transition(
            referral,
            ReferralStatus.WAITING,
            acting_user=acting_user,
            note=_("The intervention is full."),
            page=page,
            today=day,
        )
        return referral
    referral.slot = slot
    transition(referral, ReferralStatus.ACCEPTED, acting_user=acting_user, page=page, today=day)
    return referral


def offer_next(
    intervention_id: int, *, acting_user: Any, today: date, page: str = ""
) -> list[Referral]:
    """While places are free, offer them to the waiting list in order: highest priority
    first, then the longest wait. Call inside a transaction that holds the lock."""
    offered = []
    waiting = Referral.objects.filter(
        intervention_id=intervention_id, status=ReferralStatus.WAITING
    ).order_by(*WAITING_ORDER)
    for candidate in waiting:
        slot = free_slot(intervention_id, on=today)
        if slot is None:
            break
        candidate.slot = slot
        transition(
            candidate,
            ReferralStatus.OFFERED,
            acting_user=acting_user,
            note=_("A place became free."),
            page=page,
            today=today,
        )
        offered.append(candidate)
    return offered


@transaction.atomic
def referral_end(
    *,
    referral: Referral,
    to: str,
    acting_user: Any,
    note: str = "",
    page: str = "",
    today: date | None = None,
    **fields: Any,
) -> list[Referral]:
    """End a referral (completed, declined or withdrawn). A place it held is offered to the
    waiting list at once; returns the referrals that were offered a place."""
    if to not in (ReferralStatus.COMPLETED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN):
        raise ValueError(f"not an end: {to}")
    day = today or timezone.localdate()
    _lock(referral.intervention_id)
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    held = referral.status in HOLDING
    for name, value in fields.items():
        setattr(referral, name, value)
    transition(referral, to, acting_user=acting_user, note=note, page=page, today=day)
    if not held:
        return []
    return offer_next(referral.intervention_id, acting_user=acting_user, today=day, page=page)


@transaction.atomic
def places_changed(*, intervention: Intervention, acting_user: Any, today: date) -> list[Referral]:
    """After more places (a capacity change), offer them to the waiting list."""
    _lock(intervention.pk)
    return offer_next(intervention.pk, acting_user=acting_user, today=today)
