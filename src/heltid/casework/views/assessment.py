"""Assessments (kartläggning): record a new version, see the versions.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.CASEWORK_VIEW)
def assessment_list(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def assessment_new(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404
