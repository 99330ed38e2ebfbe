"""Follow-ups: record one (with a plan revision in the same step), list them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.permissions import Perm, may_edit_casework, requires
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.access import person_for
from heltid.casework.forms.follow_up import FollowUpForm, add_service_errors
from heltid.casework.models import FollowUp, FollowUpParty, Plan, PlanStatus
from heltid.casework.services.follow_up import follow_up_record
from heltid.registry.selectors import shown_name


@requires(Perm.CASEWORK_VIEW)
def follow_up_list(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id)
    follow_ups = list(
        FollowUp.objects.filter(person=person)
        .select_related("created_by", "plan_version")
        .order_by("-held_on", "-pk")
    )
    parties = dict(FollowUpParty.choices)
    rows = [
        {"follow_up": f, "parties": [parties.get(p, p) for p in f.party_list]} for f in follow_ups
    ]
    log_access(
        user=request.user,
        action=Action.VIEW,
        person_id=person.pk,
        page=request.path,
        detail={"follow_ups": len(follow_ups)},
    )
    return render(
        request,
        "casework/follow_up_list.html",
        {
            "person": person,
            "name": shown_name(user=request.user, person=person),
            "rows": rows,
            "may_edit": may_edit_casework(request.user, person),  # type: ignore[arg-type]
        },
    )


@requires(Perm.CASEWORK_EDIT)
def follow_up_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, edit=True)
    today = timezone.localdate()
    plan = Plan.objects.filter(person=person, status=PlanStatus.ACTIVE).first()
    activities = (
        list(plan.activities.select_related("intervention").order_by("added_at", "pk"))
        if plan is not None
        else []
    )
    form = FollowUpForm(
        request.POST if request.method == "POST" else None,
        activities=activities,
        has_plan=plan is not None,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = follow_up_record(
                person=person,
                held_on=data["held_on"],
                mode=data["mode"],
                with_others=data["with_others"],
                notes=data["notes"],
                next_on=data["next_on"],
                plan_changes=form.plan_changes(),
                revision_reason=data.get("revision_reason", ""),
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if follow_up.plan_version is not None:
                messages.success(
                    request,
                    _("The follow-up was saved and the plan revised (version %(number)s).")
                    % {"number": follow_up.plan_version.number},
                )
            else:
                messages.success(request, _("The follow-up was saved."))
            return redirect("follow_up_list", person_id=person.pk)
    if request.method != "POST":
        log_access(user=request.user, action=Action.VIEW, person_id=person.pk, page=request.path)
    return render(
        request,
        "casework/follow_up_form.html",
        {
            "person": person,
            "name": shown_name(user=request.user, person=person),
            "form": form,
            "plan": plan,
        },
    )
