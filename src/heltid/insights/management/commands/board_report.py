"""heltid board-report --from YYYY-MM-DD --to YYYY-MM-DD --out FILE (.pdf or .xlsx).

Exit codes: 0 written, 1 the file could not be written, 2 wrong dates or file name."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.insights.board_report import MAX_PERIOD_DAYS, RENDERERS, board_report_data
from heltid.insights.filters import InsightFilter

USAGE = 2


def _date(text: str, option: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"{option} måste vara ett datum som ÅÅÅÅ-MM-DD, till exempel 2026-01-31 "
            f"(fick {text!r}).",
            returncode=USAGE,
        ) from None


class Command(BaseCommand):
    help = "Writes the board report (nämndrapport) for a period as PDF or Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="FILE.pdf or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        start = _date(options["start"], "--from")
        end = _date(options["end"], "--to")
        if end < start:
            raise CommandError("--to får inte vara före --from.", returncode=USAGE)
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise CommandError(
                f"Perioden får vara högst {MAX_PERIOD_DAYS} dagar.", returncode=USAGE
            )
        path = Path(options["out"])
        kind = path.suffix.lower().lstrip(".")
        if kind not in RENDERERS:
            raise CommandError(
                f"Filen måste sluta på .pdf eller .xlsx (fick {path.name!r}).", returncode=USAGE
            )
        if not path.parent.is_dir():
            raise CommandError(f"Mappen {path.parent} finns inte.", returncode=USAGE)
        data = RENDERERS[kind](board_report_data(InsightFilter(start=start, end=end)))
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Filen {path} kan inte skrivas: {exc.strerror}") from exc
        self.stdout.write(
            f"Nämndrapporten för {start.isoformat()} – {end.isoformat()} skrevs till {path} "
            f"({len(data)} byte)."
        )
