"""Matching a person to interventions: only those whose criteria the person meets, ranked with
free places first, then the step the assessment asks for, the activity capacity, the Swedish
level, the age and the target group; each with why it fits; the page in fixed queries."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heltid.casework.services.assessment import assessment_record
from heltid.referrals.selectors import matching_for
from heltid.referrals.services.referral import referral_create
from heltid.referrals.views.referral import MATCHING_PAGE_SIZE
from heltid.rules.dates import age_on
from tests.catalog.factories import InterventionFactory, default_step
from tests.factories import PersonFactory


def _person(staff: Any, *, assessed: bool = True) -> Any:
    person = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    if assessed:
        assessment_record(
            person=person,
            data={
                "swedish_level": "moderate",
                "health": "none",
                "activity_capacity_hours": Decimal(25),
                "requested_step": default_step("arbetsinriktad-rehabilitering"),
            },
            acting_user=staff.case_manager,
            today=timezone.localdate(),
        )
    return person


@pytest.mark.django_db
def test_matching__ranked_free_first_then_step_capacity_swedish_age_target_group(
    staff: Any,
) -> None:
    person = _person(staff)
    today = timezone.localdate()
    age = age_on(person.birth_date, today)
    group = person.reason_code.group
    rehab = default_step("arbetsinriktad-rehabilitering")
    made = {
        "full": InterventionFactory(
            places=1, occupied=1, step=rehab, swedish_requirement="moderate"
        ),
        "other_step": InterventionFactory(step=default_step("sysselsattning")),
        "far_step": InterventionFactory(step=default_step("arbete-studier")),
        "too_many_hours": InterventionFactory(step=rehab, hours_per_week=Decimal(30)),
        "general_swedish": InterventionFactory(step=rehab, swedish_requirement="large"),
        "for_level": InterventionFactory(step=rehab, swedish_requirement="moderate"),
        "best": InterventionFactory(
            step=rehab,
            swedish_requirement="moderate",
            age_min=age - 1,
            age_max=age + 1,
            target_groups=group,
        ),
        "too_old": InterventionFactory(step=rehab, age_max=age - 1),
        "fluent_only": InterventionFactory(step=rehab, swedish_requirement="none"),
        "needs_more_capacity": InterventionFactory(step=rehab, min_activity_hours=Decimal(30)),
    }
    names = {item.pk: key for key, item in made.items()}

    result = matching_for(person=person, on=today)

    assert [names[row.intervention.pk] for row in result.rows] == [
        "best",
        "for_level",
        "general_swedish",
        "too_many_hours",
        "other_step",
        "far_step",
        "full",
    ]
    assert result.requested_step == rehab and result.missing == []
    best = result.rows[0]
    assert all(fit.good for fit in best.fits)
    too_many = next(r for r in result.rows if names[r.intervention.pk] == "too_many_hours")
    assert [f.good for f in too_many.fits][:2] == [True, False]


@pytest.mark.django_db
def test_matching__without_assessment__unknown_facts_named_and_exclude_nothing(
    staff: Any,
) -> None:
    person = _person(staff, assessed=False)
    InterventionFactory(swedish_requirement="none", min_activity_hours=Decimal(35))

    result = matching_for(person=person, on=timezone.localdate())

    assert len(result.rows) == 1
    assert result.requested_step is None
    assert len(result.missing) == 3  # capacity, Swedish level, requested step


@pytest.mark.django_db
def test_matching_page__why_it_fits_refer_links_and_open_referrals(
    staff: Any, client: Client
) -> None:
    person = _person(staff)
    free = InterventionFactory(
        name="Lagerträning", step=default_step("arbetsinriktad-rehabilitering")
    )
    taken = InterventionFactory(name="Caféet", step=default_step("sysselsattning"))
    referral = referral_create(
        person=person,
        intervention=taken,
        send=True,
        acting_user=staff.case_manager,
        today=timezone.localdate(),
    )
    client.force_login(staff.case_manager)

    response = client.get(f"/personer/{person.pk}/matchning/")

    body = response.content.decode()
    assert response.status_code == 200
    assert f"/personer/{person.pk}/anvisningar/ny/?insats={free.pk}" in body
    assert f"/anvisningar/{referral.pk}/" in body
    assert f"?insats={taken.pk}" not in body
    assert body.index("Lagerträning") < body.index("Caféet")  # the requested step first


@pytest.mark.django_db
def test_matching_page__fixed_queries__3_vs_15_interventions(staff: Any, client: Client) -> None:
    person = _person(staff)
    client.force_login(staff.case_manager)
    for _ in range(3):
        InterventionFactory()
    url = f"/personer/{person.pk}/matchning/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(12):
        InterventionFactory(places=2, occupied=2)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)


@pytest.mark.django_db
def test_matching_page__a_page_at_a_time__best_first__the_others_on_the_next(
    staff: Any, client: Client
) -> None:
    person = _person(staff)
    full = [InterventionFactory(name=f"Full {n:02}", places=1, occupied=1) for n in range(3)]
    free = [InterventionFactory(name=f"Ledig {n:02}") for n in range(MATCHING_PAGE_SIZE)]
    client.force_login(staff.case_manager)
    url = f"/personer/{person.pk}/matchning/"
    first = client.get(url).content.decode()
    second = client.get(url + "?sida=2").content.decode()
    shown = re.compile(r'<tr data-intervention="(\d+)">')
    assert [int(pk) for pk in shown.findall(first)] == [i.pk for i in free]
    assert sorted(int(pk) for pk in shown.findall(second)) == [i.pk for i in full]
    total = MATCHING_PAGE_SIZE + 3
    assert f"{total} insatser vars kriterier personen uppfyller" in first
    assert "sida=2" in first and "Sida 2 av 2" in second
    # the new-referral page keeps its other parameters when it pages
    new = client.get(f"/personer/{person.pk}/anvisningar/ny/?insats={free[0].pk}").content
    assert f"?insats={free[0].pk}&amp;sida=2" in new.decode()


@pytest.mark.django_db
def test_referral_new__choices_ranked_with_free_places_first(staff: Any, client: Client) -> None:
    person = _person(staff)
    full = InterventionFactory(name="Fullt", places=1, occupied=1)
    free = InterventionFactory(name="Ledigt", step=default_step("sysselsattning"))
    client.force_login(staff.case_manager)

    body = client.get(f"/personer/{person.pk}/anvisningar/ny/").content.decode()

    assert body.index(f'<option value="{free.pk}">') < body.index(f'<option value="{full.pk}">')
