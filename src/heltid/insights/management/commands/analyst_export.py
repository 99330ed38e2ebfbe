"""heltid analyst-export --on YYYY-MM-DD --out FILE (.csv or .xlsx): the analysts' pseudonymised
export of the recipients on support on a day (docs/analyst-export.md).

Exit codes: 0 written, 1 the file could not be written, 2 wrong date or file name."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.insights import snapshots
from heltid.insights.analyst_export import RENDERERS, analyst_export

USAGE = 2


class Command(BaseCommand):
    help = "Writes the pseudonymised data for analysis of one day as CSV or Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="FILE.csv or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        try:
            day = date.fromisoformat(options["on"])
        except ValueError:
            raise CommandError(
                f"--on måste vara ett datum som ÅÅÅÅ-MM-DD (fick {options['on']!r}).",
                returncode=USAGE,
            ) from None
        if day > today:
            raise CommandError("Dagen har inte kommit än.", returncode=USAGE)
        path = Path(options["out"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in RENDERERS:
            raise CommandError(
                f"Filen måste sluta på .csv eller .xlsx (fick {path.name!r}).", returncode=USAGE
            )
        if not path.parent.is_dir():
            raise CommandError(f"Mappen {path.parent} finns inte.", returncode=USAGE)
        snapshot = snapshots.for_day(day, today=today)
        assert snapshot is not None  # the day is today at the latest
        export = analyst_export(snapshot)
        try:
            path.write_bytes(RENDERERS[kind](export))
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte skrivas: {exc.strerror}") from exc
        log_access(
            user=None,
            actor="cli",
            action=Action.EXPORT,
            page="cli:analyst-export",
            detail={
                "export": "analyst",
                "format": kind,
                "day": day.isoformat(),
                "edition": snapshot.edition,
                "rows": len(export.rows),
            },
        )
        self.stdout.write(f"Skrev {len(export.rows)} rader till {path}.")
