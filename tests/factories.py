"""Factories with Swedish fake data and Skatteverket's test personnummer only."""

from __future__ import annotations

import itertools
from datetime import date

import factory

from heltid.accounts.models import Role, Unit, UnitKind, User
from heltid.demo.testpersonnummer import adults_aged
from heltid.registry.identity import parse_identity
from heltid.registry.models import Household, IdKind, Person, ReasonCode, SupportPeriod

REFERENCE_DAY = date(2026, 11, 23)
_numbers = itertools.cycle(adults_aged(REFERENCE_DAY))


def next_test_personnummer() -> str:
    return next(_numbers)


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
    household = factory.SubFactory(HouseholdFactory)
    reason_code = factory.LazyFunction(
        lambda: ReasonCode.objects.get(label="Arbetslös, ingen ersättning/stöd")
    )
    unit = factory.SubFactory(UnitFactory)

    @factory.post_generation
    def support_since(self, create: bool, extracted: date | None, **kwargs: object) -> None:
        if create:
            SupportPeriod.objects.create(person=self, first_month=extracted or date(2025, 1, 1))
