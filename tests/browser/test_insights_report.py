"""The board report page in the browser: an analyst chooses a period, a wrong period shows
the error at its field, the report is made by the worker and then downloaded, and axe-core
finds no WCAG 2.1 AA violation on any of these pages."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from tests.background.worker import run_worker
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations

pytestmark = BROWSER_MARKS


def test_board_report_page__analyst__form_errors_and_download(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.analyst)
    page.goto("/statistik/")
    with page.expect_navigation():
        page.click("main a[href='/statistik/namndrapport/']")
    assert_no_axe_violations(page, what="board report page")

    page.fill("main input[name=start]", "2026-06-30")
    page.fill("main input[name=end]", "2026-01-01")
    with page.expect_navigation():
        page.click("main button[value=pdf]")
    assert page.locator("main #id_end_error").is_visible()
    assert_no_axe_violations(page, what="board report page with an error")

    page.fill("main input[name=start]", "2026-01-01")
    page.fill("main input[name=end]", "2026-01-31")
    with page.expect_navigation():
        page.click("main button[value=xlsx]")
    assert page.locator("main .result-status").is_visible()  # being made
    assert_no_axe_violations(page, what="board report page, report being made")
    run_worker()
    with page.expect_download() as download:
        page.click("main button[value=xlsx]")
    assert download.value.suggested_filename.endswith(".xlsx")
