"""Excel export and import of the catalogue. PLACEHOLDER: being written."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from heltid.accounts.permissions import Perm, requires


@requires(Perm.CATALOGUE_VIEW)
def catalogue_export(request: HttpRequest) -> HttpResponse:
    raise Http404


@requires(Perm.CATALOGUE_IMPORT)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    raise Http404
