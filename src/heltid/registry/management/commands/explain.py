"""heltid explain PERSONNUMMER [--on YYYY-MM-DD] [--json].

Whether the person is covered, from when, for how many hours a week — and why."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.registry.facts import coverage_facts
from heltid.registry.identity import IdentityError, parse_identity
from heltid.registry.models import Person
from heltid.registry.templatetags.reasons import by_basis
from heltid.rules import explain, explanation_as_json


class Command(BaseCommand):
    help = "Explain coverage, weekly hours and priority for one person."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("personnummer")
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            number = parse_identity(options["personnummer"]).number
        except IdentityError as exc:
            raise CommandError(str(exc)) from exc
        person = (
            Person.objects.select_related("reason_code", "household")
            .prefetch_related("support_periods", "exemptions", "household__children", "facts")
            .filter(personnummer=number)
            .first()
        )
        if person is None:
            raise CommandError("Ingen person med det personnumret finns i registret.")
        on = options["on"] or timezone.localdate()
        # the facts as known on that day: a later import never changes an earlier answer
        result = explain(coverage_facts(person, on=on), on=on, policy=settings.HELTID_POLICY)
        log_access(
            user=None, action=Action.VIEW, person_id=person.pk, page="cli:explain", actor="cli"
        )
        if options["json"]:
            self.stdout.write(json.dumps(explanation_as_json(result), ensure_ascii=False, indent=2))
            return
        self.stdout.write(f"Omfattas: {'ja' if result.covered else 'nej'}")
        if result.covered_from:
            self.stdout.write(f"Från: {result.covered_from.isoformat()}")
        self.stdout.write(f"Timmar per vecka: {result.weekly_hours}")
        self.stdout.write(f"Prioritet: {result.priority.text}")
        for _, heading, reasons in by_basis(result.reasons):
            self.stdout.write(f"{heading}:")
            for reason in reasons:
                self.stdout.write(f"- {reason.text} ({reason.source})")
