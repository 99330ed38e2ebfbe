"""Catalogue pages: the list with filters, an intervention, its form, the staircase, the actors
and the public page. Thin: parse, call, render.

Interventions hold no personal data, so every logged-in role sees the whole catalogue. The one
person a page touches, the participant whose criteria the list is matched against, is fetched
through the registry's scoping and the look-up is written to the access log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from heltid.accounts.models import User
from heltid.accounts.permissions import (
    Perm,
    has_perm,
    may_edit_intervention,
    may_see_protected_identity,
    public,
    requires,
)
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import SwedishLevel
from heltid.catalog import services
from heltid.catalog.charts import staircase_context
from heltid.catalog.forms import NOT_FOUND, CatalogueFilterForm, InterventionForm
from heltid.catalog.matching import CriteriaFacts, person_criteria
from heltid.catalog.models import Actor, Intervention, InterventionStatus
from heltid.catalog.models.intervention import TargetGroup
from heltid.catalog.selectors import CatalogueFilter, editable_interventions, interventions
from heltid.ids import valid_id
from heltid.registry.models import Person, ReasonGroup
from heltid.registry.selectors import persons_for

PAGE_SIZE = 25


# --- Shared pieces ------------------------------------------------------------------------


def _hours(value: Decimal) -> str:
    """12.5 → "12,5", 20.0 → "20" (as the active language writes numbers)."""
    return number_format(value if value % 1 else int(value))


def criteria_sentences(item: Intervention) -> list[str]:
    """The intervention's criteria in plain words, one sentence each."""
    labels = dict(TargetGroup.choices)
    groups = [str(labels.get(g, g)) for g in item.target_group_list]
    sentences = [
        _("For these target groups: %(groups)s.") % {"groups": ", ".join(groups).lower()}
        if groups
        else _("For every target group."),
    ]
    if item.min_activity_hours:
        sentences.append(
            _("The participant can take part at least %(hours)s hours a week.")
            % {"hours": _hours(item.min_activity_hours)}
        )
    else:
        sentences.append(_("No lowest activity capacity."))
    sentences.append(
        _("Swedish language: %(requirement)s.")
        % {"requirement": str(item.get_swedish_requirement_display()).lower()}
    )
    low, high = item.age_min, item.age_max
    if low is not None and high is not None:
        sentences.append(_("Age %(low)s–%(high)s years.") % {"low": low, "high": high})
    elif low is not None:
        sentences.append(_("Age %(low)s years or older.") % {"low": low})
    elif high is not None:
        sentences.append(_("Age up to %(high)s years.") % {"high": high})
    else:
        sentences.append(_("Any age."))
    return sentences


def _page_query(request: HttpRequest, *, person_id: int | None) -> str:
    """The current filters as a query string for the page links (without the page number);
    a resolved participant travels by id, not by personal identity number."""
    query: QueryDict = request.GET.copy()
    query.pop("sida", None)
    if person_id is not None:
        query.pop("personnummer", None)
        query["deltagare"] = str(person_id)
    return query.urlencode()


# --- The catalogue list -------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipantMatch:
    """The participant the list is matched against, as this user may see them."""

    person: Person
    name_visible: bool
    facts: CriteriaFacts
    missing: list[str]
    reason_group: str
    swedish_level: str


def _participant(
    request: HttpRequest, form: CatalogueFilterForm, *, on: date, log: bool = True
) -> ParticipantMatch | None:
    """Resolve the participant among the persons this user may see; a field error (the same
    whether or not the person exists elsewhere) when not found. Logs the look-up (``log``:
    not when only resolved for the redirect whose page then logs it)."""
    number = form.cleaned_data.get("personnummer") or ""
    person_id = form.cleaned_data.get("deltagare")
    if not number and person_id is None:
        return None
    persons = (
        persons_for(user=request.user).select_related("reason_code").prefetch_related("assessments")
    )
    person = (
        persons.filter(personnummer=number).first()
        if number
        else persons.filter(pk=int(person_id or 0)).first()
    )
    if person is None:
        form.add_error("personnummer", NOT_FOUND)
        # a refusal like any other: logged by number only, never with the personnummer asked
        asked = int(person_id) if person_id is not None else None
        if number:
            asked = Person.objects.filter(personnummer=number).values_list("pk", flat=True).first()
        known = asked is not None and valid_id(asked) and Person.objects.filter(pk=asked).exists()
        log_access(
            user=request.user,
            action=Action.DENIED,
            person_id=asked if known else None,
            page=request.path,
            detail={"participant": "not found", "person_id": person_id}
            if person_id is not None and not number
            else {"participant": "not found"},
        )
        return None
    if log:
        log_access(user=request.user, action=Action.VIEW, person_id=person.pk, page=request.path)
    facts = person_criteria(person, on=on)
    labels = {
        "reason_group": _("reason code"),
        "activity_hours": _("activity capacity"),
        "swedish_level": _("Swedish level"),
    }
    return ParticipantMatch(
        person=person,
        name_visible=may_see_protected_identity(cast(User, request.user), person),
        facts=facts,
        missing=[labels[name] for name in facts.missing],
        reason_group=str(dict(ReasonGroup.choices).get(facts.reason_group or "", "")),
        swedish_level=str(dict(SwedishLevel.choices).get(facts.swedish_level or "", "")),
    )


