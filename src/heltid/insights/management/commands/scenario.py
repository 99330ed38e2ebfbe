"""heltid scenario cost-of-activation [--months 36] [--runs 1000] [--json]

What full-time activation costs the municipality, estimated from its own data (decision 0010):
per budget year the gross cost, the savings and the net cost with 10th, 50th and 90th
percentiles over the runs. Exit code 2 for months or runs out of range."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heltid.insights.scenario_estimate import estimate
from heltid.insights.scenarios import years_as_json
from heltid.planning.scenario import MAX_MONTHS, MAX_RUNS, ScenarioError, simulate

USAGE = 2


class Command(BaseCommand):
    help = "Planning scenarios from the municipality's own data."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("which", choices=["cost-of-activation"])
        parser.add_argument("--months", type=int, default=36, help=f"1–{MAX_MONTHS}")
        parser.add_argument("--runs", type=int, default=1000, help=f"1–{MAX_RUNS}")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        months, runs = options["months"], options["runs"]
        if not 1 <= months <= MAX_MONTHS:
            raise CommandError(f"--months ska vara 1–{MAX_MONTHS}.", returncode=USAGE)
        if not 1 <= runs <= MAX_RUNS:
            raise CommandError(f"--runs ska vara 1–{MAX_RUNS}.", returncode=USAGE)
        scenario = estimate(today=today, months=months, runs=runs)
        try:
            result = simulate(scenario)
        except ScenarioError as exc:
            raise CommandError(str(exc), returncode=USAGE) from exc
        years = years_as_json(result)
        if options["json"]:
            self.stdout.write(
                json.dumps(
                    {
                        "scenario": "cost-of-activation",
                        "made_on": today.isoformat(),
                        "start_month": scenario.start_month.isoformat(),
                        "months": months,
                        "runs": runs,
                        "parameters": scenario.as_dict(),
                        "years": years,
                    },
                    ensure_ascii=False,
                    indent=2,
                )
            )
            return
        self.stdout.write(
            f"Vad kostar heltidsaktivering oss? {months} månader från "
            f"{scenario.start_month:%Y-%m}, {runs} körningar. Kronor, median (10:e–90:e percentil)."
        )
        for y in years:
            line = ", ".join(
                f"{label} {v['p50']:,} ({v['p10']:,}–{v['p90']:,})".replace(",", " ")
                for label, v in (
                    ("brutto", y["gross_cost"]),
                    ("besparing", y["savings"]),
                    ("netto", y["net_cost"]),
                )
            )
            self.stdout.write(f"{y['year']} ({y['months']} mån): {line}")
