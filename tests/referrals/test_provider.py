"""Provider staff: their interventions, answering referrals, the waiting list and participants.

THE ENUMERATION TEST: every provider address with another organisation's intervention or
referral ids, or with a referral only proposed, answers 404 (as a missing one does) and
changes nothing; provider pages never show health, reason codes, household or signals."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.casework.services.assessment import assessment_record
from heltid.referrals.models import DeclineReason, Referral, ReferralStatus, Signal
from heltid.referrals.services.referral import (
    PARTICIPANT_DECLINED,
    referral_accept,
    referral_create,
    referral_start,
)
from heltid.referrals.services.signals import refusal_signal
from tests.catalog.factories import ActorFactory, InterventionFactory
from tests.factories import PersonFactory

SECRET_NOTE = "Hemlig anteckning om ryggbesvär"


@pytest.fixture
def own(staff: Any) -> Any:
    """An intervention of the provider's own organisation."""
    actor = ActorFactory(code="amc-aktor", name="AMC", unit=staff.provider.unit)
    return InterventionFactory(name="Lagerträning", provider=actor, places=2)


@pytest.fixture
def foreign(staff: Any) -> Any:
    """Another organisation's intervention."""
    return InterventionFactory(name="Annans insats", provider=ActorFactory(code="annan"))


def _referral(staff: Any, item: Any, *, send: bool = True, **person: Any) -> Referral:
    return referral_create(
        person=PersonFactory(unit=staff.unit, case_manager=staff.case_manager, **person),
        intervention=item,
        send=send,
        acting_user=staff.case_manager,
        note=SECRET_NOTE,
        today=timezone.localdate(),
    )


def _accepted(staff: Any, item: Any, **person: Any) -> Referral:
    return referral_accept(
        referral=_referral(staff, item, **person),
        acting_user=staff.provider,
        today=timezone.localdate(),
    )


# --- The pages -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_provider_home__own_interventions_with_capacity_and_new_referrals(
    staff: Any, own: Any, foreign: Any, client: Client
) -> None:
    _referral(staff, own)
    _referral(staff, own)
    _accepted(staff, own)
    _referral(staff, foreign)
    client.force_login(staff.provider)

    response = client.get("/utforare/")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Lagerträning" in body and "Annans insats" not in body
    row = body[body.index(f'data-intervention="{own.pk}"') :]
    row = row[: row.index("</tr>")]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in row.split("</td>")[3:8]]
    assert cells == ["2", "1", "1", "0", "2"]  # places, occupied, free, waiting, new


@pytest.mark.django_db
def test_provider_intervention__lists_in_order_with_minimum_fields(
    staff: Any, own: Any, client: Client
) -> None:
    incoming = _referral(staff, own, first_name="Inga", last_name="Inkommen")
    holder = _accepted(staff, own, first_name="Hugo", last_name="Hållare")
    _accepted(staff, own)
    waiting = _accepted(staff, own, first_name="Vera", last_name="Väntare")
    hidden = _accepted(
        staff, own, first_name="Ylvali", last_name="Qvarnhjelm", protected_identity=True
    )
    proposed = _referral(staff, own, send=False, first_name="Pia", last_name="Proposed")
    assert (waiting.status, hidden.status) == ("waiting", "waiting")
    client.force_login(staff.provider)

    body = client.get(f"/utforare/insatser/{own.pk}/").content.decode()

    for name in ("Inga Inkommen", "Hugo Hållare", "Vera Väntare"):
        assert name in body
    assert "Ylvali" not in body and "Qvarnhjelm" not in body and "Skyddad identitet" in body
    assert "Pia" not in body and f"/utforare/anvisningar/{proposed.pk}/" not in body
    assert body.index(f'data-referral="{incoming.pk}"') < body.index('id="waiting-h"')
    assert body.index(f'data-referral="{holder.pk}"') > body.index('id="holding-h"')
    assert f"/utforare/insatser/{own.pk}/narvaro/" in body
    assert SECRET_NOTE not in body and holder.person.personnummer_display not in body
    logged = {
        n.person_id
        for n in persons_named(AccessLog.objects.filter(user=staff.provider), action="view")
    }
    assert incoming.person_id in logged and proposed.person_id not in logged


