"""The benchmark city (benchmarks/city): consistent by the app's own rules, the same for the
same size and day, and every role's pages of the load test work on it.

How long building a city of 35,000 takes, and how the pages answer under load, are measured by
`make loadtest` (benchmarks/loadtest), not here."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from benchmarks.city import SEED, USER_PREFIX, build_city, built_city, ensure_city
from benchmarks.city.cast import cast
from benchmarks.city.data import CITY_VERSION
from django.db import transaction
from django.db.models import Count, F, Q
from django.test import Client
from django.utils import timezone

from heltid.accounts.models import User
from heltid.casework.models import Worklist
from heltid.catalog.models import Intervention
from heltid.referrals.models import Attendance, Decision, Referral, Signal
from heltid.referrals.models.decision import outcome_allowed
from heltid.registry.models import Person
from tests.factories import PersonFactory

SIZE = 300


@pytest.fixture
def city(db: None) -> Any:
    return build_city(SIZE, day=timezone.localdate())


def test_city__build__holds_a_working_municipality(city: Any) -> None:
    rows = city.rows
    assert Person.objects.count() == rows["Person"] == SIZE
    for table in (
        "Referral", "Attendance", "Signal", "Decision", "AfNotification", "FollowUp",
        "Plan", "Assessment", "StepChange", "Exit", "PersonFact",
    ):  # fmt: skip
        assert rows[table] > 0, table
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert {"started", "completed", "declined", "withdrawn"} <= statuses
    assert statuses & {"sent", "waiting", "offered", "accepted"}, statuses
    assert not Person.objects.exclude(personnummer__startswith="189").exists()
    assert User.objects.filter(username__startswith=USER_PREFIX).count() == rows["User"]
    # the stored worklists as the nightly refresh leaves them: every person's, computed
    on = timezone.localdate()
    assert Worklist.objects.filter(computed_on=on, valid_until__gt=on).count() == SIZE


def test_city__places__never_overbooked_and_full_where_people_wait(city: Any) -> None:
    day = timezone.localdate()
    items = list(Intervention.objects.with_capacity(on=day))
    assert items
    assert all(i.heltid_occupied <= i.places for i in items)
    assert all(i.free == 0 for i in items if i.waiting)
    holders = Referral.objects.filter(status__in=["offered", "accepted", "started"])
    assert not holders.filter(slot__isnull=True).exists()
    assert not Referral.objects.exclude(status__in=["offered", "accepted", "started"]).filter(
        slot__isnull=False
    )


def test_city__attendance__weekdays_of_started_places_until_last_week(city: Any) -> None:
    day = timezone.localdate()
    this_monday = day - timedelta(days=day.weekday())
    attendance = Attendance.objects.all()
    assert attendance.exists()
    assert not attendance.filter(day__gte=this_monday).exists()
    assert not attendance.filter(day__lt=F("referral__started_on")).exists()
    assert not attendance.filter(referral__started_on__isnull=True).exists()
    assert not attendance.filter(day__week_day__in=[1, 7]).exists()  # Sunday, Saturday


def test_city__signals__from_unexcused_days_and_decided_as_the_statute_says(city: Any) -> None:
    absence = Signal.objects.filter(kind="unexcused_absence")
    assert absence.exists()
    for signal in absence.select_related("referral"):
        days = set(
            Attendance.objects.filter(referral=signal.referral, status="unexcused").values_list(
                "day", flat=True
            )
        )
        assert {signal.period_start, signal.period_end} <= days
    decisions = list(Decision.objects.all())
    assert decisions
    assert all(outcome_allowed(d.finding, d.outcome) for d in decisions)
    assert Signal.objects.filter(closed_at__isnull=False).count() == len(decisions)
    assert not Signal.objects.filter(closed_at__isnull=True, decision__isnull=False).exists()


def _fingerprint() -> tuple[Any, ...]:
    """What the city holds, without the ids."""
    return (
        list(Person.objects.order_by("personnummer").values_list("personnummer", "first_name",
             "last_name", "birth_date", "unit__code", "case_manager__username")),
        sorted(Referral.objects.values_list("status").annotate(n=Count("pk"))),
        sorted(Attendance.objects.values_list("status").annotate(n=Count("pk"))),
        sorted(Decision.objects.values_list("outcome", "decided_on").annotate(n=Count("pk"))),
    )  # fmt: skip


class _Undo(Exception):
    pass


@pytest.mark.slow
def test_city__same_size_and_day__same_rows(db: None) -> None:
    day = timezone.localdate()
    prints = []
    for _build in range(2):
        try:
            with transaction.atomic():
                build_city(SIZE, day=day)
                prints.append(_fingerprint())
                raise _Undo
        except _Undo:
            pass
    assert prints[0] == prints[1]
    assert prints[0][0]


def test_city__ensure__reuses_the_city_of_the_same_size_and_day(city: Any) -> None:
    day = timezone.localdate()
    assert built_city() == (SIZE, day, SEED, CITY_VERSION)
    assert ensure_city(SIZE, day=day, out=None) is False
    assert Person.objects.count() == SIZE


def test_city__ensure__refuses_a_database_with_other_persons(db: None) -> None:
    PersonFactory()
    with pytest.raises(SystemExit, match="not a benchmark city"):
        ensure_city(SIZE, day=timezone.localdate(), out=None)
    assert Person.objects.count() == 1


# The load test's pages for each role, as its users click them (benchmarks/loadtest).
PAGES = {
    "case_manager": ("/", "/arende/", "/personer/{p}/", "/personer/{p}/plan/",
                     "/personer/{p}/anvisningar/", "/personer/{p}/uppfoljning/",
                     "/personer/{p}/uppfoljning/ny/", "/personer/{p}/matchning/", "/insatser/"),
    "team_lead": ("/", "/arende/enhet/", "/personer/{p}/", "/arende/fordelning/"),
    "benefit_officer": ("/", "/signaler/", "/signaler/{s}/beslut/", "/personer/{p}/",
                        "/af-underrattelser/", "/personer/"),
    "provider": ("/utforare/", "/utforare/insatser/{i}/", "/utforare/insatser/{i}/narvaro/"),
    "analyst": ("/statistik/", "/statistik/oversikt/", "/statistik/jamstalldhet/",
                "/planering/", "/insatser/trappan/"),
}  # fmt: skip


def test_city__cast__every_role_of_the_load_test_works_on_the_city(city: Any) -> None:
    actors = cast()
    assert actors["password"]
    for role, paths in PAGES.items():
        accounts = actors["accounts"][role]
        assert accounts, role
        account = next(
            (a for a in accounts if a.get("signals", True) and a.get("persons", True)), None
        )
        assert account is not None, role
        client = Client()
        client.force_login(User.objects.get(username=account["username"]))
        ids = {
            "p": (account.get("persons") or [0])[0],
            "s": (account.get("signals") or [0])[0],
            "i": (account.get("interventions") or [0])[0],
        }
        for path in paths:
            url = path.format(**ids)
            response = client.get(url, headers={"accept-language": "sv"})
            assert response.status_code == 200, (role, url, response.status_code)
    assert Person.objects.filter(~Q(case_manager=None)).count() >= len(
        actors["accounts"]["case_manager"]
    )
