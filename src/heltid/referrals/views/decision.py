"""Signals to benefit officers, their decisions (SoL 12 kap. 5 §), notifications to AF.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.SIGNAL_HANDLE)
def signal_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.SIGNAL_HANDLE)
def decision_new(request: HttpRequest, signal_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.AF_NOTIFY)
def af_notifications(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.AF_NOTIFY)
def af_export(request: HttpRequest) -> HttpResponse:
    raise Http404
