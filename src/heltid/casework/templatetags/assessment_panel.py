"""The assessment section of the person page: the latest assessment in short, the case manager
and the links; for those who assign case managers, a small form to assign one.

A fixed number of queries: the latest assessment, the number of versions and, for users who may
assign, the unit's case managers."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import get_template
from django.utils.safestring import SafeString

from heltid.accounts.permissions import may_assign_in_unit, may_edit_casework
from heltid.casework.models import Assessment
from heltid.casework.selectors import unit_case_managers

register = template.Library()


@register.simple_tag(takes_context=True)
def assessment_panel(context: Any, person: Any) -> SafeString:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    assessments = Assessment.objects.filter(person=person)
    latest = assessments.select_related("requested_step", "assessed_by").first()
    count = assessments.count()
    may_assign = user is not None and may_assign_in_unit(user, person.unit_id)
    case_managers = list(unit_case_managers(unit_id=person.unit_id)) if may_assign else []
    html = get_template("casework/assessment_panel.html").render(
        {
            "person": person,
            "latest": latest,
            "count": count,
            "may_edit": user is not None and may_edit_casework(user, person),
            "may_assign": may_assign,
            "case_managers": case_managers,
        },
        request,
    )
    return SafeString(html)
