from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heltid.accounts.permissions import Perm, requires
from heltid.audit.forms import AccessLogSearchForm
from heltid.audit.selectors import access_log_search

PAGE_SIZE = 50


@requires(Perm.AUDIT_VIEW)
def audit_search(request: HttpRequest) -> HttpResponse:
    form = AccessLogSearchForm(request.GET or None)
    page = None
    if form.is_valid():
        entries = access_log_search(
            personnummer=form.cleaned_data["personnummer"], username=form.cleaned_data["username"]
        )
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sida"))
    elif not request.GET:
        page = Paginator(access_log_search(), PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(request, "audit/search.html", {"form": form, "page": page})
