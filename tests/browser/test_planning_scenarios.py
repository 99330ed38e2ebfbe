"""Planning scenarios in the browser: an analyst makes the ready "cost of full-time activation"
scenario, reads its charts and tables, gets a field error for a bad figure, copies and compares;
axe-core finds no WCAG 2.1 AA violation on any of the pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from playwright.sync_api import Page

from heltid.casework.models import Exit, ExitReason, StepChange
from heltid.catalog.models import Step
from heltid.rules.dates import add_months, month_start
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.clock import suite_today
from tests.factories import PersonFactory

pytestmark = BROWSER_MARKS


def _history() -> None:
    """Thirty on the staircase since before the last twelve months; six left within them."""
    this_month = month_start(suite_today())
    steps = list(Step.objects.filter(active=True).order_by("position", "pk"))
    for i in range(30):
        p = PersonFactory(support_since=add_months(this_month, -20))
        StepChange.objects.create(
            person=p,
            step=steps[i % 3],
            changed_on=add_months(this_month, -14) + timedelta(days=i % 25),
            reason="demo",
        )
        if i % 5 == 0:
            Exit.objects.create(
                person=p,
                exit_on=add_months(this_month, -5) + timedelta(days=1),
                reason=ExitReason.STUDIES,
            )


def test_scenarios__make_change_copy_compare(staff: Any, login: Callable[[Any], Page]) -> None:
    _history()
    page = login(staff.analyst)
    with page.expect_navigation():
        page.click("header nav a[href='/planering/']")
    assert_no_axe_violations(page, what="planning start page")

    with page.expect_navigation():
        page.click("main form[action='/planering/ny/'] button[type=submit]")
    assert page.locator("main h1").inner_text().strip()
    assert page.locator("main svg[role=img]").count() >= 2
    assert page.locator("main table").count() >= 3
    assert_no_axe_violations(page, what="scenario with results")

    page.fill("main input[name=inflow]", "-3")
    with page.expect_navigation():
        page.click("main form.form button[type=submit]")
    assert page.locator("main #id_inflow_error").is_visible()
    assert_no_axe_violations(page, what="scenario form with an error")

    with page.expect_navigation():
        page.click("main ul.actions form button[type=submit]")  # copy
    with page.expect_navigation():
        page.click("main .breadcrumb a")
    with page.expect_navigation():
        page.click("main form[action='/planering/jamfor/'] button[type=submit]")
    assert page.locator("main table caption").count() == 2
    assert_no_axe_violations(page, what="two scenarios compared")


def test_scenarios__ready_scenario_on_a_demo_municipality__charts_tables_and_axe(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    from heltid.demo.generator import build_demo

    build_demo(seed=1, on=suite_today(), recipients=400)
    page = login(staff.analyst)
    page.goto("/planering/")
    with page.expect_navigation():
        page.click("main form[action='/planering/ny/'] button[type=submit]")
    assert page.locator("main svg[role=img]").count() >= 2
    steps = page.locator("main section[aria-labelledby=steps-h] tbody tr")
    assert steps.count() >= 3
    assert_no_axe_violations(page, what="the ready scenario on a demo municipality")
    page.goto("/planering/lon-mot-bistand/")
    assert_no_axe_violations(page, what="support versus wages")
