from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heltid.accounts.permissions import Perm, requires
from heltid.audit.forms import AccessLogSearchForm
from heltid.audit.models import Action
from heltid.audit.selectors import access_log_search, log_rows, person_by_number
from heltid.audit.services import log_access
from heltid.registry.models import Person
from heltid.web.security import (
    SEARCH_TOKEN_PARAMETER,
    recalled_search,
    search_expired,
    search_redirect,
)

PAGE_SIZE = 50


@requires(Perm.AUDIT_VIEW)
def audit_search(request: HttpRequest) -> HttpResponse:
    # The terms come by POST and stay in the session behind a token (decision 0019).
    if request.method == "POST":
        terms = {name: request.POST.get(name, "") for name in ("personnummer", "username")}
        return search_redirect(request, terms, scope="audit_search")
    recalled = recalled_search(request, scope="audit_search")
    form = AccessLogSearchForm(recalled)
    page = None
    number = ""
    if form.is_valid():
        number = form.cleaned_data["personnummer"]
        entries = access_log_search(personnummer=number, username=form.cleaned_data["username"])
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("sida"))
    elif recalled is None:
        page = Paginator(access_log_search(), PAGE_SIZE).get_page(request.GET.get("sida"))
    person_id = person_by_number(number) if number else None
    named = Person.objects.filter(pk=person_id).first() if person_id is not None else None
    rows = []
    if page is not None:
        rows = log_rows(list(page.object_list), reader=request.user, named=named)
    if number:
        # reading a person's log is itself a look-up of that person (never the number)
        log_access(
            user=request.user,
            action=Action.SEARCH,
            person_id=person_id,
            page=request.path,
            detail={"access_log": True},
        )
    return render(
        request,
        "audit/search.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "token": request.GET.get(SEARCH_TOKEN_PARAMETER, "") if recalled else "",
            "expired": search_expired(request, scope="audit_search"),
        },
    )
