"""The catalogue as an Excel workbook (.xlsx): export, and import back by code.

The workbook has one sheet per entity, in the order they are imported, so that a row may
refer to a row of an earlier sheet in the same file:

``Steg``
    kod, namn, beskrivning, position, aktiv
``Aktörer``
    kod, namn, typ, rang, rang_kommentar, paverkar, paverkas, konflikter, kontaktperson,
    kontakt_epost, kontakt_telefon, enhet (the code of the Heltid unit whose provider staff
    edit the actor's interventions)
``Avtal``
    kod, aktor (actor code), typ, titel, giltigt_fran, giltigt_till, anteckning
``Insatser``
    kod, namn, beskrivning, utforare (actor code), avtal (agreement code), steg (step code),
    aktivitetstyp, spar, malgrupper (comma-separated), min_aktivitet_timmar, svenska,
    alder_min, alder_max, ovriga_kriterier, timmar_per_vecka, kostnad_per_plats_manad,
    sprakstod, sprakstod_sprak, adress, startdatum, slutdatum, status, platser —
    then the computed ``upptagna_beraknat``, ``lediga_beraknat``, ``i_ko_beraknat`` (grey;
    every column whose key ends in ``_beraknat`` is ignored on import)
``Koder``
    the allowed values of every choice column with their Swedish meaning (not imported)

Headers are lowercase ASCII keys, like the recipient import's; their order does not matter
and extra columns are ignored. Choice columns hold the stored value (``workplace``), yes/no
columns ``ja``/``nej``, dates are real Excel dates (text ``ÅÅÅÅ-MM-DD`` is read too).

``platser`` holds the places in force on the export date; the dated history of capacity
changes (and places that only begin later, as for a planned intervention) is not in the file.

Import: the whole file or nothing. Rows are created or updated by ``kod``; rows missing from
the file are left alone (never deleted). ``platser`` becomes a dated capacity change from the
import day, written only when the number differs. A row equal to the database is not saved, so
importing an exported file changes nothing. Every problem is reported with sheet, row, column
and a message; a file that is not a readable .xlsx gives a file error, never an exception.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, models, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from heltid.accounts.models import Unit
from heltid.catalog.models import (
    ActivityType,
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    Intervention,
    InterventionStatus,
    Step,
    Track,
)
from heltid.catalog.models.intervention import SwedishRequirement, TargetGroup
from heltid.catalog.services import capacity_set
from heltid.spreadsheets import values_only

STEPS = "Steg"
ACTORS = "Aktörer"
AGREEMENTS = "Avtal"
INTERVENTIONS = "Insatser"
CODES = "Koder"
SHEETS = (STEPS, ACTORS, AGREEMENTS, INTERVENTIONS)

COMPUTED_SUFFIX = "_beraknat"
COMPUTED = (
    ("upptagna_beraknat", "occupied"),
    ("lediga_beraknat", "free"),
    ("i_ko_beraknat", "waiting"),
)

MAX_ROWS = 20_000  # per sheet; a catalogue of thousands of interventions fits many times over
MAX_COLUMNS = 100
YES = "ja"
NO = "nej"
_YES = {"ja", "j", "yes", "y", "true", "sant", "1", "x"}
_NO = {"nej", "n", "no", "false", "falskt", "0"}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_CODE = re.compile(r"^[-a-zA-Z0-9_]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_CONTROL_SINGLE_LINE = re.compile(r"[\x00-\x08\x0a-\x1f]")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Kind(Enum):
    CODE = "code"
    TEXT = "text"  # one line
    LONG_TEXT = "long_text"
    EMAIL = "email"
    CHOICE = "choice"
    GROUPS = "groups"  # comma-separated target groups
    INT = "int"
    HOURS = "hours"  # 0–40, one decimal
    BOOL = "bool"
    DATE = "date"
    REF = "ref"  # the code of a row of another sheet (or a unit)


@dataclass(frozen=True)
class Column:
    key: str  # the header in the file
    field: str  # the model field (``places``: the capacity)
    kind: Kind
    required: bool = False
    default: Any = None  # the value of an empty cell when not required
    choices: tuple[tuple[str, Any], ...] = ()  # (stored value, lazy label)
    minimum: int = 0
    maximum: int = 0
    ref: str = ""  # STEPS, ACTORS, AGREEMENTS, or "unit"


@dataclass(frozen=True)
class Sheet:
    name: str
    model: type[models.Model]
    columns: tuple[Column, ...]

    def column(self, field_name: str) -> Column:
        return next(c for c in self.columns if c.field == field_name)


def _choices(enum: type[models.TextChoices]) -> tuple[tuple[str, Any], ...]:
    """The values with their lazy labels (translated when the file is written)."""
    return tuple((str(member.value), member.label) for member in enum)


STEP_SHEET = Sheet(
    STEPS,
    Step,
    (
        Column("kod", "code", Kind.CODE, required=True),
        Column("namn", "name", Kind.TEXT, required=True),
        Column("beskrivning", "description", Kind.LONG_TEXT, default=""),
        Column("position", "position", Kind.INT, required=True, maximum=32767),
        Column("aktiv", "active", Kind.BOOL, required=True),
    ),
)
ACTOR_SHEET = Sheet(
    ACTORS,
    Actor,
    (
        Column("kod", "code", Kind.CODE, required=True),
        Column("namn", "name", Kind.TEXT, required=True),
        Column("typ", "kind", Kind.CHOICE, required=True, choices=_choices(ActorKind)),
        Column("rang", "rank", Kind.INT, required=True, minimum=1, maximum=2),  # see _allowed
        Column("rang_kommentar", "rank_note", Kind.TEXT, default=""),
        Column("paverkar", "affects", Kind.LONG_TEXT, default=""),
        Column("paverkas", "affected", Kind.LONG_TEXT, default=""),
        Column("konflikter", "conflicts", Kind.LONG_TEXT, default=""),
        Column("kontaktperson", "contact_name", Kind.TEXT, default=""),
        Column("kontakt_epost", "contact_email", Kind.EMAIL, default=""),
        Column("kontakt_telefon", "contact_phone", Kind.TEXT, default=""),
        Column("enhet", "unit", Kind.REF, ref="unit"),
    ),
)
AGREEMENT_SHEET = Sheet(
    AGREEMENTS,
    Agreement,
    (
        Column("kod", "code", Kind.CODE, required=True),
        Column("aktor", "actor", Kind.REF, required=True, ref=ACTORS),
        Column("typ", "kind", Kind.CHOICE, required=True, choices=_choices(AgreementKind)),
        Column("titel", "title", Kind.TEXT, required=True),
        Column("giltigt_fran", "valid_from", Kind.DATE, required=True),
        Column("giltigt_till", "valid_to", Kind.DATE),
        Column("anteckning", "note", Kind.LONG_TEXT, default=""),
    ),
)
INTERVENTION_SHEET = Sheet(
    INTERVENTIONS,
    Intervention,
    (
        Column("kod", "code", Kind.CODE, required=True),
        Column("namn", "name", Kind.TEXT, required=True),
        Column("beskrivning", "description", Kind.LONG_TEXT, default=""),
        Column("utforare", "provider", Kind.REF, required=True, ref=ACTORS),
        Column("avtal", "agreement", Kind.REF, ref=AGREEMENTS),
        Column("steg", "step", Kind.REF, required=True, ref=STEPS),
        Column(
            "aktivitetstyp",
            "activity_type",
            Kind.CHOICE,
            required=True,
            choices=_choices(ActivityType),
        ),
        Column("spar", "track", Kind.CHOICE, required=True, choices=_choices(Track)),
        Column(
            "malgrupper", "target_groups", Kind.GROUPS, default="", choices=_choices(TargetGroup)
        ),
        Column("min_aktivitet_timmar", "min_activity_hours", Kind.HOURS),
        Column(
            "svenska",
            "swedish_requirement",
            Kind.CHOICE,
            required=True,
            choices=_choices(SwedishRequirement),
        ),
        Column("alder_min", "age_min", Kind.INT, maximum=120),
        Column("alder_max", "age_max", Kind.INT, maximum=120),
        Column("ovriga_kriterier", "criteria_text", Kind.LONG_TEXT, default=""),
        Column("timmar_per_vecka", "hours_per_week", Kind.HOURS, default=Decimal(0)),
        Column(
            "kostnad_per_plats_manad",
            "cost_per_place_month",
            Kind.INT,
            default=0,
            maximum=2_000_000_000,
        ),
        Column("sprakstod", "language_support", Kind.BOOL, required=True),
        Column("sprakstod_sprak", "language_support_note", Kind.TEXT, default=""),
        Column("adress", "location", Kind.TEXT, default=""),
        Column("startdatum", "start_date", Kind.DATE),
        Column("slutdatum", "end_date", Kind.DATE),
        Column(
            "status", "status", Kind.CHOICE, required=True, choices=_choices(InterventionStatus)
        ),
        Column("platser", "places", Kind.INT, default=0, maximum=1_000_000),
    ),
)
SHEET_SPECS = (STEP_SHEET, ACTOR_SHEET, AGREEMENT_SHEET, INTERVENTION_SHEET)


# --------------------------------------------------------------------------------------------
# Export


def export_catalogue(*, on: date) -> bytes:
    """The whole catalogue as an .xlsx workbook, with places and occupancy as on ``on``."""
    from openpyxl import Workbook

    with translation.override("sv"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        _write_sheet(workbook, STEP_SHEET, _step_rows())
        _write_sheet(workbook, ACTOR_SHEET, _actor_rows())
        _write_sheet(workbook, AGREEMENT_SHEET, _agreement_rows())
        sheet = _write_sheet(workbook, INTERVENTION_SHEET, _intervention_rows(on))
        _mark_computed(sheet, first_column=len(INTERVENTION_SHEET.columns) + 1)
        _write_codes(workbook)
        out = io.BytesIO()
        values_only(workbook)
        workbook.save(out)
    return out.getvalue()


def _step_rows() -> Iterator[list[Any]]:
    for step in Step.objects.order_by("position", "code"):
        yield [step.code, step.name, step.description, step.position, step.active]


def _actor_rows() -> Iterator[list[Any]]:
    for actor in Actor.objects.select_related("unit").order_by("rank", "name", "code"):
        yield [
            actor.code,
            actor.name,
            actor.kind,
            actor.rank,
            actor.rank_note,
            actor.affects,
            actor.affected,
            actor.conflicts,
            actor.contact_name,
            actor.contact_email,
            actor.contact_phone,
            actor.unit.code if actor.unit else None,
        ]


def _agreement_rows() -> Iterator[list[Any]]:
    agreements = Agreement.objects.select_related("actor").order_by(
        "actor__code", "valid_from", "code"
    )
    for agreement in agreements:
        yield [
            agreement.code,
            agreement.actor.code,
            agreement.kind,
            agreement.title,
            agreement.valid_from,
            agreement.valid_to,
            agreement.note,
        ]


def _intervention_rows(on: date) -> Iterator[list[Any]]:
    items = (
        Intervention.objects.with_capacity(on=on)
        .select_related("provider", "agreement", "step")
        .order_by("step__position", "step__code", "name", "code")
    )
    for item in items:
        row: list[Any] = []
        for column in INTERVENTION_SHEET.columns:
            if column.kind is Kind.REF:
                related = getattr(item, column.field)
                row.append(related.code if related else None)
            else:
                row.append(getattr(item, column.field))
        row += [getattr(item, attribute) for _key, attribute in COMPUTED]
        yield row


def _write_sheet(workbook: Any, spec: Sheet, rows: Iterator[list[Any]]) -> Any:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(spec.name)
    headers = [c.key for c in spec.columns]
    if spec is INTERVENTION_SHEET:
        headers += [key for key, _attribute in COMPUTED]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    kinds = [c.kind for c in spec.columns]
    for number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            kind = kinds[index - 1] if index <= len(kinds) else Kind.INT
            _put(sheet.cell(row=number, column=index), value, kind)
    sheet.freeze_panes = "B2"
    for index, key in enumerate(headers, start=1):
        sheet.column_dimensions[_letter(index)].width = max(12, len(key) + 4)
    return sheet


def _put(cell: Any, value: Any, kind: Kind) -> None:
    """Write one value the way the importer reads it back."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if value is None or value == "":
        return
    if kind is Kind.BOOL:
        cell.value = YES if value else NO
    elif isinstance(value, date):
        cell.value = value
        cell.number_format = "yyyy-mm-dd"
    elif isinstance(value, Decimal):
        cell.value = value
        cell.number_format = "0.0"
    elif isinstance(value, int):
        cell.value = value
    else:
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
        cell.data_type = "s"  # never a formula, even when the text starts with "="


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


