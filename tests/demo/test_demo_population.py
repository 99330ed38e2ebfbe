"""The demo population plan: pure Python, no database."""

from __future__ import annotations

from collections import Counter

import pytest

from heltid.demo.population import (
    CATEGORY_COUNTS,
    COUPLES,
    TARGET_CATEGORIES,
    UNEMPLOYED,
    E,
    PopulationPlan,
    allocate,
    plan_population,
)
from heltid.demo.testpersonnummer import test_personnummer as skatteverket_numbers
from heltid.rules import CoverageFacts, ReasonGroup, default_reason_codes, explain
from heltid.rules.dates import age_on
from tests.clock import suite_today

DAY = suite_today()


@pytest.fixture(scope="module")
def plan() -> PopulationPlan:
    return plan_population(seed=1, on=DAY)


def _facts(plan: PopulationPlan, index: int) -> CoverageFacts:
    p = plan.persons[index]
    groups = dict(default_reason_codes())
    active = [e for e in p.exemptions if e.ended_on is None]
    return CoverageFacts(
        birth_date=p.birth_date,
        support_since=p.support_since,
        af_programme=p.af_programme,
        af_programme_since=p.af_programme_since,
        reason_code=p.reason_code,
        reason_group=groups[p.reason_code].value if p.reason_code else None,
        exemption=active[0].group if active else None,
        exemption_review_on=active[0].review_on if active else None,
        children_birth_dates=tuple(plan.households[p.household].children),
        part_time_hours=p.part_time_hours,
        individual_weekly_hours=p.individual_weekly_hours,
        individual_hours_reason=p.individual_hours_reason,
    )


def test_allocation_keeps_the_seed_volumes_and_scales() -> None:
    assert allocate(4000) == CATEGORY_COUNTS
    assert sum(CATEGORY_COUNTS[c] for c in TARGET_CATEGORIES) == 1800
    for total in (1, 7, 400, 1234):
        assert sum(allocate(total).values()) == total
    assert allocate(400)[UNEMPLOYED] == 100


def test_same_seed_gives_the_same_plan_and_another_seed_another() -> None:
    def key(plan: PopulationPlan) -> list[tuple[object, ...]]:
        return [
            (p.personnummer, p.first_name, p.last_name, p.reason_code, p.category, p.household)
            for p in plan.persons
        ]

    first = plan_population(seed=7, on=DAY, recipients=300)
    again = plan_population(seed=7, on=DAY, recipients=300)
    other = plan_population(seed=8, on=DAY, recipients=300)
    assert key(first) == key(again)
    assert key(first) != key(other)


def test_only_unique_skatteverket_test_numbers_of_adults(plan: PopulationPlan) -> None:
    numbers = [p.personnummer for p in plan.persons]
    assert len(set(numbers)) == len(numbers) == 4000
    assert set(numbers) <= set(skatteverket_numbers())
    assert all(18 <= age_on(p.birth_date, DAY) <= 67 for p in plan.persons)


def test_the_rules_put_everyone_where_the_plan_says(plan: PopulationPlan) -> None:
    """Target group and exemption group come out of the rules, not only out of the plan."""
    for index, person in enumerate(plan.persons):
        result = explain(_facts(plan, index), on=DAY)
        assert result.target_group == (person.category in TARGET_CATEGORIES)
        if not result.target_group:
            assert result.exemption == person.category


def test_unemployed_coded_are_exactly_the_unemployment_reason_codes(plan: PopulationPlan) -> None:
    groups = dict(default_reason_codes())
    for person in plan.persons:
        if person.category in TARGET_CATEGORIES:
            assert person.reason_code is not None
            coded = groups[person.reason_code] == ReasonGroup.UNEMPLOYMENT
            assert coded == (person.category == UNEMPLOYED)


def test_every_exemption_group_is_both_decided_and_implied_where_the_policy_implies(
    plan: PopulationPlan,
) -> None:
    origins: Counter[tuple[str, str]] = Counter()
    for person in plan.persons:
        if person.category in TARGET_CATEGORIES:
            continue
        decided = any(e.ended_on is None for e in person.exemptions)
        origins[(person.category, "decided" if decided else "implied")] += 1
    for group in (E.ESTABLISHMENT_PROGRAMME, E.PARENTAL_LEAVE, E.PENSION, E.FK_APPLICATION):
        assert origins[(group, "decided")] > 0
        assert origins[(group, "implied")] > 0
    assert origins[(E.UNACCOMPANIED_STUDENT, "implied")] == 80
    for group in (E.SICK_LISTED_FULL, E.ADDICTION_CARE, E.PROBATION_SIG):
        assert origins[(group, "decided")] == CATEGORY_COUNTS[group]


def test_decided_exemptions_are_reviewable_some_due(plan: PopulationPlan) -> None:
    active = [e for p in plan.persons for e in p.exemptions if e.ended_on is None]
    assert all(e.decided_on <= DAY and e.review_on >= e.decided_on for e in active)
    due = sum(e.review_on <= DAY for e in active)
    assert 0 < due < len(active) / 2
    ended = [e for p in plan.persons for e in p.exemptions if e.ended_on is not None]
    assert ended and all(e.decided_on <= e.ended_on <= DAY for e in ended)


def test_households_are_coherent(plan: PopulationPlan) -> None:
    kinds = Counter(h.kind for h in plan.households)
    assert kinds["single"] > kinds["single_parent"] > 0
    assert kinds["couple"] > 0 and kinds["couple_children"] > 0 and kinds["shared"] > 0
    for number, household in enumerate(plan.households):
        adults = [plan.persons[i] for i in household.adults]
        assert all(p.household == number for p in adults)
        assert household.cohabiting == (household.kind in COUPLES)
        assert len(adults) == (2 if household.kind in (*COUPLES, "shared") else 1)
        assert household.postal_code.startswith("58") and household.city == "Linköping"
        for born in household.children:
            assert born <= DAY
            assert all(age_on(p.birth_date, born) >= 15 for p in adults)
        if any(p.category == E.PARENTAL_LEAVE for p in adults):
            assert any((DAY - born).days < 550 for born in household.children)
    under_8 = sum(1 for h in plan.households for born in h.children if age_on(born, DAY) < 8)
    assert under_8 > 0


def test_groups_have_plausible_ages(plan: PopulationPlan) -> None:
    for person in plan.persons:
        if person.category == E.UNACCOMPANIED_STUDENT:
            assert 18 <= person.age <= 20
        if person.category == E.PENSION:
            assert person.age >= 55


def test_programmes_support_and_protected_identities(plan: PopulationPlan) -> None:
    target = [p for p in plan.persons if p.category in TARGET_CATEGORIES]
    in_state_programme = [p for p in target if p.af_programme in ("JOB", "UGA")]
    days = [(DAY - p.af_programme_since).days for p in in_state_programme if p.af_programme_since]
    assert len(days) == len(in_state_programme) > 0
    assert any(d < 450 for d in days) and any(d >= 450 for d in days)
    assert not any(p.af_programme == "etablering" for p in target)
    recent = sum(p.months_on_support < 3 for p in plan.persons)
    long_term = sum(p.months_on_support >= 24 for p in plan.persons)
    assert 0 < recent < long_term
    assert 0 < sum(p.protected_identity for p in plan.persons) < 40
    assert any(p.part_time_hours > 0 for p in target)
    caseload = [p for p in plan.persons if p.case_manager == "casemanager.nord"]
    assert len(caseload) == 100
    assert all(plan.unit_of(p) == "ekb-nord" for p in caseload)
