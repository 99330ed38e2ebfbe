"""Reads of the access log, for administrators."""

from __future__ import annotations

from django.db.models import QuerySet

from heltid.audit.models import AccessLog
from heltid.registry.identity import IdentityError, parse_identity
from heltid.registry.models import Person


def access_log_search(*, personnummer: str = "", username: str = "") -> QuerySet[AccessLog]:
    entries = AccessLog.objects.select_related("user", "person").order_by("-seq")
    if personnummer:
        try:
            number = parse_identity(personnummer).number
        except IdentityError:
            return entries.none()
        person_id = Person.objects.filter(personnummer=number).values_list("pk", flat=True).first()
        if person_id is None:
            return entries.none()
        entries = entries.filter(person_id=person_id)
    if username:
        entries = entries.filter(actor__iexact=username.strip())
    return entries
