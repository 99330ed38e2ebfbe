"""Registry pages: search, person, register, weekly hours, exemptions, import.

Thin: parse, call, render."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.models import Unit, User
from heltid.accounts.permissions import Perm, may_edit_person, may_see_protected_identity, requires
from heltid.audit.models import Action
from heltid.audit.services import log_access, search_detail
from heltid.casework.access import person_for
from heltid.registry import services
from heltid.registry.facts import coverage_facts
from heltid.registry.forms import (
    ExemptionForm,
    FactEndForm,
    FactForm,
    ImportForm,
    PersonRegisterForm,
    SearchForm,
    WeeklyHoursForm,
)
from heltid.registry.household import household_riksnorm
from heltid.registry.imports import import_recipients
from heltid.registry.models import PersonFact
from heltid.registry.selectors import person_search
from heltid.rules import explain
from heltid.web.security import (
    SEARCH_TOKEN_PARAMETER,
    recalled_search,
    search_expired,
    search_redirect,
)

PAGE_SIZE = 25


@requires(Perm.PERSON_SEARCH)
def person_list(request: HttpRequest) -> HttpResponse:
    # The terms (a personal identity number or a name) come by POST and stay in the session;
    # the URL carries only a random token (decision 0019).
    if request.method == "POST":
        return search_redirect(request, {"q": request.POST.get("q", "")}, scope="person_list")
    terms = recalled_search(request, scope="person_list")
    form = SearchForm(terms)
    page = None
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"]
    if query:
        results = person_search(user=request.user, query=query).order_by(
            "last_name", "first_name", "pk"
        )
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("sida"))
        rows = [
            {"person": p, "visible": may_see_protected_identity(request.user, p)}  # type: ignore[arg-type]
            for p in page.object_list
        ]
        log_access(
            user=request.user,
            action=Action.SEARCH,
            page=request.path,
            # never the search text: it may be a protected person's name (decision 0003)
            detail=search_detail(query, shown=[p.pk for p in page.object_list]),
        )
    else:
        rows = []
    return render(
        request,
        "registry/person_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "query": query,
            "token": request.GET.get(SEARCH_TOKEN_PARAMETER, "") if terms else "",
            "expired": search_expired(request, scope="person_list"),
        },
    )


@requires(Perm.PERSON_VIEW)
def person_page(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request, person_id, full=True)
    today = timezone.localdate()
    explanation = explain(coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY)
    log_access(user=request.user, action=Action.VIEW, person_id=person.pk, page=request.path)
    return render(
        request,
        "registry/person_detail.html",
        {
            "person": person,
            "visible": may_see_protected_identity(request.user, person),  # type: ignore[arg-type]
            "explanation": explanation,
            "riksnorm": household_riksnorm(person, on=today),
            "may_edit": may_edit_person(request.user, person),  # type: ignore[arg-type]
            "today": today,
        },
    )


@requires(Perm.PERSON_EDIT)
def person_register(request: HttpRequest) -> HttpResponse:
    units = Unit.objects.filter(pk__in=[cast(User, request.user).unit_id])
    form = PersonRegisterForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert form.identity is not None
        person = services.person_register(
            identity=form.identity,
            first_name=data["first_name"],
            last_name=data["last_name"],
            street_address=data["street_address"],
            postal_code=data["postal_code"],
            city=data["city"],
            unit=data["unit"],
            household_reference=data["household_reference"],
            cohabiting=data["cohabiting"],
            children=data["children"],
            support_since=data["support_since"],
            reason_code=data["reason_code"],
            af_programme=data["af_programme"],
            af_programme_since=data["af_programme_since"],
            part_time_hours=data["part_time_hours"],
            protected_identity=data["protected_identity"],
            acting_user=request.user,
            page=request.path,
        )
        messages.success(request, _("The person was registered."))
        return redirect("person_detail", person_id=person.pk)
    return render(request, "registry/person_form.html", {"form": form})


def _editable(request: HttpRequest, person_id: int):  # type: ignore[no-untyped-def]
    # person_for: outside the scope is a logged 404, and the page's view is logged
    person = person_for(request, person_id)
    if not may_edit_person(request.user, person):  # type: ignore[arg-type]
        raise PermissionDenied  # logged as "denied" by the permission middleware
    return person


@requires(Perm.PERSON_EDIT)
def weekly_hours_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _editable(request, person_id)
    initial = {
        "individual_weekly_hours": person.individual_weekly_hours,
        "individual_hours_reason": person.individual_hours_reason,
    }
    form = WeeklyHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        hours = form.cleaned_data["individual_weekly_hours"]
        services.person_update(
            person=person,
            changes={
                "individual_weekly_hours": hours,
                "individual_hours_reason": form.cleaned_data["individual_hours_reason"].strip()
                if hours is not None
                else "",
            },
            acting_user=request.user,
            page=request.path,
        )
        messages.success(request, _("The weekly hours were saved."))
        return redirect("person_detail", person_id=person.pk)
    return render(request, "registry/weekly_hours_form.html", {"form": form, "person": person})


@requires(Perm.EXEMPTION_DECIDE)
def exemption_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _editable(request, person_id)
    form = ExemptionForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.exemption_decide(
            person=person,
            group=form.cleaned_data["group"],
            decided_on=form.cleaned_data["decided_on"],
            review_on=form.cleaned_data["review_on"],
            note=form.cleaned_data["note"],
            acting_user=request.user,
            page=request.path,
        )
        messages.success(request, _("The exemption was saved."))
        return redirect("person_detail", person_id=person.pk)
    return render(request, "registry/exemption_form.html", {"form": form, "person": person})


@requires(Perm.EXEMPTION_DECIDE)
def exemption_end(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _editable(request, person_id)
    if request.method != "POST":
        return redirect("person_detail", person_id=person.pk)
    active = next((e for e in person.exemptions.all() if e.ended_on is None), None)
    if active is not None:
        services.exemption_end(
            exemption=active,
            ended_on=timezone.localdate(),
            acting_user=request.user,
            page=request.path,
        )
        messages.success(request, _("The exemption was ended."))
    return redirect("person_detail", person_id=person.pk)


@requires(Perm.PERSON_EDIT)
def fact_add(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _editable(request, person_id)
    form = FactForm(request.POST or None, initial={"starts_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        kind, value = form.cleaned_data["fact"].split(":", 1)
        services.fact_record(
            person=person,
            kind=kind,
            value=value,
            hours=form.cleaned_data["hours"],
            starts_on=form.cleaned_data["starts_on"],
            ends_on=form.cleaned_data["ends_on"],
            acting_user=request.user,
            page=request.path,
        )
        messages.success(request, _("The fact was recorded."))
        return redirect("person_detail", person_id=person.pk)
    return render(request, "registry/fact_form.html", {"form": form, "person": person})


@requires(Perm.PERSON_EDIT)
def fact_end(request: HttpRequest, person_id: int, fact_id: int) -> HttpResponse:
    person = _editable(request, person_id)
    fact = get_object_or_404(PersonFact, pk=fact_id, person=person, superseded_on__isnull=True)
    form = FactEndForm(request.POST or None, initial={"ends_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.fact_end(
                fact=fact,
                ends_on=form.cleaned_data["ends_on"],
                acting_user=request.user,
                page=request.path,
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                for problem in problems:
                    form.add_error(field, problem)
        else:
            messages.success(request, _("The fact was ended."))
            return redirect("person_detail", person_id=person.pk)
    return render(
        request, "registry/fact_end_form.html", {"form": form, "person": person, "fact": fact}
    )


@requires(Perm.RECIPIENT_IMPORT)
def recipient_import(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > settings.HELTID_IMPORT_MAX_BYTES:
            form.add_error("file", _("The file is too large."))
        else:
            report = import_recipients(
                data=upload.read(),
                filename=upload.name,
                acting_user=request.user,
                dry_run=form.cleaned_data["dry_run"],
                page=request.path,
            )
            if report.file_error:  # the file as a whole (a limit, unreadable): at its field
                form.add_error("file", report.file_error)
                report = None
    return render(request, "registry/import.html", {"form": form, "report": report})
