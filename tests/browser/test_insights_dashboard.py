"""The dashboard in the browser: an analyst filters it, and axe-core finds nothing, with figures
being made, with figures and charts, and with a field error. The figures are made by the real
worker (``heltid db_worker --batch``) between page loads (decision 0022)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from playwright.sync_api import Page

from tests.background.worker import run_worker
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import InterventionFactory
from tests.factories import PersonFactory

pytestmark = BROWSER_MARKS


def test_dashboard__analyst_filters__no_axe_violations(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    for i in range(12):
        PersonFactory(unit=staff.unit, sex="FM"[i % 2], support_since=date(2025, 1, 1))
    InterventionFactory(places=5, occupied=2)
    page = login(staff.analyst)

    page.goto("/statistik/")
    page.locator("main a[href='/statistik/oversikt/']").click()
    page.wait_for_url("**/statistik/oversikt/")
    assert page.locator("main .result-status a").is_visible()  # being made: reload
    assert page.locator("#inventory-h").count() == 0
    assert_no_axe_violations(page, what="dashboard, figures being made")
    run_worker()
    page.locator("main .result-status a").click()
    page.wait_for_load_state()
    assert page.locator("main svg[role=img]").count() >= 1
    assert_no_axe_violations(page, what="dashboard")

    page.locator("#id_kon").select_option("F")
    page.locator("form.filters button[type=submit]").click()
    page.wait_for_url("**kon=F**")
    run_worker()
    page.reload()
    assert page.locator("#capacity-h").is_visible()
    assert_no_axe_violations(page, what="dashboard, filtered")

    page.goto("/statistik/oversikt/?fran=2026-06-01&till=2026-01-01")
    assert page.locator("#id_till_error").is_visible()
    assert_no_axe_violations(page, what="dashboard, field error")
