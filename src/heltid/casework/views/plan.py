"""The plan (genomförandeplan): page, activities, versions, signature, PDF.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.CASEWORK_VIEW)
def plan_page(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def plan_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def activity_add(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def activity_change(request: HttpRequest, person_id: int, activity_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def plan_sign(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_VIEW)
def plan_versions(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_VIEW)
def plan_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404
