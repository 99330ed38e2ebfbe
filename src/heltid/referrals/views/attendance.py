"""Attendance for a week, marked by provider staff for a whole group: one page, one save."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from heltid.accounts.permissions import Perm, may_work_intervention, requires
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.catalog.models import Intervention
from heltid.ids import valid_id
from heltid.referrals.forms.attendance import AttendanceWeekForm
from heltid.referrals.services.attendance import Week, attendance_save, week_participants


def _intervention_for(user: Any, intervention_id: int) -> Intervention:
    """The intervention if this user's organisation provides it; otherwise 404."""
    item = (
        Intervention.objects.select_related("provider").filter(pk=intervention_id).first()
        if valid_id(intervention_id)
        else None
    )
    if item is None or not may_work_intervention(user, item):
        raise Http404
    return item


@requires(Perm.PROVIDER_WORK)
def attendance_week(request: HttpRequest, intervention_id: int) -> HttpResponse:
    intervention = _intervention_for(request.user, intervention_id)
    today = timezone.localdate()
    asked = request.GET.get("vecka")
    week = Week.of(today) if asked is None else Week.parse(asked)
    if week is None:
        raise Http404
    participants = week_participants(
        intervention=intervention, week=week, user=request.user, today=today
    )
    form = AttendanceWeekForm(
        request.POST if request.method == "POST" else None,
        participants=participants,
        week=week,
    )
    here = f"{reverse('attendance_week', args=[intervention.pk])}?vecka={week.code}"
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance_save(
                intervention=intervention,
                week=week,
                marks=form.marks(),
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(
                request,
                ngettext(
                    "Attendance for week %(week)s was saved: %(count)s day.",
                    "Attendance for week %(week)s was saved: %(count)s days.",
                    result.saved,
                )
                % {"week": week.number, "count": result.saved},
            )
            return redirect(here)
    if request.method != "POST":
        log_entries(
            user=request.user,
            entries=[
                Entry(
                    action=Action.VIEW,
                    person_id=p.referral.person_id,
                    detail={"referral": p.referral.pk, "attendance_week": week.code},
                )
                for p in participants
            ],
            page=request.path,
        )
    return render(
        request,
        "referrals/attendance_week.html",
        {
            "intervention": intervention,
            "week": week,
            "form": form,
            "rows": form.rows(),
            "markable": sum(len(p.days) for p in participants),
            "today": today,
            "action": here,
            "is_current": week == Week.of(today),
        },
    )
