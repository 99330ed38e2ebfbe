"""The gender-equality analysis in the browser: an analyst filters by period and unit, sees
the tables with suppressed cells; axe-core finds nothing on the page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from tests.background.worker import run_worker
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.factories import PersonFactory

pytestmark = BROWSER_MARKS


def test_equality_page__analyst_filters__tables_and_no_axe_violations(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    for _ in range(6):
        PersonFactory(sex="F", unit=staff.unit)
    for _ in range(2):
        PersonFactory(sex="M", unit=staff.unit)
    page = login(staff.analyst)
    page.goto("/statistik/")
    with page.expect_navigation():
        page.click("a[href='/statistik/jamstalldhet/']")
    run_worker()  # the tables are made in the background (decision 0022)
    page.reload()
    assert page.locator("main table caption").count() == 8
    assert_no_axe_violations(page, what="equality analysis")

    page.select_option("select[name=enhet]", "ekb-nord")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "enhet=ekb-nord" in page.url
    run_worker()
    page.reload()
    # six women are shown, the two men (and what would reveal them) are not
    age_totals = page.locator("#table-sex_age tfoot td").all_inner_texts()
    assert age_totals[-1].strip() in {"–", "8"}
    assert page.locator("#table-sex_age tbody tr").nth(1).locator("td").last.inner_text() == "–"
    assert_no_axe_violations(page, what="equality analysis, filtered")

    page.goto("/statistik/jamstalldhet/?fran=2025-06-01&till=2025-01-01")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("main table").count() == 0
    assert_no_axe_violations(page, what="equality analysis, with an error")
