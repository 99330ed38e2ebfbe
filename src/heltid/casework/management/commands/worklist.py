"""heltid worklist refresh [--all] [--on YYYY-MM-DD] [--json]: bring the stored worklist up to
date (decision record 0023).

Run nightly after midnight, and after every ``heltid migrate`` (a deploy may change the rules
or the policy): recomputes the rows whose stored answer may have changed by the day (their
``valid_until`` has come), the rows computed under other rules or another policy, and makes the
rows of persons without one. ``--all`` recomputes every person's row."""

from __future__ import annotations

import json
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from heltid.casework.worklist import refresh_due


class Command(BaseCommand):
    help = "Bring the stored worklist (caseloads, the unit view) up to date."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["refresh"])
        parser.add_argument(
            "--all", action="store_true", dest="everything", help="recompute every row"
        )
        parser.add_argument(
            "--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)"
        )
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        day = options["on"] or timezone.localdate()
        started = time.perf_counter()
        written = refresh_due(today=day, everything=options["everything"])
        seconds = round(time.perf_counter() - started, 1)
        if options["json"]:
            data = {"on": day.isoformat(), "all": options["everything"], "refreshed": written}
            self.stdout.write(json.dumps({**data, "seconds": seconds}))
            return
        self.stdout.write(
            f"Arbetslistan: {written} personer beräknade om per {day.isoformat()} ({seconds} s)."
        )
