"""Reads of the registry; every one takes the user so scoping cannot be forgotten."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from heltid.accounts.permissions import (
    may_see_protected_identity,
    may_view_person,
    persons_visible_q,
)
from heltid.registry.identity import IdentityError, parse_identity
from heltid.registry.models import Child, Exemption, Person, SupportPeriod

_DIGITS = re.compile(r"^[\d\s+-]+$", re.ASCII)


def persons_for(*, user: Any) -> QuerySet[Person]:
    return Person.objects.filter(persons_visible_q(user))


def person_search(*, user: Any, query: str) -> QuerySet[Person]:
    """Search by personnummer (any common form) or by name; protected names are not searchable."""
    persons = persons_for(user=user).select_related("unit", "reason_code")
    text = query.strip()
    if not text:
        return persons.none()
    if _DIGITS.match(text):
        digits = re.sub(r"\D", "", text)
        try:
            return persons.filter(personnummer=parse_identity(text).number)
        except IdentityError:
            if len(digits) >= 4:
                return persons.filter(personnummer__contains=digits)
            return persons.none()
    name_match = Q()
    for word in text.split()[:4]:
        name_match &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
    hidden = Q(protected_identity=True)
    if not user.protected_identity_access:
        return persons.filter(name_match).exclude(hidden)
    return persons.filter(name_match)


def person_detail(*, user: Any, person_id: int, full: bool = True) -> Person:
    """One person with everything the person page shows, in a fixed number of queries; with
    ``full=False`` only the person and what it refers to (one query), for the pages under the
    person page, which show little else."""
    persons = Person.objects.select_related("household", "reason_code", "unit", "case_manager")
    if full:
        persons = persons.prefetch_related(
            Prefetch("household__children", queryset=Child.objects.order_by("birth_date")),
            "facts",
            Prefetch("household__adults", queryset=Person.objects.order_by("personnummer")),
            Prefetch("support_periods", queryset=SupportPeriod.objects.order_by("-first_month")),
            Prefetch(
                "exemptions",
                queryset=Exemption.objects.select_related("decided_by").order_by("-decided_on"),
            ),
        )
    person = persons.filter(pk=person_id).first()
    if person is None or not may_view_person(user, person):
        raise Http404
    return person


def shown_name(*, user: Any, person: Person) -> str:
    """The name as this user may see it."""
    if may_see_protected_identity(user, person):
        return f"{person.first_name} {person.last_name}"
    return "Skyddad identitet"
