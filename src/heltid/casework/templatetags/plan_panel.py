"""The plan section of the person page: the plan in short — goal, hours against the weekly
target, version, signed or not — with links to the plan's pages.

Always two queries, whatever the plan holds: the active plan and its activities."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from heltid.accounts.permissions import may_edit_casework
from heltid.casework.facts import plan_hours
from heltid.casework.models import Plan, PlanActivity, PlanStatus
from heltid.registry.facts import coverage_facts
from heltid.rules import explain

register = template.Library()


@register.simple_tag(takes_context=True)
def plan_panel(context: Any, person: Any) -> SafeString:
    user = context.get("user")
    today = context.get("today") or timezone.localdate()
    plan = Plan.objects.filter(person=person, status=PlanStatus.ACTIVE).first()
    activities = list(
        PlanActivity.objects.filter(plan__person=person, plan__status=PlanStatus.ACTIVE).only(
            "pk", "plan_id", "kind", "status", "hours_per_week"
        )
    )
    hours = None
    if plan is not None:
        explanation = context.get("explanation") or explain(
            coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY
        )
        hours = plan_hours(activities, target=explanation.weekly_hours)
    return render_to_string(
        "casework/plan_panel.html",
        {
            "person": person,
            "plan": plan,
            "hours": hours,
            "activity_count": len(activities),
            "signed_current": plan is not None
            and bool(plan.signed_on)
            and plan.signed_version == plan.version,
            "may_edit": user is not None and may_edit_casework(user, person),
        },
    )