@pytest.mark.django_db
def test_provider_pages__never_health_reason_codes_household_or_signals(
    staff: Any, own: Any, client: Client
) -> None:
    referral = _accepted(staff, own, first_name="Sara", last_name="Signal")
    person = referral.person
    assessment_record(
        person=person,
        data={
            "swedish_level": "large",
            "health": "mental",
            "family_situation": "Ensamstående med tre barn",
            "note": "Svår depression",
        },
        acting_user=staff.case_manager,
        today=timezone.localdate(),
    )
    signal = refusal_signal(referral=referral, acting_user=staff.case_manager)
    client.force_login(staff.provider)
    forbidden = [
        person.reason_code.label,
        "Psykisk ohälsa",
        "Mental ill-health",
        "Svår depression",
        "Ensamstående med tre barn",
        signal.text,
        SECRET_NOTE,
        person.personnummer_display,
        person.household.reference,
    ]

    for url in (
        "/utforare/",
        f"/utforare/insatser/{own.pk}/",
        f"/utforare/anvisningar/{referral.pk}/",
    ):
        body = client.get(url).content.decode()
        assert "Sara Signal" in body or url == "/utforare/"
        found = [text for text in forbidden if text and text in body]
        assert found == [], f"{url} shows {found}"


# --- THE ENUMERATION TEST ------------------------------------------------------------------------


@pytest.mark.django_db
def test_enumeration__other_organisations_and_proposed__all_404_and_nothing_changes(
    staff: Any, own: Any, foreign: Any, client: Client
) -> None:
    others = [_referral(staff, foreign)]
    others.append(_accepted(staff, foreign))
    others.append(_referral(staff, foreign, send=False))
    started = _accepted(staff, foreign)
    referral_start(referral=started, started_on=timezone.localdate(), acting_user=None)
    others.append(started)
    proposed = _referral(staff, own, send=False)
    mine = _referral(staff, own)
    before = list(Referral.objects.order_by("pk").values_list("pk", "status", "slot"))
    missing = max(r.pk for r in [*others, proposed, mine]) + 1000
    client.force_login(staff.provider)

    referral_ids = [r.pk for r in others] + [proposed.pk, missing, 2**63, 2**70]
    intervention_ids = [foreign.pk, own.pk + foreign.pk + 1000, 2**70]
    reason = DeclineReason.objects.get(label=PARTICIPANT_DECLINED)
    posts = [
        {"action": "accept"},
        {"action": "decline", "avboj-reason": reason.pk},
        {"action": "start", "start-started_on": timezone.localdate().isoformat()},
        {"action": "complete"},
        {"action": "withdraw", "aterta-note": "Slut"},
    ]
    for pk in referral_ids:
        url = f"/utforare/anvisningar/{pk}/"
        response = client.get(url)
        assert response.status_code == 404, url
        for data in posts:
            assert client.post(url, data).status_code == 404, (url, data)
    for pk in intervention_ids:
        for url in (f"/utforare/insatser/{pk}/", f"/utforare/insatser/{pk}/narvaro/"):
            assert client.get(url).status_code == 404, url
            assert client.post(url, {}).status_code == 404, url

    # the 404 of another's referral is the 404 of one that does not exist
    def page_404(pk: int) -> str:
        body = client.get(f"/utforare/anvisningar/{pk}/").content.decode()
        return body[body.index("<main") : body.index("</main>")]

    assert page_404(others[0].pk) == page_404(missing)
    assert list(Referral.objects.order_by("pk").values_list("pk", "status", "slot")) == before
    assert not Signal.objects.exists()
    # the provider's own sent referral opens
    assert client.get(f"/utforare/anvisningar/{mine.pk}/").status_code == 200


@pytest.mark.django_db
def test_enumeration__provider_of_no_organisation__nothing(
    staff: Any, own: Any, client: Client
) -> None:
    referral = _referral(staff, own)
    staff.provider.unit = None
    staff.provider.save(update_fields=["unit"])
    client.force_login(staff.provider)
    assert client.get("/utforare/").status_code == 200
    assert "Lagerträning" not in client.get("/utforare/").content.decode()
    assert client.get(f"/utforare/insatser/{own.pk}/").status_code == 404
    assert client.get(f"/utforare/anvisningar/{referral.pk}/").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["officer", "case_manager", "analyst", "admin"])
