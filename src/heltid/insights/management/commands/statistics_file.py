"""heltid statistics-file --month YYYY-MM [--out FILE]: the monthly statistics file
(HSLF-FS 2015:30) as a ;-separated UTF-8 CSV; docs/statistics-file.md describes the columns."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.insights.statistics_file import MonthError, parse_month, statistics_file


class Command(BaseCommand):
    help = "The monthly statistics file on individual level for one month."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="YYYY-MM")
        parser.add_argument("--out", default=None, help="file to write (default: standard output)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            month = parse_month(options["month"])
        except MonthError as exc:
            raise CommandError(str(exc), returncode=2) from exc
        text = statistics_file(month=month)
        if options["out"]:
            try:
                Path(options["out"]).write_text(text, encoding="utf-8")
            except OSError as exc:
                raise CommandError(f"Kunde inte skriva filen: {exc}", returncode=2) from exc
            self.stderr.write(f"Skrev {text.count(chr(10)) - 1} rader till {options['out']}.")
        else:
            self.stdout.write(text, ending="")
