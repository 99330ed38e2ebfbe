"""Issue 5's acceptance in the browser: the case manager refers a person from the plan to a full
intervention; the provider accepts it onto the waiting list, ends another participant's place,
and confirms the place the waiting person is offered; the case manager is told; the provider
marks a week's attendance with one unexcused absence; the benefit officer sees the signal and
records a decision with a child-impact note. axe-core finds nothing on the new pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from playwright.sync_api import Page

from heltid.casework.models import ActivityKind
from heltid.casework.services.plan import NewActivity, plan_create
from heltid.referrals.models import Attendance, Decision, Referral, ReferralStatus, Signal
from heltid.referrals.services.referral import referral_accept, referral_create, referral_start
from heltid.registry.models import Child
from tests.browser.support import BROWSER_MARKS, assert_no_axe_violations
from tests.catalog.factories import ActorFactory, InterventionFactory
from tests.factories import PersonFactory
from tests.referrals.test_attendance import LAST_WEEK

pytestmark = BROWSER_MARKS


def submit(page: Page, form: str = "main form") -> None:
    with page.expect_navigation():
        page.click(f"{form} button[type=submit]")


def test_referral__full_intervention__waiting__freed_place_offered_and_confirmed(
    staff: Any, login: Callable[[Any], Page]
) -> None:
    today = timezone.localdate()
    actor = ActorFactory(code="amc-aktor", name="AMC", unit=staff.provider.unit)
    lager = InterventionFactory(name="Lagerträning", provider=actor, places=1, hours_per_week=20)
    InterventionFactory(name="Caféet", provider=actor, places=3)
    holder = referral_create(
        person=PersonFactory(unit=staff.unit, first_name="Hugo", last_name="Hållare"),
        intervention=lager,
        send=True,
        acting_user=staff.case_manager,
        today=today,
    )
    referral_accept(referral=holder, acting_user=staff.provider, today=today)
    referral_start(referral=holder, started_on=today, acting_user=staff.provider, today=today)
    person = PersonFactory(
        unit=staff.unit, case_manager=staff.case_manager, first_name="Vera", last_name="Väntare"
    )
    Child.objects.create(household=person.household, birth_date=today - timedelta(days=6 * 365))
    plan = plan_create(
        person=person,
        goal="Arbete inom lager",
        exit_target="work",
        acting_user=staff.case_manager,
        today=today,
        activities=[
            NewActivity(
                kind=ActivityKind.INTERVENTION,
                title="Lagerträning",
                intervention=lager,
                hours_per_week=Decimal(20),
            )
        ],
    )
    activity = plan.activities.get()

    # 1. The case manager refers from the plan: the form comes prefilled.
    page = login(staff.case_manager)
    page.goto(f"/personer/{person.pk}/plan/")
    with page.expect_navigation():
        page.click(f"main a[href='/personer/{person.pk}/anvisningar/ny/?aktivitet={activity.pk}']")
    assert page.locator("main select[name=intervention]").input_value() == str(lager.pk)
    assert page.locator("main select[name=plan_activity]").input_value() == str(activity.pk)
    assert page.locator(f"main table.matching tr[data-intervention='{lager.pk}']").count() == 1
    assert_no_axe_violations(page, what="new referral, from a plan activity")

    page.select_option("main select[name=intervention]", "")
    submit(page)
    assert page.locator("main #id_intervention_error").is_visible()
    assert not Referral.objects.filter(person=person).exists()
    assert_no_axe_violations(page, what="new referral, with an error")

    page.select_option("main select[name=intervention]", str(lager.pk))
    page.fill("main textarea[name=note]", "Vill arbeta med truck")
    submit(page)
    referral = Referral.objects.get(person=person)
    assert page.url.endswith(f"/anvisningar/{referral.pk}/")
    assert page.locator("main #referral-status").get_attribute("data-status") == "sent"
    assert page.locator("main table.timeline tbody tr").count() == 2
    assert_no_axe_violations(page, what="referral timeline, case manager")

    page.goto(f"/personer/{person.pk}/matchning/")
    assert page.locator("main table.matching tbody tr").count() == 2
    assert_no_axe_violations(page, what="matching")

    # 2. The provider: the intervention is full, so accepting puts the referral in the queue.
    page = login(staff.provider)
    with page.expect_navigation():
        page.click("header nav a[href='/utforare/']")
    assert_no_axe_violations(page, what="provider home")
    with page.expect_navigation():
        page.click(f"main a[href='/utforare/insatser/{lager.pk}/']")
    incoming = page.locator(f"main #incoming tr[data-referral='{referral.pk}']")
    assert "Vera Väntare" in incoming.inner_text()
    assert "truck" not in page.locator("main").inner_text()
    assert_no_axe_violations(page, what="provider intervention with a new referral")
    with page.expect_navigation():
        incoming.locator("form:has(input[value=accept]) button").click()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WAITING
    waiting = page.locator(f"main #waiting tr[data-referral='{referral.pk}']")
    assert waiting.locator("td").first.inner_text().strip() == "1"

    # 3. The provider ends Hugo's place: the place is offered to Vera.
    with page.expect_navigation():
        page.click(f"main #participants a[href='/utforare/anvisningar/{holder.pk}/']")
    assert_no_axe_violations(page, what="provider referral with its forms")
    page.fill("main #end-place textarea[name=aterta-note]", "Har fått arbete")
    submit(page, "main #end-place")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.OFFERED

    # 4. The case manager is told.
    page = login(staff.case_manager)
    page.goto("/arende/")
    todo = page.locator(f"main table.todos tr[data-person='{person.pk}'][data-kind='signal']")
    assert todo.count() == 1 and "Lagerträning" in todo.inner_text()
    page.goto(f"/personer/{person.pk}/anvisningar/")
    assert page.locator(f"main tr[data-referral='{referral.pk}']").get_attribute("data-status") == (
        "offered"
    )
    assert_no_axe_violations(page, what="a person's referrals")
    page.goto(f"/personer/{person.pk}/")
    assert page.locator(f"main li[data-referral='{referral.pk}']").count() == 1
    assert_no_axe_violations(page, what="person page with the referral panel")

    # 5. The provider confirms the place.
    page = login(staff.provider)
    page.goto(f"/utforare/insatser/{lager.pk}/")
    offered = page.locator(f"main #offered tr[data-referral='{referral.pk}']")
    with page.expect_navigation():
        offered.locator("form:has(input[value=accept]) button").click()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    holding = page.locator(f"main #participants tr[data-referral='{referral.pk}']")
    assert holding.get_attribute("data-status") == "accepted"
    assert_no_axe_violations(page, what="provider intervention with participants")

    # 6. Issue 5's acceptance goes on: Vera has had the place since last week; the provider
    #    marks that week with one unexcused absence, in one save for the group.
    week_start = LAST_WEEK.monday
    Referral.objects.filter(pk=referral.pk).update(
        accepted_at=timezone.make_aware(datetime.combine(week_start, time(8))),
        place_from=timezone.make_aware(datetime.combine(week_start, time(8))),
    )
    page.goto(f"/utforare/insatser/{lager.pk}/narvaro/?vecka={LAST_WEEK.code}")
    wednesday = week_start + timedelta(days=2)
    page.get_by_label(f"Vera Väntare, onsdag {wednesday.isoformat()}").select_option("unexcused")
    submit(page)
    assert Attendance.objects.filter(referral=referral, status="unexcused").count() == 1
    assert Attendance.objects.filter(referral=referral, status="present").count() == 4
    assert "signal" not in page.locator("main").inner_text().lower()  # never to the provider

    # 7. The benefit officer sees the signal and decides, with a child-impact note (Vera has a
    #    child at home): first without it, which the form refuses.
    page = login(staff.officer)
    with page.expect_navigation():
        page.click("header nav a[href='/signaler/']")
    signal = Signal.objects.get(person=person)
    row = page.locator(f"tr[data-signal='{signal.pk}']")
    assert "Vera Väntare" in row.inner_text()
    with page.expect_navigation():
        page.click(f"a[href='/signaler/{signal.pk}/beslut/']")
    page.check("input[name=finding][value=acceptable_reason]")
    page.check("input[name=outcome][value=no_action]")
    page.fill("textarea[name=reason]", "En dags frånvaro, första gången.")
    page.fill("textarea[name=acceptable_reason]", "Sjukt barn; godtagbart skäl.")
    submit(page)
    assert page.locator("#id_child_impact_error").count() == 1
    assert not Decision.objects.exists()
    page.fill(
        "textarea[name=child_impact]", "Ingen nedsättning: barnets försörjning påverkas inte."
    )
    submit(page)
    decision = Decision.objects.get(person=person)
    assert (decision.outcome, decision.signal_id, decision.decided_by_id) == (
        "no_action",
        signal.pk,
        staff.officer.pk,
    )
    assert "barnets försörjning" in decision.child_impact
    page.goto(f"/personer/{person.pk}/")
    assert "En dags frånvaro" in page.locator("main").inner_text()
