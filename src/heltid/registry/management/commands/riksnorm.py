"""heltid riksnorm --year 2026 --adults 1|2 [--child AGE]... [--child-lunch AGE]... [--json]

--adults 2 is a sambo couple; --child-lunch is a child who eats lunch outside the home five
days a week; --shared-household N is one adult sharing a household of N persons without
being sambo (then --adults and children are not used)."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.rules import Child, riksnorm, riksnorm_as_json, riksnorm_shared_adult


class Command(BaseCommand):
    help = "The national standard amount (riksnorm) for a household."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--adults", type=int, choices=[1, 2], default=1)
        parser.add_argument("--child", type=int, action="append", default=[], metavar="AGE")
        parser.add_argument("--child-lunch", type=int, action="append", default=[], metavar="AGE")
        parser.add_argument("--shared-household", type=int, default=None, metavar="PERSONS")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        children = [Child(age=a) for a in options["child"]] + [
            Child(age=a, lunch_outside_home=True) for a in options["child_lunch"]
        ]
        try:
            if options["shared_household"] is not None:
                result = riksnorm_shared_adult(
                    year=options["year"], household_size=options["shared_household"]
                )
            else:
                result = riksnorm(year=options["year"], adults=options["adults"], children=children)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(riksnorm_as_json(result), ensure_ascii=False, indent=2))
            return
        for line in result.lines:
            self.stdout.write(f"{line.label}: {line.amount} kr")
        self.stdout.write(f"Summa: {result.total} kr per månad")