def _filters(form: CatalogueFilterForm, match: ParticipantMatch | None) -> CatalogueFilter:
    data = form.cleaned_data
    return CatalogueFilter(
        step=data.get("steg"),
        activity_type=data.get("insatstyp") or "",
        provider=data.get("utforare"),
        free_only=bool(data.get("lediga")),
        language_support=bool(data.get("sprakstod")),
        status=data.get("status") or "",
        text=(data.get("q") or "").strip(),
        facts=match.facts if match is not None else None,
    )


@requires(Perm.CATALOGUE_VIEW)
def catalogue_list(request: HttpRequest) -> HttpResponse:
    """The filters come by POST and go on by redirect as a query string in which the
    participant is their id: a personal identity number is never in a URL (decision 0019).
    One given in the query string is ignored."""
    today = timezone.localdate()
    person_match = has_perm(request.user, Perm.PERSON_VIEW)
    data: QueryDict = (request.POST if request.method == "POST" else request.GET).copy()
    for key in ("csrfmiddlewaretoken", *(() if request.method == "POST" else ("personnummer",))):
        data.pop(key, None)
    form = CatalogueFilterForm(data, person_match=person_match)
    page: Page[Intervention] | None = None
    match: ParticipantMatch | None = None
    if form.is_valid():
        posted = request.method == "POST"
        match = _participant(request, form, on=today, log=not posted) if person_match else None
    if request.method == "POST" and not form.errors:
        data.pop("sida", None)
        data.pop("personnummer", None)
        data.pop("deltagare", None)
        if match is not None:
            data["deltagare"] = str(match.person.pk)
        query = QueryDict(mutable=True)
        for key, values in data.lists():
            kept = [v for v in values if v not in ("", None)]
            if kept:
                query.setlist(key, kept)
        return redirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    if not form.errors:
        results = interventions(on=today, filters=_filters(form, match))
        page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("sida"))
    context = {
        "form": form,
        "page": page,
        "match": match,
        "page_query": _page_query(request, person_id=match.person.pk if match else None),
        "without_participant": _without_participant(request),
        "filtered": any(v not in ("", None) for k, v in data.items() if k != "sida"),
        **staircase_context(on=today),
    }
    return render(request, "catalog/list.html", context)


def _without_participant(request: HttpRequest) -> str:
    query: QueryDict = request.GET.copy()
    for key in ("personnummer", "deltagare", "sida"):
        query.pop(key, None)
    return query.urlencode()


# --- One intervention ---------------------------------------------------------------------


@requires(Perm.CATALOGUE_VIEW)
def intervention_detail(request: HttpRequest, intervention_id: int) -> HttpResponse:
    today = timezone.localdate()
    item = get_object_or_404(
        Intervention.objects.with_capacity(on=today).select_related(
            "step", "provider", "agreement"
        ),
        pk=intervention_id,
    )
    history = item.capacity_changes.select_related("changed_by").order_by("-valid_from", "-pk")
    return render(
        request,
        "catalog/detail.html",
        {
            "item": item,
            "criteria": criteria_sentences(item),
            "history": history,
            "may_edit": may_edit_intervention(cast(User, request.user), item),
            "today": today,
        },
    )


def _save(request: HttpRequest, form: InterventionForm, item: Intervention | None) -> Any:
    """Save a valid form; a conflict found only by the database becomes a form error."""
    data = form.cleaned_data
    try:
        return services.intervention_save(
            intervention=item,
            code=item.code if item is not None else data["code"],
            data=form.intervention_data(),
            places=data["places"],
            today=timezone.localdate(),
            acting_user=request.user,
            reason=data["reason"].strip(),
        )
    except (ValidationError, IntegrityError):
        form.add_error(None, _("The intervention could not be saved. Check the fields and retry."))
        return None


