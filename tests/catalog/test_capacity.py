"""Live capacity is derived and dated; the staircase sums it per step."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from heltid.catalog.matching import CriteriaFacts
from heltid.catalog.models import CapacityChange, InterventionStatus, Step
from heltid.catalog.selectors import CatalogueFilter, interventions, staircase
from heltid.catalog.services import capacity_set
from tests.catalog.factories import STEP_CODES, InterventionFactory, default_step, since

pytestmark = pytest.mark.django_db


def test_default_staircase__four_steps_in_order() -> None:
    assert list(Step.objects.values_list("code", flat=True)) == list(STEP_CODES)


def test_capacity_on_a_date__follows_the_dated_changes() -> None:
    item = InterventionFactory(places=5, occupied=3, waiting=1)
    more_from = since().replace(month=6)
    capacity_set(intervention=item, places=8, valid_from=more_from, reason="fler platser")

    def on(day: date) -> tuple[int, int, int, int]:
        row = interventions(on=day).get(pk=item.pk)
        return (row.places, row.occupied, row.free, row.waiting)  # type: ignore[attr-defined]

    assert on(since() - timedelta(days=1)) == (0, 0, 0, 0)
    assert on(since().replace(month=3)) == (5, 3, 2, 1)
    assert on(more_from - timedelta(days=1)) == (5, 3, 2, 1)
    assert on(more_from) == (8, 3, 5, 1)


def test_capacity_set__unchanged__writes_nothing() -> None:
    item = InterventionFactory(places=5)
    assert capacity_set(intervention=item, places=5, valid_from=since().replace(month=3)) is None
    assert CapacityChange.objects.filter(intervention=item).count() == 1


def test_free__never_below_zero_when_overfull() -> None:
    item = InterventionFactory(places=2, occupied=3)
    assert interventions(on=since().replace(month=2)).get(pk=item.pk).free == 0  # type: ignore[attr-defined]


def test_staircase__sums_places_per_step_and_counts_needs_apart() -> None:
    work = default_step("arbete-med-samhallsstod")
    InterventionFactory(step=work, places=4, occupied=4, waiting=6, cost_per_place_month=1000)
    InterventionFactory(step=work, places=2, occupied=1, cost_per_place_month=500)
    InterventionFactory(step=work, places=0, status=InterventionStatus.NEEDED)
    InterventionFactory(step=work, places=9, status=InterventionStatus.ENDED)
    summary = {s.step.code: s for s in staircase(on=since().replace(month=2))}
    row = summary["arbete-med-samhallsstod"].as_json()
    assert row == {
        "step": "Arbete med samhällsstöd",
        "places": 6,
        "occupied": 5,
        "free": 1,
        "waiting": 6,
        "interventions": 2,
        "cost_per_month": 5000,
    }
    assert summary["arbete-med-samhallsstod"].needs == 1
    assert summary["sysselsattning"].places == 0


def test_criteria_match__each_criterion_can_exclude() -> None:
    ok = InterventionFactory(min_activity_hours=Decimal(10), age_min=18, age_max=29)
    InterventionFactory(min_activity_hours=Decimal(30))
    InterventionFactory(age_min=30)
    InterventionFactory(target_groups="ill_health")
    InterventionFactory(swedish_requirement="none")
    facts = CriteriaFacts(
        age=25, reason_group="unemployment", activity_hours=Decimal(20), swedish_level="moderate"
    )
    found = interventions(on=since().replace(month=2), filters=CatalogueFilter(facts=facts))
    assert list(found) == [ok]


def test_criteria_match__unknown_facts_exclude_nothing() -> None:
    InterventionFactory(min_activity_hours=Decimal(30), swedish_requirement="none")
    facts = CriteriaFacts(age=40, reason_group=None, activity_hours=None, swedish_level=None)
    found = interventions(on=since().replace(month=2), filters=CatalogueFilter(facts=facts))
    assert found.count() == 1
    assert facts.missing == ["reason_group", "activity_hours", "swedish_level"]
