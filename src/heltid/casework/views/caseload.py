"""The caseload: my persons and what needs doing, the unit view, reassignment.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.CASELOAD_VIEW)
def my_caseload(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CASELOAD_VIEW)
def unit_caseload(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CASELOAD_ASSIGN)
def reassign(request: HttpRequest) -> HttpResponse:
    raise Http404
