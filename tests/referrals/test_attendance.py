"""A week's attendance for a whole group: one page, one save, only the provider's own
participants; the weekly balance on the person page."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.casework.models import ActivityKind, ActivityStatus, Plan, PlanActivity, PlanStatus
from heltid.referrals.balance import weekly_balance
from heltid.referrals.forms.attendance import cell_name
from heltid.referrals.models import AfNotification, Attendance, Referral, Signal
from heltid.referrals.services.attendance import Week, attendance_save, week_participants
from tests.catalog.factories import ActorFactory, InterventionFactory
from tests.factories import PersonFactory
from tests.referrals.factories import ReferralFactory

LAST_WEEK = Week.of(timezone.localdate()).previous


def own_intervention(staff: Any, **kwargs: Any) -> Any:
    """An intervention of the provider staff's own organisation."""
    return InterventionFactory(provider=ActorFactory(unit=staff.provider.unit), **kwargs)


def placed(intervention: Any, *, person: Any = None, since_days: int = 60, **kwargs: Any) -> Any:
    """A referral holding an accepted place since ``since_days`` ago."""
    taken = set(
        Referral.objects.filter(intervention=intervention)
        .exclude(slot=None)
        .values_list("slot", flat=True)
    )
    slot = next(n for n in range(1, 1000) if n not in taken)
    return ReferralFactory(
        intervention=intervention,
        person=person or PersonFactory(),
        status="accepted",
        slot=slot,
        accepted_at=timezone.now() - timedelta(days=since_days),
        place_from=timezone.now() - timedelta(days=since_days),
        **kwargs,
    )


def url(intervention: Any, week: Week | None = None) -> str:
    base = reverse("attendance_week", args=[intervention.pk])
    return f"{base}?vecka={week.code}" if week else base


def grid_post(page: str) -> dict[str, str]:
    """The form as the browser would send it: every select at its selected option."""
    data = {"csrfmiddlewaretoken": "x"}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]+)" selected>', body)
        assert chosen, name
        data[name] = chosen.group(1)
    return data


def provider_client(staff: Any) -> Client:
    client = Client()
    client.force_login(staff.provider)
    return client


# --- The grid -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_week__40_participants__one_get_one_post_200_rows(staff: Any) -> None:
    item = own_intervention(staff, places=45)
    for _ in range(40):
        placed(item)
    client = provider_client(staff)
    page = client.get(url(item, LAST_WEEK))
    assert page.status_code == 200
    data = grid_post(page.content.decode())
    assert len(data) - 1 == 200  # 40 participants x Monday–Friday
    assert set(data.values()) - {"x"} == {"present"}
    response = client.post(url(item, LAST_WEEK), data)
    assert response.status_code == 302
    assert Attendance.objects.filter(referral__intervention=item).count() == 200
    assert set(Attendance.objects.values_list("status", flat=True)) == {"present"}


def _post_queries(staff: Any, participants: int) -> int:
    item = own_intervention(staff, places=participants + 1)
    referrals = [placed(item) for _ in range(participants)]
    client = provider_client(staff)
    data = grid_post(client.get(url(item, LAST_WEEK)).content.decode())
    for referral in referrals:  # three unexcused days each: a signal and a notification each
        for day in LAST_WEEK.days[:3]:
            data[cell_name(referral.pk, day)] = "unexcused"
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url(item, LAST_WEEK), data)
    assert response.status_code == 302
    assert Signal.objects.filter(referral__in=referrals).count() == participants
    assert AfNotification.objects.filter(person__referrals__in=referrals).count() == participants
    return len(queries)


@pytest.mark.django_db
def test_save__queries__do_not_grow_with_the_group(staff: Any) -> None:
    """Bulk: the same statements for 3 or 40 participants (SQLite may split the one insert
    of 200 rows into two batches, its limit on query parameters)."""
    small, large = _post_queries(staff, 3), _post_queries(staff, 40)
    assert small <= large <= small + 2


