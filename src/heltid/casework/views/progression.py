"""Step changes, exits and the follow-ups after an exit.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.CASEWORK_EDIT)
def step_change_new(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def exit_new(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CASEWORK_EDIT)
def exit_follow_up(request: HttpRequest, person_id: int, exit_id: int, months: int) -> HttpResponse:
    raise Http404
