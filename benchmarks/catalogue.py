"""A large synthetic catalogue for the catalogue-page benchmark (issue 3: 2,000 interventions).

Written with ``bulk_create`` straight into the tables, as the demo catalogue is: a fixed set of
providers, then interventions spread over the default steps, activity types, tracks and
statuses, each with dated places (a second change for every fifth) and dated occupancy. The
same ``first`` and ``count`` always give the same rows, so the catalogue can grow in two calls
(200, then 1,800 more) and the page be measured at both sizes.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction

from heltid.catalog.models import (
    ActivityType,
    Actor,
    ActorKind,
    CapacityChange,
    Intervention,
    InterventionStatus,
    OccupancyCount,
    Step,
    Track,
)
from heltid.catalog.models.intervention import SwedishRequirement, TargetGroup

BATCH = 500
PROVIDERS = 60
STEP_CODES = (
    "sysselsattning",
    "arbetsinriktad-rehabilitering",
    "arbete-med-samhallsstod",
    "arbete-studier",
)
WORDS = (
    "Arbetsträning",
    "Arbetsprövning",
    "Språkpraktik",
    "Jobbsökarstöd",
    "Friskvård",
    "Mötesplats",
    "Stödd anställning",
    "Orienteringskurs",
    "Yrkessvenska",
    "Praktik",
)
PLACES = ("Tornby", "Skäggetorp", "Ryd", "Berga", "Centrum", "Lambohov", "Ekholmen", "Hackefors")
GROUPS = (
    "",
    TargetGroup.UNEMPLOYMENT.value,
    f"{TargetGroup.UNEMPLOYMENT.value},{TargetGroup.SOCIAL.value}",
    TargetGroup.ILL_HEALTH.value,
)
SWEDISH = tuple(SwedishRequirement.values)
ACTIVITIES = tuple(ActivityType.values)
TRACKS = tuple(Track.values)


def ensure_providers(count: int = PROVIDERS) -> list[Actor]:
    """The benchmark's providers (``bench-aktor-N``), created once."""
    kinds = tuple(ActorKind.values)
    existing = {a.code: a for a in Actor.objects.filter(code__startswith="bench-aktor-")}
    missing = [
        Actor(
            code=f"bench-aktor-{n}",
            name=f"Utförare {n:03d}",
            kind=kinds[n % len(kinds)],
            rank=1 + n % 2,
            contact_email=f"aktor{n}@bench.example",
        )
        for n in range(count)
        if f"bench-aktor-{n}" not in existing
    ]
    Actor.objects.bulk_create(missing, batch_size=BATCH)
    return list(Actor.objects.filter(code__startswith="bench-aktor-").order_by("code"))


def _status(n: int) -> str:
    if n % 23 == 0:
        return InterventionStatus.NEEDED
    if n % 31 == 0:
        return InterventionStatus.PAUSED
    if n % 37 == 0:
        return InterventionStatus.ENDED
    if n % 41 == 0:
        return InterventionStatus.PLANNED
    return InterventionStatus.ACTIVE


@transaction.atomic
def add_interventions(count: int, *, today: date, first: int = 0) -> int:
    """Add interventions ``first`` … ``first + count - 1`` with their capacity and occupancy,
    dated so that ``today`` sees them; returns how many rows were written in all."""
    providers = ensure_providers()
    steps = list(Step.objects.filter(code__in=STEP_CODES).order_by("position"))
    since = today - timedelta(days=400)
    changed = today - timedelta(days=90)
    counted = today - timedelta(days=30)
    rows = []
    for n in range(first, first + count):
        status = _status(n)
        rows.append(
            Intervention(
                code=f"bench-insats-{n}",
                name=f"{WORDS[n % len(WORDS)]} {n:04d}",
                description=f"Syntetisk insats nummer {n} för prestandamätning.",
                provider=providers[(n * 7) % len(providers)],
                step=steps[n % len(steps)],
                activity_type=ACTIVITIES[n % len(ACTIVITIES)],
                track=TRACKS[(n // 3) % len(TRACKS)],
                target_groups=GROUPS[n % len(GROUPS)],
                min_activity_hours=Decimal(n % 4 * 5) if n % 3 else None,
                swedish_requirement=SWEDISH[n % len(SWEDISH)],
                age_min=18 if n % 9 == 0 else None,
                age_max=29 if n % 9 == 0 else None,
                hours_per_week=Decimal(5 + n % 31),
                cost_per_place_month=1500 + (n * 137) % 12000,
                language_support=n % 4 == 0,
                language_support_note="arabiska, somaliska" if n % 4 == 0 else "",
                location=f"{PLACES[n % len(PLACES)]}, Linköping",
                start_date=since,
                status=status,
            )
        )
    created = Intervention.objects.bulk_create(rows, batch_size=BATCH)
    changes: list[CapacityChange] = []
    counts: list[OccupancyCount] = []
    for item in created:
        n = int(item.code.rsplit("-", 1)[1])
        places = 0 if item.status == InterventionStatus.NEEDED else 5 + n % 36
        changes.append(CapacityChange(intervention=item, valid_from=since, places=places))
        if places and n % 5 == 0:
            places += 4
            changes.append(CapacityChange(intervention=item, valid_from=changed, places=places))
        if not places:
            continue
        # every third full with a queue, the others with a few free places
        occupied = places if n % 3 == 0 else max(0, places - 1 - n % 7)
        waiting = 1 + n % 9 if n % 3 == 0 else 0
        counts.append(
            OccupancyCount(intervention=item, valid_from=since, occupied=occupied // 2, waiting=0)
        )
        counts.append(
            OccupancyCount(
                intervention=item, valid_from=counted, occupied=occupied, waiting=waiting
            )
        )
    CapacityChange.objects.bulk_create(changes, batch_size=BATCH)
    OccupancyCount.objects.bulk_create(counts, batch_size=BATCH)
    return len(created) + len(changes) + len(counts)
