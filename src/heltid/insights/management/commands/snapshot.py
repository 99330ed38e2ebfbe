"""heltid snapshot [--on YYYY-MM-DD] [--correction REASON]: store the statistics of a day.

Without options (run it nightly from cron): stores yesterday's figures if they are not stored yet
and refreshes today's preliminary ones, so the first dashboard visit of the day is fast. With
``--on`` a past day's figures are stored if missing; ``--correction`` stores a new, dated
edition of a day that already has figures, with the reason (decision 0009).

Exit codes: 0 stored, 2 wrong date or a correction without figures to correct."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.background.services import forget
from heltid.insights import snapshots
from heltid.insights.management.arguments import USAGE, day_option


class Command(BaseCommand):
    help = "Stores the statistics of a day (the dashboard's and the reports' figures)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", default=None, help="YYYY-MM-DD (default: yesterday and today)")
        parser.add_argument("--correction", default="", help="why the figures are corrected")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        reason = options["correction"].strip()
        if options["on"] is None:
            if reason:
                raise CommandError("--correction kräver --on ÅÅÅÅ-MM-DD.", returncode=USAGE)
            days = [today - timedelta(days=1), today]
        else:
            days = [day_option(options["on"], "--on")]
            if days[0] > today:
                raise CommandError("Dagen har inte kommit än.", returncode=USAGE)
        for day in days:
            if reason:
                if day >= today:
                    raise CommandError(
                        "Bara en dag som är slut kan rättas; dagens siffror är preliminära.",
                        returncode=USAGE,
                    )
                if not snapshots.editions(day):
                    raise CommandError(
                        f"{day.isoformat()} har inga lagrade siffror att rätta.", returncode=USAGE
                    )
                snapshot = snapshots.take(day, reason=reason, today=today)
                # pages and files made from the day's earlier figures are made anew
                forget(day=day)
            elif day >= today:
                snapshot = snapshots.take(day, today=today)
            else:
                snapshot = snapshots.for_day(day, today=today) or snapshots.take(day, today=today)
            log_access(
                user=None,
                actor="heltid snapshot",
                action=Action.CREATE,
                detail={
                    "snapshot": day.isoformat(),
                    "edition": snapshot.edition,
                    "reason": reason,
                },
            )
            self.stdout.write(
                f"{day.isoformat()}: utgåva {snapshot.edition}"
                f"{' (preliminär)' if snapshot.provisional else ''}, {snapshot.persons} personer."
            )
