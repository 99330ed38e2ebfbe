"""The plan (genomförandeplan): page, activities, versions, signature, PDF.

Thin: fetch the person through :func:`heltid.casework.access.person_for`, parse, call the
services in :mod:`heltid.casework.services.plan`, render. A service's ``ValidationError`` is
put beside the form's fields and changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.http import content_disposition_header
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from heltid.accounts.permissions import (
    Perm,
    may_edit_casework,
    may_see_protected_identity,
    requires,
)
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.access import person_for
from heltid.casework.facts import PlanHours, plan_hours
from heltid.casework.forms.plan import (
    ActivityChangeForm,
    ActivityForm,
    ActivityFormSet,
    PlanCreateForm,
    PlanEditForm,
    PlanSignForm,
    VersionCompareForm,
    add_errors,
)
from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    ExitTarget,
    Plan,
    PlanActivity,
    PlanStatus,
    PlanVersion,
)
from heltid.casework.services import plan as services
from heltid.casework.services.plan import NewActivity, PlanChanges
from heltid.casework.versions import Change, diff
from heltid.catalog.models import Intervention, InterventionStatus
from heltid.catalog.selectors import CatalogueFilter, interventions
from heltid.pdf import render_pdf
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Person
from heltid.rules import Explanation, explain
from heltid.rules.dates import age_on
from heltid.rules.hours import is_hours_reason

# The explanation's reasons that set the weekly target, and the one for young children.
CHILD_RULE = "policy.hours.child_reduction"


# --- Reads ----------------------------------------------------------------------------------


def active_plan(person_id: int) -> Plan | None:
    """The person's active plan (at most one, by constraint)."""
    return (
        Plan.objects.filter(person_id=person_id, status=PlanStatus.ACTIVE)
        .select_related("created_by")
        .first()
    )


def _activities(plan: Plan) -> list[PlanActivity]:
    return list(
        plan.activities.select_related("intervention", "added_by").order_by("added_at", "pk")
    )


def _explanation(person: Person, today: date) -> Explanation:
    return explain(coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY)


def _latest_assessment(person: Person) -> Assessment | None:
    return (
        Assessment.objects.filter(person=person)
        .order_by("-assessed_on", "-created_at", "-pk")
        .only("pk", "person_id", "assessed_on", "childcare", "family_situation")
        .first()
    )


@dataclass(frozen=True)
class ChildRow:
    birth_date: date
    age: int


def _family(person: Person, explanation: Explanation, today: date) -> dict[str, Any]:
    """The child and family perspective: children's ages, childcare from the latest
    assessment, and how children changed the weekly target."""
    children = [
        ChildRow(birth_date=c.birth_date, age=age_on(c.birth_date, today))
        for c in person.household.children.all()
        if c.birth_date <= today
    ]
    return {
        "children": children,
        "assessment": _latest_assessment(person),
        "child_reason": next((r for r in explanation.reasons if r.rule == CHILD_RULE), None),
    }


def _plan_context(
    request: HttpRequest, person: Person, plan: Plan, *, today: date
) -> dict[str, Any]:
    """Everything the plan page and the PDF show about a plan."""
    explanation = _explanation(person, today)
    activities = _activities(plan)
    hours = plan_hours(activities, target=explanation.weekly_hours)
    proposed = sum(
        (a.hours_per_week for a in activities if a.status == ActivityStatus.PROPOSED), Decimal(0)
    )
    return {
        "person": person,
        "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
        "plan": plan,
        "activities": activities,
        "hours": hours,
        "hours_state": _hours_state(hours),
        "proposed_hours": proposed,
        "explanation": explanation,
        "hours_reasons": [r for r in explanation.reasons if is_hours_reason(r)],
        "signed_current": bool(plan.signed_on) and plan.signed_version == plan.version,
        "today": today,
        **_family(person, explanation, today),
    }


def _hours_state(hours: PlanHours) -> str:
    if hours.matches:
        return "matches"
    return "missing" if hours.missing else "over"


def _no_plan(request: HttpRequest, person_id: int) -> HttpResponse:
    messages.info(request, _("The person has no active plan yet."))
    return redirect("plan", person_id=person_id)


def _active_interventions(today: date) -> list[Intervention]:
    """The catalogue's running interventions with today's free places, for the select."""
    return list(interventions(on=today, filters=CatalogueFilter(status=InterventionStatus.ACTIVE)))


