"""In the browser: provider staff mark a week's attendance for a group of twelve with one save
(one unexcused absence among the defaults); the benefit officer finds the signal and records a
decision with a child-impact note after a first try with errors; the AF list shows both
notifications. The attendance page, the signal list and the decision form pass axe-core."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page

from heltid.referrals.models import AfNotification, Attendance, Decision, Signal
from heltid.registry.models import Child
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.factories import PersonFactory
from tests.referrals.test_attendance import LAST_WEEK, own_intervention, placed

pytestmark = BROWSER_MARKS


def test_attendance_signal_decision(staff: Any, login: Callable[[Any], Page]) -> None:
    item = own_intervention(staff, places=15)
    absent = PersonFactory(unit=staff.unit, first_name="Frida", last_name="Frånvarosson")
    Child.objects.create(
        household=absent.household, birth_date=timezone.localdate() - timedelta(days=7 * 365)
    )
    referral = placed(item, person=absent)
    # two unexcused days already before the week: the third raises the signal
    for days in (10, 9):
        Attendance.objects.create(
            referral=referral,
            day=LAST_WEEK.monday - timedelta(days=days),
            status="unexcused",
            hours=4,
        )
    for n in range(11):
        placed(item, person=PersonFactory(unit=staff.unit, last_name=f"Deltagare{n:02d}"))

    page = login(staff.provider)
    page.goto(f"/utforare/insatser/{item.pk}/narvaro/?vecka={LAST_WEEK.code}")
    assert page.locator("table.attendance tbody tr").count() == 12
    assert page.locator("table.attendance select").count() == 60
    assert_no_axe_violations(page, what="attendance week, 12 participants")
    tuesday = LAST_WEEK.monday + timedelta(days=1)
    page.get_by_label(f"Frida Frånvarosson, tisdag {tuesday.isoformat()}").select_option(
        "unexcused"
    )
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".messages").count() == 1
    assert (
        Attendance.objects.filter(referral__intervention=item, day__gte=LAST_WEEK.monday).count()
        == 60
    )
    assert (
        page.get_by_label(f"Frida Frånvarosson, tisdag {tuesday.isoformat()}").input_value()
        == "unexcused"
    )
    signal = Signal.objects.get()
    assert signal.text not in page.content()  # provider staff never see signals
    assert page.locator("a[href^='/signaler/']").count() == 0

    page = login(staff.officer)
    with page.expect_navigation():
        page.click("header nav a[href='/signaler/']")
    assert page.locator(f"tr[data-signal='{signal.pk}']").count() == 1
    assert tuesday.isoformat() in page.inner_text(f"tr[data-signal='{signal.pk}']")
    assert_no_axe_violations(page, what="signal list")
    with page.expect_navigation():
        page.click(f"a[href='/signaler/{signal.pk}/beslut/']")
    assert_no_axe_violations(page, what="decision form")

    page.check("input[name=finding][value=no_acceptable_reason]")
    page.check("input[name=outcome][value=reduction]")
    page.fill("textarea[name=reason]", "Tre dagars ogiltig frånvaro under perioden.")
    page.fill("textarea[name=acceptable_reason]", "Inget godtagbart skäl har framkommit.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.locator(".error-summary").count() == 1
    assert page.locator("#id_child_impact_error").count() == 1
    assert page.locator("#id_amount_error").count() == 1
    assert_no_axe_violations(page, what="decision form with errors")
    assert not Decision.objects.exists()

    page.fill("input[name=amount]", "800")
    page.fill("textarea[name=child_impact]", "Barnets del av normen berörs inte.")
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert "/signaler/" in page.url
    decision = Decision.objects.get()
    assert (decision.outcome, decision.amount, decision.signal_id) == ("reduction", 800, signal.pk)
    assert page.locator(f"tr[data-signal='{signal.pk}']").count() == 0

    page.goto("/af-underrattelser/")
    kinds = set(AfNotification.objects.values_list("kind", flat=True))
    assert kinds == {"absence", "decision"}
    assert page.locator("table.af-pending tbody tr").count() == 2
    assert_no_axe_violations(page, what="AF notifications")
