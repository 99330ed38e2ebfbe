"""Provider staff: their interventions, incoming referrals, waiting lists, participants.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.PROVIDER_WORK)
def provider_home(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.PROVIDER_WORK)
def provider_intervention(request: HttpRequest, intervention_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.PROVIDER_WORK)
def provider_referral(request: HttpRequest, referral_id: int) -> HttpResponse:
    raise Http404
