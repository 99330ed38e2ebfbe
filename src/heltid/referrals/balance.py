"""The weekly balance: hours attended in assigned activities against the plan's assigned hours.

Attended hours are the attendance marked with an ATTENDED status for the person's referrals
(except those for an activity the law does not count as assigned, such as own job search);
assigned hours are the active plan's assigned hours (:func:`heltid.casework.facts.plan_hours`)
of the activities that run in that week. Two queries for any number of weeks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Q

from heltid.casework.facts import plan_hours
from heltid.casework.models import PlanActivity, PlanStatus
from heltid.casework.models.plan import NOT_ASSIGNED_KINDS
from heltid.referrals.models import ATTENDED, Attendance
from heltid.referrals.services.attendance import Week

WEEKS = 4


@dataclass(frozen=True)
class WeekBalance:
    week: Week
    attended: Decimal
    assigned: Decimal

    @property
    def difference(self) -> Decimal:
        """Attended minus assigned: negative when the person attended less than planned."""
        return self.attended - self.assigned

    @property
    def short(self) -> bool:
        return self.attended < self.assigned


def _runs_in(activity: PlanActivity, week: Week) -> bool:
    return (activity.start_on is None or activity.start_on <= week.friday) and (
        activity.end_on is None or activity.end_on >= week.monday
    )


def weekly_balance(*, person: Any, today: date, weeks: int = WEEKS) -> list[WeekBalance]:
    """The balance of the last ``weeks`` weeks, this week first."""
    this = Week.of(today)
    shown = [Week(this.monday - timedelta(weeks=n)) for n in range(weeks)]
    first = shown[-1].monday
    attended: dict[date, Decimal] = {w.monday: Decimal(0) for w in shown}
    for day, hours in Attendance.objects.filter(
        Q(referral__plan_activity__isnull=True)
        | ~Q(referral__plan_activity__kind__in=NOT_ASSIGNED_KINDS),
        referral__person=person,
        status__in=ATTENDED,
        day__gte=first,
        day__lte=this.friday,
    ).values_list("day", "hours"):
        monday = Week.of(day).monday
        if monday in attended:
            attended[monday] += hours
    activities = list(
        PlanActivity.objects.filter(plan__person=person, plan__status=PlanStatus.ACTIVE).only(
            "pk", "plan_id", "kind", "status", "hours_per_week", "start_on", "end_on"
        )
    )
    return [
        WeekBalance(
            week=w,
            attended=attended[w.monday],
            assigned=plan_hours(
                [a for a in activities if _runs_in(a, w)], target=Decimal(0)
            ).assigned,
        )
        for w in shown
    ]
