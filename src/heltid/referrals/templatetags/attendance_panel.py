"""The attendance section of the person page: the weekly balance of the last four weeks and,
for benefit officers (SIGNAL_HANDLE) and case managers, the person's signals and decisions on
support. Never anything for provider staff.

A fixed number of queries: attendance and plan activities (the balance), then signals and
decisions when the user may see them."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from heltid.accounts.models import Role
from heltid.accounts.permissions import Perm, has_perm
from heltid.referrals.balance import weekly_balance
from heltid.referrals.models import Decision, Signal

register = template.Library()

LATEST = 10


def may_see_signals(user: Any) -> bool:
    """Signals and decisions: benefit officers and case managers, never provider staff."""
    if user is None or has_perm(user, Perm.PROVIDER_WORK):
        return False
    return has_perm(user, Perm.SIGNAL_HANDLE) or (
        has_perm(user, Perm.REFERRAL_VIEW) and user.role == Role.CASE_MANAGER
    )


@register.simple_tag(takes_context=True)
def attendance_panel(context: Any, person: Any) -> SafeString:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not has_perm(user, Perm.REFERRAL_VIEW) or has_perm(user, Perm.PROVIDER_WORK):
        return SafeString("")
    today = context.get("today") or timezone.localdate()
    show_signals = may_see_signals(user)
    signals = (
        list(
            Signal.objects.filter(person=person)
            .select_related("referral__intervention")
            .order_by("closed_at", "-raised_at", "-pk")[:LATEST]
        )
        if show_signals
        else []
    )
    decisions = (
        list(
            Decision.objects.filter(person=person)
            .select_related("decided_by")
            .order_by("-decided_on", "-pk")[:LATEST]
        )
        if show_signals
        else []
    )
    return render_to_string(
        "referrals/attendance_panel.html",
        {
            "person": person,
            "weeks": weekly_balance(person=person, today=today),
            "show_signals": show_signals,
            "may_decide": has_perm(user, Perm.SIGNAL_HANDLE),
            "signals": signals,
            "decisions": decisions,
        },
    )
