"""Validate a whole recipient file, then write it in one transaction (or, dry run, roll back).

The file is read row by row (:func:`stream_table`) and each row is validated as it comes: its
cells (:func:`parse_row`), then against the rows before it (a personnummer twice, a household
that disagrees with itself) and the configured units and reason codes. A parsed row is a
compact tuple (:class:`ParsedRow`), never a model instance, and is spooled to a temporary file
(:class:`RowSpool`), so the rows take disk, not memory; the report collects every bad row. Only
a file without errors is written, by :mod:`heltid.registry.imports.write`: set-based, in chunks,
all in one transaction, and only what differs from what is stored.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from heltid.accounts.models import Unit
from heltid.accounts.permissions import may_import_into_unit
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.bulk import select_in, table
from heltid.registry.imports.reader import FileError, TableStream, stream_table
from heltid.registry.imports.rows import COLUMNS, ParsedRow, RowError, parse_row
from heltid.registry.imports.write import CHUNK, PERSON_FIELDS, desired_facts, write_rows
from heltid.registry.models import Person, ReasonCode
from heltid.registry.signals import persons_written

__all__ = [
    "OUT_OF_SCOPE",
    "PERSON_FIELDS",
    "PROTECTED_OFF",
    "ImportReport",
    "desired_facts",
    "import_recipients",
]

OUT_OF_SCOPE = "Du får inte läsa in den här personen till den här enheten."
PROTECTED_OFF = (
    "Skyddad identitet kan bara tas bort av den som har behörighet till skyddade personuppgifter."
)


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0  # existing persons of which anything changed: fields, support, facts
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def imported(self) -> bool:
        return not self.file_error and not self.errors and not self.dry_run

    @property
    def valid(self) -> bool:
        return not self.file_error and not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "dry_run": self.dry_run,
            "imported": self.imported,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "file_error": self.file_error or None,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


class _DryRun(Exception):
    pass


class _Refused(Exception):
    pass


def import_recipients(
    *,
    data: bytes,
    filename: str,
    acting_user: Any,
    dry_run: bool = False,
    page: str = "",
    today: date | None = None,
) -> ImportReport:
    """Import recipients. Nothing is written unless every row is valid."""
    today = today or timezone.localdate()
    report = ImportReport(filename=filename, dry_run=dry_run)
    with RowSpool() as rows:
        try:
            stream = stream_table(data, filename)
            missing = [c for c in COLUMNS if c not in stream.headers]
            if missing:
                for _row in stream.rows:  # a limit the file breaks is named before its columns
                    pass
                report.file_error = "Kolumner saknas: " + ", ".join(missing) + "."
                return report
            lookups = _Lookups.load()
            _validate(stream, lookups, acting_user, report, rows, today=today)
        except FileError as exc:  # a limit met half-way: the file, not its rows, is the problem
            report.errors, report.rows = [], 0
            report.file_error = str(exc)
            return report
        if not report.rows:
            report.file_error = "Filen innehåller inga rader med mottagare."
            return report
        refused: list[int] = []
        try:
            with transaction.atomic():
                # in the writing transaction, so that no person moves between check and write
                refused = _check_scope(rows, acting_user, report)
                if report.errors:
                    raise _Refused
                _write(rows, lookups, report, acting_user=acting_user, page=page, today=today)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            pass
        except _Refused:
            report.errors.sort(key=lambda e: (e.row, e.column))
            report.created = report.updated = report.unchanged = 0
            if refused:
                log_entries(
                    user=acting_user,
                    entries=[
                        Entry(Action.DENIED, pk, {"source": "import", "file": filename[:200]})
                        for pk in refused
                    ],
                    page=page,
                )
    return report


def _write(
    rows: RowSpool,
    lookups: _Lookups,
    report: ImportReport,
    *,
    acting_user: Any,
    page: str,
    today: date,
) -> None:
    written = write_rows(
        rows.chunks(),
        acting_user=acting_user,
        today=today,
        units=lookups.units,
        reasons=lookups.reasons,
    )
    report.created, report.updated = written.created, written.updated
    # in the transaction: derived rows (the stored worklist) are marked stale with the write
    persons_written.send(
        sender=Person,
        person_ids=[entry.person_id for entry in written.entries if entry.person_id is not None],
    )
    report.unchanged = report.rows - written.created - written.updated
    written.entries.append(
        Entry(
            Action.IMPORT,
            None,
            {
                "file": report.filename[:200],
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
            },
        )
    )
    # one call for the whole file: the log records the operation once, with its persons
    log_entries(
        user=acting_user,
        entries=written.entries,
        page=page,
        actor=None if acting_user else "import",
    )


class RowSpool:
    """A file's parsed rows, kept on disk: pickled in chunks of ``CHUNK`` rows to a temporary
    file as they are validated, and read back a chunk at a time. So the memory an import
    needs does not grow with its rows (only the few bytes a row takes in the cross-row
    checks do)."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by __exit__)
        self._pending: list[ParsedRow] = []
        self._chunks = 0

    def __enter__(self) -> RowSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def append(self, row: ParsedRow) -> None:
        self._pending.append(row)
        if len(self._pending) >= CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            rows = [tuple(row) for row in self._pending]  # plain tuples pickle fastest
            pickle.dump(rows, self._file, protocol=pickle.HIGHEST_PROTOCOL)
            self._chunks += 1
            self._pending = []

    def chunks(self) -> Iterator[list[ParsedRow]]:
        """The rows in file order, a chunk at a time."""
        self._flush()
        self._file.seek(0)
        for _ in range(self._chunks):
            rows = pickle.load(self._file)  # our own file, just written
            yield list(map(ParsedRow._make, rows))
        self._file.seek(0, os.SEEK_END)

    def __iter__(self) -> Iterator[ParsedRow]:
        for chunk in self.chunks():
            yield from chunk


