"""The caseload, the unit view and the assessment in the browser: they work, and axe-core finds
no WCAG 2.1 A/AA violation on them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from playwright.sync_api import Page

from heltid.accounts.models import Role
from heltid.casework.models import Assessment, CaseAssignment
from heltid.registry.models import Person
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory

pytestmark = BROWSER_MARKS

TODAY = suite_today()


def test_caseload__case_manager_finds_a_new_person_and_assesses(
    staff: Any, login: Callable[[Any], Page], deadlines_passed: date
) -> None:
    person = PersonFactory(
        unit=staff.unit, case_manager=staff.case_manager, first_name="Nora", last_name="Nysson"
    )
    PersonFactory(unit=staff.unit, case_manager=staff.case_manager, protected_identity=True)
    page = login(staff.case_manager)
    assert page.locator("#caseload-link").count() == 1
    assert_no_axe_violations(page, what="start page (case manager)")

    with page.expect_navigation():
        page.click("header nav a[href='/arende/']")
    todos = page.locator(f"main table.todos tr[data-person='{person.pk}']")
    assert todos.count() == 4
    assert (
        page.locator("main table.todos tr[data-kind='assessment'][data-state='overdue']").count()
        == 2
    )
    assert "Skyddad identitet" in page.locator("main table.caseload").inner_text()
    assert_no_axe_violations(page, what="my caseload")

    page.goto("/arende/?lage=overdue&att_gora=on")
    assert page.locator("main table.caseload tbody tr").count() == 2
    page.goto("/arende/?lage=nonsense")
    assert page.locator("main .error-summary").count() == 1
    assert_no_axe_violations(page, what="my caseload with a bad filter")

    with page.expect_navigation():
        page.locator(
            f"main table.todos tr[data-person='{person.pk}'][data-kind='assessment'] a"
        ).first.click()
    assert page.url.endswith(f"/personer/{person.pk}/kartlaggning/ny/")
    assert_no_axe_violations(page, what="new assessment")

    page.select_option("select[name=swedish_level]", "large")
    page.fill("input[name=activity_capacity_hours]", "55")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main .error-summary").count() == 1
    assert page.locator("#id_activity_capacity_hours_error").count() == 1
    assert page.locator("#id_health_error").count() == 1
    assert not Assessment.objects.exists()
    assert_no_axe_violations(page, what="new assessment with errors")

    page.select_option("select[name=health]", "physical")
    page.fill("input[name=activity_capacity_hours]", "15")
    page.fill("textarea[name=cv_skills]", "Truckkort")
    page.check("input[name=driving_licence]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/personer/{person.pk}/kartlaggning/")
    assert page.locator("main [data-version]").count() == 1
    assert Assessment.objects.get().swedish_level == "large"
    assert_no_axe_violations(page, what="assessment versions")

    page.goto("/arende/")
    assert page.locator(f"main table.todos tr[data-person='{person.pk}']").count() == 3
    page.goto(f"/personer/{person.pk}/")
    panel = page.locator("section[aria-labelledby='assessment-h']").inner_text()
    assert Assessment.objects.get().assessed_on.isoformat() in panel
    assert_no_axe_violations(page, what="person page with the assessment panel")


def test_unit_caseload__team_lead_moves_persons(staff: Any, login: Callable[[Any], Page]) -> None:
    lead = UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )
    PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    free = PersonFactory(unit=staff.unit, first_name="Fri", last_name="Fransson")
    page = login(lead)
    page.goto("/arende/")
    with page.expect_navigation():
        page.click("main a[href='/arende/enhet/']")
    assert page.locator(f"main tr[data-case-manager='{staff.case_manager.pk}']").count() == 1
    assert_no_axe_violations(page, what="unit caseload")

    page.check(f"#person-{free.pk}")
    page.select_option("select[name=case_manager]", str(staff.case_manager.pk))
    with page.expect_navigation():
        page.click("main form[action='/arende/omfordela/'] button[type=submit]")
    assert page.locator("main .error-summary").count() == 1  # the reason is missing
    assert Person.objects.get(pk=free.pk).case_manager_id is None
    assert_no_axe_violations(page, what="reassignment with errors")

    page.fill("textarea[name=reason]", "Ny i enheten")
    with page.expect_navigation():
        page.click("main form[action='/arende/omfordela/'] button[type=submit]")
    assert "/arende/enhet/" in page.url
    assert Person.objects.get(pk=free.pk).case_manager_id == staff.case_manager.pk
    assert CaseAssignment.objects.get().reason == "Ny i enheten"


def test_person_page__officer_assigns_a_case_manager(
    person: Any, staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.officer)
    page.goto(f"/personer/{person.pk}/")
    assert_no_axe_violations(page, what="person page with the assignment form")
    page.select_option("#assign-case-manager", str(staff.case_manager.pk))
    page.fill("#assign-reason", "Nyinskriven")
    with page.expect_navigation():
        page.click("main form[action='/arende/omfordela/'] button[type=submit]")
    assert page.url.endswith(f"/personer/{person.pk}/")
    assert Person.objects.get(pk=person.pk).case_manager_id == staff.case_manager.pk
