"""Support versus wages in the browser: an analyst opens the page from Planning, changes the
wage, reads a figure, meets a field error — and axe-core finds no WCAG 2.1 AA violation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playwright.sync_api import Page

from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations

pytestmark = BROWSER_MARKS

NBSP = "\u00a0"


def test_support_versus_wages__analyst__change_the_wage_and_meet_an_error(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    page = login(staff.analyst)
    page.goto("/planering/")
    with page.expect_navigation():
        page.click("main a[href='/planering/lon-mot-bistand/']")
    single = page.locator("main #row-single td")
    assert single.nth(1).inner_text() == f"20{NBSP}613"  # net wage at the example 25 000 kr
    assert_no_axe_violations(page, what="support versus wages")

    # 30 000 kr a month: tax 67 030 kr a year (see tests/planning/test_wages.py for the
    # model), 5 586 kr a month, net wage 24 414 kr.
    page.fill("main input[name=bruttolon]", "30 000")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main #row-single td").nth(1).inner_text() == f"24{NBSP}414"
    assert page.locator("main input[name=bruttolon]").input_value() == "30 000"

    page.fill("main input[name=bruttolon]", "trettio tusen")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main #id_bruttolon_error").is_visible()
    assert page.locator("main #row-single").count() == 0
    assert_no_axe_violations(page, what="support versus wages with an error")