@dataclass
class _Lookups:
    reasons: dict[str, tuple[int, str]]  # lower-cased label -> (id, label)
    units: dict[str, int]  # lower-cased code or name -> id

    @classmethod
    def load(cls) -> _Lookups:
        reasons = {
            label.lower(): (pk, label)
            for pk, label in ReasonCode.objects.filter(active=True).values_list("pk", "label")
        }
        units: dict[str, int] = {}
        for pk, code, name in Unit.objects.values_list("pk", "code", "name"):
            units[code.lower()] = pk
            units.setdefault(name.lower(), pk)
        return cls(reasons=reasons, units=units)


def _validate(
    stream: TableStream,
    lookups: _Lookups,
    user: Any,
    report: ImportReport,
    parsed: RowSpool,
    *,
    today: date,
) -> None:
    """Every row read, parsed and checked against the rows before it; the rows that could be
    parsed go to ``parsed``, for the scope check and the writes. Each problem is added to the
    report."""
    seen: dict[int, int] = {}  # personnummer (as a number) -> the row it was first on
    households: dict[tuple[int | None, str], tuple[int, bool, tuple[date, ...]]] = {}
    allowed_units: dict[int, bool] = {}
    errors = report.errors
    for number, values in stream.rows:
        report.rows += 1
        row = parse_row(number, values, today=today)
        if not isinstance(row, ParsedRow):
            errors.extend(row)
            continue
        first_row = seen.setdefault(int(row.personnummer), row.row)
        if first_row != row.row:
            errors.append(
                RowError(row.row, "personnummer", f"Personnumret finns redan på rad {first_row}.")
            )
        if row.reason_code not in lookups.reasons:
            errors.append(
                RowError(
                    row.row,
                    "forsorjningshinder",
                    "Okänt försörjningshinder. Se listan över orsakskoder.",
                )
            )
        unit_id = lookups.units.get(row.unit)
        if unit_id is None:
            errors.append(RowError(row.row, "enhet", "Okänd enhet."))
        elif user is not None:
            if unit_id not in allowed_units:
                allowed_units[unit_id] = may_import_into_unit(user, unit_id)
            if not allowed_units[unit_id]:
                errors.append(RowError(row.row, "enhet", OUT_OF_SCOPE))
        first = households.setdefault(
            (unit_id, row.household), (row.row, row.cohabiting, row.children)
        )
        if first[0] != row.row:
            if first[1] != row.cohabiting:
                errors.append(
                    RowError(row.row, "sambo", f"Skiljer sig från rad {first[0]} i samma hushåll.")
                )
            if first[2] != row.children:
                errors.append(
                    RowError(
                        row.row, "barn_fodda", f"Skiljer sig från rad {first[0]} i samma hushåll."
                    )
                )
        parsed.append(row)


def _check_scope(rows: RowSpool, user: Any, report: ImportReport) -> list[int]:
    """Refuse rows that would change a person the user may not change (decision record 0020);
    returns the ids of the persons refused, for the log.

    A person registered in a unit the user may not import into is refused with the same
    message as a row naming such a unit, which says neither where the person is nor anything
    about them. Turning protected identity off needs the protected-identity permission.
    The command line (``user`` None) imports for the whole municipality.
    """
    if user is None:
        return []
    found = {
        number: (pk, unit_id, protected)
        for pk, number, unit_id, protected in select_in(
            "SELECT id, personnummer, unit_id, protected_identity "
            f"FROM {table(Person)} WHERE personnummer {{in}}",
            [r.personnummer for r in rows],
        )
    }
    named_unit = {e.row for e in report.errors if e.column == "enhet"}
    allowed: dict[int, bool] = {}
    refused: list[int] = []
    for row in rows:
        if row.personnummer not in found:
            continue
        pk, unit_id, protected = found[row.personnummer]
        if unit_id not in allowed:
            allowed[unit_id] = may_import_into_unit(user, unit_id)
        if not allowed[unit_id]:
            if row.row not in named_unit:
                report.errors.append(RowError(row.row, "enhet", OUT_OF_SCOPE))
            refused.append(pk)
        elif protected and not row.protected_identity and not user.protected_identity_access:
            report.errors.append(RowError(row.row, "skyddad_identitet", PROTECTED_OFF))
            refused.append(pk)
    return refused
