"""The referral flow end to end: made and sent by the case manager, accepted into a place or the
waiting list with the policy's priority, offered a freed place, started, completed, declined
and withdrawn; Arbetsförmedlingen told, refusals signalled, the case manager's to-dos (offered,
next step, gap), lead times, and the case manager's pages."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from heltid.audit.models import AccessLog
from heltid.casework.models import ActivityKind, ActivityStatus, PlanActivity
from heltid.casework.selectors import caseload_for, caseload_queryset, caseload_signals
from heltid.casework.services.plan import NewActivity, plan_create
from heltid.referrals.models import (
    AfNotification,
    DeclineReason,
    Referral,
    ReferralStatus,
    Signal,
)
from heltid.referrals.selectors import (
    days_to_referral,
    days_to_start,
    first_referral_days,
    median_lead_times,
    waiting_positions,
)
from heltid.referrals.services.referral import (
    PARTICIPANT_DECLINED,
    referral_accept,
    referral_complete,
    referral_create,
    referral_decline,
    referral_send,
    referral_start,
    referral_withdraw,
    waiting_priority_of,
)
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Person
from heltid.rules import explain
from heltid.rules.dates import add_months, month_start
from heltid.rules.requirement import activity_requirement
from tests.catalog.factories import InterventionFactory
from tests.clock import suite_today
from tests.factories import PersonFactory

TODAY = suite_today()
REQUIREMENT = activity_requirement(TODAY)  # in force from 2026-07-01


def _mine(staff: Any, **kwargs: Any) -> Any:
    return PersonFactory(unit=staff.unit, case_manager=staff.case_manager, **kwargs)


def _covered_from_on(staff: Any, covered_from: date) -> Any:
    """One of mine who is covered from ``covered_from`` (the requirement's first day or a first
    of a month after it): on support since the required number of months before."""
    person = _mine(
        staff,
        support_since=add_months(covered_from, -REQUIREMENT.min_consecutive_months.value),
    )
    facts = coverage_facts(person, on=covered_from)
    coverage = explain(facts, on=covered_from, policy=settings.HELTID_POLICY)
    assert (coverage.covered, coverage.covered_from) == (True, covered_from)
    return person


def _sent(staff: Any, person: Any, item: Any, today: date = TODAY, **kwargs: Any) -> Referral:
    return referral_create(
        person=person,
        intervention=item,
        send=True,
        acting_user=staff.case_manager,
        today=today,
        **kwargs,
    )


def _holding(staff: Any, person: Any, item: Any, today: date = TODAY) -> Referral:
    referral = referral_accept(
        referral=_sent(staff, person, item, today), acting_user=staff.provider, today=today
    )
    assert referral.status == ReferralStatus.ACCEPTED
    return referral


def _plan(staff: Any, person: Any, item: Any, status: str = ActivityStatus.PLANNED) -> Any:
    plan = plan_create(
        person=person,
        goal="Arbete inom lager",
        exit_target="work",
        acting_user=staff.case_manager,
        today=TODAY,
        activities=[
            NewActivity(
                kind=ActivityKind.INTERVENTION,
                title=item.name,
                intervention=item,
                hours_per_week=Decimal(20),
                status=status,
                start_on=TODAY if status == ActivityStatus.ONGOING else None,
            )
        ],
    )
    return plan.activities.get()


def _texts(staff: Any, person: Any, today: date = TODAY) -> list[str]:
    with translation.override("en"):
        rows = caseload_for(user=staff.case_manager, today=today)
        return [t.text for r in rows if r.person.pk == person.pk for t in r.todos if t.text]


# --- Made and sent -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_create__send__sent_with_both_events_attributed_and_logged(staff: Any) -> None:
    person = _mine(staff)
    item = InterventionFactory(name="Lagerträning")

    referral = _sent(staff, person, item, note="Har erfarenhet av truck")

    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert referral.sent_at is not None and referral.created_by == staff.case_manager
    events = list(referral.events.values_list("from_status", "to_status", "by"))
    assert events == [
        ("", "proposed", staff.case_manager.pk),
        ("proposed", "sent", staff.case_manager.pk),
    ]
    actions = set(
        AccessLog.objects.filter(person_id=person.pk, user=staff.case_manager).values_list(
            "action", flat=True
        )
    )
    assert {"create", "change"} <= actions


@pytest.mark.django_db
def test_create__kept_as_proposal__then_sent(staff: Any) -> None:
    person = _mine(staff)
    referral = referral_create(
        person=person,
        intervention=InterventionFactory(),
        send=False,
        acting_user=staff.case_manager,
        today=TODAY,
    )
    assert referral.status == ReferralStatus.PROPOSED and referral.sent_at is None

    referral_send(referral=referral, acting_user=staff.case_manager)

    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    with pytest.raises(ValidationError):
        referral_send(referral=referral, acting_user=staff.case_manager)


@pytest.mark.django_db
def test_create__second_open_referral_to_the_same_intervention__clear_error(staff: Any) -> None:
    person = _mine(staff)
    item = InterventionFactory()
    first = _sent(staff, person, item)

    with pytest.raises(ValidationError) as caught:
        _sent(staff, person, item)

    assert "intervention" in caught.value.message_dict
    assert "redan en öppen anvisning" in " ".join(caught.value.message_dict["intervention"])
    assert Referral.objects.filter(person=person).count() == 1
    # once the first has ended, a new one can be made
    referral_withdraw(referral=first, acting_user=staff.case_manager, note="Fel insats")
    assert _sent(staff, person, item).status == ReferralStatus.SENT


@pytest.mark.django_db
def test_create__plan_activity_of_another_person_or_intervention__refused(staff: Any) -> None:
    person, other = _mine(staff), _mine(staff)
    item, another = InterventionFactory(), InterventionFactory()
    theirs = _plan(staff, other, item)
    mine = _plan(staff, person, item)

    for activity, target in ((theirs, item), (mine, another)):
        with pytest.raises(ValidationError) as caught:
            referral_create(
                person=person,
                intervention=target,
                plan_activity=activity,
                send=True,
                acting_user=staff.case_manager,
                today=TODAY,
            )
        assert "plan_activity" in caught.value.message_dict
    assert not Referral.objects.exists()
    referral = _sent(staff, person, item, plan_activity=mine)
    assert referral.plan_activity_id == mine.pk


@pytest.mark.django_db
def test_create__ended_intervention__refused(staff: Any) -> None:
    item = InterventionFactory(status="ended")
    with pytest.raises(ValidationError):
        _sent(staff, _mine(staff), item)
    assert not Referral.objects.exists()


# --- Accepted, waiting, offered --------------------------------------------------------------


@pytest.mark.django_db
def test_accept__full__waiting_with_the_policys_priority(staff: Any) -> None:
    # a day on which the requirement has been in force four months (the suite's day, once it
    # has), and a person covered since four months before it
    day = max(TODAY, add_months(REQUIREMENT.first_applied_month.value, 4))
    person = _covered_from_on(staff, add_months(month_start(day), -4))
    item = InterventionFactory(places=1)
    _holding(staff, _mine(staff), item, today=day)

    referral = referral_accept(
        referral=_sent(staff, person, item, day), acting_user=staff.provider, today=day
    )

    assert referral.status == ReferralStatus.WAITING and referral.slot is None
    stored = Referral.objects.get(pk=referral.pk).priority
    computed = waiting_priority_of(referral, on=day)
    assert computed is not None and computed.points == stored
    rules = {r.rule for r in computed.reasons}
    assert rules >= {"waiting.time_covered", "waiting.outside_af"}
    # four months since coverage at two points, ten for being outside AF's programmes
    assert stored >= 4 * 2 + 10
    assert any("4 månader" in r.text for r in computed.reasons)


@pytest.mark.django_db
def test_complete__place_offered_to_the_highest_priority__case_manager_told(staff: Any) -> None:
    item = InterventionFactory(name="Lagerträning", places=1)
    holder = _holding(staff, _mine(staff), item)
    in_programme = _mine(staff, af_programme="JOB")
    outside = _mine(staff)
    first = referral_accept(
        referral=_sent(staff, in_programme, item), acting_user=staff.provider, today=TODAY
    )
    second = referral_accept(
        referral=_sent(staff, outside, item), acting_user=staff.provider, today=TODAY
    )
    assert first.status == second.status == ReferralStatus.WAITING
    assert waiting_positions([item.pk]) == {second.pk: 1, first.pk: 2}  # priority beats time

    offered = referral_complete(referral=holder, acting_user=staff.provider, today=TODAY)

    assert [r.pk for r in offered] == [second.pk]
    assert Referral.objects.get(pk=second.pk).status == ReferralStatus.OFFERED
    texts = _texts(staff, outside)
    assert any("Offered a place in Lagerträning" in t for t in texts), texts
    assert not any("Offered" in t for t in _texts(staff, in_programme))
    # the provider confirms the place: the to-do goes away
    assert referral_accept(referral=second, acting_user=staff.provider).status == "accepted"
    assert not any("Offered" in t for t in _texts(staff, outside))


# --- Started, completed: Arbetsförmedlingen told, the next step --------------------------------


@pytest.mark.django_db
def test_start_and_complete__af_told__next_step_prompted_until_chosen(staff: Any) -> None:
    person = _mine(staff)
    item = InterventionFactory(name="Lagerträning")
    referral = _holding(staff, person, item)

    referral_start(referral=referral, started_on=TODAY, acting_user=staff.provider, today=TODAY)
    referral_complete(referral=referral, acting_user=staff.provider, today=TODAY)

    referral.refresh_from_db()
    assert (referral.status, referral.started_on) == ("completed", TODAY)
    kinds = list(AfNotification.objects.filter(person=person).values_list("kind", flat=True))
    assert kinds == ["started", "ended"]
    assert AfNotification.objects.filter(person=person, text__contains="Lagerträning").count() == 2
    assert any("Lagerträning completed" in t for t in _texts(staff, person))

    _sent(staff, person, InterventionFactory())  # the next step is chosen

    assert not any("completed" in t for t in _texts(staff, person))


@pytest.mark.django_db
def test_start__in_the_future_or_not_accepted__refused_and_nothing_changes(staff: Any) -> None:
    person = _mine(staff)
    item = InterventionFactory()
    referral = _holding(staff, person, item)

    with pytest.raises(ValidationError) as caught:
        referral_start(
            referral=referral,
            started_on=TODAY + timedelta(days=1),
            acting_user=staff.provider,
            today=TODAY,
        )
    assert "started_on" in caught.value.message_dict
    sent = _sent(staff, _mine(staff), item)
    with pytest.raises(ValidationError):
        referral_start(referral=sent, started_on=TODAY, acting_user=staff.provider, today=TODAY)
    assert not Referral.objects.filter(status=ReferralStatus.STARTED).exists()
    assert not AfNotification.objects.exists()


# --- Declined and withdrawn: refusals ------------------------------------------------------------


@pytest.mark.django_db
def test_decline__participant_said_no__refusal_signal__other_reason__none(staff: Any) -> None:
    item = InterventionFactory()
    said_no, unsuitable = _mine(staff), _mine(staff)
    no = DeclineReason.objects.get(label=PARTICIPANT_DECLINED)
    other = DeclineReason.objects.exclude(label=PARTICIPANT_DECLINED).first()
    assert other is not None

    referral_decline(
        referral=_sent(staff, said_no, item), reason=no, acting_user=staff.provider, today=TODAY
    )
    referral_decline(
        referral=_sent(staff, unsuitable, item),
        reason=other,
        note="Kräver körkort",
        acting_user=staff.provider,
        today=TODAY,
    )

    assert list(Signal.objects.values_list("person_id", "kind")) == [(said_no.pk, "refusal")]
    declined = Referral.objects.get(person=unsuitable)
    assert (declined.status, declined.decline_reason) == ("declined", other)
    assert declined.events.last().note == "Kräver körkort"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_decline__holding_a_place__refused(staff: Any) -> None:
    referral = _holding(staff, _mine(staff), InterventionFactory())
    reason = DeclineReason.objects.first()
    assert reason is not None
    with pytest.raises(ValidationError):
        referral_decline(referral=referral, reason=reason, acting_user=staff.provider)
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.ACCEPTED


@pytest.mark.django_db
def test_withdraw__started_and_refused__af_told_signal_raised_place_offered(staff: Any) -> None:
    item = InterventionFactory(places=1)
    person, waiting = _mine(staff), _mine(staff)
    referral = _holding(staff, person, item)
    referral_start(referral=referral, started_on=TODAY, acting_user=staff.provider, today=TODAY)
    queued = referral_accept(
        referral=_sent(staff, waiting, item), acting_user=staff.provider, today=TODAY
    )

    offered = referral_withdraw(
        referral=referral,
        acting_user=staff.provider,
        note="Vill inte fortsätta",
        participant_refused=True,
        today=TODAY,
    )

    assert [r.pk for r in offered] == [queued.pk]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.WITHDRAWN
    assert list(AfNotification.objects.values_list("kind", flat=True)) == ["started", "ended"]
    assert Signal.objects.get().person_id == person.pk
    with pytest.raises(ValidationError):
        referral_withdraw(referral=referral, acting_user=staff.case_manager, note="Igen")


# --- The gap -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_gap__covered_without_activity_beyond_gap_days__todo(staff: Any) -> None:
    item = InterventionFactory()
    idle, busy = _mine(staff), _mine(staff)
    for person in (idle, busy):
        referral = _holding(staff, person, item)
        referral_start(referral=referral, started_on=TODAY, acting_user=staff.provider, today=TODAY)
        referral_complete(referral=referral, acting_user=staff.provider, today=TODAY)
    _plan(staff, busy, InterventionFactory(), status=ActivityStatus.ONGOING)
    later = TODAY + timedelta(days=20)  # the caseload 20 days after the intervention ended

    assert any(f"Gap: no ongoing activity since {TODAY}" in t for t in _texts(staff, idle, later))
    assert not any("Gap" in t for t in _texts(staff, busy, later))
    # within the policy's 14 days: no gap yet
    assert not any("Gap" in t for t in _texts(staff, idle, TODAY + timedelta(days=10)))


@pytest.mark.django_db
def test_gap__not_covered__no_todo(staff: Any) -> None:
    person = _mine(staff, support_since=month_start(TODAY))  # covered later, not yet
    Person.objects.filter(pk=person.pk).update(af_programme="JOB", af_programme_since=TODAY)
    referral = _holding(staff, person, InterventionFactory())
    referral_start(referral=referral, started_on=TODAY, acting_user=staff.provider, today=TODAY)
    referral_complete(referral=referral, acting_user=staff.provider, today=TODAY)
    later = TODAY + timedelta(days=40)  # 40 days after it ended: a gap, were they covered

    rows = caseload_for(user=staff.case_manager, today=later)
    row = next(r for r in rows if r.person.pk == person.pk)
    assert not row.covered
    assert not any("Gap" in t.text for t in row.todos if t.text)


@pytest.mark.django_db
def test_caseload_signals__one_query_for_any_number_of_persons(staff: Any) -> None:
    item = InterventionFactory(places=1)
    _holding(staff, _mine(staff), item)

    def measure() -> int:
        persons = list(caseload_queryset(Person.objects.all(), today=TODAY))
        with CaptureQueriesContext(connection) as queries:
            caseload_signals(persons=persons, today=TODAY)
        return len(queries)

    small = measure()
    for _ in range(6):
        referral_accept(
            referral=_sent(staff, _mine(staff), item), acting_user=staff.provider, today=TODAY
        )
    assert measure() == small == 1


# --- Lead times ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_lead_times__coverage_to_first_referral_and_referral_to_start(staff: Any) -> None:
    # covered from the first of the month two months back, so that the 50 days told here lie
    # before the suite's day; or from the requirement's first day when it is younger than that
    # (each step then happens on its own day, some after the suite's day)
    covered_from = max(REQUIREMENT.first_applied_month.value, add_months(month_start(TODAY), -2))
    person = _covered_from_on(staff, covered_from)
    sent_early, started_early, sent_late, started_late = (
        covered_from + timedelta(days=n) for n in (10, 20, 30, 50)
    )
    early = _holding(staff, person, InterventionFactory(), today=sent_early)
    late = _holding(staff, person, InterventionFactory(), today=sent_late)
    for referral, started in ((early, started_early), (late, started_late)):
        referral_start(referral=referral, started_on=started, acting_user=None, today=started)
    early.refresh_from_db()
    late.refresh_from_db()

    assert days_to_referral(covered_from=covered_from, sent_at=early.sent_at) == 10
    after_sent = sent_early + timedelta(days=1)
    assert days_to_referral(covered_from=after_sent, sent_at=early.sent_at) is None
    assert (days_to_start(early), days_to_start(late)) == (10, 20)
    assert first_referral_days(covered_from=covered_from, referrals=[late, early]) == 10
    medians = median_lead_times([early, late], covered_from={person.pk: covered_from})
    assert (medians.coverage_to_referral, medians.persons) == (10.0, 1)
    assert (medians.referral_to_start, medians.started) == (15.0, 2)


# --- The case manager's pages --------------------------------------------------------------------


@pytest.mark.django_db
def test_referral_new__from_a_plan_activity__prefilled_and_saved(
    staff: Any, client: Client
) -> None:
    person = _mine(staff)
    item = InterventionFactory(name="Lagerträning", places=3)
    activity = _plan(staff, person, item)
    client.force_login(staff.case_manager)

    page = client.get(f"/personer/{person.pk}/plan/")
    assert f"/personer/{person.pk}/anvisningar/ny/?aktivitet={activity.pk}" in page.content.decode()
    page = client.get(f"/personer/{person.pk}/anvisningar/ny/?aktivitet={activity.pk}")
    body = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{item.pk}" selected>' in body
    assert f'<option value="{activity.pk}" selected>' in body

    response = client.post(
        f"/personer/{person.pk}/anvisningar/ny/",
        {"intervention": item.pk, "plan_activity": activity.pk, "send": "on", "note": ""},
    )

    referral = Referral.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == f"/anvisningar/{referral.pk}/"
    assert (referral.status, referral.plan_activity_id) == ("sent", activity.pk)


@pytest.mark.django_db
def test_referral_new__bad_input_or_duplicate__field_errors_and_nothing_changes(
    staff: Any, client: Client
) -> None:
    person = _mine(staff)
    item = InterventionFactory()
    client.force_login(staff.case_manager)
    url = f"/personer/{person.pk}/anvisningar/ny/"

    for data in ({"intervention": "999999"}, {"intervention": "abc"}, {}, {"plan_activity": "x"}):
        response = client.post(url, {"send": "on", **data})
        assert response.status_code == 200
        assert 'id="id_intervention_error"' in response.content.decode()
    assert client.get(url + "?aktivitet=abc&insats=-1").status_code == 200
    assert client.get(url + f"?aktivitet={2**70}").status_code == 200
    assert not Referral.objects.exists()

    client.post(url, {"intervention": item.pk, "send": "on"})
    response = client.post(url, {"intervention": item.pk, "send": "on"})
    assert response.status_code == 200
    assert 'id="id_intervention_error"' in response.content.decode()
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_pages__outside_the_case_managers_scope__404__benefit_officer_reads_only(
    staff: Any, client: Client
) -> None:
    other_unit = PersonFactory(unit=staff.other_unit)
    referral = _sent(staff, other_unit, InterventionFactory())
    client.force_login(staff.case_manager)
    for url in (
        f"/personer/{other_unit.pk}/anvisningar/",
        f"/personer/{other_unit.pk}/anvisningar/ny/",
        f"/personer/{other_unit.pk}/matchning/",
        f"/anvisningar/{referral.pk}/",
        "/anvisningar/999999/",
        f"/anvisningar/{2**70}/",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(f"/anvisningar/{referral.pk}/", {"action": "send"}).status_code == 404

    person = _mine(staff)
    mine = _sent(staff, person, InterventionFactory(name="Lagerträning"))
    client.force_login(staff.officer)
    page = client.get(f"/anvisningar/{mine.pk}/")
    assert page.status_code == 200 and "Lagerträning" in page.content.decode()
    assert 'id="withdraw-form"' not in page.content.decode()
    assert client.get(f"/personer/{person.pk}/anvisningar/").status_code == 200
    assert client.get(f"/personer/{person.pk}/anvisningar/ny/").status_code == 403
    assert client.get(f"/personer/{person.pk}/matchning/").status_code == 403
    response = client.post(f"/anvisningar/{mine.pk}/", {"action": "withdraw", "aterta-note": "Nej"})
    assert response.status_code == 404
    assert Referral.objects.get(pk=mine.pk).status == ReferralStatus.SENT


@pytest.mark.django_db
def test_referral_detail__timeline_and_withdraw_with_a_reason(staff: Any, client: Client) -> None:
    person = _mine(staff)
    referral = referral_create(
        person=person,
        intervention=InterventionFactory(),
        send=False,
        acting_user=staff.case_manager,
        today=TODAY,
    )
    client.force_login(staff.case_manager)
    url = f"/anvisningar/{referral.pk}/"

    assert client.post(url, {"action": "send"}).status_code == 302
    response = client.post(url, {"action": "withdraw", "aterta-note": "  "})
    assert response.status_code == 200
    assert 'id="id_aterta-note_error"' in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT
    assert client.post(url, {"action": "bogus"}).status_code == 200

    response = client.post(url, {"action": "withdraw", "aterta-note": "Fick jobb"})

    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Fick jobb" in page and "Cecilia Casesson" in page
    statuses = list(Referral.objects.get(pk=referral.pk).events.values_list("to_status", flat=True))
    assert statuses == ["proposed", "sent", "withdrawn"]


@pytest.mark.django_db
def test_person_referrals__status_position_and_lead_times(staff: Any, client: Client) -> None:
    person = _mine(staff)
    item = InterventionFactory(name="Lagerträning", places=1)
    _holding(staff, _mine(staff), item)
    referral = referral_accept(
        referral=_sent(staff, person, item), acting_user=staff.provider, today=TODAY
    )
    client.force_login(staff.case_manager)

    with translation.override("en"):
        body = client.get(f"/personer/{person.pk}/anvisningar/").content.decode()

    assert f'data-referral="{referral.pk}" data-status="waiting"' in body
    assert "Nummer 1 i kön" in body
    assert f"/anvisningar/{referral.pk}/" in body


@pytest.mark.django_db
def test_person_page__referral_panel__fixed_queries(staff: Any, client: Client) -> None:
    person = _mine(staff)
    full = InterventionFactory(places=0)
    client.force_login(staff.case_manager)
    _sent(staff, person, InterventionFactory(name="Lagerträning"))
    url = f"/personer/{person.pk}/"
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        body = client.get(url).content.decode()
    assert "Lagerträning" in body and 'id="referral-panel-h"' in body
    for _ in range(4):
        referral_accept(
            referral=_sent(staff, person, InterventionFactory()), acting_user=None, today=TODAY
        )
    referral_accept(referral=_sent(staff, person, full), acting_user=None, today=TODAY)
    client.get(url)  # the person's worklist row recomputed after the writes (decision 0023)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) - len(few) <= 1  # the waiting list's order, once a referral waits
    _sent(staff, person, InterventionFactory())
    client.get(url)
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(many)


@pytest.mark.django_db
def test_plan_page__refer_link_only_for_open_intervention_activities(
    staff: Any, client: Client
) -> None:
    person = _mine(staff)
    activity = _plan(staff, person, InterventionFactory())
    client.force_login(staff.case_manager)
    link = f"anvisningar/ny/?aktivitet={activity.pk}"
    assert link in client.get(f"/personer/{person.pk}/plan/").content.decode()
    PlanActivity.objects.filter(pk=activity.pk).update(status=ActivityStatus.CANCELLED)
    assert link not in client.get(f"/personer/{person.pk}/plan/").content.decode()
