"""heltid staircase [--on YYYY-MM-DD] [--json]: the staircase picture as numbers.

Per active step in order: places, occupied, free, waiting, interventions in operation and
cost per month (heltid.catalog.selectors.staircase). ``--json`` prints a list of
``{"step", "places", "occupied", "free", "waiting", "interventions", "cost_per_month"}``."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from heltid.catalog.selectors import staircase

COLUMNS = (
    ("places", "Platser"),
    ("occupied", "Upptagna"),
    ("free", "Lediga"),
    ("waiting", "I kö"),
    ("interventions", "Insatser"),
    ("cost_per_month", "Kostnad/mån (kr)"),
)


class Command(BaseCommand):
    help = "Print places, occupancy, waiting list and cost per step of the staircase."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true", help="print a JSON list")

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        rows = [summary.as_json() for summary in staircase(on=on)]
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        widths = {
            key: max([len(title), *(len(str(r[key])) for r in rows)]) for key, title in COLUMNS
        }
        first = max([len("Steg"), *(len(r["step"]) for r in rows)])
        header = "Steg".ljust(first) + "".join(f"  {t:>{widths[k]}}" for k, t in COLUMNS)
        lines = [f"Trappan per {on.isoformat()}", header, "-" * len(header)]
        for row in rows:
            cells = "".join(f"  {row[k]:>{widths[k]}}" for k, _t in COLUMNS)
            lines.append(row["step"].ljust(first) + cells)
        self.stdout.write("\n".join(lines))
