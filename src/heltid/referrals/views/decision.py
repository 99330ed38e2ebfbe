"""Signals to benefit officers, their decisions (socialtjänstlagen (2025:400), aktivitetskravet
(prop. 2025/26:207)), notifications to AF.

Signals and decisions are for benefit officers (SIGNAL_HANDLE) only: provider staff have no
page, panel or export with them. Every page scopes to the persons the user may see."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.permissions import Perm, persons_visible_q, requires
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_access, log_entries
from heltid.casework.access import person_for
from heltid.casework.forms.follow_up import add_service_errors
from heltid.ids import valid_id
from heltid.referrals.forms.decision import DecisionForm, age_on
from heltid.referrals.models import AfNotification, Attendance, AttendanceStatus, Signal
from heltid.referrals.services.decision import decision_record
from heltid.referrals.services.notifications import FORMATS, export_pending, pending_for
from heltid.registry.models import Person
from heltid.registry.selectors import shown_name
from heltid.rules.policy import load_policy

PAGE_SIZE = 50
SENT_SHOWN = 50


def _evidence(signals: list[Signal]) -> dict[int, list[date]]:
    """Signal id → the unexcused days it covers; one query for all."""
    spans = [s for s in signals if s.referral_id and s.period_start and s.period_end]
    if not spans:
        return {}
    days_of: dict[int, list[date]] = defaultdict(list)
    for referral_id, day in Attendance.objects.filter(
        referral_id__in={s.referral_id for s in spans},
        status=AttendanceStatus.UNEXCUSED,
        day__gte=min(s.period_start for s in spans if s.period_start),
        day__lte=max(s.period_end for s in spans if s.period_end),
    ).values_list("referral_id", "day"):
        days_of[referral_id].append(day)
    return {
        s.pk: sorted(
            d
            for d in days_of[s.referral_id or 0]
            if s.period_start and s.period_end and s.period_start <= d <= s.period_end
        )
        for s in spans
    }


def _log_views(request: HttpRequest, person_ids: list[int], detail: dict[str, Any]) -> None:
    log_entries(
        user=request.user,
        entries=[
            Entry(action=Action.VIEW, person_id=pid, detail=detail)
            for pid in dict.fromkeys(person_ids)
        ],
        page=request.path,
    )


@requires(Perm.SIGNAL_HANDLE)
def signal_list(request: HttpRequest) -> HttpResponse:
    """Open signals for the persons of the officer's unit, oldest first."""
    signals = (
        Signal.objects.filter(
            closed_at__isnull=True,
            person__in=Person.objects.filter(persons_visible_q(request.user)),  # type: ignore[arg-type]
        )
        .select_related("person", "referral__intervention")
        .order_by("raised_at", "pk")
    )
    page = Paginator(signals, PAGE_SIZE).get_page(request.GET.get("sida"))
    shown = list(page.object_list)
    evidence = _evidence(shown)
    rows = [
        {
            "signal": s,
            "name": shown_name(user=request.user, person=s.person),
            "days": evidence.get(s.pk, []),
        }
        for s in shown
    ]
    _log_views(request, [s.person_id for s in shown], {"signals": True})
    return render(request, "referrals/signal_list.html", {"page": page, "rows": rows})


def _absence_policy(today: date) -> dict[str, Any]:
    """The municipality's policy on when absence reaches the officer: not law, shown apart."""
    policy = load_policy(settings.HELTID_POLICY, today)
    return {
        "days": policy.referrals.unexcused_absence_days.value,
        "period": policy.referrals.absence_period_days.value,
        "source": policy.source,
    }


@requires(Perm.SIGNAL_HANDLE)
def decision_new(request: HttpRequest, signal_id: int) -> HttpResponse:
    signal = (
        Signal.objects.select_related("referral__intervention").filter(pk=signal_id).first()
        if valid_id(signal_id)
        else None
    )
    if signal is None:
        raise Http404
    person = person_for(request, signal.person_id)  # 404 and logged when outside the unit
    if signal.closed_at is not None:
        messages.info(request, _("This signal has already been handled."))
        return redirect("signal_list")
    today = timezone.localdate()
    children = sorted(age_on(c.birth_date, today) for c in person.household.children.all())
    form = DecisionForm(
        request.POST if request.method == "POST" else None, today=today, children_ages=children
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision_record(
                signal=signal,
                outcome=data["outcome"],
                finding=data["finding"],
                decided_on=data["decided_on"],
                reason=data["reason"],
                acceptable_reason=data["acceptable_reason"],
                child_impact=data["child_impact"],
                amount=data["amount"],
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded and the signal closed."))
            return redirect("signal_list")
    if request.method != "POST":
        log_access(
            user=request.user,
            action=Action.VIEW,
            person_id=person.pk,
            page=request.path,
            detail={"signal": signal.pk},
        )
    return render(
        request,
        "referrals/decision_form.html",
        {
            "signal": signal,
            "person": person,
            "name": shown_name(user=request.user, person=person),
            "days": _evidence([signal]).get(signal.pk, []),
            "form": form,
            "children": children,
            "policy": _absence_policy(today),
        },
    )


@requires(Perm.AF_NOTIFY)
def af_notifications(request: HttpRequest) -> HttpResponse:
    """Notifications to Arbetsförmedlingen: pending ones (to export; a page at a time, the
    export takes them all) and the latest sent."""
    page = Paginator(pending_for(request.user), PAGE_SIZE).get_page(request.GET.get("sida"))
    pending = list(page.object_list)
    sent = list(
        AfNotification.objects.filter(
            sent_at__isnull=False,
            person__in=Person.objects.filter(persons_visible_q(request.user)),  # type: ignore[arg-type]
        )
        .select_related("person", "created_by")
        .order_by("-sent_at", "-pk")[:SENT_SHOWN]
    )

    def rows(notes: list[AfNotification]) -> list[dict[str, Any]]:
        return [{"note": n, "name": shown_name(user=request.user, person=n.person)} for n in notes]

    _log_views(request, [n.person_id for n in pending + sent], {"af_notifications": True})
    return render(
        request,
        "referrals/af_notifications.html",
        {"pending": rows(pending), "page": page, "sent": rows(sent), "formats": FORMATS},
    )


@requires(Perm.AF_NOTIFY)
def af_export(request: HttpRequest) -> HttpResponse:
    """POST ``?format=csv|json``: the pending notifications as a file, marked sent."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    fmt = request.GET.get("format") or request.POST.get("format", "")
    if fmt not in FORMATS:
        messages.error(request, _("Choose CSV or JSON for the export."))
        return redirect("af_notifications")
    export = export_pending(user=request.user, fmt=fmt, page=request.path)
    if export is None:
        messages.info(request, _("There is nothing to export: every notification has been sent."))
        return redirect("af_notifications")
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    response["X-Heltid-Batch"] = export.batch
    response["X-Heltid-Count"] = str(export.count)
    return response
