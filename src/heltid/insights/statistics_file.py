"""The monthly statistics file on individual level (HSLF-FS 2015:30, ekonomiskt bistånd).

One row per person on income support in the month: personnummer, the month, the reason code
(försörjningshinder), the labour-market interventions that month and the exit reason if the
person left that month. The columns follow the regulation's content but the layout is Heltid's
own; docs/statistics-file.md describes it and how to map it to Socialstyrelsen's specification.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import Q
from django.utils import timezone

from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.casework.models import Exit
from heltid.ids import chunks
from heltid.insights import snapshots
from heltid.insights.models import SnapshotRow
from heltid.referrals.models import Referral
from heltid.registry.models import AfProgramme, Person

COLUMNS = ("personnummer", "manad", "forsorjningshinder", "insatser", "af_program", "avslutsorsak")
DELIMITER = ";"
LIST_SEPARATOR = ","
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthError(ValueError):
    """The month is not written YYYY-MM or does not exist."""


def parse_month(text: str) -> date:
    """YYYY-MM → the month's first day; a Swedish message otherwise."""
    match = _MONTH.match(text.strip())
    if not match or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise MonthError(
            f"Ogiltig månad: {text!r}. Skriv månaden som ÅÅÅÅ-MM, till exempel 2025-03."
        )
    return date(int(match.group(1)), int(match.group(2)), 1)


def _month_end(first: date) -> date:
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)


@dataclass(frozen=True)
class StatisticsRow:
    person_id: int
    personnummer: str
    month: str
    reason_code: str
    interventions: tuple[str, ...]
    af_programme: str
    exit_reason: str

    def as_list(self) -> list[str]:
        return [
            self.personnummer,
            self.month,
            self.reason_code,
            LIST_SEPARATOR.join(self.interventions),
            self.af_programme,
            self.exit_reason,
        ]


def statistics_rows(*, month: date) -> list[StatisticsRow]:
    """Everyone on support in ``month`` (its first day), ordered by personnummer; six queries
    (per 5,000 persons) once the month's statistics are stored."""
    first, last = month.replace(day=1), _month_end(month)
    start = datetime.combine(first, time.min, tzinfo=UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=UTC)
    persons = (
        Person.objects.filter(
            Q(support_periods__first_month__lte=first)
            & (
                Q(support_periods__last_month__isnull=True)
                | Q(support_periods__last_month__gte=first)
            )
        )
        .distinct()
        .select_related("reason_code")
        .order_by("personnummer")
    )
    people = list(persons)
    ids = [p.pk for p in people]
    # A referral holds a place from place_from until it ends; any overlap with the month counts.
    interventions: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids):
        holding = (
            Referral.objects.filter(person_id__in=chunk, place_from__lt=end)
            .filter(Q(ended_at__isnull=True) | Q(ended_at__gte=start))
            .values_list("person_id", "intervention__code")
            .order_by("person_id", "intervention__code")
        )
        for person_id, code in holding:
            if code not in interventions[person_id]:
                interventions[person_id].append(code)
    # The reason code and the programme as stored for the month's last day (decision 0009): a
    # later change of the person does not rewrite an earlier month's file.
    today = timezone.localdate()
    snapshot = snapshots.for_day(min(last, today), today=today)
    stored: dict[int, tuple[str, str]] = {}
    exit_rows = Exit.objects.filter(exit_on__gte=first, exit_on__lte=last)
    if snapshot is not None:
        stored = {
            person_id: (reason, programme)
            for person_id, reason, programme in SnapshotRow.objects.filter(
                snapshot=snapshot
            ).values_list("person_id", "reason_code", "af_programme")
        }
        if not snapshot.provisional:
            exit_rows = exit_rows.filter(created_at__lte=snapshot.taken_at)
    exits: dict[int, str] = {}
    for chunk in chunks(ids):
        for person_id, reason in (
            exit_rows.filter(person_id__in=chunk)
            .order_by("exit_on", "pk")
            .values_list("person_id", "reason")
        ):
            exits[person_id] = reason  # the month's last exit
    rows = []
    for person in people:
        if person.pk in stored:
            reason_code, programme = stored[person.pk]
        else:  # not in the statistics (inconsistent facts): as registered now
            reason_code = person.reason_code.label if person.reason_code else ""
            in_programme = person.af_programme_since is None or person.af_programme_since <= last
            programme = person.af_programme if in_programme else AfProgramme.NONE
        rows.append(
            StatisticsRow(
                person_id=person.pk,
                personnummer=person.personnummer,
                month=f"{first:%Y-%m}",
                reason_code=reason_code,
                interventions=tuple(interventions.get(person.pk, [])),
                af_programme="" if programme == AfProgramme.NONE else programme,
                exit_reason=exits.get(person.pk, ""),
            )
        )
    return rows


def statistics_file(*, month: date, page: str = "cli:statistics-file") -> str:
    """The file's text (header first); every person in it is logged as exported."""
    rows = statistics_rows(month=month)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(row.as_list())
    log_entries(
        user=None,
        entries=[
            Entry(action=Action.EXPORT, person_id=row.person_id, detail={"month": row.month})
            for row in rows
        ],
        page=page,
        actor="cli",
    )
    return out.getvalue()
