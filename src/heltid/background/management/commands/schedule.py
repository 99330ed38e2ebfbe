"""heltid schedule [--every SECONDS]: enqueue the background work that is due (decision 0022).

django-tasks has no scheduler, so this command is it. Each run asks for every planned result
— yesterday's final statistics, today's preliminary ones (again when older than
``HELTID_STATISTICS_MAX_AGE_MINUTES``), the analysts' start page and default dashboard — and
enqueues only what is missing or stale, once per kind, key and day however often it runs or
however many run it — and the nightly refresh of the stored worklists (decision 0023). It
seals the access log's lanes (decision 0021) on every run. It also deletes results kept past
their time (exports with personal data after a day) and the queue's finished task rows after
14 days. The worker, ``heltid db_worker``, does the work.

Run it every ten minutes from a systemd timer or cron (README, operators); ``make run`` runs it
in a loop with ``--every 300``. Exit code 0."""

from __future__ import annotations

import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from heltid.audit.services import seal
from heltid.background import services


class Command(BaseCommand):
    help = "Enqueues the background work that is due (statistics, default pages); idempotent."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            help="run again every SECONDS until stopped (default: once)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        every = max(options["every"], 0)
        while True:
            self.run_once()
            if not every:
                return
            time.sleep(every)

    def run_once(self) -> None:
        # the access log's seal: a few queries, so done here rather than queued (decision 0021)
        sealed = seal()
        if sealed is not None:
            self.stdout.write(f"audit seal {sealed.number}: {sealed.hash}")
        readings = services.schedule()
        call_command("prune_db_task_results", min_age_days=14, verbosity=0)
        for reading in readings:
            self.stdout.write(
                f"{reading.kind} {reading.key or '-'} {reading.day.isoformat()}: {reading.status}"
            )
