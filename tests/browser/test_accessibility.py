"""axe-core finds no WCAG 2.1 A/AA violation on the pages people use every day."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.registry.imports.rows import COLUMNS
from tests.background.worker import run_worker
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations

pytestmark = BROWSER_MARKS


def test_axe__login_page__and_with_a_failed_login(page: Page, staff: Any) -> None:
    page.goto("/logga-in/")
    assert_no_axe_violations(page, what="login page")

    page.fill("input[name=username]", staff.officer.username)
    page.fill("input[name=password]", "fel-losenord")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main [role=alert]").count() == 1
    assert_no_axe_violations(page, what="login page after a wrong password")


def test_axe__officer_pages__start_search_person(
    person: Any, staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.officer)
    assert_no_axe_violations(page, what="start page (benefit officer)")

    search_persons(page, person.personnummer_display)
    assert page.locator("main table tbody tr").count() == 1
    assert_no_axe_violations(page, what="person search with results")

    page.goto(f"/personer/{person.pk}/")
    assert_no_axe_violations(page, what="person page")

    search_persons(page, "Ingen Sadan Person")
    assert_no_axe_violations(page, what="person search without results")


def test_axe__import_page__empty_and_after_failed_uploads(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.officer)
    page.goto("/personer/import/")
    assert_no_axe_violations(page, what="import page")

    page.set_input_files(
        "input[name=file]",
        files=[{"name": "mottagare.txt", "mimeType": "text/plain", "buffer": b"nope"}],
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main .error-summary").count() == 1
    assert page.locator("main .has-error input[name=file]").count() == 1
    assert_no_axe_violations(page, what="import page with a field error (wrong file type)")

    bad_row = [
        "123",
        "Test",
        "Testsson",
        "H1",
        "nej",
        "",
        "0",
        "x",
        "2025-13",
        "",
        "",
        "",
        "nowhere",
    ]
    csv = ",".join(COLUMNS) + "\n" + ",".join(bad_row) + "\n"
    page.set_input_files(
        "input[name=file]",
        files=[{"name": "mottagare.csv", "mimeType": "text/csv", "buffer": csv.encode()}],
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#import-report [role=alert]").count() == 1
    assert_no_axe_violations(page, what="import page with the file's row errors")


def test_axe__statistics_page__analyst(
    person: Any, staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.analyst)
    assert_no_axe_violations(page, what="start page (analyst)")
    page.goto("/statistik/")
    assert_no_axe_violations(page, what="statistics page, figures being made")
    run_worker()  # the figures are made in the background (decision 0022)
    page.reload()
    assert page.locator("main table").count() >= 1
    assert_no_axe_violations(page, what="statistics page")
    page.goto("/statistik/analysunderlag/")
    assert_no_axe_violations(page, what="pseudonymised export page")
    page.goto("/statistik/analysunderlag/?day=2999-01-01&format=csv")
    assert page.locator("#id_day_error").count() == 1
    assert_no_axe_violations(page, what="pseudonymised export page with a field error")


def test_axe__access_log__admin(person: Any, staff: Any, login: Callable[[Any], Page]) -> None:
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/personer/")
    log_access(user=staff.officer, action=Action.SEARCH, page="/personer/", detail={"q": "x"})
    page = login(staff.admin)
    assert_no_axe_violations(page, what="start page (administrator)")

    page.goto("/logg/")
    assert page.locator("main table tbody tr").count() >= 2
    assert_no_axe_violations(page, what="access log")

    page.fill("main form[role=search] input[name=personnummer]", "123")
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
    assert "123" not in page.url
    assert_no_axe_violations(page, what="access log with a field error")


def test_axe__error_pages(person: Any, staff: Any, login: Callable[[Any], Page]) -> None:
    page = login(staff.analyst)
    response = page.goto("/personer/")
    assert response is not None and response.status == 403
    assert_no_axe_violations(page, what="403 page")
    response = page.goto("/finns-inte/")
    assert response is not None and response.status == 404
    assert_no_axe_violations(page, what="404 page")


def test_axe__catalogue_import_page__empty_and_with_a_file_error(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.admin)
    page.goto("/insatser/import/")
    assert_no_axe_violations(page, what="catalogue import page")

    page.set_input_files(
        "input[name=file]",
        files=[{"name": "katalog.xlsx", "mimeType": "application/zip", "buffer": b"not a zip"}],
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main [role=alert]").count() >= 1
    assert_no_axe_violations(page, what="catalogue import page after an unusable file")


def search_persons(page: Page, query: str) -> None:
    """The person search by its form: the terms go by POST, never in the URL (decision 0019)."""
    page.goto("/personer/")
    page.fill("main form[role=search] input[name=q]", query)
    with page.expect_navigation():
        page.click("main form[role=search] button[type=submit]")
