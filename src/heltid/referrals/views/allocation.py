"""Batch allocation of a waiting list (team leads): the proposal and applying it.

GET shows the proposal for the team lead's unit, its total priority next to a greedy
first-come allocation's, and one button; POST applies the proposal the page showed (named by
its fingerprint: if the waiting list changed meanwhile nothing is applied and the new
proposal is shown) and redirects to the page, which then shows what was applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heltid.accounts.models import User
from heltid.accounts.permissions import Perm, is_team_lead, may_see_protected_identity, requires
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.catalog.models import Intervention
from heltid.referrals.models import Referral
from heltid.referrals.services.allocation import (
    SKIP_REASONS,
    Applied,
    allocation_apply,
    allocation_proposal,
)
from heltid.registry.models import Person

RESULT_KEY = "allocation_result"


@dataclass(frozen=True)
class Line:
    """A row on the page: a person (or "Protected identity"), an intervention, what else."""

    person: Person
    name: str
    visible: bool
    intervention: Intervention
    waits_for: Intervention | None
    priority: int | None = None
    outcome: str = ""


def _name(user: User, person: Person) -> tuple[str, bool]:
    if may_see_protected_identity(user, person):
        return f"{person.first_name} {person.last_name}", True
    return _("Protected identity"), False


def _lines(user: User, rows: list[tuple[int, int, int | None, int | None, str]]) -> list[Line]:
    """(person, intervention, waits for, priority, outcome) rows with their objects, in two
    queries."""
    persons = Person.objects.in_bulk({r[0] for r in rows})
    items = Intervention.objects.in_bulk({r[1] for r in rows} | {r[2] for r in rows if r[2]})
    lines = []
    for person_id, intervention_id, waits_for, priority, outcome in rows:
        person = persons.get(person_id)
        if person is None or intervention_id not in items:
            continue  # gone since (a result remembered across requests)
        name, visible = _name(user, person)
        lines.append(
            Line(
                person=person,
                name=name,
                visible=visible,
                intervention=items[intervention_id],
                waits_for=items[waits_for] if waits_for and waits_for != intervention_id else None,
                priority=priority,
                outcome=outcome,
            )
        )
    return lines


def _remember(request: HttpRequest, applied: Applied) -> None:
    request.session[RESULT_KEY] = {
        "offered": [pk for _row, pk in applied.offered],
        "skipped": [[s.row.person, s.row.intervention, s.reason] for s in applied.skipped],
    }


def _result(request: HttpRequest, user: User) -> list[Line] | None:
    """What the last POST applied (shown once, after the redirect)."""
    stored: Any = request.session.pop(RESULT_KEY, None)
    if not isinstance(stored, dict):
        return None
    offered = Referral.objects.filter(pk__in=stored.get("offered", [])).order_by("pk")
    rows: list[tuple[int, int, int | None, int | None, str]] = [
        (r.person_id, r.intervention_id, None, r.priority, _("Offered a place")) for r in offered
    ]
    rows += [
        (person, item, None, None, str(SKIP_REASONS.get(reason, "")))
        for person, item, reason in stored.get("skipped", [])
    ]
    return _lines(user, rows)


@requires(Perm.ALLOCATE)
def allocation(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not is_team_lead(user) or user.unit_id is None:
        raise PermissionDenied
    today = timezone.localdate()
    if request.method == "POST":
        return _apply(request, user, today=today)
    proposal = allocation_proposal(today=today, user=user)
    lines = _lines(
        user,
        [(r.person, r.intervention, r.waits_for, r.priority, "") for r in proposal.rows],
    )
    result = _result(request, user)
    shown = {line.person.pk for line in lines} | {line.person.pk for line in result or []}
    log_access(
        user=user,
        action=Action.VIEW,
        page=request.path,
        detail={"list": "allocation", "shown": sorted(shown)},
    )
    return render(
        request,
        "referrals/allocation.html",
        {"today": today, "proposal": proposal, "lines": lines, "result": result},
    )


def _apply(request: HttpRequest, user: User, *, today: date) -> HttpResponse:
    proposal = allocation_proposal(today=today, user=user)
    if not proposal.rows:
        messages.info(request, _("There was nothing to apply: no free place fits the waiting."))
        return redirect("allocation")
    if request.POST.get("fingerprint", "") != proposal.fingerprint:
        messages.error(
            request,
            _(
                "The waiting list or the free places changed after the proposal was shown. "
                "Nothing was applied: check the new proposal."
            ),
        )
        return redirect("allocation")
    applied = allocation_apply(proposal=proposal, acting_user=user, today=today, page=request.path)
    _remember(request, applied)
    count = len(applied.offered)
    text = ngettext("%(count)d place was offered.", "%(count)d places were offered.", count) % {
        "count": count
    }
    if applied.skipped:
        text += " " + ngettext(
            "%(count)d proposed place no longer fitted and was skipped.",
            "%(count)d proposed places no longer fitted and were skipped.",
            len(applied.skipped),
        ) % {"count": len(applied.skipped)}
    messages.success(request, text)
    return redirect("allocation")
