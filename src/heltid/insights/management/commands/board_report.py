"""heltid board-report --from YYYY-MM-DD --to YYYY-MM-DD --out FILE (.pdf or .xlsx).

Exit codes: 0 written, 1 the file could not be written, 2 wrong dates or file name."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.insights.board_report import MAX_PERIOD_DAYS, RENDERERS, board_report_data
from heltid.insights.filters import InsightFilter
from heltid.insights.management.arguments import USAGE, day_option, output_file, write_file


class Command(BaseCommand):
    help = "Writes the board report (nämndrapport) for a period as PDF or Excel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="FILE.pdf or FILE.xlsx")

    def handle(self, *args: Any, **options: Any) -> None:
        start = day_option(options["start"], "--from")
        end = day_option(options["end"], "--to")
        if end < start:
            raise CommandError("--to får inte vara före --from.", returncode=USAGE)
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise CommandError(
                f"Perioden får vara högst {MAX_PERIOD_DAYS} dagar.", returncode=USAGE
            )
        path, kind = output_file(options["out"], RENDERERS)
        data = RENDERERS[kind](board_report_data(InsightFilter(start=start, end=end)))
        write_file(path, data)
        self.stdout.write(
            f"Nämndrapporten för {start.isoformat()} – {end.isoformat()} skrevs till {path} "
            f"({len(data)} byte)."
        )
