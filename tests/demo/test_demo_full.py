"""The full demo municipality (4,000 recipients) reproduces the seed figures and directions
on the suite's day.

One build per module, inside a transaction that is rolled back afterwards. How long the build
takes is a benchmark (benchmarks/demo.py), not a test.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from statistics import mean
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch

from heltid.audit.services import verify_chain
from heltid.casework.models import Assessment, Health, SwedishLevel
from heltid.demo.generator import DemoSummary, build_demo
from heltid.demo.testpersonnummer import test_personnummer as skatteverket_numbers
from heltid.insights.statistics import TargetGroupStats, target_group_stats
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Person, SupportPeriod
from heltid.rules import explain
from heltid.rules.dates import age_on
from tests.clock import suite_today

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

DAY = suite_today()
SEED_FIGURES = {
    "recipients": 4000,
    "target_group": 1800,
    "unemployed_coded": 1000,
    "other_target": 800,
    "exempt": 2200,
}
LIMITED = (SwedishLevel.MODERATE, SwedishLevel.LARGE)


@dataclass(frozen=True)
class Member:
    """A target-group member and the latest assessment."""

    sex: str
    age: int
    swedish_level: str
    health: str
    work_experience_years: int


@dataclass(frozen=True)
class FullDemo:
    summary: DemoSummary
    stats: TargetGroupStats
    target: list[Member]


def _target_members() -> list[Member]:
    persons = Person.objects.select_related("reason_code", "household").prefetch_related(
        Prefetch("support_periods", queryset=SupportPeriod.objects.all()),
        "exemptions",
        "household__children",
        Prefetch("assessments", queryset=Assessment.objects.order_by("-assessed_on")),
    )
    members = []
    for person in persons:
        result = explain(coverage_facts(person, on=DAY), on=DAY, policy=settings.HELTID_POLICY)
        if not result.target_group:
            continue
        latest = person.assessments.all()[0]
        members.append(
            Member(
                sex=person.sex,
                age=age_on(person.birth_date, DAY),
                swedish_level=latest.swedish_level,
                health=latest.health,
                work_experience_years=latest.work_experience_years,
            )
        )
    return members


@pytest.fixture(scope="module")
def full(django_db_setup: Any, django_db_blocker: Any) -> Iterator[FullDemo]:
    with django_db_blocker.unblock(), transaction.atomic():
        summary = build_demo(seed=1, on=DAY)
        yield FullDemo(summary, target_group_stats(on=DAY), _target_members())
        transaction.set_rollback(True)


def _share(members: list[Member], predicate: Any) -> float:
    return sum(1 for m in members if predicate(m)) / len(members)


def _ill(member: Member) -> bool:
    return member.health != Health.NONE


def _band(member: Member) -> str:
    return "young" if member.age < 30 else "middle" if member.age < 45 else "older"


def test_statistics_match_the_seed_figures_within_5_percent(full: FullDemo) -> None:
    for name, expected in SEED_FIGURES.items():
        actual = getattr(full.stats, name)
        assert abs(actual - expected) <= 0.05 * expected, (name, actual, expected)
        assert actual == getattr(full.summary, name)


def test_every_exemption_group_has_members(full: FullDemo) -> None:
    assert len(full.stats.exempt_by_reason) == 10
    assert all(count > 0 for count in full.stats.exempt_by_reason.values())
    assert full.stats.exempt_by_reason == full.summary.exempt_by_group


def test_the_build_is_logged(full: FullDemo) -> None:
    # how fast it is: benchmarks/demo.py (`make bench`)
    assert verify_chain().ok
    assert full.summary.log_entries == 4000  # one per person created; casework writes its own


def test_only_skatteverket_test_numbers(full: FullDemo) -> None:
    numbers = set(Person.objects.values_list("personnummer", flat=True))
    # the recipients, and the former participants of the staircase history (with an exit)
    assert Person.objects.filter(exits__isnull=True).count() == 4000
    assert len(numbers) == Person.objects.count()
    assert numbers <= set(skatteverket_numbers())


def test_target_group_is_mostly_women_and_70_percent_ill(full: FullDemo) -> None:
    assert len(full.target) == 1800
    assert 0.55 <= full.stats.target_women_share <= 0.62
    assert full.stats.target_assessed == 1800
    assert 0.65 <= full.stats.target_ill_health_share <= 0.75


def test_language_directions(full: FullDemo) -> None:
    women = [m for m in full.target if m.sex == "F"]
    men = [m for m in full.target if m.sex == "M"]
    limited_women = sum(m.swedish_level in LIMITED for m in women)
    limited_men = sum(m.swedish_level in LIMITED for m in men)
    assert limited_women > limited_men
    assert _share(women, lambda m: m.swedish_level in LIMITED) > _share(
        men, lambda m: m.swedish_level in LIMITED
    )
    assert _share(men, lambda m: m.swedish_level == SwedishLevel.NO_LIMITATION) > _share(
        women, lambda m: m.swedish_level == SwedishLevel.NO_LIMITATION
    )
    by_band = {b: [m for m in full.target if _band(m) == b] for b in ("young", "middle", "older")}
    limited = {b: _share(ms, lambda m: m.swedish_level in LIMITED) for b, ms in by_band.items()}
    assert limited["young"] < limited["middle"] < limited["older"]


def test_men_have_more_work_experience(full: FullDemo) -> None:
    women = [m.work_experience_years for m in full.target if m.sex == "F"]
    men = [m.work_experience_years for m in full.target if m.sex == "M"]
    assert mean(men) > mean(women)


def test_health_directions(full: FullDemo) -> None:
    women = [m for m in full.target if m.sex == "F"]
    men = [m for m in full.target if m.sex == "M"]

    def share(members: list[Member], health: str) -> float:
        return _share(members, lambda m: m.health == health)

    assert share(women, Health.PHYSICAL) > share(men, Health.PHYSICAL)
    assert share(men, Health.MENTAL) > share(women, Health.MENTAL)
    assert share(women, Health.BOTH) > share(men, Health.BOTH)

    by_band = {b: [m for m in full.target if _band(m) == b] for b in ("young", "middle", "older")}
    assert share(by_band["young"], Health.MENTAL) > share(by_band["older"], Health.MENTAL)
    assert share(by_band["older"], Health.PHYSICAL) > share(by_band["young"], Health.PHYSICAL)
    most_common = {
        b: Counter(m.health for m in ms).most_common(1)[0][0] for b, ms in by_band.items()
    }
    assert most_common["middle"] == Health.NONE
    none = {b: share(ms, Health.NONE) for b, ms in by_band.items()}
    assert none["middle"] > none["young"] and none["middle"] > none["older"]

    limited = [m for m in full.target if m.swedish_level in LIMITED]
    fluent = [m for m in full.target if m.swedish_level == SwedishLevel.NO_LIMITATION]
    assert _share(limited, _ill) < _share(fluent, _ill)


def test_not_everyone_is_covered_yet(full: FullDemo) -> None:
    # the statute covers people the municipality exempts (their scope is adapted instead), so
    # the covered may outnumber the target group; but not every recipient is covered
    assert 0 < full.stats.covered < full.stats.recipients
