"""In the browser, as a case manager: a follow-up that revises the plan moves the person off the
overdue follow-up; the follow-up, step-change and exit pages pass axe-core, with errors too."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page

from heltid.casework.models import ActivityKind, ActivityStatus, Exit, FollowUp, StepChange
from heltid.casework.services.plan import NewActivity, plan_create
from heltid.casework.services.progression import exit_record
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import default_step
from tests.clock import suite_today

pytestmark = BROWSER_MARKS

TODAY = suite_today()


PANEL = "main section[aria-labelledby=follow-up-panel-h]"


def _on_caseload(staff: Any, person: Any) -> Any:
    person.case_manager = staff.case_manager
    person.save()
    return person


def test_case_manager__records_a_follow_up_that_revises_the_plan(
    staff: Any, person: Any, login: Callable[[Any], Page], deadlines_passed: date
) -> None:
    person = _on_caseload(staff, person)
    today = timezone.localdate()
    plan = plan_create(
        person=person,
        goal="Arbete inom lager",
        exit_target="work",
        acting_user=staff.case_manager,
        today=today - timedelta(days=60),
        activities=[
            NewActivity(kind=ActivityKind.JOB_SEARCH, title="Söka jobb", hours_per_week=Decimal(5)),
            NewActivity(
                kind=ActivityKind.HEALTH,
                title="Promenadgrupp",
                hours_per_week=Decimal(4),
                status=ActivityStatus.PROPOSED,
            ),
        ],
    )
    walk = plan.activities.get(title="Promenadgrupp")
    page = login(staff.case_manager)

    page.goto(f"/personer/{person.pk}/")
    assert page.locator(f"{PANEL} .deadline-overdue").count() == 1  # no follow-up since coverage
    with page.expect_navigation():
        page.click(f"{PANEL} a[href$='/uppfoljning/ny/']")
    assert_no_axe_violations(page, what="follow-up form")
    assert page.input_value("input[name=next_on]") == (today + timedelta(days=30)).isoformat()

    # first without notes and with a next date beyond the policy: errors, nothing saved
    page.fill("input[name=next_on]", (today + timedelta(days=45)).isoformat())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("main .error-summary").count() == 1
    assert page.locator("#id_notes_error").count() == 1
    assert page.locator("#id_mode_error").count() == 1
    assert_no_axe_violations(page, what="follow-up form with field errors")
    assert not FollowUp.objects.exists()

    page.select_option("select[name=mode]", "phone")
    page.check("input[name=with_others][value=af]")
    page.fill("textarea[name=notes]", "Mår bättre och vill gå i promenadgruppen.")
    page.fill("input[name=next_on]", (today + timedelta(days=21)).isoformat())
    page.select_option(f"select[name=a{walk.pk}_status]", "planned")
    page.check(f"input[name=a{walk.pk}_agreed]")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith(f"/personer/{person.pk}/uppfoljning/")
    assert page.locator("main table tbody tr").count() == 1
    assert page.locator("main table a[href$='/plan/versioner/']").count() == 1
    assert_no_axe_violations(page, what="follow-up list")

    follow_up = FollowUp.objects.get()
    assert follow_up.plan_version is not None and follow_up.plan_version.number == 2
    walk.refresh_from_db()
    assert (walk.status, walk.agreed) == ("planned", True)

    page.goto(f"/personer/{person.pk}/")
    assert page.locator(f"{PANEL} .deadline-overdue").count() == 0
    assert (today + timedelta(days=21)).isoformat() in page.inner_text(PANEL)


def test_axe__step_change_and_exit_pages__also_with_errors(
    staff: Any, person: Any, login: Callable[[Any], Page]
) -> None:
    person = _on_caseload(staff, person)
    today = timezone.localdate()
    page = login(staff.case_manager)

    page.goto(f"/personer/{person.pk}/steg/ny/")
    assert_no_axe_violations(page, what="step change page")
    page.fill("input[name=changed_on]", (today + timedelta(days=3)).isoformat())
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_step_error").count() == 1
    assert page.locator("#id_reason_error").count() == 1
    assert_no_axe_violations(page, what="step change page with field errors")
    page.select_option("select[name=step]", str(default_step().pk))
    page.fill("input[name=changed_on]", today.isoformat())
    page.fill("textarea[name=reason]", "Börjar arbetsträna.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert StepChange.objects.filter(person=person).count() == 1
    assert page.locator("main table tbody tr").count() == 1
    assert_no_axe_violations(page, what="step change page with history")

    page.goto(f"/personer/{person.pk}/avslut/ny/")
    assert_no_axe_violations(page, what="exit page")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_reason_error").count() == 1
    assert_no_axe_violations(page, what="exit page with field errors")
    assert not Exit.objects.exists()

    exit_record(
        person=person,
        exit_on=today - timedelta(days=100),
        reason="work_subsidised",
        note="",
        follow_up_months=[3, 6, 12],
        acting_user=staff.case_manager,
        page="",
    )
    page.goto(f"/personer/{person.pk}/avslut/ny/")
    assert page.locator("main a[href*='/uppfoljning/']").count() == 3
    assert_no_axe_violations(page, what="exit page with an exit and its follow-ups")
    with page.expect_navigation():
        page.click("main a[href$='/uppfoljning/3/']")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator("#id_outcome_error").count() == 1
    assert_no_axe_violations(page, what="exit follow-up page with a field error")
