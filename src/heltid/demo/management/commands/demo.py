"""heltid demo [--seed N] [--recipients N] [--on YYYY-MM-DD] [--if-empty]: the demo municipality
with its intervention catalogue."""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.utils import timezone

from heltid.casework.worklist import refresh_due
from heltid.demo.generator import build_demo
from heltid.demo.population import SEED_RECIPIENTS
from heltid.demo.staff import DEMO_PASSWORD
from heltid.registry.models import Person

MAX_RECIPIENTS = 20_000  # Skatteverket's test numbers of adults run out not far above this
PRODUCTION_REFUSAL = (
    "heltid demo körs inte i produktion (HELTID_PRODUCTION är på): demokommunens användare har "
    "ett gemensamt lösenord som står i källkoden. Ingenting har ändrats. Skapa riktiga "
    "användare med `heltid createsuperuser` och administrationen."
)


def iso_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{value!r} är inte ett datum: skriv ÅÅÅÅ-MM-DD."
        ) from None


class Command(BaseCommand):
    help = (
        "Skapar demokommunen: enheter, en inloggning per roll, cirka 4 000 mottagare "
        "kalibrerade på Linköpings utredning och en insatskatalog. Kräver en tom databas."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=1, help="slumpfrö (samma frö ger samma data)"
        )
        parser.add_argument(
            "--recipients", type=int, default=SEED_RECIPIENTS, help="antal mottagare (4000)"
        )
        parser.add_argument(
            "--on", type=iso_day, default=None, help="dag som data gäller, ÅÅÅÅ-MM-DD (i dag)"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="gör ingenting om det redan finns personer i databasen",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:  # before any database access: a refusal changes nothing
            raise CommandError(PRODUCTION_REFUSAL)
        existing = Person.objects.count()
        if existing:
            if options["if_empty"]:
                self.stdout.write(
                    f"Databasen innehåller redan {existing} personer: ingen demodata skapas."
                )
                return
            raise CommandError(self._not_empty(existing))
        recipients = options["recipients"]
        if not 1 <= recipients <= MAX_RECIPIENTS:
            raise CommandError(f"Antalet mottagare måste vara mellan 1 och {MAX_RECIPIENTS}.")
        on = options["on"] or timezone.localdate()
        started = time.perf_counter()
        summary = build_demo(seed=options["seed"], on=on, recipients=recipients)
        # the stored worklists of everyone, as the nightly refresh leaves them (decision 0023)
        refresh_due(today=timezone.localdate())
        elapsed = time.perf_counter() - started
        for line in summary.lines():
            self.stdout.write(line)
        self.stdout.write(
            f"Klart på {elapsed:.1f} s. Inloggningar (lösenord {DEMO_PASSWORD}): heltid demo_logins"
        )

    def _not_empty(self, existing: int) -> str:
        message = (
            f"Databasen innehåller redan {existing} personer. Demokommunen skapas bara i en tom "
            "databas, och åtkomstloggen går inte att tömma."
        )
        if connection.vendor == "sqlite":
            name = settings.DATABASES["default"]["NAME"]
            return (
                f"{message} Ta bort databasfilen {name} och kör sedan `heltid migrate` och "
                "`heltid demo` igen."
            )
        return f"{message} Skapa en ny, tom databas och kör `heltid migrate` och `heltid demo`."
