"""Assessments (kartläggning): record a new version, see the versions. Thin."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
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
from heltid.casework.forms.assessment import AssessmentForm, initial_from
from heltid.casework.models import Assessment
from heltid.casework.services.assessment import ASSESSMENT_FIELDS, assessment_record


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: str
    new: str


def _shown(assessment: Assessment, name: str) -> str:
    """A field's value as the page shows it."""
    field = Assessment._meta.get_field(name)
    value = getattr(assessment, name)
    if value is None or value == "":
        return "–"
    if getattr(field, "choices", None):
        return str(getattr(assessment, f"get_{name}_display")())
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def _label(name: str) -> str:
    return str(AssessmentForm.base_fields[name].label or name)


def changes_between(old: Assessment | None, new: Assessment) -> list[FieldChange]:
    """What differs in ``new`` from the version before it (every filled-in field for the first)."""
    result = []
    for name in ASSESSMENT_FIELDS:
        after = _shown(new, name)
        before = _shown(old, name) if old is not None else "–"
        if before != after:
            result.append(FieldChange(_label(name), before, after))
    return result


@requires(Perm.CASEWORK_VIEW)
def assessment_list(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id)
    versions = list(
        Assessment.objects.filter(person=person).select_related("assessed_by", "requested_step")
    )  # newest first
    rows = [
        {
            "assessment": current,
            "number": len(versions) - i,
            "changes": changes_between(versions[i + 1] if i + 1 < len(versions) else None, current),
        }
        for i, current in enumerate(versions)
    ]
    log_access(
        user=request.user,
        action=Action.VIEW,
        person_id=person.pk,
        page=request.path,
        detail={"assessments": [a.pk for a in versions]},
    )
    return render(
        request,
        "casework/assessment_list.html",
        {
            "person": person,
            "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
            "rows": rows,
            "fields": [(_label(name), name) for name in ASSESSMENT_FIELDS],
            "may_edit": may_edit_casework(request.user, person),  # type: ignore[arg-type]
        },
    )


@requires(Perm.CASEWORK_EDIT)
def assessment_new(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, edit=True)
    today = timezone.localdate()
    latest = Assessment.objects.filter(person=person).select_related("requested_step").first()
    form = AssessmentForm(request.POST or None, initial=initial_from(latest, today=today))
    if request.method == "POST" and form.is_valid():
        try:
            assessment_record(
                person=person,
                data=form.assessment_data(),
                acting_user=request.user,
                page=request.path,
                today=today,
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The assessment was saved as a new version."))
            return redirect("assessment_list", person_id=person.pk)
    context: dict[str, Any] = {
        "person": person,
        "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
        "form": form,
        "latest": latest,
    }
    return render(request, "casework/assessment_form.html", context)
