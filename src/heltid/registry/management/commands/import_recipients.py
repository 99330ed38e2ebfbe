"""heltid import-recipients FILE [--dry-run] [--json]: import recipients from the benefit system.

The file is imported whole or not at all. Exit code 0 only when it was imported
(with --dry-run: 0 when it would be imported, nothing is written)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.registry.imports import import_recipients


class Command(BaseCommand):
    help = "Import recipients from a .csv or .xlsx file (all or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte läsas: {exc.strerror}") from exc
        report = import_recipients(
            data=data,
            filename=path.name,
            acting_user=None,
            dry_run=options["dry_run"],
            page=f"cli:import-recipients {path.name}",
        )
        if options["json"]:
            self.stdout.write(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
        elif report.file_error:
            self.stderr.write(report.file_error)
        elif report.errors:
            self.stderr.write(f"Inget importerades: {len(report.errors)} fel i filen.")
            for error in report.errors:
                column = f" kolumn {error.column}:" if error.column else ""
                self.stderr.write(f"rad {error.row}:{column} {error.message}")
        else:
            verb = "Skulle importeras" if report.dry_run else "Importerad"
            self.stdout.write(
                f"{verb}: {report.rows} rader, {report.created} nya, "
                f"{report.updated} ändrade, {report.unchanged} oförändrade."
            )
        if not report.valid:
            raise SystemExit(1)
