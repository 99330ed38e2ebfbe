"""Factories with Swedish fake data and Skatteverket's test personnummer only."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import date, timedelta

import factory

from heltid.accounts.models import Role, Unit, UnitKind, User
from heltid.demo.testpersonnummer import adults_aged
from heltid.registry.fact_history import first_rows, person_snapshot
from heltid.registry.identity import parse_identity
from heltid.registry.models import (
    Child,
    FactKind,
    FactSource,
    Household,
    IdKind,
    Person,
    PersonFact,
    ReasonCode,
    SupportPeriod,
)
from heltid.rules.dates import add_months
from heltid.rules.requirement import activity_requirement
from tests.clock import suite_today

_numbers: Iterator[str] | None = None


def next_test_personnummer() -> str:
    """The next of Skatteverket's test numbers of a person aged 25–60 on the suite's day, so
    that a factory's person is an adult of working age whatever day the suite lives on."""
    global _numbers
    if _numbers is None:
        _numbers = itertools.cycle(adults_aged(suite_today(), low=25, high=60))
    return next(_numbers)


def support_start() -> date:
    """A factory person's first month of support: the first of the month a year and a half
    before the suite's day."""
    today = suite_today()
    months = today.year * 12 + today.month - 1 - 18
    return date(months // 12, months % 12 + 1, 1)


def deadlines_passed_day() -> date:
    """The first day on which all of a factory person's start deadlines have passed (the
    policy's longest is 30 days after coverage): the suite's day, once coverage is that old."""
    return max(suite_today(), covered_from() + timedelta(days=31))


def covered_from() -> date:
    """When a factory person (on support since :func:`support_start`, no exemption) is covered
    by the activity requirement: after the minimum months on support, never before the
    requirement is first applied (support for October 2026)."""
    requirement = activity_requirement(suite_today())
    return max(
        requirement.first_applied_month.value,
        add_months(support_start(), requirement.min_consecutive_months.value),
    )


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"enhet-{n}")
    name = factory.Sequence(lambda n: f"Enhet {n}")
    kind = UnitKind.BENEFIT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    role = Role.BENEFIT_OFFICER
    unit = factory.SubFactory(UnitFactory)
    password = factory.django.Password("demo-losen-123")


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    reference = factory.Sequence(lambda n: f"H{n:06d}")
    cohabiting = False


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("personnummer",)
        skip_postgeneration_save = True

    personnummer = factory.LazyFunction(next_test_personnummer)
    id_kind = IdKind.PERSONNUMMER
    birth_date = factory.LazyAttribute(lambda o: parse_identity(o.personnummer).birth_date)
    sex = factory.LazyAttribute(lambda o: parse_identity(o.personnummer).sex)
    first_name = factory.Faker("first_name", locale="sv_SE")
    last_name = factory.Faker("last_name", locale="sv_SE")
    household = factory.SubFactory(HouseholdFactory, unit=factory.SelfAttribute("..unit"))
    reason_code = factory.LazyFunction(
        lambda: ReasonCode.objects.get(label="Arbetslös, ingen ersättning/stöd")
    )
    unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def support_since(self, create: bool, extracted: date | None, **kwargs: object) -> None:
        if create:
            SupportPeriod.objects.create(person=self, first_month=extracted or support_start())

    @factory.post_generation
    def facts(self, create: bool, extracted: object, **kwargs: object) -> None:
        """The dated facts its fields state, recorded when they began (or when the support
        did), as a benefit system's history would have them."""
        if create and not PersonFact.objects.filter(person=self).exists():
            recorded = min(self.af_programme_since or support_start(), support_start())
            PersonFact.objects.bulk_create(
                first_rows(
                    self.pk, person_snapshot(self), recorded_on=recorded, source=FactSource.DEMO
                )
            )


def add_child(household: Household, born: date) -> None:
    """A child in the household, and in each adult's household facts since before anything
    recorded (as the benefit system's file would state it)."""
    Child.objects.create(household=household, birth_date=born)
    recorded = min(born, support_start())
    PersonFact.objects.bulk_create(
        PersonFact(
            person=adult,
            kind=FactKind.CHILD,
            value=born.isoformat(),
            recorded_on=recorded,
            source=FactSource.DEMO,
        )
        for adult in household.adults.all()
    )
