"""Catalogue factories. The four default steps come from the data migration; use
``default_step(code)`` for them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import factory

from heltid.catalog.models import (
    ActivityType,
    Actor,
    ActorKind,
    Agreement,
    AgreementKind,
    Intervention,
    InterventionStatus,
    OccupancyCount,
    Step,
    Track,
)
from heltid.catalog.services import capacity_set
from tests.clock import suite_today

STEP_CODES = (
    "sysselsattning",
    "arbetsinriktad-rehabilitering",
    "arbete-med-samhallsstod",
    "arbete-studier",
)


def since() -> date:
    """When a factory intervention's capacity starts: 1 January of the year before the
    suite's day."""
    return date(suite_today().year - 1, 1, 1)


def default_step(code: str = "arbetsinriktad-rehabilitering") -> Step:
    return Step.objects.get(code=code)


class ActorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"aktor-{n}")
    name = factory.Sequence(lambda n: f"Aktör {n}")
    kind = ActorKind.MUNICIPAL
    rank = 1


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    code = factory.Sequence(lambda n: f"avtal-{n}")
    actor = factory.SubFactory(ActorFactory)
    kind = AgreementKind.INTERNAL
    title = factory.Sequence(lambda n: f"Uppdrag {n}")
    valid_from = factory.LazyFunction(since)


class InterventionFactory(factory.django.DjangoModelFactory):
    """An active intervention; ``places`` and ``occupied``/``waiting`` (from :func:`since`) are
    written as a dated capacity change and a dated occupancy count."""

    class Meta:
        model = Intervention
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"insats-{n}")
    name = factory.Sequence(lambda n: f"Insats {n}")
    provider = factory.SubFactory(ActorFactory)
    step = factory.LazyFunction(default_step)
    activity_type = ActivityType.WORKPLACE
    track = Track.EMPLOYER
    hours_per_week = Decimal(20)
    cost_per_place_month = 5000
    status = InterventionStatus.ACTIVE

    @factory.post_generation
    def places(obj: Intervention, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create:
            capacity_set(
                intervention=obj,
                places=10 if extracted is None else extracted,
                valid_from=since(),
            )

    @factory.post_generation
    def occupied(obj: Intervention, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not None:
            OccupancyCount.objects.update_or_create(
                intervention=obj,
                valid_from=since(),
                defaults={"occupied": extracted, "waiting": 0},
            )

    @factory.post_generation
    def waiting(obj: Intervention, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted is not None:
            count, _ = OccupancyCount.objects.get_or_create(
                intervention=obj, valid_from=since(), defaults={"occupied": 0}
            )
            count.waiting = extracted
            count.save()
