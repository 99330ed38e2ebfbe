"""Notifications to Arbetsförmedlingen (socialtjänstlagen (2025:400), aktivitetskravet
(prop. 2025/26:207)): recorded one row each — who, what, when — and exported in batches later
(see ``docs/af-notifications.md``). The social welfare board tells Arbetsförmedlingen when a
person may be covered by the activity requirement (:func:`notify_may_be_covered`), when
participation starts and when it ends (``referrals.services.referral``)."""

from __future__ import annotations

import csv
import io
import json
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from heltid.accounts.permissions import persons_visible_q
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.clock import moment_of
from heltid.referrals.models import AfNotification, NotificationKind
from heltid.registry.models import Person
from heltid.registry.selectors import shown_name


def _plain_kind(kind: str) -> NotificationKind:
    """``kind`` for notify/notify_many; a kind outside the list is a programming error, and so
    is ``may_be_covered``, which has its coverage start (:func:`notify_may_be_covered`)."""
    checked = NotificationKind(kind)
    if checked == NotificationKind.MAY_BE_COVERED:
        raise ValueError("record may_be_covered with notify_may_be_covered")
    return checked


def notify(
    *, person: Person, kind: str, text: str, acting_user: Any, at: datetime | None = None
) -> AfNotification:
    """Record that Arbetsförmedlingen is to be told ``text`` about ``person``, recorded ``at``
    (default: now). The row is pending until an export marks it sent; django-auditlog records
    the creation."""
    _plain_kind(kind)
    with transaction.atomic():
        return AfNotification.objects.create(
            person=person,
            kind=kind,
            text=text[:300],
            created_by=acting_user if getattr(acting_user, "pk", None) else None,
            created_at=at or timezone.now(),
        )


def notify_may_be_covered(
    person: Person, *, covered_from: date, user: Any, today: date
) -> AfNotification | None:
    """Record, once per person and coverage start, that Arbetsförmedlingen is to be told that
    ``person`` may be covered by the activity requirement from ``covered_from`` ("Socialnämnden
    ska meddela Arbetsförmedlingen när en arbetssökande kan vara aktuell för
    aktivitetskravet"), recorded on ``today`` by ``user`` (None: the system). Returns the new
    row, or None when that coverage start was already recorded (sent or not): calling again
    records nothing. A different ``covered_from`` (coverage that begins again) is a new row."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("May be covered by the activity requirement from %(day)s.") % {
            "day": covered_from.isoformat()
        }
    with transaction.atomic():
        # the partial unique constraint (person, covered_from) settles two simultaneous calls
        note, created = AfNotification.objects.get_or_create(
            person=person,
            kind=NotificationKind.MAY_BE_COVERED,
            covered_from=covered_from,
            defaults={
                "text": text[:300],
                "created_by": user if getattr(user, "pk", None) else None,
                "created_at": moment_of(today),
            },
        )
    return note if created else None


def notify_many(
    *, notes: list[tuple[int, str, str]], acting_user: Any, at: datetime | None = None
) -> list[AfNotification]:
    """Record several notifications at once — ``(person_id, kind, text)`` each — in one
    insert (a group's attendance, say), recorded ``at`` (default: now)."""
    by = acting_user if getattr(acting_user, "pk", None) else None
    created_at = at or timezone.now()
    rows = [
        AfNotification(
            person_id=person_id,
            kind=_plain_kind(kind),
            text=text[:300],
            created_by=by,
            created_at=created_at,
        )
        for person_id, kind, text in notes
    ]
    if not rows:
        return []
    with transaction.atomic():
        return AfNotification.objects.bulk_create(rows)


# The export's columns, in order (documented in docs/af-notifications.md).
COLUMNS = (
    "batch",
    "id",
    "personal_identity_number",
    "name",
    "kind",
    "kind_text",
    "text",
    "recorded_at",
    "recorded_by",
    "unit",
)
FORMATS = ("csv", "json")
# A cell starting with one of these is a formula to a spreadsheet: prefix it with '.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def pending_for(user: Any) -> Any:
    """The notifications not yet exported for the persons this user may see, oldest first."""
    return (
        AfNotification.objects.filter(
            sent_at__isnull=True, person__in=Person.objects.filter(persons_visible_q(user))
        )
        .select_related("person", "person__unit", "created_by")
        .order_by("created_at", "pk")
    )


@dataclass(frozen=True)
class AfExport:
    batch: str
    count: int
    content: bytes
    content_type: str
    filename: str


def _record(note: AfNotification, *, user: Any, batch: str) -> dict[str, Any]:
    by = note.created_by
    return {
        "batch": batch,
        "id": note.pk,
        "personal_identity_number": note.person.personnummer,
        "name": shown_name(user=user, person=note.person),
        "kind": note.kind,
        "kind_text": str(NotificationKind(note.kind).label),
        "text": note.text,
        "recorded_at": timezone.localtime(note.created_at).isoformat(timespec="seconds"),
        "recorded_by": (by.get_full_name() or by.get_username()) if by is not None else "",
        "unit": note.person.unit.name,
    }


def _spreadsheet_safe(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _csv(records: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow([_spreadsheet_safe(record[c]) for c in COLUMNS])
    # UTF-8 with a byte order mark, so that Swedish Excel reads å, ä and ö right
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _json(records: list[dict[str, Any]], *, batch: str, at: str) -> bytes:
    body = {"batch": batch, "exported_at": at, "count": len(records), "notifications": records}
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


@transaction.atomic
def export_pending(*, user: Any, fmt: str, page: str = "") -> AfExport | None:
    """Export every pending notification this user may see as one batch (CSV or JSON) and mark
    them sent with the batch id, in one transaction; None when nothing is pending. The access
    log gets one EXPORT entry per person."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    notes = list(pending_for(user).select_for_update(of=("self",)))
    if not notes:
        return None
    now = timezone.now()
    batch = f"AF-{timezone.localtime(now):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
    AfNotification.objects.filter(pk__in=[n.pk for n in notes]).update(sent_at=now, batch=batch)
    records = [_record(n, user=user, batch=batch) for n in notes]
    per_person: dict[int, int] = {}
    for note in notes:
        per_person[note.person_id] = per_person.get(note.person_id, 0) + 1
    log_entries(
        user=user,
        entries=[
            Entry(
                action=Action.EXPORT,
                person_id=person_id,
                detail={"af_batch": batch, "notifications": count, "format": fmt},
            )
            for person_id, count in per_person.items()
        ],
        page=page,
    )
    at = timezone.localtime(now).isoformat(timespec="seconds")
    if fmt == "csv":
        content, content_type = _csv(records), "text/csv; charset=utf-8"
    else:
        content, content_type = _json(records, batch=batch, at=at), "application/json"
    return AfExport(
        batch=batch,
        count=len(notes),
        content=content,
        content_type=content_type,
        filename=f"af-underrattelser-{batch}.{fmt}",
    )
