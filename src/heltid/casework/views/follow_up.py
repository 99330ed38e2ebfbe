"""Follow-ups: record one (with a plan revision in the same step), list them.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.CASEWORK_VIEW)
def follow_up_list(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def follow_up_new(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404