@requires(Perm.CATALOGUE_EDIT)
def intervention_create(request: HttpRequest) -> HttpResponse:
    form = InterventionForm(
        request.POST or None,
        user=request.user,
        initial={"places": 0, "status": InterventionStatus.ACTIVE},
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, None)
        if saved is not None:
            messages.success(request, _("The intervention was saved."))
            return redirect("intervention_detail", intervention_id=saved.pk)
    return render(
        request,
        "catalog/form.html",
        {"form": form, "title": _("New intervention"), "item": None},
    )


@requires(Perm.CATALOGUE_EDIT)
def intervention_edit(request: HttpRequest, intervention_id: int) -> HttpResponse:
    item = (
        editable_interventions(user=request.user)
        .select_related("provider", "step")
        .filter(pk=intervention_id)
        .first()
    )
    if item is None:  # not there, or another organisation's: the same answer
        raise Http404
    today = timezone.localdate()
    places = (
        Intervention.objects.with_capacity(on=today)
        .filter(pk=item.pk)
        .values_list("places", flat=True)  # type: ignore[misc]
        .first()
    )
    name = item.name
    form = InterventionForm(
        request.POST or None, instance=item, user=request.user, initial={"places": places or 0}
    )
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, item)
        if saved is not None:
            messages.success(request, _("The intervention was saved."))
            return redirect("intervention_detail", intervention_id=saved.pk)
    return render(
        request,
        "catalog/form.html",
        {
            "form": form,
            "title": _("Edit %(name)s") % {"name": name},
            "item": item,
            "item_name": name,
        },
    )


# --- The staircase ------------------------------------------------------------------------


@requires(Perm.CATALOGUE_VIEW)
def staircase_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    needs = (
        Intervention.objects.filter(status=InterventionStatus.NEEDED)
        .select_related("step", "provider")
        .order_by("step__position", "step__pk", "name", "pk")
    )
    return render(
        request,
        "catalog/staircase.html",
        {"needs": needs, **staircase_context(on=today)},
    )


# --- Actors -------------------------------------------------------------------------------


@requires(Perm.CATALOGUE_VIEW)
def actor_list(request: HttpRequest) -> HttpResponse:
    offered = ~Q(interventions__status=InterventionStatus.NEEDED)
    actors = Actor.objects.annotate(
        n_interventions=Count("interventions", filter=offered, distinct=True),
        n_agreements=Count("agreements", distinct=True),
    ).order_by("rank", "name", "pk")
    return render(request, "catalog/actor_list.html", {"actors": actors})


@requires(Perm.CATALOGUE_VIEW)
def actor_detail(request: HttpRequest, actor_id: int) -> HttpResponse:
    today = timezone.localdate()
    actor = get_object_or_404(Actor.objects.select_related("unit"), pk=actor_id)
    return render(
        request,
        "catalog/actor_detail.html",
        {
            "actor": actor,
            "agreements": actor.agreements.order_by("valid_from", "pk"),
            "items": Intervention.objects.with_capacity(on=today)
            .filter(provider=actor)
            .select_related("step")
            .order_by("step__position", "name", "pk"),
        },
    )


# --- The public page ----------------------------------------------------------------------


@public
def catalogue_public(request: HttpRequest) -> HttpResponse:
    """Criteria and free capacity of the active interventions, and the staircase. No personal
    data: no persons, no users, no contact persons; organisations and numbers only."""
    today = timezone.localdate()
    items = (
        Intervention.objects.with_capacity(on=today)
        .filter(status=InterventionStatus.ACTIVE)
        .select_related("step", "provider")
        .only(
            "name",
            "step",
            "provider",
            "description",
            "step__name",
            "step__position",
            "provider__name",
            "activity_type",
            "target_groups",
            "min_activity_hours",
            "swedish_requirement",
            "age_min",
            "age_max",
            "criteria_text",
            "hours_per_week",
            "language_support",
            "language_support_note",
            "location",
        )
        .order_by("step__position", "name", "pk")
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("sida"))
    rows = [{"item": item, "criteria": criteria_sentences(item)} for item in page.object_list]
    return render(
        request,
        "catalog/public.html",
        {"page": page, "rows": rows, **staircase_context(on=today)},
    )
