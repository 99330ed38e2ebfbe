"""Referrals made by case managers: new (with matching), a person's list, one referral.

PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.REFERRAL_MAKE)
def referral_new(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.REFERRAL_VIEW)
def person_referrals(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.REFERRAL_MAKE)
def matching(request: HttpRequest, person_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.REFERRAL_VIEW)
def referral_detail(request: HttpRequest, referral_id: int) -> HttpResponse:
    raise Http404
