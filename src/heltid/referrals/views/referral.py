"""Referrals made by case managers: new (with matching), a person's list, one referral.

Thin: fetch the person through :func:`heltid.casework.access.person_for` (outside any
transaction: a refusal is logged and answers 404), parse, call the services in
:mod:`heltid.referrals.services.referral`, render. A service's ``ValidationError`` is put
beside the form's fields and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.permissions import Perm, may_make_referral, requires
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.access import deny, person_for
from heltid.casework.models import ActivityKind, ActivityStatus, PlanActivity, PlanStatus
from heltid.catalog.models import Intervention
from heltid.ids import valid_id
from heltid.referrals.forms.referral import ReferralForm, WithdrawForm, add_errors
from heltid.referrals.models import OPEN, Referral, ReferralEvent, ReferralStatus
from heltid.referrals.selectors import (
    REFERABLE,
    Matching,
    first_referral_days,
    lead_times,
    matching_for,
    median_lead_times,
    person_referral_rows,
    shown_name,
    waiting_positions,
)
from heltid.referrals.services import referral as services
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Person
from heltid.rules import ParameterError, explain

# Activities a referral can fill: any of the active plan's still open, but own job search.
OPEN_ACTIVITIES = (ActivityStatus.PROPOSED, ActivityStatus.PLANNED, ActivityStatus.ONGOING)
MATCHING_PAGE_SIZE = 25


def _int(value: str | None) -> int | None:
    """A positive id from a query parameter; anything else is no id."""
    if value is None or not value.isdigit():
        return None
    number = int(value)
    return number if valid_id(number) else None


def _covered_from(person: Person, today: date) -> date | None:
    try:
        explanation = explain(
            coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY
        )
    except (ValueError, ParameterError):
        return None
    return explanation.covered_from if explanation.covered else None


def _log_view(request: HttpRequest, person: Person, **detail: Any) -> None:
    log_access(
        user=request.user,
        action=Action.VIEW,
        person_id=person.pk,
        page=request.path,
        detail=detail,
    )


def _person_for_referrals(request: HttpRequest, person_id: int) -> Person:
    person = person_for(request, person_id)
    if not may_make_referral(request.user, person):  # type: ignore[arg-type]
        deny(request, person_id, reason="may not make referrals")
    return person


def _person_context(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {"person": person, "name": shown_name(request.user, person)}


def _matching_context(request: HttpRequest, result: Matching) -> dict[str, Any]:
    """The ranked table a page at a time (``?sida=``), the best matches on the first."""
    query = request.GET.copy()
    query.pop("sida", None)
    return {
        "matching": result,
        "matching_page": Paginator(result.rows, MATCHING_PAGE_SIZE).get_page(
            request.GET.get("sida")
        ),
        "matching_query": query.urlencode(),
    }


# --- Matching -----------------------------------------------------------------------------------


@requires(Perm.REFERRAL_MAKE)
def matching(request: HttpRequest, person_id: int) -> HttpResponse:
    """Interventions whose criteria the person meets, ranked: free places first, then the
    step the assessment asks for, activity capacity, Swedish level, age and target group."""
    person = _person_for_referrals(request, person_id)
    today = timezone.localdate()
    result = matching_for(person=person, on=today)
    _log_view(request, person, matching=len(result.rows))
    return render(
        request,
        "referrals/matching.html",
        {**_person_context(request, person), **_matching_context(request, result), "today": today},
    )


# --- A new referral -----------------------------------------------------------------------------


def _activities(person: Person) -> Any:
    return (
        PlanActivity.objects.filter(
            plan__person=person, plan__status=PlanStatus.ACTIVE, status__in=OPEN_ACTIVITIES
        )
        .exclude(kind=ActivityKind.JOB_SEARCH)
        .select_related("plan", "intervention")
        .order_by("added_at", "pk")
    )


def _choices(result: Matching, activities: list[PlanActivity], today: date) -> list[Any]:
    """The ranked matching interventions, then those the plan's activities name but the
    person's facts do not match (the case manager chose them with the person)."""
    items = [row.intervention for row in result.rows]
    known = {i.pk for i in items}
    extra = {a.intervention_id for a in activities if a.intervention_id} - known
    if extra:
        items.extend(
            Intervention.objects.with_capacity(on=today)
            .select_related("provider", "step")
            .filter(pk__in=extra, status__in=REFERABLE)
            .order_by("name", "pk")
        )
    return items


