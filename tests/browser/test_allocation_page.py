"""The team lead's batch allocation in the browser: the proposal, one click to apply it, the
result after the redirect — and axe-core finds no WCAG 2.1 A/AA violation on any of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page

from heltid.accounts.models import Role
from heltid.referrals.models import Referral, ReferralStatus
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import InterventionFactory
from tests.factories import PersonFactory, UserFactory
from tests.referrals.factories import ReferralFactory

pytestmark = BROWSER_MARKS


def test_allocation__team_lead_applies_the_proposal(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    lead = UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )
    full = InterventionFactory(name="Fulla verkstaden", places=0)
    free = InterventionFactory(name="Lediga caféet", places=1)
    waiting = [
        ReferralFactory(
            person=PersonFactory(unit=staff.unit, first_name=name, last_name="Kö", **extra),
            intervention=full,
            status=ReferralStatus.WAITING,
            priority=priority,
            waiting_since=timezone.now() - timedelta(days=days),
        )
        for name, priority, days, extra in (
            ("Tidig", 2, 30, {}),
            ("Brådskande", 40, 3, {"protected_identity": True}),
        )
    ]
    page = login(lead)
    page.goto("/arende/fordelning/")
    rows = page.locator("main table.allocation tbody tr")
    assert rows.count() == 1
    assert "Skyddad identitet" in rows.first.inner_text()
    assert "Lediga caféet" in rows.first.inner_text()
    assert page.locator("#total-priority").inner_text() == "40"
    assert page.locator("#greedy-total-priority").inner_text() == "2"
    assert_no_axe_violations(page, what="allocation proposal")

    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url.endswith("/arende/fordelning/")
    assert page.locator("main table.allocation-result tbody tr").count() == 1
    assert page.locator(".messages").count() == 1
    assert_no_axe_violations(page, what="allocation applied")
    offered = Referral.objects.get(status=ReferralStatus.OFFERED)
    assert (offered.person_id, offered.intervention_id) == (waiting[1].person_id, free.pk)

    page.reload()  # nothing left to allocate; the result was shown once
    assert page.locator("main table.allocation-result").count() == 0
    assert page.locator("main table.allocation").count() == 0
    assert_no_axe_violations(page, what="allocation with nothing to allocate")