def _mark_computed(sheet: Any, *, first_column: int) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    grey = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
    note = _("Computed by Heltid on the export date; ignored on import.")
    for column in range(first_column, first_column + len(COMPUTED)):
        for row in sheet.iter_rows(min_row=1, min_col=column, max_col=column):
            for cell in row:
                cell.fill = grey
        sheet.cell(row=1, column=column).comment = Comment(note, "Heltid")


def _write_codes(workbook: Any) -> None:
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(CODES)
    sheet.append(["blad", "kolumn", "varde", "betydelse"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for spec in SHEET_SPECS:
        for column in spec.columns:
            for value, label in _allowed(column):
                sheet.append([spec.name, column.key, value, label])
    for key, _attribute in COMPUTED:
        sheet.append([INTERVENTIONS, key, None, _("Computed by Heltid; ignored on import.")])
    for letter, width in zip("ABCD", (12, 26, 22, 50), strict=True):
        sheet.column_dimensions[letter].width = width


def _allowed(column: Column) -> list[tuple[Any, str]]:
    if column.kind is Kind.GROUPS:
        empty = Intervention._meta.get_field("target_groups").help_text  # "Empty: every ..."
        return [(value, str(label)) for value, label in column.choices] + [(None, str(empty))]
    if column.kind is Kind.CHOICE:
        return [(value, str(label)) for value, label in column.choices]
    if column.field == "rank":
        return [(value, str(label)) for value, label in Actor._meta.get_field("rank").flatchoices]
    if column.kind is Kind.BOOL:
        return [(YES, _("yes")), (NO, _("no"))]
    return []


# --------------------------------------------------------------------------------------------
# Import: the report


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
        }


@dataclass
class CatalogueImportReport:
    filename: str
    dry_run: bool
    rows: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    created: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    updated: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    unchanged: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SHEETS, 0))
    capacity_changes: int = 0
    errors: list[CellError] = field(default_factory=list)
    file_error: str = ""

    @property
    def valid(self) -> bool:
        return not self.file_error and not self.errors

    @property
    def imported(self) -> bool:
        return self.valid and not self.dry_run

    def sheet_counts(self) -> list[dict[str, Any]]:
        """Per sheet in import order: rows, created, updated, unchanged (for the page)."""
        return [
            {
                "sheet": name,
                "rows": self.rows[name],
                "created": self.created[name],
                "updated": self.updated[name],
                "unchanged": self.unchanged[name],
            }
            for name in SHEETS
        ]

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "dry_run": self.dry_run,
            "imported": self.imported,
            "rows": dict(self.rows),
            "created": dict(self.created),
            "updated": dict(self.updated),
            "unchanged": dict(self.unchanged),
            "capacity_changes": self.capacity_changes,
            "file_error": self.file_error or None,
            "errors": [e.as_json() for e in self.errors],
        }


