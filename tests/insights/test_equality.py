"""The gender-equality analysis: cross-tables of the target group, outcomes, the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    Exit,
    ExitReason,
    ExitTarget,
    Health,
    Plan,
    PlanActivity,
    SwedishLevel,
)
from heltid.insights.equality import (
    NOT_ASSESSED,
    OUTCOME_ACTIVITY,
    OUTCOME_NO_PLAN,
    OUTCOME_PLAN_ONLY,
    EqualityAnalysis,
    equality_analysis,
    experience_band,
)
from heltid.insights.filters import InsightFilter
from heltid.registry.models import Person
from tests.clock import suite_today
from tests.conftest import Staff
from tests.factories import PersonFactory
from tests.insights.made import made

DAY = date(2025, 6, 30)
PERIOD = InsightFilter(start=date(2025, 1, 1), end=DAY)
SINCE = date(2024, 1, 1)  # on support all through the period, whatever the suite's day


def _on_support(**kwargs: Any) -> Person:
    return PersonFactory(support_since=SINCE, **kwargs)


def _assess(person: Person, on: date, *, swedish: str, health: str, years: int = 0) -> None:
    Assessment.objects.create(
        person=person,
        assessed_on=on,
        swedish_level=swedish,
        health=health,
        work_experience_years=years,
    )


def _row(analysis: EqualityAnalysis, key: str, row: str) -> dict[str, int]:
    return analysis.table(key).counts[row]


def test_experience_band__years__grouped_as_the_seeds() -> None:
    assert [experience_band(y) for y in (0, 1, 2, 3, 5, 6, 30)] == [
        "0",
        "1-2",
        "1-2",
        "3-5",
        "3-5",
        "6-",
        "6-",
    ]


@pytest.mark.django_db
def test_equality_analysis__latest_assessment__decides_the_cells() -> None:
    woman = _on_support(sex="F")
    man = _on_support(sex="M")
    _assess(woman, date(2025, 2, 1), swedish=SwedishLevel.NO_LIMITATION, health=Health.NONE)
    _assess(woman, date(2025, 5, 1), swedish=SwedishLevel.LARGE, health=Health.BOTH, years=4)
    _assess(man, date(2025, 3, 1), swedish=SwedishLevel.NO_LIMITATION, health=Health.MENTAL)
    _assess(man, date(2025, 8, 1), swedish=SwedishLevel.LARGE, health=Health.NONE)  # after

    analysis = equality_analysis(PERIOD)

    assert len(analysis.members) == 2
    assert _row(analysis, "sex_health", "F")[Health.BOTH] == 1
    assert _row(analysis, "sex_health", "M")[Health.MENTAL] == 1
    assert _row(analysis, "sex_swedish", "F")[SwedishLevel.LARGE] == 1
    assert _row(analysis, "sex_swedish", "M")[SwedishLevel.NO_LIMITATION] == 1
    assert _row(analysis, "sex_experience", "F")["3-5"] == 1
    assert _row(analysis, "swedish_health", SwedishLevel.LARGE)[Health.BOTH] == 1
    assert sum(sum(row.values()) for row in analysis.table("age_health").counts.values()) == 2


@pytest.mark.django_db
def test_equality_analysis__unassessed_and_off_support__counted_right() -> None:
    _on_support(sex="F")
    PersonFactory(sex="F", support_since=date(2025, 9, 1))  # not on support yet

    analysis = equality_analysis(PERIOD)

    assert len(analysis.members) == 1
    assert _row(analysis, "sex_health", "F")[NOT_ASSESSED] == 1


@pytest.mark.django_db
def test_equality_analysis__outcomes__plans_activities_and_exits_by_sex() -> None:
    with_activity, plan_only, _none = (_on_support(sex="F") for _ in range(3))
    for person, status in ((with_activity, ActivityStatus.ONGOING), (plan_only, None)):
        plan = Plan.objects.create(
            person=person, goal="Arbete", exit_target=ExitTarget.WORK, created_on=date(2025, 3, 1)
        )
        if status:
            PlanActivity.objects.create(
                plan=plan,
                kind=ActivityKind.OTHER,
                title="Praktik",
                hours_per_week=20,
                status=status,
            )
    leaver = _on_support(sex="M")
    Exit.objects.create(person=leaver, exit_on=date(2025, 4, 15), reason=ExitReason.WORK_REGULAR)
    Exit.objects.create(
        person=_on_support(sex="M"), exit_on=date(2024, 12, 1), reason=ExitReason.STUDIES
    )  # before the period

    analysis = equality_analysis(PERIOD)

    assert _row(analysis, "sex_outcome", "F") == {
        OUTCOME_ACTIVITY: 1,
        OUTCOME_PLAN_ONLY: 1,
        OUTCOME_NO_PLAN: 1,
    }
    assert _row(analysis, "sex_exit", "M") == {"work_or_studies": 1, "other": 0}
    assert _row(analysis, "sex_exit", "F") == {"work_or_studies": 0, "other": 0}


@pytest.mark.django_db
def test_equality_analysis__unit_and_sex_filters__narrow_the_group(staff: Staff) -> None:
    _on_support(sex="F", unit=staff.unit)
    _on_support(sex="M", unit=staff.unit)
    _on_support(sex="F", unit=staff.other_unit)

    by_unit = equality_analysis(InsightFilter(start=PERIOD.start, end=DAY, unit="ekb-nord"))
    women = equality_analysis(InsightFilter(start=PERIOD.start, end=DAY, sex="F"))

    assert len(by_unit.members) == 2
    assert {m.sex for m in women.members} == {"F"}
    assert len(women.members) == 2


def _queries(count: int) -> int:
    for _ in range(count):
        person = PersonFactory()
        _assess(person, date(2025, 2, 1), swedish=SwedishLevel.MODERATE, health=Health.PHYSICAL)
        plan = Plan.objects.create(person=person, goal="Arbete", exit_target=ExitTarget.WORK)
        PlanActivity.objects.create(
            plan=plan, kind=ActivityKind.OTHER, title="Praktik", hours_per_week=10
        )
    with CaptureQueriesContext(connection) as queries:
        equality_analysis(InsightFilter(start=PERIOD.start, end=suite_today()))
    return len(queries)


@pytest.mark.django_db
def test_equality_analysis__more_persons__same_number_of_queries() -> None:
    few = _queries(2)
    assert _queries(6) == few


@pytest.mark.django_db
def test_equality_page__analyst__suppressed_tables_with_captions(staff: Staff) -> None:
    for _ in range(3):
        PersonFactory(sex="F", unit=staff.unit)
    client = Client()
    client.force_login(staff.analyst)

    asked = client.get("/statistik/jamstalldhet/")  # made in the background (decision 0022)
    assert asked.context["status"]["being_made"] and "<caption" not in asked.content.decode()
    response = made(client, "/statistik/jamstalldhet/")

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<caption") == 8
    assert 'scope="col"' in html and 'scope="row"' in html
    assert '<td class="num">3</td>' not in html  # three women: suppressed
    assert "–</abbr>" in html


@pytest.mark.django_db
def test_equality_page__officer__forbidden(staff: Staff) -> None:
    client = Client()
    client.force_login(staff.officer)
    assert client.get("/statistik/jamstalldhet/").status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    ["fran=2025-13-01", "fran=2025-06-01&till=2025-01-01", "enhet=finns-inte", "till=x&fran=%00"],
)
def test_equality_page__bad_filters__field_errors_no_tables(staff: Staff, query: str) -> None:
    client = Client()
    client.force_login(staff.analyst)

    response = client.get(f"/statistik/jamstalldhet/?{query}")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error"' in html
    assert "<caption" not in html


@pytest.mark.django_db
def test_equality_page__period_and_unit__shown(staff: Staff) -> None:
    client = Client()
    client.force_login(staff.analyst)
    response = made(
        client, "/statistik/jamstalldhet/?fran=2025-01-01&till=2025-06-30&enhet=ekb-nord"
    )
    assert response.status_code == 200
    assert "2025-06-30" in response.content.decode()
    assert response.context["status"]["fresh"] and response.context["tables"]


# The demo municipality reproduces the seeds' directions (tests/demo/test_demo_full.py checks
# the same directions on the persons; here they must come out of the analysis' tables).
DEMO_DAY = suite_today()
LIMITED = (SwedishLevel.MODERATE, SwedishLevel.LARGE)


@pytest.fixture(scope="module")
def demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[EqualityAnalysis]:
    from heltid.demo.generator import build_demo

    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(seed=1, on=DEMO_DAY)
        yield equality_analysis(InsightFilter(start=date(DEMO_DAY.year, 1, 1), end=DEMO_DAY))
        transaction.set_rollback(True)


def _share(row: dict[str, int], codes: tuple[str, ...]) -> float:
    return sum(row[c] for c in codes) / sum(row.values())


@pytest.mark.slow
@pytest.mark.django_db
def test_equality_analysis__demo__seed_directions(demo: EqualityAnalysis) -> None:
    ages = demo.table("sex_age").counts
    women, men = sum(ages["F"].values()), sum(ages["M"].values())
    assert women + men == len(demo.members) == 1800
    assert women > men

    swedish = demo.table("sex_swedish").counts
    assert sum(swedish["F"][c] for c in LIMITED) > sum(swedish["M"][c] for c in LIMITED)
    assert _share(swedish["F"], LIMITED) > _share(swedish["M"], LIMITED)
    none = (SwedishLevel.NO_LIMITATION,)
    assert _share(swedish["M"], none) > _share(swedish["F"], none)

    health = demo.table("sex_health").counts
    assert _share(health["F"], (Health.PHYSICAL,)) > _share(health["M"], (Health.PHYSICAL,))
    assert _share(health["M"], (Health.MENTAL,)) > _share(health["F"], (Health.MENTAL,))
    assert _share(health["F"], (Health.BOTH,)) > _share(health["M"], (Health.BOTH,))
    ill = (Health.PHYSICAL, Health.MENTAL, Health.BOTH)
    total = {c: health["F"][c] + health["M"][c] for c in health["F"]}
    assert 0.65 <= _share(total, ill) <= 0.75

    experience = demo.table("sex_experience").counts
    long = ("3-5", "6-")
    assert _share(experience["M"], long) > _share(experience["F"], long)

    by_age = demo.table("age_health").counts
    assert _share(by_age["18-24"], (Health.MENTAL,)) > _share(by_age["55-67"], (Health.MENTAL,))
    assert _share(by_age["55-67"], (Health.PHYSICAL,)) > _share(by_age["18-24"], (Health.PHYSICAL,))
    assert max(by_age["30-44"], key=lambda c: by_age["30-44"][c]) == Health.NONE

    by_swedish = demo.table("swedish_health").counts
    limited = {c: sum(by_swedish[level][c] for level in LIMITED) for c in by_swedish["none"]}
    assert _share(limited, ill) < _share(by_swedish[SwedishLevel.NO_LIMITATION], ill)


@pytest.mark.slow
@pytest.mark.django_db
def test_equality_analysis__demo__suppression_keeps_large_cells(demo: EqualityAnalysis) -> None:
    published = demo.table("sex_health").suppressed()
    assert published.total == 1800
    assert published.row_totals["F"] is not None and published.row_totals["F"] > 900
