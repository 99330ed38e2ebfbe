"""Issue 4's acceptance, end to end in the browser as a case manager: find a newly covered
person on the caseload, complete the assessment, build a plan whose hours match the target,
print it to PDF (its text checked), record a follow-up that revises the plan, and see the
follow-up move off the overdue list."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation
from playwright.sync_api import Page
from pypdf import PdfReader

from heltid.casework.models import Assessment, FollowUp, Plan
from heltid.rules.dates import add_months, month_start
from heltid.rules.requirement import activity_requirement
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import InterventionFactory
from tests.clock import living_on, suite_today
from tests.factories import PersonFactory

pytestmark = BROWSER_MARKS

TODAY = suite_today()
REQUIREMENT = activity_requirement(TODAY)
# The first day on which a person can have been covered for over a month (the first follow-up
# is due 30 days after coverage): the suite's day, once the requirement is that old.
A_MONTH_COVERED = max(TODAY, REQUIREMENT.first_applied_month.value + timedelta(days=31))


@pytest.fixture
def a_month_covered() -> Iterator[date]:
    """The day the test lives on: :data:`A_MONTH_COVERED`. The pages read today's date from
    the clock, so when that is later than the suite's day the clock travels there (at the
    suite's time of day, ticking) for the test."""
    with living_on(A_MONTH_COVERED) as day:
        yield day


def sv(msgid: str, **params: Any) -> str:
    with translation.override("sv"):
        text = translation.gettext(msgid)
    return text % params if params else text


def submit(page: Page) -> None:
    with page.expect_navigation():
        page.click("main form button[type=submit]")


def todo_kinds(page: Page, person_id: int, state: str) -> set[str]:
    rows = page.locator(f"main table.todos tr[data-person='{person_id}'][data-state='{state}']")
    return {rows.nth(i).get_attribute("data-kind") or "" for i in range(rows.count())}


def test_case_manager__from_new_coverage_to_a_revised_plan(
    staff: Any, login: Callable[[Any], Page], tmp_path: Path, a_month_covered: date
) -> None:
    today = timezone.localdate()
    # Covered by the activity requirement from the first of the month a month or more ago (or
    # its first day), on support the required months before: covered for over a month, so the
    # assessment, the plan and the first follow-up are all overdue.
    months = REQUIREMENT.min_consecutive_months.value
    person = PersonFactory(
        unit=staff.unit,
        case_manager=staff.case_manager,
        first_name="Nora",
        last_name="Nysson",
        support_since=add_months(month_start(today - timedelta(days=31)), -months),
    )
    lager = InterventionFactory(name="Lagerträning", places=8, occupied=3, hours_per_week=30)
    page = login(staff.case_manager)

    # 1. The caseload: the new person with everything overdue.
    with page.expect_navigation():
        page.click("header nav a[href='/arende/']")
    assert {"assessment", "plan", "follow_up"} <= todo_kinds(page, person.pk, "overdue")
    assert_no_axe_violations(page, what="caseload with a newly covered person")

    # 2. The assessment, from the to-do.
    with page.expect_navigation():
        page.locator(
            f"main table.todos tr[data-person='{person.pk}'][data-kind='assessment'] a"
        ).first.click()
    page.select_option("select[name=swedish_level]", "moderate")
    page.select_option("select[name=health]", "none")
    page.fill("input[name=activity_capacity_hours]", "40")
    page.fill("textarea[name=cv_experience]", "Lagerarbete 2018–2022")
    submit(page)
    assert Assessment.objects.filter(person=person).count() == 1

    # 3. The plan: 30 hours of work training and 10 of health track match the 40-hour target;
    #    own job search is planned but not counted.
    page.goto(f"/personer/{person.pk}/plan/")
    page.fill("main textarea[name=goal]", "Arbete inom lager och logistik")
    page.select_option("main select[name=exit_target]", "work")
    page.select_option("main select[name=aktivitet-0-kind]", "intervention")
    page.select_option("main select[name=aktivitet-0-intervention]", str(lager.pk))
    page.fill("main input[name=aktivitet-0-hours_per_week]", "30")
    page.check("main input[name=aktivitet-0-agreed]")
    page.select_option("main select[name=aktivitet-1-kind]", "health")
    page.fill("main input[name=aktivitet-1-title]", "Promenadgrupp")
    page.fill("main input[name=aktivitet-1-hours_per_week]", "10")
    page.select_option("main select[name=aktivitet-2-kind]", "job_search")
    page.fill("main input[name=aktivitet-2-title]", "Söka jobb via Platsbanken")
    page.fill("main input[name=aktivitet-2-hours_per_week]", "5")
    submit(page)
    assert page.url.endswith(f"/personer/{person.pk}/plan/")
    assert page.locator("main #hours-warning").count() == 0
    assert (
        sv("The plan's assigned hours match the target of %(t)s hours a week.", t=40)
        in page.locator("main #hours-matches").inner_text()
    )
    plan = Plan.objects.get(person=person)
    assert plan.version == 1
    assert_no_axe_violations(page, what="plan whose hours match the target")

    # 4. The PDF for the participant to sign.
    with page.expect_download() as download_info:
        page.click(f"main ul.actions a[href='/personer/{person.pk}/plan/pdf/']")
    target = tmp_path / "plan.pdf"
    download_info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(target).pages).split())
    for expected in (
        "Nora Nysson",
        person.personnummer_display,
        "Arbete inom lager och logistik",
        "Lagerträning",
        "Promenadgrupp",
        "Söka jobb via Platsbanken",
        sv("%(h)s hours a week", h=40),
    ):
        assert expected in text, expected

    # 5. Still overdue for a follow-up: making a plan is not one.
    page.goto("/arende/")
    assert "follow_up" in todo_kinds(page, person.pk, "overdue")
    assert "assessment" not in todo_kinds(page, person.pk, "overdue")
    assert "plan" not in todo_kinds(page, person.pk, "overdue")

    # 6. A follow-up that revises the plan: the work training has started.
    training = plan.activities.get(intervention=lager)
    page.goto(f"/personer/{person.pk}/uppfoljning/ny/")
    page.select_option("select[name=mode]", "visit")
    page.fill("textarea[name=notes]", "Har börjat på lagret och trivs.")
    page.fill("input[name=next_on]", (today + timedelta(days=14)).isoformat())
    page.select_option(f"select[name=a{training.pk}_status]", "ongoing")
    submit(page)
    follow_up = FollowUp.objects.get(person=person)
    assert follow_up.plan_version is not None and follow_up.plan_version.number == 2
    plan.refresh_from_db()
    assert plan.version == 2
    assert plan.activities.get(pk=training.pk).status == "ongoing"

    # 7. Off the overdue list; the plan's history says what changed.
    page.goto("/arende/")
    assert "follow_up" not in todo_kinds(page, person.pk, "overdue")
    assert "follow_up" not in todo_kinds(page, person.pk, "due")
    page.goto(f"/personer/{person.pk}/plan/versioner/")
    history = page.locator("main").inner_text()
    assert "Lagerträning" in history and sv("Ongoing") in history
