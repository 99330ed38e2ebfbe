"""Provider staff: their interventions, incoming referrals, waiting lists, participants.

Everything is scoped with :func:`provider_referrals_q` and :func:`may_work_intervention`
(through :mod:`heltid.referrals.selectors`): another organisation's intervention or referral,
or a referral only proposed, answers 404 exactly like one that does not exist. The pages show
the minimum: the name (or "Protected identity"), the intervention, the plan's hours, status and
dates — nothing about health, reason codes, household or signals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.permissions import Perm, requires
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_access, log_entries
from heltid.referrals import selectors
from heltid.referrals.forms.provider import CompleteForm, DeclineForm, EndPlaceForm, StartForm
from heltid.referrals.forms.referral import add_errors
from heltid.referrals.models import DeclineReason, Referral, ReferralStatus
from heltid.referrals.services import referral as services

# What provider staff may do with a referral in each status (the services check it again).
ACTIONS: dict[str, tuple[str, ...]] = {
    ReferralStatus.SENT: ("accept", "decline"),
    ReferralStatus.WAITING: ("decline",),
    ReferralStatus.OFFERED: ("accept", "decline"),
    ReferralStatus.ACCEPTED: ("start", "complete", "withdraw"),
    ReferralStatus.STARTED: ("complete", "withdraw"),
}


@requires(Perm.PROVIDER_WORK)
def provider_home(request: HttpRequest) -> HttpResponse:
    """The organisation's interventions: places, occupied, free, waiting, new referrals."""
    today = timezone.localdate()
    items = selectors.provider_interventions(user=request.user, on=today)
    return render(
        request,
        "referrals/provider_home.html",
        {
            "items": items,
            "today": today,
            "new_total": sum(int(i.new_referrals) for i in items),
        },
    )


@requires(Perm.PROVIDER_WORK)
def provider_intervention(request: HttpRequest, intervention_id: int) -> HttpResponse:
    """Incoming referrals to accept or decline, places offered to confirm, the waiting list in
    order, and the participants holding places (start, complete, end)."""
    today = timezone.localdate()
    item = selectors.provider_intervention(
        user=request.user, intervention_id=intervention_id, on=today
    )
    lists = selectors.provider_lists(user=request.user, intervention=item)
    log_entries(
        user=request.user,
        entries=[
            Entry(action=Action.VIEW, person_id=pk, detail={"intervention": item.pk})
            for pk in lists.person_ids
        ],
        page=request.path,
    )
    return render(
        request,
        "referrals/provider_intervention.html",
        {
            "item": item,
            "lists": lists,
            "reasons": list(DeclineReason.objects.filter(active=True).order_by("sort_order")),
            "today": today,
        },
    )


def _forms(data: Any = None, *, today: Any) -> dict[str, Form]:
    return {
        "decline": DeclineForm(data, prefix="avboj"),
        "start": StartForm(data, today=today, prefix="start"),
        "complete": CompleteForm(data, prefix="avsluta"),
        "withdraw": EndPlaceForm(data, prefix="aterta"),
    }


def _act(request: HttpRequest, referral: Referral, action: str, form: Form | None) -> bool:
    """Carry out ``action``; False (with the errors on the form or in messages) if refused."""
    today = timezone.localdate()
    page = request.path
    user = request.user
    if form is not None and not form.is_valid():
        return False
    data: dict[str, Any] = form.cleaned_data if form is not None else {}
    try:
        if action == "accept":
            result = services.referral_accept(
                referral=referral, acting_user=user, page=page, today=today
            )
            if result.status == ReferralStatus.WAITING:
                messages.info(request, _("The intervention is full: the referral is waiting."))
            else:
                messages.success(request, _("The referral was accepted."))
        elif action == "decline":
            services.referral_decline(
                referral=referral,
                reason=data["reason"],
                note=data["note"],
                acting_user=user,
                page=page,
                today=today,
            )
            messages.success(request, _("The referral was declined."))
        elif action == "start":
            services.referral_start(
                referral=referral,
                started_on=data["started_on"],
                acting_user=user,
                page=page,
                today=today,
            )
            messages.success(request, _("The start was recorded."))
        elif action == "complete":
            offered = services.referral_complete(
                referral=referral, acting_user=user, note=data["note"], page=page, today=today
            )
            messages.success(request, _("The intervention was recorded as completed."))
            _offered_message(request, offered)
        else:  # withdraw
            offered = services.referral_withdraw(
                referral=referral,
                acting_user=user,
                note=data["note"],
                participant_refused=data["participant_refused"],
                page=page,
                today=today,
            )
            messages.success(request, _("The participant's place was ended."))
            _offered_message(request, offered)
    except ValidationError as exc:
        if form is not None:
            add_errors(form, exc)
        else:
            for message in exc.messages:
                messages.error(request, message)
        return False
    return True


def _offered_message(request: HttpRequest, offered: list[Referral]) -> None:
    if offered:
        messages.info(request, _("The freed place was offered to the next on the waiting list."))


@requires(Perm.PROVIDER_WORK)
def provider_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    """One referral, the minimum: name (or "Protected identity"), the intervention, the plan's
    hours, status and dates; the actions its status allows. The intervention page's buttons
    post here too (``back=insats`` returns to it)."""
    referral = selectors.provider_referral(user=request.user, referral_id=referral_id)
    today = timezone.localdate()
    forms = _forms(today=today)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ACTIONS.get(referral.status, ()):
            messages.error(request, _("That cannot be done with the referral now."))
        else:
            form = None if action == "accept" else _forms(request.POST, today=today)[action]
            if form is not None:
                forms[action] = form
            if _act(request, referral, action, form):
                if request.POST.get("back") == "insats":
                    return redirect(
                        "provider_intervention", intervention_id=referral.intervention_id
                    )
                return redirect("provider_referral", referral_id=referral.pk)
        referral = selectors.provider_referral(user=request.user, referral_id=referral_id)
    else:
        log_access(
            user=request.user,
            action=Action.VIEW,
            person_id=referral.person_id,
            page=request.path,
            detail={"referral": referral.pk},
        )
    position = (
        selectors.waiting_positions([referral.intervention_id]).get(referral.pk)
        if referral.status == ReferralStatus.WAITING
        else None
    )
    return render(
        request,
        "referrals/provider_referral.html",
        {
            "row": selectors.provider_row(request.user, referral, position),
            "referral": referral,
            "actions": ACTIONS.get(referral.status, ()),
            "forms": forms,
            "today": today,
        },
    )