class FileError(ValueError):
    """The file as a whole cannot be used; the message is shown to the user."""


@dataclass
class _Row:
    sheet: Sheet
    number: int
    values: dict[str, Any]  # model field -> parsed value (references as codes)
    failed: bool = False  # some cell could not be read: ``values`` lacks it

    @property
    def code(self) -> str:
        return str(self.values["code"])


class _Rollback(Exception):
    pass


def import_catalogue(
    *, data: bytes, filename: str, acting_user: Any, today: date, dry_run: bool = False
) -> CatalogueImportReport:
    """Import a catalogue workbook: the whole file or nothing (see the module docstring)."""
    report = CatalogueImportReport(filename=filename, dry_run=dry_run)
    try:
        raw = _read_workbook(data, filename)
    except FileError as exc:
        report.file_error = str(exc)
        return report
    parsed: dict[str, list[_Row]] = {}
    for spec in SHEET_SPECS:
        headers, rows = raw[spec.name]
        report.rows[spec.name] = len(rows)
        parsed[spec.name] = _parse_sheet(spec, headers, rows, report)
    _check_references(parsed, report)
    if report.errors:
        report.errors.sort(key=_error_order)
        return report
    try:
        with transaction.atomic():
            _Writer(report, acting_user=acting_user, today=today, filename=filename).write(parsed)
            if report.errors or dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except DatabaseError as exc:  # a safety net: the checks above should catch everything
        report.file_error = _("The file could not be saved: %(problem)s") % {"problem": exc}
    if report.errors:
        report.errors.sort(key=_error_order)
    return report


