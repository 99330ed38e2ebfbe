"""Catalogue pages. PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, public, requires


@requires(Perm.CATALOGUE_VIEW)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_EDIT)
def intervention_create(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_VIEW)
def intervention_detail(request: HttpRequest, intervention_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_EDIT)
def intervention_edit(request: HttpRequest, intervention_id: int) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_VIEW)
def staircase_page(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_VIEW)
def actor_list(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_VIEW)
def actor_detail(request: HttpRequest, actor_id: int) -> HttpResponse:
    raise Http404


@public
def catalogue_public(request: HttpRequest) -> HttpResponse:
    raise Http404
