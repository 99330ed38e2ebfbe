"""heltid af_coverage [--on YYYY-MM-DD] [--days N]

Record, once per person and coverage start, that Arbetsförmedlingen is to be told a person may
be covered by the activity requirement: everyone covered on the day, or who will be within the
next N days (default 31) if the facts hold. Run it daily; the rows are exported with the other
notifications (``/af-underrattelser/``)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db.models import Prefetch
from django.utils import timezone

from heltid.ids import chunks
from heltid.referrals.services.notifications import notify_may_be_covered
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Child, Person
from heltid.rules import explain


def record_coverage_notices(*, on: date, days: int = 31) -> int:
    """The number of new "may be covered" rows recorded for ``on``."""
    ids = list(
        Person.objects.filter(support_periods__last_month__isnull=True)
        .values_list("pk", flat=True)
        .distinct()
        .order_by("pk")
    )
    horizon = on + timedelta(days=days)
    recorded = 0
    for chunk in chunks(ids):
        people = (
            Person.objects.filter(pk__in=chunk)
            .select_related("reason_code", "household")
            .prefetch_related(
                "support_periods",
                "exemptions",
                Prefetch("household__children", queryset=Child.objects.order_by("birth_date")),
                "facts",
            )
        )
        for person in people:
            try:
                result = explain(
                    coverage_facts(person, on=on), on=on, policy=settings.HELTID_POLICY
                )
            except ValueError:  # inconsistent facts: shown on the person page
                continue
            start = result.covered_from
            if start is None or (not result.covered and start > horizon):
                continue
            if notify_may_be_covered(person, covered_from=start, user=None, today=on):
                recorded += 1
    return recorded


class Command(BaseCommand):
    help = "Record 'may be covered by the activity requirement' notices for Arbetsförmedlingen."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
        parser.add_argument("--days", type=int, default=31)

    def handle(self, *args: Any, **options: Any) -> None:
        on = options["on"] or timezone.localdate()
        count = record_coverage_notices(on=on, days=options["days"])
        self.stdout.write(f"Nya underrättelser om aktivitetskravet: {count}")