def _error_order(error: CellError) -> tuple[int, int, int]:
    sheet = SHEETS.index(error.sheet) if error.sheet in SHEETS else len(SHEETS)
    spec = SHEET_SPECS[sheet] if sheet < len(SHEETS) else None
    keys = [c.key for c in spec.columns] if spec else []
    column = keys.index(error.column) if error.column in keys else len(keys)
    return (sheet, error.row, column)


# --------------------------------------------------------------------------------------------
# Import: reading the file

RawSheet = tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]


def _read_workbook(data: bytes, filename: str) -> dict[str, RawSheet]:
    """The four sheets, read as a stream with the upload limits of
    :mod:`heltid.registry.imports.reader` (no zip bombs, no trusting the declared size, at most
    ``MAX_ROWS`` rows and ``MAX_COLUMNS`` columns per sheet); their refusals are Swedish."""
    if not filename.lower().endswith(".xlsx"):
        raise FileError(_("The file must be an Excel file (.xlsx)."))
    limit = settings.HELTID_IMPORT_MAX_BYTES
    if len(data) > limit:
        raise FileError(
            _("The file is too large: at most %(mb)d MB.") % {"mb": limit // (1024 * 1024)}
        )
    from heltid.registry.imports import reader

    try:
        workbook = reader.open_xlsx(
            data, limit=reader.limits(max_rows=MAX_ROWS, max_columns=MAX_COLUMNS)
        )
    except reader.FileError as exc:
        raise FileError(str(exc)) from exc
    try:
        return _read_sheets(workbook)
    except reader.FileError as exc:
        raise FileError(str(exc)) from exc
    finally:
        workbook.close()


def _read_sheets(workbook: Any) -> dict[str, RawSheet]:
    by_name = {str(name).strip().lower(): name for name in workbook.sheet_names}
    missing = [name for name in SHEETS if name.lower() not in by_name]
    if missing:
        raise FileError(_("Sheets missing: %(sheets)s.") % {"sheets": ", ".join(missing)})
    result: dict[str, RawSheet] = {}
    problems: list[str] = []
    for spec in SHEET_SPECS:
        headers, rows = _read_rows(workbook.rows(by_name[spec.name.lower()]), spec.name)
        absent = [c.key for c in spec.columns if c.key not in headers]
        if absent:
            problems.append(
                _("The sheet %(sheet)s lacks the columns: %(columns)s.")
                % {"sheet": spec.name, "columns": ", ".join(absent)}
            )
        result[spec.name] = (headers, rows)
    if problems:
        raise FileError(" ".join(problems))
    return result


def _read_rows(lines: Iterator[tuple[int, tuple[Any, ...]]], name: str) -> RawSheet:
    """Headers from row 1, then the rows that hold a value (with their numbers in the sheet)."""
    headers: dict[str, int] = {}
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in lines:
        if number == 1:
            for index, value in enumerate(values):
                key = _text(value).strip().lower().lstrip("\ufeff")
                if key and not key.endswith(COMPUTED_SUFFIX):
                    headers.setdefault(key, index)
            continue
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
            continue  # blank lines are not rows
        if len(rows) >= MAX_ROWS:
            raise FileError(
                _("The sheet %(sheet)s has more than %(max)d rows. Split the file.")
                % {"sheet": name, "max": MAX_ROWS}
            )
        rows.append((number, tuple(values)))
    return headers, rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------------------------
# Import: reading cells


class _CellProblem(ValueError):
    pass


def _parse_sheet(
    spec: Sheet,
    headers: dict[str, int],
    rows: Sequence[tuple[int, tuple[Any, ...]]],
    report: CatalogueImportReport,
) -> list[_Row]:
    """Every row of the sheet, each with the cells that could be read; problems reported."""
    parsed: list[_Row] = []
    seen: dict[str, int] = {}
    for number, cells in rows:
        row = _parse_row(spec, headers, number, cells, report)
        parsed.append(row)
        code = row.values.get("code")
        if code is None:
            continue
        if code in seen:
            message = _("The code is already used on row %(row)d.") % {"row": seen[code]}
            report.errors.append(CellError(spec.name, number, "kod", message))
            row.failed = True
        seen.setdefault(code, number)
    return parsed


def _parse_row(
    spec: Sheet,
    headers: dict[str, int],
    number: int,
    cells: tuple[Any, ...],
    report: CatalogueImportReport,
) -> _Row:
    row = _Row(spec, number, {})
    for column in spec.columns:
        index = headers[column.key]
        raw = cells[index] if index < len(cells) else None
        try:
            row.values[column.field] = _parse_cell(spec, column, raw)
        except _CellProblem as problem:
            report.errors.append(CellError(spec.name, number, column.key, str(problem)))
            row.failed = True
    if not row.failed:
        for key, message in _row_rules(row):
            report.errors.append(CellError(spec.name, number, key, message))
            row.failed = True
    return row


def _parse_cell(spec: Sheet, column: Column, raw: Any) -> Any:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if column.required:
            raise _CellProblem(_("A value is required."))
        return column.default
    reader = _READERS[column.kind]
    return reader(spec, column, raw)


def _max_length(spec: Sheet, column: Column) -> int | None:
    model_field = spec.model._meta.get_field(column.field)
    return getattr(model_field, "max_length", None)


def _read_text(spec: Sheet, column: Column, raw: Any) -> str:
    value = _text(raw).strip()
    limit = _max_length(spec, column)
    if limit is not None and len(value) > limit:
        raise _CellProblem(_("At most %(max)d characters.") % {"max": limit})
    control = _CONTROL if column.kind is Kind.LONG_TEXT else _CONTROL_SINGLE_LINE
    if control.search(value):
        raise _CellProblem(_("Contains characters that are not allowed."))
    return value


def _read_code(spec: Sheet, column: Column, raw: Any) -> str:
    value = _read_text(spec, column, raw)
    if not _CODE.match(value):
        raise _CellProblem(
            _("A code may only hold the letters a–z, digits, hyphens and underscores.")
        )
    return value


def _read_email(spec: Sheet, column: Column, raw: Any) -> str:
    value = _read_text(spec, column, raw)
    try:
        validate_email(value)
    except ValidationError as exc:
        raise _CellProblem(
            _("“%(value)s” is not an e-mail address.") % {"value": value[:60]}
        ) from exc
    return value


def _not_allowed(value: str, column: Column) -> _CellProblem:
    allowed = ", ".join(v for v, _label in column.choices)
    return _CellProblem(
        _("“%(value)s” is not an allowed value. Allowed: %(allowed)s (see the sheet Koder).")
        % {"value": value[:40], "allowed": allowed}
    )


def _read_choice(spec: Sheet, column: Column, raw: Any) -> str:
    value = _text(raw).strip()
    for allowed, _label in column.choices:
        if value.lower() == allowed.lower():
            return allowed
    raise _not_allowed(value, column)


def _read_groups(spec: Sheet, column: Column, raw: Any) -> str:
    groups: list[str] = []
    for part in _text(raw).split(","):
        if not part.strip():
            continue
        group = _read_choice(spec, column, part)
        if group not in groups:
            groups.append(group)
    joined = ",".join(groups)
    limit = _max_length(spec, column)
    if limit is not None and len(joined) > limit:
        raise _CellProblem(_("At most %(max)d characters.") % {"max": limit})
    return joined


def _read_int(spec: Sheet, column: Column, raw: Any) -> int:
    number: int | None = None
    if isinstance(raw, bool):
        number = None
    elif isinstance(raw, int):
        number = raw
    elif (isinstance(raw, float) and raw.is_integer()) or (
        isinstance(raw, str) and re.fullmatch(r"\s*-?\d{1,12}\s*", raw)
    ):
        number = int(raw)
    if number is None:
        raise _CellProblem(_("“%(value)s” is not a whole number.") % {"value": _text(raw)[:20]})
    if not column.minimum <= number <= column.maximum:
        raise _CellProblem(
            _("Must be between %(min)s and %(max)s.")
            % {"min": column.minimum, "max": column.maximum}
        )
    return number


def _read_hours(spec: Sheet, column: Column, raw: Any) -> Decimal:
    text = "" if isinstance(raw, bool) else _text(raw).strip().replace(",", ".")
    try:
        hours = Decimal(repr(raw) if isinstance(raw, float) else text)
    except (InvalidOperation, ValueError):
        hours = Decimal("NaN")
    if not hours.is_finite():
        raise _CellProblem(_("“%(value)s” is not a number of hours.") % {"value": _text(raw)[:20]})
    if not Decimal(0) <= hours <= Decimal(40):
        raise _CellProblem(_("Must be between %(min)s and %(max)s.") % {"min": 0, "max": 40})
    if hours != hours.quantize(Decimal("0.1")):
        raise _CellProblem(_("At most one decimal."))
    return hours.quantize(Decimal("0.1"))


def _read_bool(spec: Sheet, column: Column, raw: Any) -> bool:
    if isinstance(raw, bool):
        return raw
    value = _text(raw).strip().lower()
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise _CellProblem(_("Write ja or nej."))


def _read_date(spec: Sheet, column: Column, raw: Any) -> date:
    if isinstance(raw, datetime):
        if raw.time() != datetime.min.time():
            raise _CellProblem(_("“%(value)s” is not a date.") % {"value": _text(raw)[:20]})
        parsed = raw.date()
    elif isinstance(raw, date):
        parsed = raw
    else:
        value = _text(raw).strip()
        match = _DATE.match(value)
        if not match:
            raise _CellProblem(
                _("“%(value)s” is not a date. Write YYYY-MM-DD.") % {"value": value[:20]}
            )
        try:
            parsed = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError as exc:
            raise _CellProblem(
                _("%(value)s is not a date that exists.") % {"value": value}
            ) from exc
    if not 1900 <= parsed.year <= 2199:
        raise _CellProblem(_("The date must be between 1900 and 2199."))
    return parsed


def _read_ref(spec: Sheet, column: Column, raw: Any) -> str:
    value = _text(raw).strip()
    if len(value) > 60 or not _CODE.match(value):
        raise _CellProblem(
            _("A code may only hold the letters a–z, digits, hyphens and underscores.")
        )
    return value


_READERS: dict[Kind, Callable[[Sheet, Column, Any], Any]] = {
    Kind.CODE: _read_code,
    Kind.TEXT: _read_text,
    Kind.LONG_TEXT: _read_text,
    Kind.EMAIL: _read_email,
    Kind.CHOICE: _read_choice,
    Kind.GROUPS: _read_groups,
    Kind.INT: _read_int,
    Kind.HOURS: _read_hours,
    Kind.BOOL: _read_bool,
    Kind.DATE: _read_date,
    Kind.REF: _read_ref,
}


def _row_rules(row: _Row) -> list[tuple[str, str]]:
    """The model's rules that span two cells (its check constraints), per row."""
    v = row.values
    problems: list[tuple[str, str]] = []
    if (
        row.sheet is AGREEMENT_SHEET
        and v["valid_to"] is not None
        and v["valid_to"] < v["valid_from"]
    ):
        problems.append(("giltigt_till", _("The end date is before the start date.")))
    if row.sheet is INTERVENTION_SHEET:
        if v["age_min"] is not None and v["age_max"] is not None and v["age_max"] < v["age_min"]:
            problems.append(("alder_max", _("The highest age is lower than the lowest age.")))
        if (
            v["start_date"] is not None
            and v["end_date"] is not None
            and v["end_date"] < v["start_date"]
        ):
            problems.append(("slutdatum", _("The end date is before the start date.")))
    return problems


# --------------------------------------------------------------------------------------------
# Import: references between sheets and to the database


_REFERENCE_MESSAGES = {
    STEPS: gettext_noop(
        "There is no step with the code “%(code)s”, neither in the sheet Steg nor in Heltid."
    ),
    ACTORS: gettext_noop(
        "There is no actor with the code “%(code)s”, neither in the sheet Aktörer nor in Heltid."
    ),
    AGREEMENTS: gettext_noop(
        "There is no agreement with the code “%(code)s”, neither in the sheet Avtal nor in Heltid."
    ),
    "unit": gettext_noop("There is no unit with the code “%(code)s” in Heltid."),
}
_REFERENCED: dict[str, type[models.Model]] = {
    STEPS: Step,
    ACTORS: Actor,
    AGREEMENTS: Agreement,
    "unit": Unit,
}


def _check_references(parsed: dict[str, list[_Row]], report: CatalogueImportReport) -> None:
    """Every code a row refers to is in the file (on a row of its sheet, even a faulty one,
    whose own problem is reported) or in Heltid."""
    in_file = {
        name: {row.values["code"] for row in rows if "code" in row.values}
        for name, rows in parsed.items()
    }
    for spec in SHEET_SPECS:
        for column in spec.columns:
            if column.kind is not Kind.REF:
                continue
            wanted = {row.values.get(column.field) for row in parsed[spec.name]} - {None}
            known = in_file.get(column.ref, set())
            known = known | set(
                _REFERENCED[column.ref]
                ._default_manager.filter(code__in=wanted - known)
                .values_list("code", flat=True)
            )
            for row in parsed[spec.name]:
                code = row.values.get(column.field)
                if code is not None and code not in known:
                    message = _(_REFERENCE_MESSAGES[column.ref]) % {"code": code}
                    report.errors.append(CellError(spec.name, row.number, column.key, message))
                    row.failed = True


# --------------------------------------------------------------------------------------------
# Import: writing


class _Writer:
    """Creates or updates the parsed rows, sheet by sheet, inside the caller's transaction."""

    def __init__(
        self, report: CatalogueImportReport, *, acting_user: Any, today: date, filename: str
    ) -> None:
        self.report = report
        self.acting_user = acting_user
        self.today = today
        self.reason = (_("Import of %(file)s") % {"file": filename})[:200]
        self.ids: dict[str, dict[str, int]] = {}

    def write(self, parsed: dict[str, list[_Row]]) -> None:
        self.ids["unit"] = dict(Unit.objects.values_list("code", "pk"))
        places = dict(
            Intervention.objects.with_capacity(on=self.today).values_list("code", "places")  # type: ignore[misc]
        )
        for spec in SHEET_SPECS:  # in order: a sheet's references are saved before it
            existing = spec.model._default_manager.in_bulk(field_name="code")
            self.ids[spec.name] = {code: obj.pk for code, obj in existing.items()}
            for row in parsed[spec.name]:
                saved = self._save(row, existing.get(row.code))
                if saved is not None and spec is INTERVENTION_SHEET:
                    self._capacity(saved, row.values["places"], places.get(row.code, 0))

    def _save(self, row: _Row, found: models.Model | None) -> models.Model | None:
        spec = row.sheet
        values = self._resolved(row)
        obj = found if found is not None else spec.model(code=row.code)
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        if found is not None and not changed:
            self.report.unchanged[spec.name] += 1
            return obj
        for name in changed:
            setattr(obj, name, values[name])
        # References, codes and the check constraints were checked on the whole file already;
        # here the field validators run once more as a safety net, without queries.
        references = [c.field for c in spec.columns if c.kind is Kind.REF]
        try:
            obj.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self._validation_errors(row, exc)
            return None
        try:
            obj.save()
        except DatabaseError as exc:  # the transaction is unusable now: stop, roll back
            message = _("The row could not be saved: %(problem)s") % {"problem": exc}
            self.report.errors.append(CellError(spec.name, row.number, "", message))
            raise _Rollback from exc
        self.ids[spec.name][row.code] = obj.pk
        if found is None:
            self.report.created[spec.name] += 1
        else:
            self.report.updated[spec.name] += 1
        return obj

    def _resolved(self, row: _Row) -> dict[str, Any]:
        """The row's values as model attributes: references become ``<field>_id``."""
        values: dict[str, Any] = {}
        for column in row.sheet.columns:
            if column.field in ("code", "places"):
                continue
            value = row.values[column.field]
            if column.kind is Kind.REF:
                values[f"{column.field}_id"] = (
                    None if value is None else self.ids[column.ref].get(value)
                )
            else:
                values[column.field] = value
        return values

    def _capacity(self, intervention: Any, places: int, current: int) -> None:
        """From today on, the file's places; nothing is written when that is already so (also
        for a recorded need without any capacity change: 0 places)."""
        if places == current:
            return
        change = capacity_set(
            intervention=intervention,
            places=places,
            valid_from=self.today,
            reason=self.reason,
            acting_user=self.acting_user,
        )
        if change is not None:
            self.report.capacity_changes += 1

    def _validation_errors(self, row: _Row, exc: ValidationError) -> None:
        keys = {c.field: c.key for c in row.sheet.columns}
        errors = (
            exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
        )
        for name, messages in errors.items():
            for message in messages:
                self.report.errors.append(
                    CellError(row.sheet.name, row.number, keys.get(name, ""), str(message))
                )
