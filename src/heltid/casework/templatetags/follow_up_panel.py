"""The follow-up section of the person page: the latest follow-ups and when the next is due,
the current step on the staircase, and the exit with the follow-ups after it.

A fixed number of queries whatever the history: the latest three follow-ups, the person's
stored worklist row and follow-up deadline (decision 0023: one definition with the caseload,
recomputed first if stale), the current step, the latest exit and the open follow-ups after
exits."""

from __future__ import annotations

from typing import Any

from django import template
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from heltid.accounts.permissions import may_edit_casework
from heltid.casework.models import (
    Exit,
    ExitFollowUp,
    FollowUp,
    FollowUpParty,
    StepChange,
    Worklist,
    WorklistItem,
)
from heltid.casework.selectors import STATE_LABELS
from heltid.casework.worklist import catch_up
from heltid.registry.models import Person
from heltid.rules import DeadlineKind, DeadlineState

register = template.Library()

LATEST = 3


@register.simple_tag(takes_context=True)
def follow_up_panel(context: Any, person: Any) -> SafeString:
    user = context.get("user")
    today = context.get("today") or timezone.localdate()
    follow_ups = list(
        FollowUp.objects.filter(person=person)
        .select_related("plan_version")
        .order_by("-held_on", "-pk")[:LATEST]
    )
    # the stored worklist (decision 0023), brought up to date for this person first
    stored = Worklist.objects.filter(pk=person.pk)
    catch_up(stored, today=today, persons=Person.objects.filter(pk=person.pk))
    exited_on = stored.values_list("exited_on", flat=True).first()
    item = (
        WorklistItem.objects.filter(worklist_id=person.pk, kind=DeadlineKind.FOLLOW_UP.value)
        .with_state(today)
        .order_by("due_on")
        .first()
    )
    state = DeadlineState(item.item_state) if item is not None else None  # type: ignore[attr-defined]
    step = (
        StepChange.objects.filter(person=person, changed_on__lte=today)
        .select_related("step")
        .order_by("-changed_on", "-pk")
        .first()
    )
    latest_exit = Exit.objects.filter(person=person).order_by("-exit_on", "-pk").first()
    open_after_exit = list(
        ExitFollowUp.objects.filter(exit__person=person, done_on__isnull=True)
        .select_related("exit")
        .order_by("due_on", "pk")
    )
    parties = dict(FollowUpParty.choices)
    return render_to_string(
        "casework/follow_up_panel.html",
        {
            "person": person,
            "today": today,
            "may_edit": user is not None and may_edit_casework(user, person),
            "follow_ups": [
                {"follow_up": f, "parties": [parties.get(p, p) for p in f.party_list]}
                for f in follow_ups
            ],
            "next_on": follow_ups[0].next_on if follow_ups else None,
            "deadline": {"due_on": item.due_on, "state": state.value} if item and state else None,
            "deadline_state": STATE_LABELS[state] if state else "",
            "deadline_open": state in (DeadlineState.DUE, DeadlineState.OVERDUE),
            "exited_on": exited_on,
            "step": step,
            "latest_exit": latest_exit,
            "open_after_exit": [
                {"follow_up": f, "due": f.due_on <= today} for f in open_after_exit
            ],
        },
    )
