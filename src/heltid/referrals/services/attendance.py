"""A week's attendance for a whole group: who is in the group, and saving every cell at once.

A participant is a referral to the intervention that held an accepted place in the week
(accepted, started, or ended since). Their cells are the weekdays from the day they held the
place to the day it ended, never after today. One save writes every cell in one transaction
with one bulk upsert, then raises the absence signals that are due and records a notification
to Arbetsförmedlingen for days newly marked unexcused — a fixed number of queries for any
number of participants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.catalog.models import Intervention
from heltid.clock import moment_of
from heltid.referrals.models import (
    Attendance,
    AttendanceStatus,
    NotificationKind,
    Referral,
    ReferralStatus,
    Signal,
)
from heltid.referrals.services.notifications import notify_many
from heltid.referrals.services.signals import absence_signals_for
from heltid.registry.selectors import shown_name

# Statuses of a referral that has (or had) an accepted place.
PLACED = (
    ReferralStatus.ACCEPTED,
    ReferralStatus.STARTED,
    ReferralStatus.COMPLETED,
    ReferralStatus.WITHDRAWN,
)
WEEKDAYS = 5
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Week:
    """An ISO week, Monday to Friday."""

    monday: date

    @classmethod
    def of(cls, day: date) -> Week:
        return cls(day - timedelta(days=day.weekday()))

    @classmethod
    def parse(cls, text: str) -> Week | None:
        """``2026-W48`` → the week; None for anything else."""
        text = text.strip().upper()
        if len(text) not in (7, 8) or text[4:6] != "-W":
            return None
        year, number = text[:4], text[6:]
        if not (year.isdigit() and number.isdigit() and FIRST_YEAR <= int(year) <= LAST_YEAR):
            return None
        try:
            return cls(date.fromisocalendar(int(year), int(number), 1))
        except ValueError:
            return None

    @property
    def days(self) -> list[date]:
        return [self.monday + timedelta(days=n) for n in range(WEEKDAYS)]

    @property
    def friday(self) -> date:
        return self.monday + timedelta(days=WEEKDAYS - 1)

    @property
    def code(self) -> str:
        year, number, _day = self.monday.isocalendar()
        return f"{year}-W{number:02d}"

    @property
    def number(self) -> int:
        return self.monday.isocalendar()[1]

    @property
    def previous(self) -> Week:
        return Week(self.monday - timedelta(days=7))

    @property
    def next(self) -> Week:
        return Week(self.monday + timedelta(days=7))


@dataclass
class Participant:
    """One row of the grid: the minimum a provider needs."""

    referral: Referral
    name: str
    hours: Decimal  # per day
    days: list[date] = field(default_factory=list)  # the cells that can be marked
    saved: dict[date, str] = field(default_factory=dict)


def _local_day(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def daily_hours(referral: Referral) -> Decimal:
    """The plan activity's weekly hours over five days, else the intervention's."""
    activity = referral.plan_activity
    weekly = (
        activity.hours_per_week
        if activity is not None and activity.hours_per_week
        else referral.intervention.hours_per_week
    )
    return (Decimal(weekly) / WEEKDAYS).quantize(Decimal("0.1"))


def week_participants(
    *, intervention: Intervention, week: Week, user: Any, today: date
) -> list[Participant]:
    """The group of a week, sorted by the name shown; two queries."""
    referrals = list(
        Referral.objects.filter(
            intervention=intervention,
            status__in=PLACED,
            accepted_at__isnull=False,
            accepted_at__date__lte=week.friday,
        )
        .filter(Q(ended_at__isnull=True) | Q(ended_at__date__gte=week.monday))
        .select_related("person", "plan_activity", "intervention")
    )
    saved: dict[int, dict[date, str]] = {r.pk: {} for r in referrals}
    for referral_id, day, status in Attendance.objects.filter(
        referral__in=[r.pk for r in referrals], day__gte=week.monday, day__lte=week.friday
    ).values_list("referral_id", "day", "status"):
        saved[referral_id][day] = status
    group = []
    for referral in referrals:
        held = [d for d in (_local_day(referral.accepted_at), referral.started_on) if d]
        start = min(held)
        end = _local_day(referral.ended_at)
        group.append(
            Participant(
                referral=referral,
                name=shown_name(user=user, person=referral.person),
                hours=daily_hours(referral),
                days=[d for d in week.days if start <= d <= today and (end is None or d <= end)],
                saved=saved[referral.pk],
            )
        )
    group.sort(key=lambda p: (p.name.casefold(), p.referral.pk))
    return group


@dataclass(frozen=True)
class SaveResult:
    saved: int
    signals: list[Signal]
    notified: int


@transaction.atomic
def attendance_save(
    *,
    intervention: Intervention,
    week: Week,
    marks: Mapping[tuple[int, date], str],
    acting_user: Any,
    page: str = "",
    today: date | None = None,
) -> SaveResult:
    """Save a week's marks — ``(referral id, day) → status`` — for the whole group at once.

    Every mark must be a cell of the group (see :func:`week_participants`); otherwise nothing
    is saved. Then raises the absence signals due and notifies Arbetsförmedlingen once per
    participant with days newly marked unexcused."""
    day = today or timezone.localdate()
    Intervention.objects.select_for_update().filter(pk=intervention.pk).first()
    group = week_participants(intervention=intervention, week=week, user=acting_user, today=day)
    cells = {(p.referral.pk, d): p for p in group for d in p.days}
    unknown = [key for key in marks if key not in cells]
    bad = [status for status in marks.values() if status not in AttendanceStatus.values]
    if unknown or bad:
        raise ValidationError(
            _("The attendance could not be saved: the group or the week has changed.")
        )
    now = moment_of(day)
    by = acting_user if getattr(acting_user, "pk", None) else None
    rows = [
        Attendance(
            referral_id=referral_id,
            day=d,
            status=status,
            hours=cells[(referral_id, d)].hours,
            recorded_by=by,
            recorded_at=now,
        )
        for (referral_id, d), status in sorted(marks.items())
    ]
    if rows:
        Attendance.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["referral", "day"],
            update_fields=["status", "hours", "recorded_by", "recorded_at"],
        )
    newly_unexcused: dict[int, list[date]] = {}
    for (referral_id, d), status in sorted(marks.items()):
        participant = cells[(referral_id, d)]
        if (
            status == AttendanceStatus.UNEXCUSED
            and participant.saved.get(d) != AttendanceStatus.UNEXCUSED
        ):
            newly_unexcused.setdefault(referral_id, []).append(d)
    by_referral = {p.referral.pk: p for p in group}
    notified = notify_many(
        notes=[
            (
                by_referral[referral_id].referral.person_id,
                NotificationKind.ABSENCE,
                _("Unexcused absence from %(intervention)s on %(days)s.")
                % {
                    "intervention": intervention.name,
                    "days": ", ".join(d.isoformat() for d in days),
                },
            )
            for referral_id, days in newly_unexcused.items()
        ],
        acting_user=acting_user,
        at=now,
    )
    marked: dict[int, int] = {}
    for referral_id, _d in marks:
        marked[referral_id] = marked.get(referral_id, 0) + 1
    log_entries(
        user=acting_user,
        entries=[
            Entry(
                action=Action.CHANGE,
                person_id=by_referral[referral_id].referral.person_id,
                detail={
                    "referral": referral_id,
                    "week": week.code,
                    "attendance": count,
                    "unexcused": [d.isoformat() for d in newly_unexcused.get(referral_id, [])],
                },
            )
            for referral_id, count in marked.items()
        ],
        page=page,
    )
    signals = absence_signals_for(
        referrals=[p.referral for p in group], today=day, acting_user=acting_user, page=page
    )
    return SaveResult(saved=len(rows), signals=signals, notified=len(notified))
