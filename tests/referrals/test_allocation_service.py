"""The batch allocation from the database: the proposal, applying it, skipping what no longer
fits, `heltid allocate` and the team lead's page."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from heltid.accounts.models import Role
from heltid.audit.models import AccessLog
from heltid.catalog.models import InterventionStatus
from heltid.referrals.models import Referral, ReferralStatus
from heltid.referrals.services.allocation import (
    allocation_apply,
    allocation_input,
    allocation_proposal,
)
from heltid.referrals.services.places import referral_accept, referral_end
from tests.catalog.factories import InterventionFactory, default_step
from tests.factories import PersonFactory, UserFactory
from tests.referrals.factories import ReferralFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(staff: Any) -> Any:
    return UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )


def waiting(person: Any, intervention: Any, *, priority: int, days_ago: int = 10) -> Referral:
    return ReferralFactory(
        person=person,
        intervention=intervention,
        status=ReferralStatus.WAITING,
        priority=priority,
        waiting_since=timezone.now() - timedelta(days=days_ago),
    )


@dataclass
class Scene:
    """A full intervention and its waiting list; on the same step one place free in each of
    ``free_a`` and ``free_b``, one in an intervention the persons are too young for, one
    paused; on another step two free places."""

    full: Any
    free_a: Any
    free_b: Any
    too_old: Any
    paused: Any
    other_step: Any
    urgent: Referral
    early: Referral
    late: Referral


@pytest.fixture
def scene(staff: Any) -> Scene:
    full = InterventionFactory(name="Fulla verkstaden", places=1, occupied=1)
    free_a = InterventionFactory(name="Lediga caféet", places=1)
    free_b = InterventionFactory(name="Lediga snickeriet", places=1)
    too_old = InterventionFactory(name="Seniorpraktik", places=5, age_min=110, age_max=120)
    paused = InterventionFactory(name="Pausade", places=5, status=InterventionStatus.PAUSED)
    other = InterventionFactory(name="Annat steg", places=2, step=default_step("sysselsattning"))
    persons = [PersonFactory(unit=staff.unit, first_name=n, last_name="Kö") for n in "ABC"]
    return Scene(
        full=full,
        free_a=free_a,
        free_b=free_b,
        too_old=too_old,
        paused=paused,
        other_step=other,
        urgent=waiting(persons[0], full, priority=30, days_ago=2),
        early=waiting(persons[1], full, priority=5, days_ago=40),
        late=waiting(persons[2], full, priority=5, days_ago=20),
    )


# --- The proposal -----------------------------------------------------------------------------


def test_input__eligible_for_free_places_on_the_same_step_whose_criteria_fit(
    scene: Scene,
) -> None:
    people, places, source = allocation_input(today=timezone.localdate())
    # active, with places free, on the step waited for (the paused and full ones are not)
    assert {(p.id, p.free) for p in places} == {
        (scene.free_a.pk, 1),
        (scene.free_b.pk, 1),
        (scene.too_old.pk, 5),
    }
    for p in people:
        assert p.eligible == {scene.free_a.pk, scene.free_b.pk}  # not the other step's
        assert p.wanted == frozenset()  # the intervention waited for is full
    assert source[(scene.urgent.person_id, scene.free_a.pk)].pk == scene.urgent.pk


def test_proposal__highest_priority_then_longest_wait_get_the_places(scene: Scene) -> None:
    proposal = allocation_proposal(today=timezone.localdate())
    placed = {row.referral: row.intervention for row in proposal.rows}
    assert set(placed) == {scene.urgent.pk, scene.early.pk}
    assert set(placed.values()) == {scene.free_a.pk, scene.free_b.pk}
    assert proposal.unassigned == (scene.late.person_id,)
    assert proposal.total_priority == 35
    assert all(row.moves and row.waits_for == scene.full.pk for row in proposal.rows)
    # first come, first served places the two who waited longest
    assert proposal.greedy_total_priority == 10


def test_proposal__the_intervention_waited_for_has_room__offered_there(staff: Any) -> None:
    item = InterventionFactory(places=1)
    other = InterventionFactory(places=3)
    referral = waiting(PersonFactory(unit=staff.unit), item, priority=3)
    [row] = allocation_proposal(today=timezone.localdate()).rows
    assert (row.referral, row.intervention, row.moves) == (referral.pk, item.pk, False)
    assert other.pk != row.intervention


def test_proposal__an_open_referral_there_already__not_eligible(staff: Any) -> None:
    full = InterventionFactory(places=0)
    sent_to = InterventionFactory(places=3)
    person = PersonFactory(unit=staff.unit)
    waiting(person, full, priority=3)
    ReferralFactory(person=person, intervention=sent_to)  # sent, not yet answered
    assert allocation_proposal(today=timezone.localdate()).rows == ()


def test_proposal__team_lead__only_the_units_persons(staff: Any, lead: Any, scene: Scene) -> None:
    stranger = PersonFactory(unit=staff.other_unit)
    theirs = waiting(stranger, scene.full, priority=99)
    everyone = allocation_proposal(today=timezone.localdate())
    assert theirs.pk in {row.referral for row in everyone.rows}
    unit = allocation_proposal(today=timezone.localdate(), user=lead)
    assert {row.referral for row in unit.rows} == {scene.urgent.pk, scene.early.pk}
    assert stranger.pk not in unit.unassigned


def test_proposal__nobody_waiting_or_no_free_place__empty(staff: Any) -> None:
    empty = allocation_proposal(today=timezone.localdate())
    assert (empty.rows, empty.total_priority, empty.greedy_total_priority) == ((), 0, 0)
    person = PersonFactory(unit=staff.unit)
    waiting(person, InterventionFactory(places=0), priority=3)
    assert allocation_proposal(today=timezone.localdate()).as_json() == {
        "proposal": [],
        "total_priority": 0,
        "greedy_total_priority": 0,
        "unassigned": [person.pk],
    }


# --- Applying ---------------------------------------------------------------------------------


def test_apply__moves_to_the_other_intervention_and_offers_the_place(
    scene: Scene, lead: Any
) -> None:
    today = timezone.localdate()
    proposal = allocation_proposal(today=today)
    before = AccessLog.objects.count()
    applied = allocation_apply(proposal=proposal, acting_user=lead, today=today, page="/x/")
    assert applied.skipped == ()
    assert len(applied.offered) == 2
    for row, pk in applied.offered:
        old = Referral.objects.get(pk=row.referral)
        assert old.status == ReferralStatus.WITHDRAWN and old.slot is None
        new = Referral.objects.get(pk=pk)
        assert (new.status, new.slot, new.intervention_id) == ("offered", 1, row.intervention)
        assert (new.person_id, new.priority, new.created_by) == (row.person, old.priority, lead)
        events = list(new.events.values_list("from_status", "to_status", "by"))
        assert events == [
            ("proposed", "sent", lead.pk),
            ("sent", "waiting", lead.pk),
            ("waiting", "offered", lead.pk),
        ]
    assert Referral.objects.get(pk=scene.late.pk).status == ReferralStatus.WAITING
    # logged: per row the withdrawal, the new referral and its three steps
    assert AccessLog.objects.count() - before == 2 * 5
    row = type(scene.full).objects.with_capacity(on=today).get(pk=scene.free_a.pk)
    assert row.free == 0  # type: ignore[attr-defined]
    # nothing left to propose for the same free places
    assert allocation_proposal(today=today).rows == ()


def test_apply__same_intervention__the_waiting_referral_is_offered(staff: Any, lead: Any) -> None:
    today = timezone.localdate()
    item = InterventionFactory(places=1)
    referral = waiting(PersonFactory(unit=staff.unit), item, priority=3)
    applied = allocation_apply(
        proposal=allocation_proposal(today=today), acting_user=lead, today=today
    )
    assert applied.offered[0][1] == referral.pk
    referral.refresh_from_db()
    assert (referral.status, referral.slot) == ("offered", 1)
    assert referral_accept(referral=referral, acting_user=None, today=today).status == "accepted"


def test_apply__place_taken_meanwhile__skipped_and_reported(scene: Scene, lead: Any) -> None:
    today = timezone.localdate()
    proposal = allocation_proposal(today=today)
    taken = next(row for row in proposal.rows if row.referral == scene.urgent.pk)
    # meanwhile a provider accepts someone else into that place
    referral_accept(
        referral=ReferralFactory(intervention_id=taken.intervention), acting_user=None, today=today
    )
    applied = allocation_apply(proposal=proposal, acting_user=lead, today=today)
    assert [(s.row.referral, s.reason) for s in applied.skipped] == [(scene.urgent.pk, "full")]
    assert applied.skipped[0].text
    assert [row.referral for row, _pk in applied.offered] == [scene.early.pk]
    urgent = Referral.objects.get(pk=scene.urgent.pk)
    assert urgent.status == ReferralStatus.WAITING  # untouched
    assert not Referral.objects.filter(
        person_id=urgent.person_id, intervention_id=taken.intervention
    ).exists()
    assert applied.as_json()["skipped"] == [{**taken.as_json(), "reason": "full"}]


def test_apply__no_longer_waiting_or_referred_meanwhile_or_paused__skipped(
    scene: Scene, lead: Any
) -> None:
    today = timezone.localdate()
    proposal = allocation_proposal(today=today)
    rows = {row.referral: row for row in proposal.rows}
    referral_end(referral=scene.urgent, to=ReferralStatus.WITHDRAWN, acting_user=None, today=today)
    early = rows[scene.early.pk]
    ReferralFactory(person_id=early.person, intervention_id=early.intervention)
    applied = allocation_apply(proposal=proposal, acting_user=lead, today=today)
    assert {(s.row.referral, s.reason) for s in applied.skipped} == {
        (scene.urgent.pk, "not_waiting"),
        (scene.early.pk, "already_referred"),
    }
    assert applied.offered == ()

    proposal = allocation_proposal(today=today)
    type(scene.full).objects.filter(pk__in=[r.intervention for r in proposal.rows]).update(
        status=InterventionStatus.PAUSED
    )
    applied = allocation_apply(proposal=proposal, acting_user=lead, today=today)
    assert {s.reason for s in applied.skipped} == {"not_active"}


# --- heltid allocate ----------------------------------------------------------------------


def test_command__json__proposal_and_totals__nothing_applied(scene: Scene, capsys: Any) -> None:
    call_command("allocate", "--json")
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"proposal", "total_priority", "greedy_total_priority", "unassigned"}
    assert (data["total_priority"], data["greedy_total_priority"]) == (35, 10)
    assert {row["referral"] for row in data["proposal"]} == {scene.urgent.pk, scene.early.pk}
    assert set(data["proposal"][0]) == {"referral", "person", "intervention", "priority"}
    assert data["unassigned"] == [scene.late.person_id]
    assert not Referral.objects.filter(status=ReferralStatus.OFFERED).exists()
    assert AccessLog.objects.latest("pk").actor == "cli"


def test_command__apply__offers_and_exits_0(scene: Scene, capsys: Any) -> None:
    call_command("allocate", "--apply", "--json", "--on", timezone.localdate().isoformat())
    data = json.loads(capsys.readouterr().out)
    assert len(data["applied"]) == 2 and data["skipped"] == []
    offered = {row["offered"] for row in data["applied"]}
    assert (
        set(Referral.objects.filter(status=ReferralStatus.OFFERED).values_list("pk", flat=True))
        == offered
    )


def test_command__apply_with_a_skipped_row__exits_1(
    scene: Scene, capsys: Any, monkeypatch: Any
) -> None:
    from heltid.referrals.management.commands import allocate as command

    real = command.allocation_proposal

    def stale(**kwargs: Any) -> Any:
        proposal = real(**kwargs)
        referral_end(
            referral=scene.urgent, to=ReferralStatus.WITHDRAWN, acting_user=None, today=None
        )
        return proposal

    monkeypatch.setattr(command, "allocation_proposal", stale)
    with pytest.raises(SystemExit) as exited:
        call_command("allocate", "--apply", "--json")
    assert exited.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert [s["reason"] for s in data["skipped"]] == ["not_waiting"]


def test_command__table_and_bad_date(scene: Scene, capsys: Any) -> None:
    call_command("allocate")
    out = capsys.readouterr().out
    assert "Total prioritet: 35" in out and "först till kvarn: 10" in out
    assert str(scene.urgent.pk) in out
    with pytest.raises(CommandError):
        call_command("allocate", "--on", "2026-13-01")


# --- The team lead's page -----------------------------------------------------------------


def test_page__team_lead__sees_the_proposal_with_totals_and_logs(
    scene: Scene, lead: Any, client: Client
) -> None:
    protected = PersonFactory(unit=lead.unit, protected_identity=True, first_name="Hemlig")
    waiting(protected, scene.full, priority=50)
    client.force_login(lead)
    response = client.get("/arende/fordelning/")
    assert response.status_code == 200
    body = response.content.decode()
    assert re.search(r'id="total-priority">80<', body)  # 50 + 30
    assert re.search(r'id="greedy-total-priority">10<', body)
    assert "Skyddad identitet" in body and "Hemlig" not in body
    assert "A Kö" in body and "Lediga caféet" in body
    assert 'name="fingerprint"' in body and "csrfmiddlewaretoken" in body
    entry = AccessLog.objects.filter(action="view").latest("pk")
    assert entry.detail["list"] == "allocation"
    assert entry.detail["shown"] == sorted([protected.pk, scene.urgent.person_id])


@pytest.mark.parametrize("who", ["case_manager", "officer", "provider", "analyst", "admin"])
def test_page__not_a_team_lead__403(staff: Any, client: Client, who: str) -> None:
    client.force_login(getattr(staff, who))
    assert client.get("/arende/fordelning/").status_code == 403
    assert client.post("/arende/fordelning/").status_code == 403


def test_page__anonymous__to_the_login(client: Client) -> None:
    response = client.get("/arende/fordelning/")
    assert response.status_code == 302 and "/logga-in/" in response["Location"]


def test_page__apply__offers_and_shows_the_result_after_the_redirect(
    scene: Scene, lead: Any, client: Client
) -> None:
    client.force_login(lead)
    fingerprint = allocation_proposal(today=timezone.localdate(), user=lead).fingerprint
    response = client.post("/arende/fordelning/", {"fingerprint": fingerprint})
    assert response.status_code == 302 and response["Location"] == "/arende/fordelning/"
    assert Referral.objects.filter(status=ReferralStatus.OFFERED).count() == 2
    body = client.get("/arende/fordelning/").content.decode()
    with translation.override("sv"):
        told = ngettext("%(count)d place was offered.", "%(count)d places were offered.", 2)
        outcome = gettext("Offered a place")
    assert told % {"count": 2} in body
    result = body.split('class="allocation-result"')[1].split("</table>")[0]
    assert result.count(outcome) == 2
    # shown once
    assert 'class="allocation-result"' not in client.get("/arende/fordelning/").content.decode()


def test_page__stale_or_missing_fingerprint__nothing_applied(
    scene: Scene, lead: Any, client: Client
) -> None:
    client.force_login(lead)
    for data in ({"fingerprint": "0" * 32}, {}, {"fingerprint": "<script>"}):
        response = client.post("/arende/fordelning/", data)
        assert response.status_code == 302
    assert not Referral.objects.filter(status=ReferralStatus.OFFERED).exists()
    with translation.override("sv"):
        told = gettext(
            "The waiting list or the free places changed after the proposal was shown. "
            "Nothing was applied: check the new proposal."
        )
    assert told in client.get("/arende/fordelning/").content.decode()


def test_page__without_the_csrf_token__refused(scene: Scene, lead: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(lead)
    fingerprint = allocation_proposal(today=timezone.localdate(), user=lead).fingerprint
    assert client.post("/arende/fordelning/", {"fingerprint": fingerprint}).status_code == 403
    assert not Referral.objects.filter(status=ReferralStatus.OFFERED).exists()


def test_page__nothing_to_allocate__says_so(lead: Any, client: Client) -> None:
    client.force_login(lead)
    body = client.get("/arende/fordelning/").content.decode()
    assert 'role="status"' in body and 'name="fingerprint"' not in body
    assert client.post("/arende/fordelning/", {"fingerprint": "x"}).status_code == 302
