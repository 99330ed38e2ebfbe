"""Batch allocation of a waiting list (team leads): the proposal and applying it.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.ALLOCATE)
def allocation(request: HttpRequest) -> HttpResponse:
    raise Http404
