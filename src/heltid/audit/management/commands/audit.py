"""heltid audit verify: recompute the access log's hash chain.

Exits non-zero and names the first broken entry when a row was altered or removed."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from heltid.audit.services import verify_chain


class Command(BaseCommand):
    help = "Work with the access log (verify)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        result = verify_chain()
        if result.ok:
            self.stdout.write(f"OK: {result.checked} poster i loggen, kedjan är hel.")
            return
        self.stderr.write(
            f"BRUTEN: första felaktiga post är #{result.broken_seq} ({result.problem}); "
            f"{result.checked} poster före den stämmer."
        )
        raise SystemExit(1)
