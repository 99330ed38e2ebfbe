"""heltid catalogue export FILE [--on YYYY-MM-DD]
heltid catalogue import FILE [--dry-run] [--json]

The intervention catalogue as an Excel workbook (the format: heltid.catalog.excel).
``export`` writes the whole catalogue, with places and occupancy as on ``--on`` (default today).
``import`` creates or updates by code, the whole file or nothing. Exit code 0 only when the
file was imported (with --dry-run: when it would be; nothing is written); otherwise 1, with the
report on stderr (as JSON with --json)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heltid.catalog.excel import CatalogueImportReport, export_catalogue, import_catalogue


class Command(BaseCommand):
    help = "Export the intervention catalogue to .xlsx, or import it back (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="export|import")
        export = actions.add_parser("export", help="write the catalogue to an .xlsx file")
        export.add_argument("file", type=Path)
        export.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        imports = actions.add_parser("import", help="import an .xlsx file (all or nothing)")
        imports.add_argument("file", type=Path)
        imports.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        imports.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "export":
            self._export(options["file"], on=options["on"] or timezone.localdate())
        else:
            self._import(options["file"], dry_run=options["dry_run"], as_json=options["json"])

    def _export(self, path: Path, *, on: date) -> None:
        data = export_catalogue(on=on)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte skrivas: {exc.strerror}") from exc
        self.stdout.write(f"Insatskatalogen per {on.isoformat()} är sparad i {path}.")

    def _import(self, path: Path, *, dry_run: bool, as_json: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}") from exc
        report = import_catalogue(
            data=data,
            filename=path.name,
            acting_user=None,
            today=timezone.localdate(),
            dry_run=dry_run,
        )
        out = self.stdout if report.valid else self.stderr
        if as_json:
            out.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        else:
            out.write(_summary(report))
        if not report.valid:
            raise SystemExit(1)


def _summary(report: CatalogueImportReport) -> str:
    if report.file_error:
        return report.file_error
    if report.errors:
        lines = [f"Inget importerades: {len(report.errors)} fel i filen."]
        for e in report.errors:
            column = f" kolumn {e.column}:" if e.column else ""
            lines.append(f"{e.sheet} rad {e.row}:{column} {e.message}")
        return "\n".join(lines)
    verb = "Skulle importeras" if report.dry_run else "Importerad"
    parts = [
        f"{sheet['sheet']}: {sheet['created']} nya, {sheet['updated']} ändrade, "
        f"{sheet['unchanged']} oförändrade"
        for sheet in report.sheet_counts()
    ]
    return f"{verb}. " + "; ".join(parts) + f". Nya platsantal: {report.capacity_changes}."
