"""The caseload: my persons and what needs doing, the unit view, reassignment. Thin."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from heltid.accounts.models import User
from heltid.accounts.permissions import (
    Perm,
    is_team_lead,
    may_assign_in_unit,
    may_see_protected_identity,
    requires,
)
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.access import person_for
from heltid.casework.forms.caseload import CaseloadFilterForm, ReassignForm
from heltid.casework.selectors import (
    CaseloadRow,
    caseload_for,
    loads_of,
    todos_of,
    unit_case_managers,
)
from heltid.casework.services.caseload import case_manager_assign
from heltid.registry.models import Person
from heltid.registry.selectors import persons_for

PAGE_SIZE = 25
UNIT_PAGE_SIZE = 50
NO_CASE_MANAGER = "ingen"


def _log_list(request: HttpRequest, *, what: str, shown: list[int]) -> None:
    log_access(
        user=request.user,
        action=Action.VIEW,
        page=request.path,
        detail={"list": what, "shown": shown},
    )


def _filtered(rows: list[CaseloadRow], form: CaseloadFilterForm) -> list[CaseloadRow]:
    if not form.is_valid():
        return rows
    if form.cleaned_data["att_gora"]:
        rows = [r for r in rows if r.todos]
    state = form.cleaned_data["lage"]
    if state:
        rows = [r for r in rows if r.next_state == state]
    return rows


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("sida", None)
    return params.urlencode()


@requires(Perm.CASELOAD_VIEW)
def my_caseload(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    today = timezone.localdate()
    rows = caseload_for(user=user, today=today)
    todos = todos_of(rows)
    form = CaseloadFilterForm(request.GET or None)
    page = Paginator(_filtered(rows, form), PAGE_SIZE).get_page(request.GET.get("sida"))
    shown = sorted({row.person.pk for _todo, row in todos} | {r.person.pk for r in page})
    _log_list(request, what="caseload", shown=shown)
    return render(
        request,
        "casework/caseload.html",
        {
            "today": today,
            "todos": todos,
            "form": form,
            "page": page,
            "total": len(rows),
            "query": _query_without_page(request),
            "is_team_lead": is_team_lead(user),
        },
    )


def _unit_selection(request: HttpRequest, rows: list[CaseloadRow]) -> tuple[str, list[Any]]:
    """Whose persons the unit view lists: ?visa=<case manager id>, or those without one."""
    chosen = request.GET.get("visa", NO_CASE_MANAGER)
    if chosen != NO_CASE_MANAGER and chosen.isascii() and chosen.isdigit():
        pk = int(chosen)
        return chosen, [r for r in rows if r.person.case_manager_id == pk]
    return NO_CASE_MANAGER, [r for r in rows if r.person.case_manager_id is None]


@requires(Perm.CASELOAD_VIEW)
def unit_caseload(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not is_team_lead(user):
        raise PermissionDenied
    today = timezone.localdate()
    rows = caseload_for(user=user, today=today, unit=True)
    case_managers = list(unit_case_managers(unit_id=user.unit_id))
    loads = loads_of(rows, case_managers)
    chosen, selected = _unit_selection(request, rows)
    chosen_manager = next((x.case_manager for x in loads if str(x.case_manager.pk) == chosen), None)
    page = Paginator(selected, UNIT_PAGE_SIZE).get_page(request.GET.get("sida"))
    form = ReassignForm(unit_id=user.unit_id, initial={"next": request.get_full_path()})
    _log_list(request, what="unit caseload", shown=[r.person.pk for r in page])
    return render(
        request,
        "casework/unit_caseload.html",
        {
            "today": today,
            "loads": loads,
            "unassigned": sum(1 for r in rows if r.person.case_manager_id is None),
            "chosen": chosen,
            "chosen_manager": chosen_manager,
            "no_case_manager": NO_CASE_MANAGER,
            "page": page,
            "query": _query_without_page(request),
            "form": form,
        },
    )


def _safe_next(request: HttpRequest, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


@requires(Perm.CASELOAD_ASSIGN)
def reassign(request: HttpRequest) -> HttpResponse:
    """POST: move the chosen persons to a case manager of the unit, with a reason. GET
    ``?person=<id>``: the form for one person (from the person page)."""
    user = cast(User, request.user)
    if user.unit_id is None or not may_assign_in_unit(user, user.unit_id):
        raise PermissionDenied
    if request.method == "POST":
        form = ReassignForm(request.POST, unit_id=user.unit_id)
        if form.is_valid():
            data = form.cleaned_data
            try:
                changed = case_manager_assign(
                    persons=list(data["persons"]),
                    case_manager=data["case_manager"],
                    reason=data["reason"],
                    acting_user=user,
                    page=request.path,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d person was assigned a new case manager.",
                        "%(count)d persons were assigned a new case manager.",
                        changed,
                    )
                    % {"count": changed},
                )
                default = reverse("unit_caseload" if is_team_lead(user) else "home")
                return HttpResponseRedirect(_safe_next(request, data["next"]) or default)
        ids = [int(v) for v in request.POST.getlist("persons") if v.isascii() and v.isdigit()]
        persons = list(
            persons_for(user=user)
            .select_related("case_manager")
            .filter(pk__in=ids[:500])
            .order_by("pk")
        )
    else:
        raw = request.GET.get("person", "")
        if not (raw.isascii() and raw.isdigit()):
            return redirect("unit_caseload" if is_team_lead(user) else "home")
        person = person_for(request, int(raw))
        persons = [person]
        form = ReassignForm(
            unit_id=user.unit_id,
            initial={
                "persons": [person.pk],
                "next": reverse("person_detail", args=[person.pk]),
                "case_manager": person.case_manager_id,
            },
        )
    return render(
        request,
        "casework/caseload_reassign.html",
        {"form": form, "persons": _named(persons, user), "back": _back(request, form)},
    )


def _back(request: HttpRequest, form: ReassignForm) -> str:
    raw = form.data.get("next") if form.is_bound else form.initial.get("next")
    return _safe_next(request, str(raw or "")) or reverse("home")


def _named(persons: list[Person], user: User) -> list[tuple[Person, bool]]:
    return [(p, may_see_protected_identity(user, p)) for p in persons]
