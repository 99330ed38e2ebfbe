"""``Thresholds.key``: facts with the same key meet the criteria of the same interventions under
``criteria_match_q`` (the one definition), so the allocation asks the database once per key."""

from __future__ import annotations

from decimal import Decimal
from itertools import product

import pytest

from heltid.catalog.matching import CriteriaFacts, Thresholds, criteria_match_q
from heltid.catalog.models import Intervention
from heltid.catalog.models.intervention import SwedishRequirement
from tests.catalog.factories import InterventionFactory

pytestmark = pytest.mark.django_db


def _matches(facts: CriteriaFacts) -> frozenset[int]:
    return frozenset(
        Intervention.objects.filter(criteria_match_q(facts)).values_list("pk", flat=True)
    )


def test_same_key__same_interventions__and_keys_tell_apart_what_matters() -> None:
    InterventionFactory(age_min=18, age_max=24)
    InterventionFactory(age_min=25)
    InterventionFactory(age_max=64, min_activity_hours=Decimal("20"))
    InterventionFactory(min_activity_hours=Decimal("10"), target_groups="work")
    InterventionFactory(swedish_requirement=SwedishRequirement.FLUENT)
    InterventionFactory()
    thresholds = Thresholds.of(Intervention.objects.all())
    assert thresholds.age_min == {18, 25}
    assert thresholds.activity_hours == {Decimal("10"), Decimal("20")}

    grid = [
        CriteriaFacts(age=age, reason_group=group, activity_hours=hours, swedish_level=level)
        for age, group, hours, level in product(
            (17, 18, 20, 24, 25, 40, 64, 65, 70),
            (None, "work", "health"),
            (None, Decimal("5"), Decimal("10"), Decimal("15"), Decimal("20"), Decimal("40")),
            (None, "none", "large"),
        )
    ]
    by_key: dict[tuple[object, ...], set[frozenset[int]]] = {}
    for facts in grid:
        by_key.setdefault(thresholds.key(facts), set()).add(_matches(facts))
    # every key answers one set of interventions ...
    assert all(len(answers) == 1 for answers in by_key.values())
    # ... and far fewer keys than facts are asked about, yet every different answer has its own
    assert len(by_key) < len(grid) / 3
    answers = [next(iter(a)) for a in by_key.values()]
    assert len(set(answers)) > 10