@pytest.mark.django_db
def test_week__default_present__saved_value_shown(staff: Any) -> None:
    item = own_intervention(staff)
    first, second = placed(item), placed(item)
    monday = LAST_WEEK.monday
    Attendance.objects.create(referral=first, day=monday, status="sick", hours=4)
    page = provider_client(staff).get(url(item, LAST_WEEK)).content.decode()
    data = grid_post(page)
    assert data[cell_name(first.pk, monday)] == "sick"
    assert data[cell_name(second.pk, monday)] == "present"


@pytest.mark.django_db
def test_week__selects__labelled_with_name_and_day(staff: Any) -> None:
    item = own_intervention(staff)
    person = PersonFactory(first_name="Greta", last_name="Gruppsson")
    referral = placed(item, person=person)
    page = provider_client(staff).get(url(item, LAST_WEEK)).content.decode()
    monday = LAST_WEEK.monday.isoformat()
    assert f'aria-label="Greta Gruppsson, måndag {monday}"' in page
    assert '<th scope="row">Greta Gruppsson</th>' in page
    assert page.count('<th scope="col">') == 6
    assert f'name="{cell_name(referral.pk, LAST_WEEK.monday)}"' in page


@pytest.mark.django_db
def test_week__protected_identity__shows_skyddad_identitet_only(staff: Any) -> None:
    item = own_intervention(staff)
    placed(
        item,
        person=PersonFactory(first_name="Hemlig", last_name="Hemligsson", protected_identity=True),
    )
    page = provider_client(staff).get(url(item, LAST_WEEK)).content.decode()
    assert "Skyddad identitet" in page
    assert "Hemlig" not in page


@pytest.mark.django_db
def test_week__minimum_fields__no_personnummer(staff: Any) -> None:
    item = own_intervention(staff)
    person = PersonFactory()
    placed(item, person=person)
    page = provider_client(staff).get(url(item, LAST_WEEK)).content.decode()
    assert person.personnummer[:8] not in page
    assert person.street_address not in page or not person.street_address


@pytest.mark.django_db
def test_week__only_placed_referrals_of_the_week(staff: Any) -> None:
    item = own_intervention(staff)
    shown = placed(item, person=PersonFactory(first_name="Plats", last_name="Innehavare"))
    ReferralFactory(intervention=item, person=PersonFactory(first_name="Bara", last_name="Skickad"))
    placed(item, person=PersonFactory(first_name="Ny", last_name="Sedan"), since_days=0)
    other = InterventionFactory(provider=ActorFactory(unit=staff.provider.unit))
    placed(other, person=PersonFactory(first_name="Annan", last_name="Insats"))
    page = provider_client(staff).get(url(item, LAST_WEEK)).content.decode()
    assert "Plats Innehavare" in page
    for absent in ("Bara Skickad", "Annan Insats"):
        assert absent not in page
    # accepted today: in the group of this week, not of last week
    assert "Ny Sedan" not in page
    assert shown.pk


@pytest.mark.django_db
def test_week__ended_place__days_until_the_end_only(staff: Any) -> None:
    item = own_intervention(staff)
    referral = placed(item)
    wednesday = LAST_WEEK.monday + timedelta(days=2)
    ended = timezone.make_aware(datetime(wednesday.year, wednesday.month, wednesday.day, 12))
    Referral.objects.filter(pk=referral.pk).update(status="completed", slot=None, ended_at=ended)
    data = grid_post(provider_client(staff).get(url(item, LAST_WEEK)).content.decode())
    assert sorted(k for k in data if k.startswith("r")) == [
        cell_name(referral.pk, d) for d in LAST_WEEK.days[:3]
    ]


@pytest.mark.django_db
def test_week__future_days__cannot_be_marked(staff: Any) -> None:
    item = own_intervention(staff)
    referral = placed(item)
    next_week = Week.of(timezone.localdate()).next
    page = provider_client(staff).get(url(item, next_week)).content.decode()
    assert '<select name="r' not in page
    response = provider_client(staff).post(
        url(item, next_week), {cell_name(referral.pk, next_week.monday): "present"}
    )
    assert response.status_code == 302  # nothing to mark: nothing saved
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_week__default_is_this_week__links_to_previous_and_next(staff: Any) -> None:
    item = own_intervention(staff)
    this = Week.of(timezone.localdate())
    page = provider_client(staff).get(url(item)).content.decode()
    assert f"?vecka={this.previous.code}" in page
    assert f"?vecka={this.next.code}" in page


