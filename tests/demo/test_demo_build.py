"""A small demo municipality in the database (400 recipients)."""

from __future__ import annotations

import pytest
from django.db import transaction

from heltid.accounts.models import Role, User
from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.audit.services import verify_chain
from heltid.demo.generator import DemoSummary, build_demo
from heltid.demo.staff import DEMO_PASSWORD, DEMO_USERS
from heltid.demo.testpersonnummer import test_personnummer as skatteverket_numbers
from heltid.insights.statistics import target_group_stats
from heltid.registry.models import Exemption, Household, Person
from tests.clock import suite_today

DAY = suite_today()
SMALL = 400


@pytest.fixture
def small_demo(db: None) -> DemoSummary:
    return build_demo(seed=3, on=DAY, recipients=SMALL)


def _snapshot() -> list[tuple[object, ...]]:
    return list(
        Person.objects.order_by("personnummer").values_list(
            "personnummer",
            "first_name",
            "last_name",
            "sex",
            "reason_code__label",
            "af_programme",
            "unit__code",
            "household__reference",
        )
    )


def test_statistics_give_the_planned_figures(small_demo: DemoSummary) -> None:
    stats = target_group_stats(on=DAY)
    assert stats.recipients == small_demo.recipients == SMALL
    assert stats.target_group == small_demo.target_group == 180
    assert stats.unemployed_coded == small_demo.unemployed_coded == 100
    assert stats.other_target == small_demo.other_target == 80
    assert stats.exempt == small_demo.exempt == 220
    assert stats.exempt_by_reason == small_demo.exempt_by_group
    assert stats.target_assessed == stats.target_group


def test_demo_users_exist_for_every_role_with_the_demo_password(small_demo: DemoSummary) -> None:
    demo_names = [spec.username for spec in DEMO_USERS]
    for role in Role:
        assert User.objects.filter(role=role, username__in=demo_names).exists(), role
    admin = User.objects.get(username="admin")
    assert admin.is_staff and admin.role == Role.ADMIN
    assert admin.check_password(DEMO_PASSWORD)
    assert User.objects.get(username="handlaggare.nord").protected_identity_access
    assert not User.objects.get(username="handlaggare.syd").protected_identity_access
    assert small_demo.users_created == len(DEMO_USERS)


def test_only_skatteverket_test_numbers(small_demo: DemoSummary) -> None:
    numbers = set(Person.objects.values_list("personnummer", flat=True))
    # the recipients, and the former participants of the staircase history (with an exit)
    assert Person.objects.filter(exits__isnull=True).count() == SMALL
    assert len(numbers) == Person.objects.count()
    assert numbers <= set(skatteverket_numbers())


def test_every_created_person_is_in_a_verified_access_log(small_demo: DemoSummary) -> None:
    assert verify_chain().ok
    entries = persons_named(AccessLog.objects.filter(actor="demo"), action="create")
    assert small_demo.log_entries == SMALL  # the history logs its former participants itself
    assert len(entries) == Person.objects.count()
    assert {e.person_id for e in entries} == set(Person.objects.values_list("pk", flat=True))
    assert all(e.detail == {"source": "demo"} for e in entries)


def test_households_units_and_caseloads(small_demo: DemoSummary) -> None:
    for household in Household.objects.prefetch_related("adults"):
        assert len({p.unit_id for p in household.adults.all()}) == 1
    caseload = Person.objects.filter(case_manager__username="casemanager.nord")
    assert caseload.count() == 10
    assert set(caseload.values_list("unit__code", flat=True)) == {"ekb-nord"}
    assert Person.objects.filter(protected_identity=True).exists()
    decided = Exemption.objects.filter(ended_on__isnull=True)
    assert decided.exists()
    assert set(decided.values_list("decided_by__role", flat=True)) == {Role.BENEFIT_OFFICER}


@pytest.mark.django_db
def test_same_seed_gives_the_same_database_in_separate_transactions() -> None:
    results = []
    for _ in range(2):
        with transaction.atomic():
            summary = build_demo(seed=5, on=DAY, recipients=SMALL)
            results.append((summary, _snapshot()))
            recipients = Person.objects.filter(exits__isnull=True).count()
            transaction.set_rollback(True)
    assert Person.objects.count() == 0
    (first_summary, first_rows), (second_summary, second_rows) = results
    assert first_summary == second_summary
    assert first_rows == second_rows
    assert recipients == SMALL < len(first_rows)  # and the history's former participants
