"""The plan in the browser: a case manager builds a plan whose hours match the weekly target
(the warning goes away), downloads it as a PDF for signature; axe-core finds nothing on the
plan page, its forms (with and without errors) and the version history."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.utils import translation
from playwright.sync_api import Page
from pypdf import PdfReader

from heltid.casework.models import Plan
from heltid.registry.models import Person
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import InterventionFactory

pytestmark = BROWSER_MARKS


def sv(msgid: str, **params: Any) -> str:
    with translation.override("sv"):
        text = translation.gettext(msgid)
    return text % params if params else text


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def test_plan__case_manager_builds_a_plan_that_matches_the_target_and_prints_it(
    staff: Any, person: Any, login: Callable[[Any], Page], tmp_path: Path
) -> None:
    Person.objects.filter(pk=person.pk).update(case_manager=staff.case_manager)
    lager = InterventionFactory(name="Lagerträning", places=6, occupied=2)
    page = login(staff.case_manager)

    page.goto(f"/personer/{person.pk}/")
    with page.expect_navigation():
        page.click(f"main #plan-panel-h ~ p a[href='/personer/{person.pk}/plan/']")
    assert page.locator("main textarea[name=goal]").count() == 1
    assert_no_axe_violations(page, what="plan page without a plan: the form to make one")

    # Nothing filled in but an activity without hours: errors beside the fields, no plan.
    page.select_option("main select[name=aktivitet-0-kind]", "health")
    submit(page)
    assert page.locator("main #id_goal_error").is_visible()
    assert page.locator("main #id_aktivitet-0-hours_per_week_error").is_visible()
    assert not Plan.objects.exists()
    assert_no_axe_violations(page, what="the form to make a plan, with errors")

    page.fill("main textarea[name=goal]", "Arbete inom lager och logistik")
    page.select_option("main select[name=exit_target]", "work")
    page.select_option("main select[name=aktivitet-0-kind]", "intervention")
    page.select_option("main select[name=aktivitet-0-intervention]", str(lager.pk))
    page.fill("main input[name=aktivitet-0-hours_per_week]", "20")
    page.check("main input[name=aktivitet-0-agreed]")
    page.select_option("main select[name=aktivitet-1-kind]", "job_search")
    page.fill("main input[name=aktivitet-1-title]", "Söka jobb via Platsbanken")
    page.fill("main input[name=aktivitet-1-hours_per_week]", "10")
    submit(page)

    assert page.url.endswith(f"/personer/{person.pk}/plan/")
    warning = page.locator("main #hours-warning")
    assert (
        sv(
            "%(m)s hours a week are missing: the plan assigns %(a)s of the target %(t)s hours.",
            m=20,
            a=20,
            t=40,
        )
        in warning.inner_text()
    )
    assert page.locator("main #job-search-warning").is_visible()
    assert_no_axe_violations(page, what="plan page with hours missing")

    # An activity with too many hours first: the error, then the right figure.
    with page.expect_navigation():
        page.click(f"main a[href='/personer/{person.pk}/plan/aktivitet/ny/']")
    assert_no_axe_violations(page, what="the form to add an activity")
    page.select_option("main select[name=kind]", "health")
    page.fill("main input[name=title]", "Promenadgrupp")
    page.fill("main input[name=hours_per_week]", "50")
    submit(page)
    assert page.locator("main #id_hours_per_week_error").is_visible()
    assert_no_axe_violations(page, what="the form to add an activity, with errors")
    page.fill("main input[name=hours_per_week]", "20")
    submit(page)

    assert page.locator("main #hours-warning").count() == 0
    assert (
        sv("The plan's assigned hours match the target of %(t)s hours a week.", t=40)
        in page.locator("main #hours-matches").inner_text()
    )
    assert page.locator("main #job-search-warning").is_visible()  # still not counted

    # The activity's status moves on; the form offers only the allowed next statuses.
    with page.expect_navigation():
        page.click("main table.schedule tbody tr:has-text('Promenadgrupp') a")
    assert_no_axe_violations(page, what="the form to change an activity")
    options = page.locator("main select[name=status] option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert options == ["planned", "proposed", "ongoing", "cancelled"]
    page.select_option("main select[name=status]", "ongoing")
    submit(page)
    assert page.locator("main #id_reason_error").is_visible()
    assert_no_axe_violations(page, what="the form to change an activity, with errors")
    page.fill("main input[name=reason]", "Har börjat i gruppen")
    submit(page)
    assert page.locator("main #hours-matches").is_visible()

    with page.expect_navigation():
        page.click(f"main ul.actions a[href='/personer/{person.pk}/plan/versioner/']")
    assert "Har börjat i gruppen" in page.locator("main table.versions").inner_text()
    assert_no_axe_violations(page, what="the plan's versions")

    page.goto(f"/personer/{person.pk}/plan/")
    with page.expect_download() as download_info:
        page.click(f"main ul.actions a[href='/personer/{person.pk}/plan/pdf/']")
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    target = tmp_path / "plan.pdf"
    download.save_as(target)
    data = target.read_bytes()
    assert data.startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    for expected in (
        "Arbete inom lager och logistik",
        "Lagerträning",
        "Promenadgrupp",
        "Söka jobb via Platsbanken",
        "Anna Andersson",
        sv("%(h)s hours a week", h=40),
    ):
        assert expected in text, expected


def test_axe__plan_sign_and_goal_forms(
    staff: Any, person: Any, login: Callable[[Any], Page]
) -> None:
    Person.objects.filter(pk=person.pk).update(case_manager=staff.case_manager)
    page = login(staff.case_manager)
    page.goto(f"/personer/{person.pk}/plan/")
    page.fill("main textarea[name=goal]", "Studier")
    page.select_option("main select[name=exit_target]", "studies")
    submit(page)
    for tail, what in [("andra/", "the form to change the goal"), ("signera/", "signature")]:
        page.goto(f"/personer/{person.pk}/plan/{tail}")
        assert_no_axe_violations(page, what=what)
    page.fill("main input[name=signed_on]", "2999-01-01")
    submit(page)
    assert page.locator("main #id_signed_on_error").is_visible()
    assert_no_axe_violations(page, what="signature form with errors")