@pytest.mark.parametrize("week", ["2026-W54", "garbage", "1999-W01", "2026-W00", "99999-W01", ""])
@pytest.mark.django_db
def test_week__bad_week__404(staff: Any, week: str) -> None:
    item = own_intervention(staff)
    base = reverse("attendance_week", args=[item.pk])
    assert provider_client(staff).get(f"{base}?vecka={week}").status_code == 404


@pytest.mark.django_db
def test_week__other_organisations_intervention__404(staff: Any) -> None:
    item = InterventionFactory()  # another provider's
    placed(item)
    client = provider_client(staff)
    assert client.get(url(item, LAST_WEEK)).status_code == 404
    assert client.post(url(item, LAST_WEEK), {}).status_code == 404
    assert client.get(reverse("attendance_week", args=[999_999_999])).status_code == 404
    assert not Attendance.objects.exists()


@pytest.mark.parametrize("role", ["officer", "case_manager", "analyst", "admin"])
@pytest.mark.django_db
def test_week__not_provider_staff__refused(staff: Any, role: str) -> None:
    item = own_intervention(staff)
    client = Client()
    client.force_login(getattr(staff, role))
    assert client.get(url(item, LAST_WEEK)).status_code == 403


@pytest.mark.django_db
def test_save__bad_status__field_error__nothing_saved(staff: Any) -> None:
    item = own_intervention(staff)
    referral = placed(item)
    client = provider_client(staff)
    data = grid_post(client.get(url(item, LAST_WEEK)).content.decode())
    name = cell_name(referral.pk, LAST_WEEK.monday)
    data[name] = "on_holiday"
    response = client.post(url(item, LAST_WEEK), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert f'href="#id_{name}"' in page  # the summary links to the field
    # the field says it is wrong and points at its message; the other cells keep their values
    select = re.search(rf'<select name="{name}"[^>]*>', page)
    assert select and f'aria-invalid="true" aria-describedby="id_{name}_error"' in select.group()
    assert f'<p class="error" id="id_{name}_error">' in page
    assert page.count('aria-invalid="true"') == 1
    tuesday = cell_name(referral.pk, LAST_WEEK.monday + timedelta(days=1))
    kept = re.search(rf'<select name="{tuesday}"[^>]*>.*?</select>', page, re.S)
    assert kept and f'<option value="{data[tuesday]}" selected>' in kept.group()
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_save__cell_outside_the_group__service_refuses_everything(staff: Any) -> None:
    item = own_intervention(staff)
    referral = placed(item)
    stranger = placed(InterventionFactory())
    marks = {(referral.pk, LAST_WEEK.monday): "present", (stranger.pk, LAST_WEEK.monday): "present"}
    with pytest.raises(Exception, match="gruppen eller veckan har ändrats"):
        attendance_save(intervention=item, week=LAST_WEEK, marks=marks, acting_user=staff.provider)
    assert not Attendance.objects.exists()


@pytest.mark.django_db
def test_save__hours__plan_activity_else_intervention(staff: Any) -> None:
    item = own_intervention(staff, hours_per_week=Decimal(20))
    with_activity, without = placed(item), placed(item)
    plan = Plan.objects.create(person=with_activity.person, goal="Arbete", status=PlanStatus.ACTIVE)
    activity = PlanActivity.objects.create(
        plan=plan,
        kind=ActivityKind.INTERVENTION,
        intervention=item,
        title="Praktik",
        hours_per_week=Decimal(30),
        status=ActivityStatus.ONGOING,
    )
    Referral.objects.filter(pk=with_activity.pk).update(plan_activity=activity)
    client = provider_client(staff)
    client.post(url(item, LAST_WEEK), grid_post(client.get(url(item, LAST_WEEK)).content.decode()))
    hours = dict(
        Attendance.objects.filter(day=LAST_WEEK.monday).values_list("referral_id", "hours")
    )
    assert hours == {with_activity.pk: Decimal("6.0"), without.pk: Decimal("4.0")}


@pytest.mark.django_db
def test_save__again__updates_the_cells__no_duplicates(staff: Any) -> None:
    item = own_intervention(staff)
    referral = placed(item)
    client = provider_client(staff)
    data = grid_post(client.get(url(item, LAST_WEEK)).content.decode())
    client.post(url(item, LAST_WEEK), data)
    data[cell_name(referral.pk, LAST_WEEK.monday)] = "sick"
    client.post(url(item, LAST_WEEK), data)
    assert Attendance.objects.count() == 5
    assert Attendance.objects.get(day=LAST_WEEK.monday).status == "sick"


@pytest.mark.django_db
def test_save__unexcused__signal_and_af_notification_once(staff: Any) -> None:
    """Linköping's threshold is one day: each new stretch of unexcused absence is one signal."""
    item = own_intervention(staff)
    referral = placed(item)
    client = provider_client(staff)
    data = grid_post(client.get(url(item, LAST_WEEK)).content.decode())
    data[cell_name(referral.pk, LAST_WEEK.monday)] = "unexcused"
    client.post(url(item, LAST_WEEK), data)
    first = Signal.objects.get()
    assert (first.period_start, first.period_end) == (LAST_WEEK.monday, LAST_WEEK.monday)
    assert list(AfNotification.objects.values_list("kind", flat=True)) == ["absence"]
    for day in LAST_WEEK.days[1:3]:
        data[cell_name(referral.pk, day)] = "unexcused"
    client.post(url(item, LAST_WEEK), data)
    client.post(url(item, LAST_WEEK), data)  # saved twice: nothing new the second time
    signal = Signal.objects.exclude(pk=first.pk).get()
    assert (signal.kind, signal.referral_id, signal.person_id) == (
        "unexcused_absence",
        referral.pk,
        referral.person_id,
    )
    assert (signal.period_start, signal.period_end) == (LAST_WEEK.days[1], LAST_WEEK.days[2])
    assert AfNotification.objects.filter(kind="absence").count() == 2


@pytest.mark.django_db
def test_access_log__view_per_participant__change_per_participant(staff: Any) -> None:
    item = own_intervention(staff)
    referrals = [placed(item), placed(item)]
    client = provider_client(staff)
    data = grid_post(client.get(url(item, LAST_WEEK)).content.decode())
    client.post(url(item, LAST_WEEK), data)
    persons = sorted(r.person_id for r in referrals)
    for action in ("view", "change"):
        logged = persons_named(AccessLog.objects.filter(user=staff.provider), action=action)
        assert sorted(n.person_id for n in logged) == persons


@pytest.mark.django_db
def test_participants__week_of_service__two_queries(
    staff: Any, django_assert_num_queries: Any
) -> None:
    item = own_intervention(staff)
    for _ in range(5):
        placed(item)
    with django_assert_num_queries(2):
        group = week_participants(
            intervention=item, week=LAST_WEEK, user=staff.provider, today=timezone.localdate()
        )
    assert len(group) == 5


def test_week__parse_and_codes() -> None:
    week = Week.parse("2026-W01")
    assert week is not None and week.monday == date(2025, 12, 29)
    assert week.code == "2026-W01" and week.previous.code == "2025-W52"
    assert Week.parse("2026-w48") == Week.of(date(2026, 11, 27))
    assert [Week.parse(t) for t in ("2026-48", "2026-W", "2026-W60", "abcd-W01")] == [None] * 4


# --- The weekly balance ---------------------------------------------------------------------


def _plan(person: Any, hours: int, **kwargs: Any) -> PlanActivity:
    plan = Plan.objects.filter(person=person).first() or Plan.objects.create(
        person=person, goal="Arbete", status=PlanStatus.ACTIVE
    )
    return PlanActivity.objects.create(
        plan=plan,
        kind=kwargs.pop("kind", ActivityKind.OTHER),
        title="Aktivitet",
        hours_per_week=Decimal(hours),
        status=ActivityStatus.ONGOING,
        **kwargs,
    )


@pytest.mark.django_db
def test_balance__attended_hours_against_assigned(staff: Any) -> None:
    item = own_intervention(staff)
    referral = placed(item)
    person = referral.person
    _plan(person, 20)
    _plan(person, 10, kind=ActivityKind.JOB_SEARCH)  # planned, not assigned
    for day, status in zip(
        LAST_WEEK.days, ["present", "present", "other_activity", "unexcused", "sick"], strict=True
    ):
        Attendance.objects.create(referral=referral, day=day, status=status, hours=4)
    weeks = weekly_balance(person=person, today=timezone.localdate())
    assert [w.week for w in weeks] == [
        Week.of(timezone.localdate()),
        LAST_WEEK,
        LAST_WEEK.previous,
        LAST_WEEK.previous.previous,
    ]
    last = weeks[1]
    assert (last.attended, last.assigned, last.difference, last.short) == (
        Decimal(12),
        Decimal(20),
        Decimal(-8),
        True,
    )
    assert weeks[2].attended == 0


def _panel(user: Any, person: Any) -> str:
    panel = Template("{% load attendance_panel %}{% attendance_panel person %}")
    return panel.render(Context({"user": user, "person": person}))


@pytest.mark.django_db
def test_panel__balance_signals_decisions__for_case_managers_and_officers(staff: Any) -> None:
    item = own_intervention(staff)
    person = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    referral = placed(item, person=person)
    Attendance.objects.create(referral=referral, day=LAST_WEEK.monday, status="present", hours=4)
    Signal.objects.create(person=person, kind="refusal", referral=referral, text="Tackade nej.")
    for user in (staff.case_manager, staff.officer):
        html = _panel(user, person)
        assert f'data-week="{LAST_WEEK.code}"' in html
        assert "Tackade nej." in html
    assert "decision_new" not in _panel(staff.case_manager, person)
    assert reverse("decision_new", args=[Signal.objects.get().pk]) in _panel(staff.officer, person)
    assert reverse("decision_new", args=[Signal.objects.get().pk]) not in _panel(
        staff.case_manager, person
    )


@pytest.mark.parametrize("role", ["provider", "analyst", "admin"])
@pytest.mark.django_db
def test_panel__provider_and_others__nothing(staff: Any, role: str) -> None:
    item = own_intervention(staff)
    referral = placed(item, person=PersonFactory(unit=staff.unit))
    Signal.objects.create(
        person=referral.person, kind="refusal", referral=referral, text="Tackade nej."
    )
    assert _panel(getattr(staff, role), referral.person) == ""


@pytest.mark.django_db
def test_panel__fixed_query_count(staff: Any) -> None:
    def count(person: Any) -> int:
        with CaptureQueriesContext(connection) as queries:
            _panel(staff.officer, person)
        return len(queries)

    item = own_intervention(staff)
    small = placed(item, person=PersonFactory(unit=staff.unit))
    large = placed(item, person=PersonFactory(unit=staff.unit))
    _plan(large.person, 20)
    _plan(large.person, 5)
    for n, day in enumerate(LAST_WEEK.days + LAST_WEEK.previous.days):
        Attendance.objects.create(referral=large, day=day, status="present", hours=4)
        Signal.objects.create(
            person=large.person,
            kind="unexcused_absence",
            referral=large,
            text=f"Frånvaro {n}",
            period_start=day,
        )
    assert count(small.person) == count(large.person)


@pytest.mark.django_db
def test_person_page__shows_the_panel__provider_cannot_open_it(staff: Any) -> None:
    person = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    placed(own_intervention(staff), person=person)
    client = Client()
    client.force_login(staff.case_manager)
    page = client.get(reverse("person_detail", args=[person.pk]))
    assert page.status_code == 200 and 'id="attendance-h"' in page.content.decode()
    provider = provider_client(staff)
    assert provider.get(reverse("person_detail", args=[person.pk])).status_code in (403, 404)
