"""Signals to the benefit officer: a refusal, or unexcused absence beyond the policy's
threshold. Raised by services, never shown to provider staff; each is raised once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import Entry, log_access, log_entries
from heltid.clock import moment_of
from heltid.referrals.models import Attendance, AttendanceStatus, Referral, Signal, SignalKind
from heltid.rules.policy import load_policy


@transaction.atomic
def refusal_signal(
    *, referral: Referral, acting_user: Any, page: str = "", today: date | None = None
) -> Signal:
    """The person refused the intervention of ``referral``: one signal per referral (asking
    again returns the signal already raised), raised on ``today`` (default: now)."""
    lookup = {
        "person_id": referral.person_id,
        "kind": SignalKind.REFUSAL,
        "referral": referral,
        "period_start": None,
    }
    existing = Signal.objects.select_for_update().filter(**lookup).first()
    if existing is not None:
        return existing
    signal = Signal.objects.create(
        text=_("Refused the intervention %(intervention)s.")
        % {"intervention": referral.intervention.name},
        raised_at=moment_of(today),
        **lookup,
    )
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=referral.person_id,
        page=page,
        detail={"signal": signal.pk, "kind": SignalKind.REFUSAL, "referral": referral.pk},
    )
    return signal


def absence_signals(
    *, referral: Referral, today: date, acting_user: Any, page: str = ""
) -> list[Signal]:
    """The signals raised now for unexcused absence from ``referral``'s intervention: a list
    of none or one (see :func:`absence_signals_for`)."""
    return absence_signals_for(
        referrals=[referral], today=today, acting_user=acting_user, page=page
    )


def _absence_text(referral: Referral, days: list[date]) -> str:
    return _(
        "%(days)s days of unexcused absence from %(intervention)s between %(start)s and %(end)s."
    ) % {
        "days": len(days),
        "intervention": referral.intervention.name,
        "start": days[0].isoformat(),
        "end": days[-1].isoformat(),
    }


@transaction.atomic
def absence_signals_for(
    *, referrals: Sequence[Referral], today: date, acting_user: Any, page: str = ""
) -> list[Signal]:
    """Raise the absence signals due for ``referrals``; returns the signals raised by this call.

    Counted per referral are its unexcused days within the last ``absence_period_days`` (up to
    ``today``) that are later than the end of its previous absence signal; at least
    ``unexcused_absence_days`` of them raise one signal covering them (first to last such day).
    Calling this again therefore raises nothing until new absence reaches the threshold again.
    A fixed number of queries for any number of referrals (pass them with their intervention)."""
    if not referrals:
        return []
    rules = load_policy(settings.HELTID_POLICY, today).referrals
    threshold = rules.unexcused_absence_days.value
    if threshold < 1:
        return []
    window_start = today - timedelta(days=rules.absence_period_days.value - 1)
    raised_at = moment_of(today)
    ids = [r.pk for r in referrals]
    previous = dict(
        Signal.objects.filter(
            referral_id__in=ids, kind=SignalKind.UNEXCUSED_ABSENCE, period_end__isnull=False
        )
        .values("referral_id")
        .annotate(end=Max("period_end"))
        .values_list("referral_id", "end")
    )
    days_of: dict[int, list[date]] = defaultdict(list)
    for referral_id, day in (
        Attendance.objects.filter(
            referral_id__in=ids,
            status=AttendanceStatus.UNEXCUSED,
            day__gte=window_start,
            day__lte=today,
        )
        .order_by("day")
        .values_list("referral_id", "day")
    ):
        end = previous.get(referral_id)
        if end is None or day > end:
            days_of[referral_id].append(day)
    new = [
        Signal(
            person_id=r.person_id,
            kind=SignalKind.UNEXCUSED_ABSENCE,
            referral=r,
            text=_absence_text(r, days_of[r.pk])[:300],
            period_start=days_of[r.pk][0],
            period_end=days_of[r.pk][-1],
            raised_at=raised_at,
        )
        for r in referrals
        if len(days_of[r.pk]) >= threshold
    ]
    if not new:
        return []
    try:
        with transaction.atomic():
            created = Signal.objects.bulk_create(new)
    except IntegrityError:  # another request raised some of them at the same moment
        created = []
        for signal in new:
            try:
                with transaction.atomic():
                    signal.save(force_insert=True)
            except IntegrityError:
                continue
            created.append(signal)
    log_entries(
        user=acting_user,
        entries=[
            Entry(
                action=Action.CREATE,
                person_id=s.person_id,
                detail={"signal": s.pk, "kind": s.kind, "referral": s.referral_id},
            )
            for s in created
        ],
        page=page,
    )
    return created