@requires(Perm.REFERRAL_MAKE)
def referral_new(request: HttpRequest, person_id: int) -> HttpResponse:
    """Refer the person: pick an intervention from the ranked list, optionally the plan
    activity it fills (``?aktivitet=<id>`` prefills both); send now or keep it proposed."""
    person = _person_for_referrals(request, person_id)
    today = timezone.localdate()
    result = matching_for(person=person, on=today)
    activities = _activities(person)
    activity_list = list(activities)
    choices = _choices(result, activity_list, today)
    initial: dict[str, Any] = {"send": True}
    activity_id = _int(request.GET.get("aktivitet"))
    chosen = next((a for a in activity_list if a.pk == activity_id), None)
    if chosen is not None:
        initial["plan_activity"] = chosen.pk
        if chosen.intervention_id:
            initial["intervention"] = chosen.intervention_id
    wanted = _int(request.GET.get("insats"))
    if wanted is not None and any(i.pk == wanted for i in choices):
        initial["intervention"] = wanted
    data = request.POST if request.method == "POST" else None
    form = ReferralForm(data, interventions=choices, activities=activities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_create(
                person=person,
                intervention=form.cleaned_data["intervention"],
                plan_activity=form.cleaned_data["plan_activity"],
                send=form.cleaned_data["send"],
                note=form.cleaned_data["note"],
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            if referral.status == ReferralStatus.SENT:
                messages.success(request, _("The referral was sent to the provider."))
            else:
                messages.success(request, _("The referral was kept as a proposal."))
            return redirect("referral_detail", referral_id=referral.pk)
    elif request.method != "POST":
        _log_view(request, person, referral_new=True)
    return render(
        request,
        "referrals/referral_new.html",
        {
            **_person_context(request, person),
            **_matching_context(request, result),
            "form": form,
            "activity": chosen,
            "today": today,
        },
    )


# --- A person's referrals ----------------------------------------------------------------------


@requires(Perm.REFERRAL_VIEW)
def person_referrals(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every referral of the person: status, place or waiting position, lead times."""
    person = person_for(request, person_id)
    today = timezone.localdate()
    covered_from = _covered_from(person, today)
    rows = person_referral_rows(person=person, covered_from=covered_from)
    referrals = [row.referral for row in rows]
    _log_view(request, person, referrals=[r.pk for r in referrals])
    return render(
        request,
        "referrals/referral_list.html",
        {
            **_person_context(request, person),
            "rows": rows,
            "covered_from": covered_from,
            "first_days": first_referral_days(covered_from=covered_from, referrals=referrals),
            "medians": median_lead_times(referrals, covered_from={person.pk: covered_from}),
            "may_refer": may_make_referral(request.user, person),  # type: ignore[arg-type]
        },
    )


# --- One referral ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRow:
    at: datetime
    old: str
    new: str
    by: str
    note: str


def _event_row(event: ReferralEvent) -> EventRow:
    labels = dict(ReferralStatus.choices)
    by = event.by
    return EventRow(
        at=event.at,
        old=str(labels.get(event.from_status, "–")) if event.from_status else "–",
        new=str(labels.get(event.to_status, event.to_status)),
        by=(by.get_full_name() or by.get_username()) if by is not None else _("The system"),
        note=event.note,
    )


def _referral(referral_id: int) -> Referral:
    if not valid_id(referral_id):
        raise Http404
    referral = (
        Referral.objects.select_related(
            "intervention__provider",
            "intervention__step",
            "decline_reason",
            "plan_activity",
            "created_by",
        )
        .filter(pk=referral_id)
        .first()
    )
    if referral is None:
        raise Http404
    return referral


@requires(Perm.REFERRAL_VIEW)
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    """The referral's timeline: every transition with when, who and why. The case manager
    sends a proposal or withdraws the referral here; benefit officers read."""
    referral = _referral(referral_id)
    person = person_for(request, referral.person_id)
    may_refer = may_make_referral(request.user, person)  # type: ignore[arg-type]
    today = timezone.localdate()
    withdraw = WithdrawForm(prefix="aterta")
    if request.method == "POST":
        if not may_refer:
            deny(request, person.pk, reason="may not make referrals")
        action = request.POST.get("action", "")
        if action == "send":
            try:
                services.referral_send(
                    referral=referral, acting_user=request.user, page=request.path
                )
            except ValidationError as exc:
                for message in exc.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The referral was sent to the provider."))
                return redirect("referral_detail", referral_id=referral.pk)
        elif action == "withdraw":
            withdraw = WithdrawForm(request.POST, prefix="aterta")
            if withdraw.is_valid():
                try:
                    offered = services.referral_withdraw(
                        referral=referral,
                        acting_user=request.user,
                        note=withdraw.cleaned_data["note"],
                        participant_refused=withdraw.cleaned_data["participant_refused"],
                        page=request.path,
                        today=today,
                    )
                except ValidationError as exc:
                    add_errors(withdraw, exc)
                else:
                    messages.success(request, _("The referral was withdrawn."))
                    if offered:
                        messages.info(
                            request,
                            _("The freed place was offered to the next on the waiting list."),
                        )
                    return redirect("referral_detail", referral_id=referral.pk)
        else:
            messages.error(request, _("Nothing was changed."))
        referral = _referral(referral_id)
    else:
        _log_view(request, person, referral=referral.pk)
    events = [_event_row(e) for e in referral.events.select_related("by").order_by("at", "pk")]
    position = (
        waiting_positions([referral.intervention_id]).get(referral.pk)
        if referral.status == ReferralStatus.WAITING
        else None
    )
    priority = (
        services.waiting_priority_of(referral, on=timezone.localdate(referral.waiting_since))
        if referral.status == ReferralStatus.WAITING and referral.waiting_since
        else None
    )
    covered_from = _covered_from(person, today)
    return render(
        request,
        "referrals/referral_detail.html",
        {
            **_person_context(request, person),
            "referral": referral,
            "events": events,
            "position": position,
            "priority": priority,
            "lead": lead_times(referral, covered_from=covered_from),
            "may_refer": may_refer,
            "is_open": referral.status in OPEN,
            "withdraw": withdraw,
        },
    )