def test_provider_pages__other_roles__403(staff: Any, own: Any, client: Client, who: str) -> None:
    referral = _referral(staff, own)
    client.force_login(getattr(staff, who))
    for url in (
        "/utforare/",
        f"/utforare/insatser/{own.pk}/",
        f"/utforare/anvisningar/{referral.pk}/",
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_case_manager_pages__provider__403(staff: Any, own: Any, client: Client) -> None:
    referral = _referral(staff, own)
    client.force_login(staff.provider)
    for url in (
        f"/anvisningar/{referral.pk}/",
        f"/personer/{referral.person_id}/anvisningar/",
        f"/personer/{referral.person_id}/anvisningar/ny/",
        f"/personer/{referral.person_id}/matchning/",
    ):
        assert client.get(url).status_code == 403, url


# --- Acting ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_actions__accept_start_end_place__next_offered_and_confirmed(
    staff: Any, own: Any, client: Client
) -> None:
    first, second, third = (_referral(staff, own) for _ in range(3))
    client.force_login(staff.provider)
    back = f"/utforare/insatser/{own.pk}/"

    for referral in (first, second, third):
        response = client.post(
            f"/utforare/anvisningar/{referral.pk}/", {"action": "accept", "back": "insats"}
        )
        assert response.status_code == 302 and response["Location"] == back
    statuses = [Referral.objects.get(pk=r.pk).status for r in (first, second, third)]
    assert statuses == ["accepted", "accepted", "waiting"]

    today = timezone.localdate().isoformat()
    response = client.post(
        f"/utforare/anvisningar/{first.pk}/", {"action": "start", "start-started_on": today}
    )
    assert response.status_code == 302
    response = client.post(
        f"/utforare/anvisningar/{first.pk}/",
        {"action": "withdraw", "aterta-note": "Slutade komma"},
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=first.pk).status == ReferralStatus.WITHDRAWN
    assert Referral.objects.get(pk=third.pk).status == ReferralStatus.OFFERED

    response = client.post(
        f"/utforare/anvisningar/{third.pk}/", {"action": "accept", "back": "insats"}
    )
    assert Referral.objects.get(pk=third.pk).status == ReferralStatus.ACCEPTED
    response = client.post(f"/utforare/anvisningar/{second.pk}/", {"action": "complete"})
    assert Referral.objects.get(pk=second.pk).status == ReferralStatus.COMPLETED


@pytest.mark.django_db
def test_actions__bad_input__errors_beside_fields_and_nothing_changes(
    staff: Any, own: Any, client: Client
) -> None:
    sent = _referral(staff, own)
    accepted = _accepted(staff, own)
    client.force_login(staff.provider)
    before = list(Referral.objects.order_by("pk").values_list("pk", "status", "started_on"))
    today = timezone.localdate().isoformat()
    future = (timezone.localdate() + timedelta(days=3)).isoformat()

    cases = [
        (sent, {"action": "decline"}, 'id="id_avboj-reason_error"'),
        (sent, {"action": "decline", "avboj-reason": "999999"}, 'id="id_avboj-reason_error"'),
        (sent, {"action": "decline", "avboj-reason": "x"}, 'id="id_avboj-reason_error"'),
        (
            accepted,
            {"action": "start", "start-started_on": "2026-13-45"},
            "id_start-started_on_error",
        ),
        (accepted, {"action": "start", "start-started_on": future}, "id_start-started_on_error"),
        (accepted, {"action": "withdraw", "aterta-note": " "}, "id_aterta-note_error"),
        (sent, {"action": "start", "start-started_on": today}, 'class="message error"'),
        (sent, {"action": "nonsense"}, 'class="message error"'),
        (sent, {}, 'class="message error"'),
    ]
    for referral, data, marker in cases:
        response = client.post(f"/utforare/anvisningar/{referral.pk}/", data)
        assert response.status_code == 200, data
        assert marker in response.content.decode(), data
    assert list(Referral.objects.order_by("pk").values_list("pk", "status", "started_on")) == before


@pytest.mark.django_db
def test_actions__decline_participant_said_no__refusal_signal_not_shown_to_provider(
    staff: Any, own: Any, client: Client
) -> None:
    referral = _referral(staff, own)
    reason = DeclineReason.objects.get(label=PARTICIPANT_DECLINED)
    client.force_login(staff.provider)

    response = client.post(
        f"/utforare/anvisningar/{referral.pk}/",
        {"action": "decline", "avboj-reason": reason.pk, "back": "insats"},
    )

    assert response.status_code == 302
    signal = Signal.objects.get(referral=referral)
    page = client.get(f"/utforare/anvisningar/{referral.pk}/").content.decode()
    assert signal.text not in page and PARTICIPANT_DECLINED in page


@pytest.mark.django_db
def test_provider_intervention__fixed_queries__3_vs_12_participants(
    staff: Any, own: Any, client: Client
) -> None:
    client.force_login(staff.provider)
    url = f"/utforare/insatser/{own.pk}/"
    for _ in range(3):
        _accepted(staff, own)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(9):
        _accepted(staff, own)
    _referral(staff, own)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few)
    assert Decimal(len(few)) < 20
