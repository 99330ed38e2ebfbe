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
    ScopedWorklist,
    as_rows,
    as_todos,
    caseload_worklist,
    unit_case_managers,
    unit_loads,
    unit_worklist,
    with_todo_count,
    worklist_rows,
    worklist_todos,
)
from heltid.casework.services.caseload import case_manager_assign
from heltid.registry.models import Person
from heltid.registry.selectors import persons_for

PAGE_SIZE = 25
TODO_PAGE_SIZE = 50
UNIT_PAGE_SIZE = 50
NO_CASE_MANAGER = "ingen"
TODO_PAGE = "uppgifter"  # the to-do list's page parameter


def _log_list(request: HttpRequest, *, what: str, shown: list[int]) -> None:
    log_access(
        user=request.user,
        action=Action.VIEW,
        page=request.path,
        detail={"list": what, "shown": shown},
    )


def _rows(scoped: ScopedWorklist, form: CaseloadFilterForm, *, today: Any) -> Any:
    """The rows the filters choose (all of them when the filters are not valid), in SQL."""
    if not form.is_valid():
        return worklist_rows(scoped, today=today)
    return worklist_rows(
        scoped,
        today=today,
        todo_only=form.cleaned_data["att_gora"],
        state=form.cleaned_data["lage"],
    )


def _query_without(request: HttpRequest, name: str) -> str:
    params = request.GET.copy()
    params.pop(name, None)
    return params.urlencode()


@requires(Perm.CASELOAD_VIEW)
def my_caseload(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    today = timezone.localdate()
    scoped = caseload_worklist(user=user, today=today)
    form = CaseloadFilterForm(request.GET or None)
    page = Paginator(_rows(scoped, form, today=today), PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = as_rows(page.object_list, user=user)
    todo_page = Paginator(worklist_todos(scoped, today=today), TODO_PAGE_SIZE).get_page(
        request.GET.get(TODO_PAGE)
    )
    todos = as_todos(todo_page.object_list, user=user)
    shown = sorted({row.person.pk for _todo, row in todos} | {r.person.pk for r in rows})
    _log_list(request, what="caseload", shown=shown)
    return render(
        request,
        "casework/caseload.html",
        {
            "today": today,
            "todos": todos,
            "todo_page": todo_page,
            "rows": rows,
            "todo_page_param": TODO_PAGE,
            "todo_query": _query_without(request, TODO_PAGE),
            "form": form,
            "page": page,
            "total": scoped.rows.count(),
            "behind": scoped.behind,
            "query": _query_without(request, "sida"),
            "is_team_lead": is_team_lead(user),
        },
    )


def _chosen(request: HttpRequest) -> int | None:
    """Whose persons the unit view lists: ?visa=<case manager id>, or (None) those without
    one."""
    chosen = request.GET.get("visa", NO_CASE_MANAGER)
    if chosen != NO_CASE_MANAGER and chosen.isascii() and chosen.isdigit():
        return int(chosen)
    return None


@requires(Perm.CASELOAD_VIEW)
def unit_caseload(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    if not is_team_lead(user):
        raise PermissionDenied
    today = timezone.localdate()
    scoped = unit_worklist(user=user, today=today)
    case_managers = list(unit_case_managers(unit_id=user.unit_id))
    loads, unassigned = unit_loads(scoped, today=today, case_managers=case_managers)
    chosen_pk = _chosen(request)
    chosen = NO_CASE_MANAGER if chosen_pk is None else str(chosen_pk)
    chosen_manager = next((x.case_manager for x in loads if x.case_manager.pk == chosen_pk), None)
    selected = ScopedWorklist(
        scoped.rows.filter(case_manager_id=chosen_pk)
        if chosen_pk is not None
        else scoped.rows.filter(case_manager__isnull=True),
        sees_protected=scoped.sees_protected,
    )
    rows = with_todo_count(worklist_rows(selected, today=today), today=today)
    page = Paginator(rows, UNIT_PAGE_SIZE).get_page(request.GET.get("sida"))
    shown = as_rows(page.object_list, user=user)
    form = ReassignForm(unit_id=user.unit_id, initial={"next": request.get_full_path()})
    _log_list(request, what="unit caseload", shown=[r.person.pk for r in shown])
    return render(
        request,
        "casework/unit_caseload.html",
        {
            "today": today,
            "loads": loads,
            "unassigned": unassigned,
            "behind": scoped.behind,
            "chosen": chosen,
            "chosen_manager": chosen_manager,
            "no_case_manager": NO_CASE_MANAGER,
            "page": page,
            "rows": shown,
            "query": _query_without(request, "sida"),
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
