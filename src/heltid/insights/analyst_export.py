"""The analysts' pseudonymised export (analysunderlag): one row per recipient on support on a
day, from that day's stored statistics (decision 0009), for analyses the dashboard does not do.

No personnummer, name, address or exact date: each person is a pseudonym (a keyed hash of the
database id — the same person has the same pseudonym in every export, so analysts can follow a
person between months, but only someone with the key and the database can tell who it is), age
is a group, dates become lead times in days. The data are still personal data (pseudonymised,
not anonymous): every export is logged. docs/analyst-export.md describes the columns.
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings

from heltid.catalog.models import Step
from heltid.insights import metrics, snapshots
from heltid.insights.filters import InsightFilter, age_group
from heltid.insights.models import Snapshot
from heltid.spreadsheets import values_only

COLUMNS: tuple[str, ...] = (
    "pseudonym",
    "dag",
    "enhet",
    "kon",
    "aldersgrupp",
    "steg",
    "malgrupp",
    "omfattas",
    "undantag",
    "timmar_per_vecka",
    "af_program",
    "forsorjningshinder",
    "halsa",
    "onskat_steg",
    "plan",
    "planerade_timmar",
    "pagaende_aktivitet",
    "dagar_till_kartlaggning",
    "dagar_till_plan",
    "dagar_till_forsta_aktivitet",
    "uppfoljd_i_tid",
)
FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Cell = str | int | float | None


def pseudonym(person_id: int) -> str:
    """A stable pseudonym for a person: HMAC-SHA256 of the id with the pseudonym key."""
    key = (
        settings.HELTID_PSEUDONYM_KEY
        or hmac.new(settings.SECRET_KEY.encode(), b"heltid-pseudonym", hashlib.sha256).hexdigest()
    )
    digest = hmac.new(key.encode(), f"person:{person_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:16]


def _days(a: date | None, b: date | None) -> int | None:
    return max((b - a).days, 0) if a is not None and b is not None else None


def _flag(value: bool) -> int:
    return 1 if value else 0


@dataclass(frozen=True)
class AnalystExport:
    snapshot: Snapshot
    rows: tuple[tuple[Cell, ...], ...]


def analyst_export(snapshot: Snapshot) -> AnalystExport:
    """The snapshot's rows, pseudonymised, ordered by pseudonym (not by database id). Two
    queries."""
    steps = dict(Step.objects.values_list("pk", "code"))
    on = snapshot.on
    pop = snapshots.population(snapshot, InsightFilter(start=on, end=on))
    rows: list[tuple[Cell, ...]] = []
    for r in pop.rows:
        rows.append(
            (
                pseudonym(r.pk),
                on.isoformat(),
                r.unit_code,
                r.sex,
                age_group(r.age),
                r.step_code,
                _flag(r.target_group),
                _flag(r.covered),
                r.exemption or "",
                float(r.weekly_hours),
                "" if r.af_programme == "none" else r.af_programme,
                r.reason_code,
                r.health or "",
                steps.get(r.requested_step_id, "") if r.requested_step_id else "",
                _flag(r.plan_on is not None),
                float(r.plan_hours),
                _flag(r.has_ongoing),
                _days(r.covered_from, r.assessed_on) if r.covered else None,
                _days(r.assessed_on, r.plan_on) if r.covered else None,
                _days(r.plan_on, r.first_activity_on) if r.covered else None,
                (
                    _flag(metrics.followed_up_on_time(r, on=on))
                    if r.covered and r.covered_from is not None
                    else None
                ),
            )
        )
    rows.sort(key=lambda row: str(row[0]))
    return AnalystExport(snapshot=snapshot, rows=tuple(rows))


def as_csv(export: AnalystExport) -> bytes:
    """;-separated UTF-8 (with a byte-order mark, so Excel reads å, ä, ö), header first; an
    empty cell is an unknown or not applicable value."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in export.rows:
        writer.writerow(["" if v is None else v for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(export: AnalystExport) -> bytes:
    """One sheet with the columns as a header row, numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = f"Analysunderlag {export.snapshot.on.isoformat()}"
    sheet.append(list(COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in export.rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    values_only(workbook)
    workbook.save(out)
    return out.getvalue()


RENDERERS = {"csv": as_csv, "xlsx": as_xlsx}


def export_day(day: date, kind: str, *, today: date) -> tuple[bytes, dict[str, Any]]:
    """The file for ``day`` (today at the latest) as ``kind``, and what the access log records
    of it. The page and the command both log it, each as its own actor."""
    snapshot = snapshots.for_day(day, today=today)
    assert snapshot is not None  # the day is today at the latest
    export = analyst_export(snapshot)
    detail = {
        "export": "analyst",
        "format": kind,
        "day": day.isoformat(),
        "edition": snapshot.edition,
        "rows": len(export.rows),
    }
    return RENDERERS[kind](export), detail


def export_files(day: date, *, today: date) -> tuple[dict[str, Any], dict[str, bytes]]:
    """The export of ``day`` in every format, from one build of its rows (the background task
    behind the page, decision 0022), and what the access log records of it (with the format
    added at each download)."""
    snapshot = snapshots.for_day(day, today=today)
    assert snapshot is not None  # the day is today at the latest
    export = analyst_export(snapshot)
    detail = {
        "export": "analyst",
        "day": day.isoformat(),
        "edition": snapshot.edition,
        "rows": len(export.rows),
    }
    return detail, {kind: render(export) for kind, render in RENDERERS.items()}
