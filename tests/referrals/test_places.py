"""Places cannot be overbooked; a freed place goes to the waiting list in priority order."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction
from django.utils import timezone

from heltid.referrals.models import Referral, ReferralStatus
from heltid.referrals.services.places import referral_accept, referral_end
from tests.catalog.factories import InterventionFactory
from tests.clock import suite_today
from tests.factories import PersonFactory
from tests.referrals.factories import ReferralFactory

TODAY = suite_today()


def _sent(intervention: Any, count: int, unit: Any = None) -> list[Referral]:
    return [
        ReferralFactory(
            intervention=intervention, person=PersonFactory(unit=unit) if unit else PersonFactory()
        )
        for _ in range(count)
    ]


@pytest.mark.django_db
def test_accept__until_full__then_waiting_list() -> None:
    item = InterventionFactory(places=5, occupied=2)  # 2 taken outside Heltid: 3 left
    results = [
        referral_accept(referral=r, acting_user=None, today=TODAY).status for r in _sent(item, 5)
    ]
    assert results == ["accepted"] * 3 + ["waiting"] * 2
    assert sorted(Referral.objects.exclude(slot=None).values_list("slot", flat=True)) == [1, 2, 3]
    row = type(item).objects.with_capacity(on=TODAY).get(pk=item.pk)
    assert (row.occupied, row.free, row.waiting) == (5, 0, 2)  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_accept__on_a_later_day__the_place_is_held_from_that_day() -> None:
    item = InterventionFactory(places=1)
    [referral] = _sent(item, 1)
    later = TODAY + timedelta(days=3)

    referral_accept(referral=referral, acting_user=None, today=later)

    referral.refresh_from_db()
    stamps = (referral.accepted_at, referral.place_from, referral.events.get().at)
    assert {timezone.localdate(moment) for moment in stamps} == {later}
    free = {
        day: type(item).objects.with_capacity(on=day).get(pk=item.pk).free  # type: ignore[attr-defined]
        for day in (later - timedelta(days=1), later)
    }
    assert list(free.values()) == [1, 0]  # free until the day before, taken from that day


@pytest.mark.django_db
def test_end__frees_the_place__first_by_priority_then_waiting_time_is_offered() -> None:
    item = InterventionFactory(places=1)
    holder, early, urgent = _sent(item, 3)
    for r in (holder, early, urgent):
        referral_accept(referral=r, acting_user=None, today=TODAY)
    Referral.objects.filter(pk=urgent.pk).update(priority=10)
    offered = referral_end(
        referral=holder, to=ReferralStatus.COMPLETED, acting_user=None, today=TODAY
    )
    assert [r.pk for r in offered] == [urgent.pk]
    urgent.refresh_from_db()
    assert (urgent.status, urgent.slot) == ("offered", 1)
    assert referral_accept(referral=urgent, acting_user=None, today=TODAY).status == "accepted"
    assert Referral.objects.get(pk=early.pk).status == "waiting"
    events = list(urgent.events.values_list("from_status", "to_status"))
    assert events == [("sent", "waiting"), ("waiting", "offered"), ("offered", "accepted")]


@pytest.mark.django_db
def test_database__refuses_two_holders_of_one_place() -> None:
    item = InterventionFactory(places=2)
    first, second = _sent(item, 2)
    referral_accept(referral=first, acting_user=None, today=TODAY)
    with pytest.raises(IntegrityError), transaction.atomic():
        Referral.objects.filter(pk=second.pk).update(status="accepted", slot=1)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_accept__50_at_once_for_5_places__exactly_5_start_and_45_wait() -> None:
    """Fifty simultaneous acceptances, each in its own connection and transaction."""
    item = InterventionFactory(places=5)
    referrals = _sent(item, 50)
    barrier = threading.Barrier(len(referrals))
    errors: list[BaseException] = []

    def accept(referral: Referral) -> None:
        try:
            barrier.wait()
            referral_accept(referral=referral, acting_user=None, today=TODAY)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept, args=(r,)) for r in referrals]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    statuses = list(Referral.objects.values_list("status", flat=True))
    assert statuses.count("accepted") == 5
    assert statuses.count("waiting") == 45
    assert sorted(Referral.objects.exclude(slot=None).values_list("slot", flat=True)) == [
        1,
        2,
        3,
        4,
        5,
    ]
    assert connection.vendor == "postgresql"
