"""Attendance for a week, marked by provider staff for a whole group.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.PROVIDER_WORK)
def attendance_week(request: HttpRequest, intervention_id: int) -> HttpResponse:
    raise Http404
