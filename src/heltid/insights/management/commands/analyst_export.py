"""heltid analyst-export --on YYYY-MM-DD --out FILE (.csv or .xlsx): the analysts' pseudonymised
export of the recipients on support on a day (docs/analyst-export.md).

Exit codes: 0 written, 1 the file could not be written, 2 wrong date or file name."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.insights.analyst_export import RENDERERS, export_day
from heltid.insights.management.arguments import USAGE, day_option, output_file, write_file


class Command(BaseCommand):
    help = "Writes the pseudonymised data for analysis of one day as CSV or Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        day = day_option(options["on"], "--on")
        if day > today:
            raise CommandError("Dagen har inte kommit än.", returncode=USAGE)
        path, kind = output_file(options["out"], RENDERERS)
        content, detail = export_day(day, kind, today=today)
        write_file(path, content)
        log_access(
            user=None, actor="cli", action=Action.EXPORT, page="cli:analyst-export", detail=detail
        )
        self.stdout.write(f"Skrev {detail['rows']} rader till {path}.")
