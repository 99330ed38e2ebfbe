"""Reads of the access log, for administrators."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from heltid.audit.models import AccessLog
from heltid.registry.identity import IdentityError, parse_identity
from heltid.registry.models import Person


def person_by_number(personnummer: str) -> int | None:
    try:
        number = parse_identity(personnummer).number
    except IdentityError:
        return None
    found: int | None = (
        Person.objects.filter(personnummer=number).values_list("pk", flat=True).first()
    )
    return found


def access_log_search(*, personnummer: str = "", username: str = "") -> QuerySet[AccessLog]:
    entries = AccessLog.objects.select_related("user", "person").order_by("-seq")
    if personnummer:
        person_id = person_by_number(personnummer)
        if person_id is None:
            return entries.none()
        entries = entries.filter(person_id=person_id)
    if username:
        entries = entries.filter(actor__iexact=username.strip())
    return entries


def shown_detail(entries: list[AccessLog], *, reader: Any) -> dict[int, str]:
    """Each entry's detail as the log page shows it to this reader, by entry id.

    Searches are logged without their text (decision 0003); entries written before that kept
    the text, which may be a protected person's name: it is shown only to readers granted
    protected identities, or when the search showed no protected person."""
    may_see_protected = bool(getattr(reader, "protected_identity_access", False))
    legacy = [e for e in entries if isinstance(e.detail, dict) and "query" in e.detail]
    protected: set[int] = set()
    if legacy and not may_see_protected:
        listed = {p for e in legacy for p in e.detail.get("shown", []) or [] if isinstance(p, int)}
        protected = set(
            Person.objects.filter(pk__in=listed, protected_identity=True).values_list(
                "pk", flat=True
            )
        )
    result: dict[int, str] = {}
    for entry in entries:
        detail = entry.detail
        if isinstance(detail, dict) and "query" in detail and not may_see_protected:
            shown = [p for p in detail.get("shown", []) or [] if isinstance(p, int)]
            if any(p in protected for p in shown):
                detail = {
                    **{k: v for k, v in detail.items() if k != "query"},
                    "query": _("(hidden: the search showed a person with protected identity)"),
                }
        result[entry.pk] = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""
    return result
