"""Start page per role, health check and the error pages."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone

from heltid.accounts.models import Role, User
from heltid.accounts.permissions import Perm, has_perm, public, requires
from heltid.casework.selectors import caseload_worklist, worklist_counts
from heltid.registry.selectors import persons_for


@requires(Perm.HOME)
def home(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    context: dict[str, object] = {"role_label": Role(user.role).label if user.role else ""}
    if user.role in (Role.BENEFIT_OFFICER, Role.CASE_MANAGER):
        context["person_count"] = persons_for(user=user).count()
    if has_perm(user, Perm.CASELOAD_VIEW):
        today = timezone.localdate()
        counts = worklist_counts(caseload_worklist(user=user, today=today), today=today)
        context["caseload_size"] = counts.persons
        context["todo_count"] = counts.todos
        context["overdue_count"] = counts.overdue
    return render(request, "web/home.html", context)


@public
def healthz(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 403}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 404}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    return render(request, "web/error.html", {"status": 500}, status=500)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/error.html", {"status": 400}, status=400)
