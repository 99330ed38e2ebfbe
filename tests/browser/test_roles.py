"""Each role, logged in through the browser: its menu, its refusals and the persons it may see."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import Page

from tests.browser.support import BROWSER_MARKS
from tests.factories import PersonFactory

pytestmark = BROWSER_MARKS

# The menu's links per role, by address (the link texts are translated).
MENU = {
    "officer": {
        "/",
        "/personer/",
        "/signaler/",
        "/personer/ny/",
        "/personer/import/",
        "/insatser/",
    },
    "case_manager": {"/", "/arende/", "/personer/", "/insatser/"},
    "provider": {"/", "/utforare/", "/insatser/"},
    "analyst": {"/", "/insatser/", "/statistik/", "/planering/"},
    "admin": {
        "/",
        "/personer/import/",
        "/insatser/",
        "/statistik/",
        "/planering/",
        "/logg/",
        "/admin/",
    },
}
# The application's own pages behind a role; every one outside a role's menu answers 403.
ROLE_PAGES = {
    "/arende/",
    "/arende/enhet/",  # team leads only (staff.case_manager is not one)
    "/personer/",
    "/personer/ny/",
    "/personer/import/",
    "/signaler/",
    "/utforare/",
    "/insatser/",
    "/statistik/",
    "/planering/",
    "/logg/",
}
SKYDDAD = "Skyddad identitet"


def menu_links(page: Page) -> list[str]:
    return page.eval_on_selector_all(
        "header nav ul a", "links => links.map(a => new URL(a.href).pathname)"
    )


def main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def assert_error_page(page: Page, path: str, status: int) -> None:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"{path}: {response.status}, expected {status}"
    heading = page.locator("main h1")
    assert heading.count() == 1 and heading.inner_text().strip(), f"{path}: no heading"


@pytest.mark.parametrize("role", sorted(MENU))
def test_menu__each_role__shows_exactly_its_links_and_refuses_the_rest(
    staff: Any, login: Callable[[Any], Page], role: str
) -> None:
    page = login(getattr(staff, role))

    links = menu_links(page)
    assert sorted(links) == sorted(MENU[role]), f"{role} sees {links}"
    assert len(links) == len(set(links)), f"{role}: a link is repeated: {links}"
    for link in page.locator("header nav ul a").all():
        assert link.inner_text().strip(), f"{role}: a menu link without text"

    for path in sorted(MENU[role]):
        response = page.goto(path)
        assert response is not None and response.status == 200, f"{role} {path}: not 200"
        assert page.locator("h1").count() >= 1, f"{role} {path}: no heading"

    for path in sorted(ROLE_PAGES - MENU[role]):
        assert_error_page(page, path, 403)
        assert sorted(menu_links(page)) == sorted(MENU[role]), f"{role}: menu on the 403 page"


def test_person__officer_of_the_unit__finds_and_opens_the_person(
    person: Any, staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.officer)

    with page.expect_navigation():
        page.click("header nav a[href='/personer/']")
    page.fill("main form[role=search] input[name=q]", person.personnummer_display)
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
    row = page.locator("main table tbody tr")
    assert row.count() == 1
    assert "Anna Andersson" in row.inner_text()

    with page.expect_navigation():
        row.locator(f"a:text-is('{person.personnummer_display}')").click()
    assert page.url.endswith(f"/personer/{person.pk}/")
    heading = page.locator("main h1").inner_text()
    assert "Anna Andersson" in heading
    assert person.personnummer_display in heading


def test_person__officer_of_another_unit__gets_404_and_no_search_hit(
    person: Any, staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.outsider)

    assert_error_page(page, f"/personer/{person.pk}/", 404)
    assert "Anna Andersson" not in main_text(page)

    search_persons(page, person.personnummer_display)
    assert page.locator("main table").count() == 0
    assert page.locator("main [role=status]").count() == 1
    assert "Anna Andersson" not in main_text(page)


def test_person__protected_identity__shows_skyddad_identitet_without_access(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    hidden = PersonFactory(
        unit=staff.unit, first_name="Ylvali", last_name="Qvarnhjelm", protected_identity=True
    )
    staff.colleague.protected_identity_access = True
    staff.colleague.save(update_fields=["protected_identity_access"])

    page = login(staff.officer)
    search_persons(page, hidden.personnummer_display)
    row = page.locator("main table tbody tr")
    assert row.count() == 1
    assert SKYDDAD in row.inner_text()
    page.goto(f"/personer/{hidden.pk}/")
    assert SKYDDAD in page.locator("main h1").inner_text()
    assert "Ylvali" not in page.content() and "Qvarnhjelm" not in page.content()

    page = login(staff.colleague)  # granted protected_identity_access
    page.goto(f"/personer/{hidden.pk}/")
    assert "Ylvali Qvarnhjelm" in page.locator("main h1").inner_text()


def search_persons(page: Page, query: str) -> None:
    """The person search by its form: the terms go by POST, never in the URL (decision 0019)."""
    page.goto("/personer/")
    page.fill("main form[role=search] input[name=q]", query)
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