def _data(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _log_view(request: HttpRequest, person: Person, **detail: Any) -> None:
    log_access(
        user=request.user,
        action=Action.VIEW,
        person_id=person.pk,
        page=request.path,
        detail=detail,
    )


def _render(request: HttpRequest, template: str, person: Person, **context: Any) -> HttpResponse:
    """A page about the person: the name shown only to those who may see it."""
    return render(
        request,
        template,
        {
            "person": person,
            "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
            **context,
        },
    )


def _new_activity(data: dict[str, Any]) -> NewActivity:
    return NewActivity(
        kind=data["kind"],
        title=data["title"],
        hours_per_week=data["hours_per_week"],
        intervention=data.get("intervention"),
        status=data["status"],
        agreed=data["agreed"],
        start_on=data["start_on"],
        end_on=data["end_on"],
        note=data["note"].strip(),
    )


# --- The plan page and making a plan ----------------------------------------------------------


@requires(Perm.CASEWORK_VIEW)
def plan_page(request: HttpRequest, person_id: int) -> HttpResponse:
    """The active plan; without one, a form to make one (for those who may edit)."""
    person = person_for(request, person_id, edit=request.method == "POST")
    today = timezone.localdate()
    plan = active_plan(person.pk)
    may_edit = may_edit_casework(request.user, person)  # type: ignore[arg-type]
    if plan is None:
        return _plan_new(request, person, today=today, may_edit=may_edit)
    if request.method == "POST":
        return redirect("plan", person_id=person.pk)
    _log_view(request, person, plan=plan.pk, version=plan.version)
    context = _plan_context(request, person, plan, today=today)
    return render(request, "casework/plan.html", {**context, "may_edit": may_edit})


def _plan_new(request: HttpRequest, person: Person, *, today: date, may_edit: bool) -> HttpResponse:
    form = formset = None
    if may_edit:
        choices = _active_interventions(today)
        form = PlanCreateForm(_data(request))
        formset = ActivityFormSet(
            _data(request), prefix="aktivitet", form_kwargs={"interventions": choices}
        )
        if request.method == "POST" and form.is_valid() and formset.is_valid():
            try:
                plan = services.plan_create(
                    person=person,
                    goal=form.cleaned_data["goal"],
                    exit_target=form.cleaned_data["exit_target"],
                    activities=[_new_activity(d) for d in formset.new_activities()],
                    acting_user=request.user,
                    page=request.path,
                    today=today,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The plan was made (version %(n)s).") % {"n": 1})
                return redirect("plan", person_id=plan.person_id)
    if request.method != "POST":
        _log_view(request, person, plan=None)
    explanation = _explanation(person, today)
    return render(
        request,
        "casework/plan.html",
        {
            "person": person,
            "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
            "plan": None,
            "may_edit": may_edit,
            "form": form,
            "formset": formset,
            "explanation": explanation,
            "hours_reasons": [r for r in explanation.reasons if is_hours_reason(r)],
            "today": today,
            **_family(person, explanation, today),
        },
    )


# --- Changing the plan --------------------------------------------------------------------------


@requires(Perm.CASEWORK_EDIT)
def plan_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    """Change the goal and the exit target, with a reason (one new version)."""
    person = person_for(request, person_id, edit=True)
    plan = active_plan(person.pk)
    if plan is None:
        return _no_plan(request, person.pk)
    form = PlanEditForm(
        _data(request), initial={"goal": plan.goal, "exit_target": plan.exit_target}
    )
    if request.method == "POST" and form.is_valid():
        try:
            version = services.plan_revise(
                plan=plan,
                changes=PlanChanges(
                    goal=form.cleaned_data["goal"], exit_target=form.cleaned_data["exit_target"]
                ),
                acting_user=request.user,
                reason=form.cleaned_data["reason"].strip(),
                page=request.path,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _saved(request, version)
            return redirect("plan", person_id=person.pk)
    elif request.method != "POST":
        _log_view(request, person, plan=plan.pk, version=plan.version)
    return _render(request, "casework/plan_edit.html", person, form=form, plan=plan)


def _saved(request: HttpRequest, version: PlanVersion | None) -> None:
    if version is None:
        messages.info(request, _("Nothing was changed."))
    else:
        messages.success(request, _("The plan was saved as version %(n)s.") % {"n": version.number})


@requires(Perm.CASEWORK_EDIT)
def activity_add(request: HttpRequest, person_id: int) -> HttpResponse:
    """Add an activity to the week: an intervention from the catalogue (showing its free
    places), own job search, a health track, studies held by others or something else."""
    person = person_for(request, person_id, edit=True)
    plan = active_plan(person.pk)
    if plan is None:
        return _no_plan(request, person.pk)
    form = ActivityForm(_data(request), interventions=_active_interventions(timezone.localdate()))
    if request.method == "POST" and form.is_valid():
        new = _new_activity(form.cleaned_data)
        title = new.title or (new.intervention.name if new.intervention else "")
        try:
            version = services.plan_revise(
                plan=plan,
                changes=PlanChanges(add=[new]),
                acting_user=request.user,
                reason=_("Activity added: %(title)s") % {"title": title},
                page=request.path,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _saved(request, version)
            return redirect("plan", person_id=person.pk)
    elif request.method != "POST":
        _log_view(request, person, plan=plan.pk, version=plan.version)
    return _render(request, "casework/activity_add.html", person, form=form, plan=plan)


@requires(Perm.CASEWORK_EDIT)
def activity_change(request: HttpRequest, person_id: int, activity_id: int) -> HttpResponse:
    """Move an activity's status along the allowed transitions; change hours, dates, note,
    whether it is agreed — with a reason (one new version)."""
    person = person_for(request, person_id, edit=True)
    plan = active_plan(person.pk)
    if plan is None:
        raise Http404
    activity = get_object_or_404(
        PlanActivity.objects.select_related("intervention", "added_by"),
        pk=activity_id,
        plan=plan,
    )
    form = ActivityChangeForm(_data(request), activity=activity)
    if request.method == "POST" and form.is_valid():
        changes = form.changes()
        try:
            version = services.plan_revise(
                plan=plan,
                changes=PlanChanges(activity_changes={activity.pk: changes} if changes else {}),
                acting_user=request.user,
                reason=form.cleaned_data["reason"].strip(),
                page=request.path,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            _saved(request, version)
            return redirect("plan", person_id=person.pk)
    elif request.method != "POST":
        _log_view(request, person, plan=plan.pk, activity=activity.pk)
    return _render(
        request, "casework/activity_change.html", person, form=form, plan=plan, activity=activity
    )


@requires(Perm.CASEWORK_EDIT)
def plan_sign(request: HttpRequest, person_id: int) -> HttpResponse:
    """Record the date the participant signed the current version."""
    person = person_for(request, person_id, edit=True)
    plan = active_plan(person.pk)
    if plan is None:
        return _no_plan(request, person.pk)
    form = PlanSignForm(_data(request), plan=plan, initial={"signed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.plan_sign(
                plan=plan,
                signed_on=form.cleaned_data["signed_on"],
                acting_user=request.user,
                page=request.path,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The participant's signature was recorded."))
            return redirect("plan", person_id=person.pk)
    elif request.method != "POST":
        _log_view(request, person, plan=plan.pk, version=plan.version)
    return _render(request, "casework/plan_sign.html", person, form=form, plan=plan)


# --- Versions ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeLine:
    """One change in plain words: what it concerns, what changed, before and after."""

    subject: str
    what: str
    old: str
    new: str


@dataclass(frozen=True)
class Comparison:
    old: PlanVersion | None
    new: PlanVersion
    lines: list[ChangeLine]

    @property
    def adjacent(self) -> bool:
        """The new version follows the old directly: one change, by one person."""
        return self.old is None or self.new.number == self.old.number + 1


_CHOICES: dict[str, dict[str, Any]] = {
    "exit_target": dict(ExitTarget.choices),
    "kind": dict(ActivityKind.choices),
    "status": dict(ActivityStatus.choices),
}


def _field_label(model: type[Plan] | type[PlanActivity], name: str) -> str:
    return str(capfirst(getattr(model._meta.get_field(name), "verbose_name", name)))


def _hours(value: Any) -> str:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return _("%(hours)s h/week") % {"hours": number_format(number.normalize())}


def _shown(name: str, value: Any, names: dict[int, str]) -> str:
    """A snapshot's value as the page shows it: labels for choices, names for interventions."""
    if value is None or value == "":
        return "–"
    if name in _CHOICES:
        return str(_CHOICES[name].get(value, value))
    if name == "agreed":
        return _("Yes") if value else _("No")
    if name == "intervention":
        return names.get(value, f"#{value}")
    if name == "hours_per_week":
        return _hours(value)
    return str(value)


def _summary(activity: dict[str, Any], names: dict[int, str]) -> str:
    parts = [
        _shown("kind", activity.get("kind"), names),
        _shown("hours_per_week", activity.get("hours_per_week"), names),
        _shown("status", activity.get("status"), names),
    ]
    if activity.get("intervention"):
        parts.insert(1, _shown("intervention", activity["intervention"], names))
    if activity.get("agreed"):
        parts.append(_("agreed with the participant"))
    return f"{activity.get('title', '')} ({', '.join(parts)})"


def describe(
    old: dict[str, Any] | None, new: dict[str, Any], names: dict[int, str]
) -> list[ChangeLine]:
    """What changed from snapshot ``old`` to ``new`` (``old`` None: the first version)."""
    lines = []
    for change in diff(old, new):
        lines.append(_line(change, old, new, names))
    return lines


def _line(
    change: Change, old: dict[str, Any] | None, new: dict[str, Any], names: dict[int, str]
) -> ChangeLine:
    if change.activity is None:
        assert change.field is not None
        return ChangeLine(
            subject=_("The plan"),
            what=_field_label(Plan, change.field),
            old=_shown(change.field, change.old, names),
            new=_shown(change.field, change.new, names),
        )
    if change.field is None:
        activity = change.new if change.kind == "added" else change.old
        summary = _summary(activity, names)
        return ChangeLine(
            subject=str(activity.get("title", "")),
            what=_("Activity added") if change.kind == "added" else _("Activity removed"),
            old="–" if change.kind == "added" else summary,
            new=summary if change.kind == "added" else "–",
        )
    now = new["activities"].get(change.activity) or (old or {}).get("activities", {}).get(
        change.activity, {}
    )
    return ChangeLine(
        subject=str(now.get("title", "")),
        what=_field_label(PlanActivity, change.field),
        old=_shown(change.field, change.old, names),
        new=_shown(change.field, change.new, names),
    )


def _intervention_names(snapshots: list[dict[str, Any]]) -> dict[int, str]:
    ids = {
        a.get("intervention")
        for s in snapshots
        for a in s.get("activities", {}).values()
        if a.get("intervention")
    }
    return dict(Intervention.objects.filter(pk__in=ids).values_list("pk", "name")) if ids else {}


@requires(Perm.CASEWORK_VIEW)
def plan_versions(request: HttpRequest, person_id: int) -> HttpResponse:
    """Every version of the plan — number, when, by whom, why — and exactly what changed:
    each version against the one before, or the two chosen with ``?fran=N&till=M``."""
    person = person_for(request, person_id)
    plan = active_plan(person.pk) or (
        Plan.objects.filter(person=person).order_by("-created_on", "-pk").first()
    )
    versions = list(plan.versions.select_related("created_by").order_by("number")) if plan else []
    by_number = {v.number: v for v in versions}
    form = VersionCompareForm(
        request.GET if ("fran" in request.GET or "till" in request.GET) else None,
        numbers=list(by_number),
        initial={"fran": versions[-2].number, "till": versions[-1].number}
        if len(versions) > 1
        else {},
    )
    names = _intervention_names([v.snapshot for v in versions])
    if form.is_bound and form.is_valid():
        old, new = by_number[form.cleaned_data["fran"]], by_number[form.cleaned_data["till"]]
        comparisons = [Comparison(old, new, describe(old.snapshot, new.snapshot, names))]
    else:
        comparisons = [
            Comparison(
                versions[i - 1] if i else None,
                version,
                describe(versions[i - 1].snapshot if i else None, version.snapshot, names),
            )
            for i, version in reversed(list(enumerate(versions)))
        ]
    _log_view(request, person, plan=plan.pk if plan else None, versions=True)
    return render(
        request,
        "casework/plan_versions.html",
        {
            "person": person,
            "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
            "plan": plan,
            "versions": list(reversed(versions)),
            "form": form,
            "chosen": form.is_bound and form.is_valid(),
            "comparisons": comparisons,
        },
    )


# --- PDF -----------------------------------------------------------------------------------------


@requires(Perm.CASEWORK_VIEW)
def plan_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    """The current plan as a PDF in Swedish, for the participant to sign."""
    person = person_for(request, person_id)
    plan = active_plan(person.pk)
    if plan is None:
        return _no_plan(request, person.pk)
    today = timezone.localdate()
    context = _plan_context(request, person, plan, today=today)
    with translation.override("sv"):
        html = render_to_string(
            "casework/plan_pdf.html",
            {
                **context,
                "municipality": settings.HELTID_MUNICIPALITY,
                "printed_on": today,
                "schedule": [
                    a for a in context["activities"] if a.status != ActivityStatus.CANCELLED
                ],
            },
        )
    pdf = render_pdf(html)
    log_access(
        user=request.user,
        action=Action.EXPORT,
        person_id=person.pk,
        page=request.path,
        detail={"plan": plan.pk, "version": plan.version, "format": "pdf"},
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"genomförandeplan-{person.pk}-version-{plan.version}.pdf"
    )
    return response
