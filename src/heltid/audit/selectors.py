"""Reads of the access log, for administrators (and the tests' questions about it)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.db.models import CharField, F, JSONField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from heltid.audit.models import AccessLog, AccessLogPerson, Action
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


def _person_id(person: Any) -> int:
    return int(getattr(person, "pk", person))


def entries_naming(person: Any) -> QuerySet[AccessLog]:
    """Every entry naming the person (a Person or its id), newest first, in one query: the
    entries of one access to them (``person``) and the bulk operations listing them.

    Each entry carries ``named_action`` and ``named_detail``: what was done to this person — a
    bulk operation's own record of them, or the entry's action and detail."""
    person_id = _person_id(person)
    listed = AccessLogPerson.objects.filter(person_id=person_id)
    own = listed.filter(entry=OuterRef("pk")).order_by("position")
    ids = (
        AccessLog.objects.filter(person_id=person_id)
        .order_by()
        .values("pk")
        .union(listed.order_by().values("entry_id"), all=True)
    )
    naming: QuerySet[AccessLog] = (
        AccessLog.objects.filter(pk__in=ids)
        .annotate(
            named_action=Coalesce(
                Subquery(own.values("action")[:1]), F("action"), output_field=CharField()
            ),
            named_detail=Coalesce(
                Subquery(own.values("detail")[:1]), F("detail"), output_field=JSONField()
            ),
        )
        .order_by("-id")
    )
    return naming


@dataclass(frozen=True)
class PersonNamed:
    """One person an entry names, with what was done to them."""

    entry: AccessLog
    person_id: int
    action: str
    detail: Any


def persons_named(
    entries: QuerySet[AccessLog] | None = None, *, person: Any = None, action: str | None = None
) -> list[PersonNamed]:
    """Each person the entries name (all entries by default): an access's own person, and
    every person of a bulk operation with their own action and detail — in the order written.
    ``person`` and ``action`` keep only that person, or what was done to them."""
    entries = AccessLog.objects.all() if entries is None else entries
    single = entries.filter(person__isnull=False)
    listed = AccessLogPerson.objects.filter(
        entry_id__in=entries.order_by().values_list("pk", flat=True)
    )
    if person is not None:
        single = single.filter(person_id=_person_id(person))
        listed = listed.filter(person_id=_person_id(person))
    if action is not None:
        single = single.filter(action=action)
        listed = listed.filter(action=action)
    found = [((e.pk, 0), PersonNamed(e, int(e.person_id or 0), e.action, e.detail)) for e in single]
    found += [
        ((p.entry_id, p.position), PersonNamed(p.entry, p.person_id, p.action, p.detail))
        for p in listed.select_related("entry")
    ]
    return [named for _order, named in sorted(found, key=lambda item: item[0])]


def access_log_search(*, personnummer: str = "", username: str = "") -> QuerySet[AccessLog]:
    entries: QuerySet[AccessLog]
    if personnummer:
        person_id = person_by_number(personnummer)
        if person_id is None:
            return AccessLog.objects.none()
        entries = entries_naming(person_id)
    else:
        entries = AccessLog.objects.order_by("-id")
    if username:
        entries = entries.filter(actor__iexact=username.strip())
    return entries.select_related("user", "person")


@dataclass(frozen=True)
class LogRow:
    entry: AccessLog
    action: str  # shown
    person: str
    detail: str


def log_rows(entries: list[AccessLog], *, reader: Any, named: Person | None = None) -> list[LogRow]:
    """The log page's rows: for a search by person (``named``, entries from
    :func:`entries_naming`), what was done to that person; otherwise each entry as written, a
    bulk operation with the number of persons it names."""
    details = shown_detail(entries, reader=reader)
    labels = dict(Action.choices)
    rows = []
    for entry in entries:
        action = getattr(entry, "named_action", entry.action)
        if entry.person_id is not None and entry.person is not None:
            person = entry.person.personnummer_display
        elif entry.persons:
            person = ngettext("%(count)s person", "%(count)s persons", entry.persons) % {
                "count": entry.persons
            }
            if named is not None:
                person = f"{named.personnummer_display} ({person})"
        else:
            person = "–"
        rows.append(LogRow(entry, str(labels.get(action, action)), person, details[entry.pk]))
    return rows


def shown_detail(entries: list[AccessLog], *, reader: Any) -> dict[int, str]:
    """Each entry's detail as the log page shows it to this reader, by entry id (for a search
    by person, the detail about that person).

    Searches are logged without their text (decision 0003); entries written before that kept
    the text, which may be a protected person's name: it is shown only to readers granted
    protected identities, or when the search showed no protected person."""
    may_see_protected = bool(getattr(reader, "protected_identity_access", False))

    def detail_of(entry: AccessLog) -> Any:
        return getattr(entry, "named_detail", entry.detail)

    legacy = [e for e in entries if isinstance(detail_of(e), dict) and "query" in detail_of(e)]
    protected: set[int] = set()
    if legacy and not may_see_protected:
        listed = {
            p for e in legacy for p in detail_of(e).get("shown", []) or [] if isinstance(p, int)
        }
        protected = set(
            Person.objects.filter(pk__in=listed, protected_identity=True).values_list(
                "pk", flat=True
            )
        )
    result: dict[int, str] = {}
    for entry in entries:
        detail = detail_of(entry)
        if isinstance(detail, dict) and "query" in detail and not may_see_protected:
            shown = [p for p in detail.get("shown", []) or [] if isinstance(p, int)]
            if any(p in protected for p in shown):
                detail = {
                    **{k: v for k, v in detail.items() if k != "query"},
                    "query": _("(hidden: the search showed a person with protected identity)"),
                }
        result[entry.pk] = json.dumps(detail, ensure_ascii=False, sort_keys=True) if detail else ""
    return result
