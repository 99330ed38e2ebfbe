"""The referral section of the person page: the open referrals with their status and waiting
position, with links to all referrals, a new referral and matching.

At most two queries, whatever the person's history: the open referrals (with their
interventions) and, when one is waiting, the waiting lists' order."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from heltid.accounts.permissions import Perm, has_perm, may_make_referral
from heltid.referrals.selectors import person_referral_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def referral_panel(context: Any, person: Any) -> SafeString:
    user = context.get("user")
    if user is None or not has_perm(user, Perm.REFERRAL_VIEW):
        return SafeString("")
    rows = person_referral_rows(person=person, covered_from=None, open_only=True)
    return render_to_string(
        "referrals/referral_panel.html",
        {"person": person, "rows": rows, "may_refer": may_make_referral(user, person)},
    )
