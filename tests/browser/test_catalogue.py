"""The catalogue in the browser: a case manager finds the interventions a participant fits and
that have free places; the public page shows criteria and capacity; axe-core finds nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from playwright.sync_api import Page

from heltid.casework.models import Assessment, Health, SwedishLevel
from heltid.catalog.models import InterventionStatus
from heltid.catalog.models.intervention import SwedishRequirement
from heltid.catalog.views import criteria_sentences
from heltid.registry.models import Person
from heltid.rules.dates import age_on
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import ActorFactory, AgreementFactory, InterventionFactory

pytestmark = BROWSER_MARKS


def row_names(page: Page) -> set[str]:
    return {
        text.strip()
        for text in page.locator("main table.catalogue tbody tr td:first-child a").all_inner_texts()
    }


def test_catalogue__case_manager_filters_to_fitting_interventions_with_free_places(
    staff: Any, person: Any, login: Callable[[Any], Page]
) -> None:
    Person.objects.filter(pk=person.pk).update(case_manager=staff.case_manager)
    Assessment.objects.create(
        person=person,
        assessed_on=date(2026, 1, 15),
        swedish_level=SwedishLevel.MODERATE,
        health=Health.NONE,
        activity_capacity_hours=Decimal(15),
    )
    age = age_on(person.birth_date, timezone.localdate())
    InterventionFactory(name="Öppen verkstad", places=5, occupied=1)
    InterventionFactory(name="Jobbspår", target_groups="unemployment", age_max=age + 5)
    InterventionFactory(name="Full verkstad", places=2, occupied=2)
    InterventionFactory(name="Hälsospår", target_groups="ill_health")
    InterventionFactory(name="Heltidsjobb", min_activity_hours=Decimal(30))
    InterventionFactory(name="Kontorspraktik", swedish_requirement=SwedishRequirement.FLUENT)
    InterventionFactory(name="Ungdomsspår", age_max=age - 1)
    InterventionFactory(name="Saknas", status=InterventionStatus.NEEDED, places=0)

    page = login(staff.case_manager)
    with page.expect_navigation():
        page.click("header nav a[href='/insatser/']")
    assert len(row_names(page)) == 8  # the whole catalogue before filtering

    page.fill("main input[name=personnummer]", person.personnummer_display)
    page.check("main input[name=lediga]")
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")

    assert row_names(page) == {"Öppen verkstad", "Jobbspår"}
    participant = page.locator("main #participant-h").locator("xpath=..").inner_text()
    assert "Anna Andersson" in participant
    assert_no_axe_violations(page, what="catalogue filtered for a participant")


def test_catalogue__from_the_person_page__link_matches_the_participant(
    staff: Any, person: Any, login: Callable[[Any], Page]
) -> None:
    InterventionFactory(name="Öppen verkstad", places=5)
    InterventionFactory(name="Hälsospår", target_groups="ill_health")
    page = login(staff.officer)
    page.goto(f"/personer/{person.pk}/")
    with page.expect_navigation():
        page.click(f"main a[href='/insatser/?deltagare={person.pk}']")
    assert row_names(page) == {"Öppen verkstad"}


def test_public_page__criteria_and_capacity_without_login(page: Page, staff: Any) -> None:
    actor = ActorFactory(name="Arbetsmarknadscenter", contact_name="Kerstin Kontaktperson")
    shown = InterventionFactory(
        provider=actor,
        name="Öppen verkstad",
        places=7,
        occupied=3,
        age_min=18,
        age_max=29,
        target_groups="social",
    )
    page.goto("/offentlig/insatser/")
    article = page.locator("main article", has_text="Öppen verkstad")
    text = article.inner_text()
    with translation.override("sv"):
        for sentence in criteria_sentences(shown):
            assert sentence in text
        assert translation.gettext("%(free)s of %(places)s") % {"free": 4, "places": 7} in text
    assert "Kerstin" not in page.content()
    assert page.locator("main svg[role=img]").count() == 1
    assert_no_axe_violations(page, what="public catalogue")


def test_axe__catalogue_pages(staff: Any, login: Callable[[Any], Page]) -> None:
    actor = ActorFactory(
        name="Arbetsmarknadscenter",
        unit=staff.provider.unit,
        affects="Tar emot deltagare",
        conflicts="Samma praktikplatser",
        contact_name="Karin Kontakt",
        contact_email="karin@example.se",
    )
    agreement = AgreementFactory(actor=actor, title="Uppdrag 2026")
    item = InterventionFactory(
        provider=actor,
        agreement=agreement,
        name="Arbetsträning",
        places=6,
        occupied=6,
        waiting=3,
        language_support=True,
        language_support_note="arabiska",
    )
    InterventionFactory(name="Sociala företag", status=InterventionStatus.NEEDED, places=0)

    page = login(staff.provider)
    for path, what in [
        ("/insatser/", "catalogue list"),
        (f"/insatser/{item.pk}/", "intervention page"),
        ("/insatser/trappan/", "staircase page"),
        ("/insatser/aktorer/", "actor list"),
        (f"/insatser/aktorer/{actor.pk}/", "actor page"),
        (f"/insatser/{item.pk}/andra/", "intervention form"),
        ("/insatser/ny/", "new intervention form"),
        ("/insatser/?steg=999999&status=nej", "catalogue list with filter errors"),
    ]:
        response = page.goto(path)
        assert response is not None and response.status == 200, path
        assert_no_axe_violations(page, what=what)

    page.goto(f"/insatser/{item.pk}/andra/")
    page.fill("main input[name=age_min]", "40")
    page.fill("main input[name=age_max]", "30")
    page.fill("main input[name=places]", "-3")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main .has-error").count() == 2
    assert_no_axe_violations(page, what="intervention form with field errors")

    page = login(staff.analyst)
    assert page.locator("main svg[role=img]").count() == 1
    assert_no_axe_violations(page, what="start page with the staircase (analyst)")
