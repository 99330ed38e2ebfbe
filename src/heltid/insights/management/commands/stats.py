"""heltid stats [--on YYYY-MM-DD] [--json]: the target-group figures of the registry."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from heltid.insights.statistics import target_group_stats


class Command(BaseCommand):
    help = "Target group, exemptions and shares for recipients on support."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        stats = target_group_stats(on=options["on"] or timezone.localdate())
        data = stats.as_json()
        if options["json"]:
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        for key, value in data.items():
            self.stdout.write(f"{key}: {value}")
