"""Step changes, exits and the follow-ups after an exit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.permissions import Perm, requires
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.access import person_for
from heltid.casework.forms.follow_up import add_service_errors
from heltid.casework.forms.progression import ExitFollowUpForm, ExitForm, StepChangeForm
from heltid.casework.models import EXIT_FOLLOW_UP_MONTHS, Exit, ExitFollowUp, StepChange
from heltid.casework.services.progression import (
    exit_follow_up_record,
    exit_record,
    step_change_record,
)
from heltid.ids import valid_id
from heltid.registry.selectors import shown_name

# The largest id the database holds (a 64-bit integer); larger ones in a URL find nothing.


@requires(Perm.CASEWORK_EDIT)
def step_change_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, edit=True)
    today = timezone.localdate()
    form = StepChangeForm(
        request.POST if request.method == "POST" else None, initial={"changed_on": today}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            step_change_record(
                person=person,
                step=data["step"],
                changed_on=data["changed_on"],
                reason=data["reason"],
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The step change was saved."))
            return redirect("step_change_new", person_id=person.pk)
    history = list(
        StepChange.objects.filter(person=person)
        .select_related("step", "created_by")
        .order_by("-changed_on", "-pk")
    )
    current = next((c for c in history if c.changed_on <= today), None)
    if request.method != "POST":
        log_access(user=request.user, action=Action.VIEW, person_id=person.pk, page=request.path)
    return render(
        request,
        "casework/step_change_form.html",
        {
            "person": person,
            "name": shown_name(user=request.user, person=person),
            "form": form,
            "history": history,
            "current": current,
        },
    )


@requires(Perm.CASEWORK_EDIT)
def exit_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, edit=True)
    today = timezone.localdate()
    form = ExitForm(request.POST if request.method == "POST" else None, initial={"exit_on": today})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exit_record(
                person=person,
                exit_on=data["exit_on"],
                reason=data["reason"],
                note=data["note"],
                follow_up_months=data["follow_up_months"],
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The exit was saved."))
            return redirect("exit_new", person_id=person.pk)
    exits = list(
        Exit.objects.filter(person=person)
        .select_related("created_by")
        .prefetch_related("follow_ups")
        .order_by("-exit_on", "-pk")
    )
    if request.method != "POST":
        log_access(user=request.user, action=Action.VIEW, person_id=person.pk, page=request.path)
    return render(
        request,
        "casework/exit_form.html",
        {
            "person": person,
            "name": shown_name(user=request.user, person=person),
            "form": form,
            "exits": exits,
            "today": today,
        },
    )


@requires(Perm.CASEWORK_EDIT)
def exit_follow_up(request: HttpRequest, person_id: int, exit_id: int, months: int) -> HttpResponse:
    person = person_for(request, person_id, edit=True)
    if months not in EXIT_FOLLOW_UP_MONTHS or not valid_id(exit_id):
        raise Http404
    follow_up = (
        ExitFollowUp.objects.select_related("exit")
        .filter(exit_id=exit_id, exit__person=person, months=months)
        .first()
    )
    if follow_up is None:
        raise Http404
    today = timezone.localdate()
    initial = {
        "done_on": follow_up.done_on or today,
        "outcome": follow_up.outcome,
        "note": follow_up.note,
    }
    form = ExitFollowUpForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            exit_follow_up_record(
                exit=follow_up.exit,
                months=months,
                done_on=data["done_on"],
                outcome=data["outcome"],
                note=data["note"],
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up after the exit was saved."))
            return redirect("exit_new", person_id=person.pk)
    if request.method != "POST":
        log_access(user=request.user, action=Action.VIEW, person_id=person.pk, page=request.path)
    return render(
        request,
        "casework/exit_follow_up_form.html",
        {
            "person": person,
            "name": shown_name(user=request.user, person=person),
            "form": form,
            "follow_up": follow_up,
        },
    )
