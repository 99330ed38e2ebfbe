"""Signals to the benefit officer and the decision under the activity requirement
(socialtjänstlagen (2025:400), aktivitetskravet (prop. 2025/26:207)); never to providers.

The decision follows the statute: without an acceptable reason the support is refused or
reduced ("ska vägra eller sätta ned"); no action only with an acceptable reason or when the
person did not decline; a refusal or reduction describes the consequences for children."""

from __future__ import annotations

import dataclasses
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.referrals.models import AfNotification, Attendance, Decision, Signal
from heltid.referrals.services.decision import decision_record
from heltid.referrals.services.signals import absence_signals, refusal_signal
from heltid.registry.models import Child
from heltid.rules.dates import add_months
from heltid.rules.parameters import Sourced
from heltid.rules.policy import load_policy
from tests.clock import suite_today
from tests.factories import PersonFactory
from tests.referrals.test_attendance import LAST_WEEK, own_intervention, placed

TODAY = suite_today()


@pytest.fixture
def threshold_three(monkeypatch: pytest.MonkeyPatch) -> None:
    """A municipality that signals at three days of unexcused absence (Linköping: one)."""
    from heltid.referrals.services import signals

    real = signals.load_policy

    def with_three(name: str, on: Any = None) -> Any:
        policy = real(name, on)
        rules = dataclasses.replace(
            policy.referrals,
            unexcused_absence_days=Sourced(3, "test: tre dagar"),
        )
        return dataclasses.replace(policy, referrals=rules)

    monkeypatch.setattr(signals, "load_policy", with_three)


def _absent(referral: Any, *days: Any) -> None:
    for day in days:
        Attendance.objects.create(referral=referral, day=day, status="unexcused", hours=4)


def _days_ago(*numbers: int) -> list[Any]:
    return [TODAY - timedelta(days=n) for n in numbers]


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _signal(staff: Any, *, children: int = 0, **person: Any) -> Signal:
    owner = PersonFactory(unit=staff.unit, **person)
    for n in range(children):  # aged 4, 9, … (born on 28 February when today is 29 February)
        Child.objects.create(
            household=owner.household, birth_date=add_months(TODAY, -12 * (4 + 5 * n))
        )
    referral = placed(own_intervention(staff), person=owner)
    _absent(referral, *_days_ago(9, 8, 7))
    [signal] = absence_signals(referral=referral, today=TODAY, acting_user=None)
    return signal


# --- Raising signals -------------------------------------------------------------------------


@pytest.mark.django_db
def test_absence__under_the_threshold__no_signal(staff: Any, threshold_three: None) -> None:
    referral = placed(own_intervention(staff))
    _absent(referral, *_days_ago(3, 2))
    assert absence_signals(referral=referral, today=TODAY, acting_user=None) == []


@pytest.mark.django_db
def test_absence__threshold_reached__one_signal__idempotent(
    staff: Any, threshold_three: None
) -> None:
    referral = placed(own_intervention(staff))
    _absent(referral, *_days_ago(6, 4, 2))
    Attendance.objects.create(
        referral=referral, day=TODAY - timedelta(days=3), status="sick", hours=4
    )
    [signal] = absence_signals(referral=referral, today=TODAY, acting_user=staff.provider)
    assert (signal.kind, signal.person_id, signal.referral_id) == (
        "unexcused_absence",
        referral.person_id,
        referral.pk,
    )
    assert (signal.period_start, signal.period_end) == tuple(_days_ago(6, 2))
    assert absence_signals(referral=referral, today=TODAY, acting_user=None) == []
    assert (
        absence_signals(referral=referral, today=TODAY + timedelta(days=1), acting_user=None) == []
    )
    assert Signal.objects.count() == 1
    assert AccessLog.objects.filter(action="create", person_id=referral.person_id).count() == 1


@pytest.mark.django_db
def test_absence__new_absence_after_a_signal__counts_again(
    staff: Any, threshold_three: None
) -> None:
    referral = placed(own_intervention(staff))
    _absent(referral, *_days_ago(20, 19, 18))
    assert len(absence_signals(referral=referral, today=TODAY, acting_user=None)) == 1
    _absent(referral, *_days_ago(5, 4))
    assert absence_signals(referral=referral, today=TODAY, acting_user=None) == []
    _absent(referral, *_days_ago(3))
    [second] = absence_signals(referral=referral, today=TODAY, acting_user=None)
    assert (second.period_start, second.period_end) == tuple(_days_ago(5, 3))


@pytest.mark.django_db
def test_absence__outside_the_period__not_counted(staff: Any, threshold_three: None) -> None:
    referral = placed(own_intervention(staff), since_days=90)
    _absent(referral, *_days_ago(45, 40, 2))  # the policy counts the last 30 days
    assert absence_signals(referral=referral, today=TODAY, acting_user=None) == []


@pytest.mark.django_db
def test_refusal__one_signal_per_referral(staff: Any) -> None:
    referral = placed(own_intervention(staff))
    first = refusal_signal(referral=referral, acting_user=staff.provider)
    again = refusal_signal(referral=referral, acting_user=staff.provider)
    assert first.pk == again.pk and first.kind == "refusal"
    assert referral.intervention.name in first.text
    assert Signal.objects.count() == 1


# --- The signal list ------------------------------------------------------------------------


@pytest.mark.django_db
def test_signal_list__own_unit_open_signals_oldest_first_with_evidence(staff: Any) -> None:
    old = _signal(staff, first_name="Äldst", last_name="Först")
    new = _signal(staff, first_name="Yngst", last_name="Sist")
    Signal.objects.filter(pk=old.pk).update(raised_at=timezone.now() - timedelta(days=2))
    closed = _signal(staff, first_name="Redan", last_name="Klar")
    Signal.objects.filter(pk=closed.pk).update(closed_at=timezone.now())
    elsewhere = _signal(staff, first_name="Annan", last_name="Enhet")
    type(elsewhere.person).objects.filter(pk=elsewhere.person_id).update(unit=staff.other_unit)
    page = _client(staff.officer).get(reverse("signal_list")).content.decode()
    assert page.index("Äldst Först") < page.index("Yngst Sist")
    assert "Redan Klar" not in page and "Annan Enhet" not in page
    assert old.referral.intervention.name in page
    assert _days_ago(9)[0].isoformat() in page
    assert reverse("decision_new", args=[new.pk]) in page
    viewed = persons_named(AccessLog.objects.filter(user=staff.officer), action="view")
    assert {n.person_id for n in viewed} == {old.person_id, new.person_id}


@pytest.mark.django_db
def test_signal_list__protected_identity__name_hidden(staff: Any) -> None:
    _signal(staff, first_name="Dold", last_name="Person", protected_identity=True)
    page = _client(staff.officer).get(reverse("signal_list")).content.decode()
    assert "Skyddad identitet" in page and "Dold Person" not in page


@pytest.mark.parametrize("role", ["provider", "case_manager", "analyst", "admin"])
@pytest.mark.django_db
def test_signals__never_reach_other_roles(staff: Any, role: str) -> None:
    """Provider staff above all: no page, no form, no export, no panel with signals."""
    signal = _signal(staff, first_name="Signal", last_name="Person")
    client = _client(getattr(staff, role))
    for name, args in (("signal_list", []), ("decision_new", [signal.pk])):
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("decision_new", args=[signal.pk]), {}).status_code == 403
    assert not Decision.objects.exists()


@pytest.mark.django_db
def test_signals__provider__nothing_anywhere_they_can_reach(staff: Any) -> None:
    signal = _signal(staff, first_name="Signal", last_name="Person")
    client = _client(staff.provider)
    reachable = [
        reverse("attendance_week", args=[signal.referral.intervention_id])
        + f"?vecka={LAST_WEEK.code}",
        reverse("home"),
    ]
    for url in reachable:
        response = client.get(url)
        body = response.content.decode()
        assert signal.text not in body
        assert reverse("signal_list") not in body
    for url in (reverse("af_notifications"), reverse("af_export") + "?format=csv"):
        assert client.get(url).status_code == 403
        assert client.post(url).status_code == 403


# --- The decision -----------------------------------------------------------------------------


def _decision_data(**changes: Any) -> dict[str, Any]:
    data = {
        "finding": "no_acceptable_reason",
        "outcome": "reduction",
        "amount": "1200",
        "reason": "Tre dagars frånvaro utan godtagbart skäl.",
        "acceptable_reason": "Inget godtagbart skäl har framkommit vid kontakt.",
        "child_impact": "Inga barn berörs: personen har inga barn och inget umgänge.",
        "decided_on": TODAY.isoformat(),
    }
    data.update(changes)
    return data


@pytest.mark.django_db
def test_decision__form_shows_the_signal_and_the_childrens_ages(staff: Any) -> None:
    signal = _signal(staff, children=2)
    page = _client(staff.officer).get(reverse("decision_new", args=[signal.pk])).content.decode()
    assert signal.text in page
    assert "4, 9" in page
    assert 'name="child_impact"' in page and "required" in page


@pytest.mark.django_db
def test_decision__children__child_impact_required(staff: Any) -> None:
    signal = _signal(staff, children=1)
    response = _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]),
        _decision_data(finding="acceptable_reason", outcome="no_action", child_impact=""),
    )
    assert response.status_code == 200
    assert 'id="id_child_impact_error"' in response.content.decode()
    assert not Decision.objects.exists()
    assert Signal.objects.get(pk=signal.pk).closed_at is None
    assert not AfNotification.objects.exists()


@pytest.mark.django_db
def test_decision__recorded__signal_closed__af_notified__logged(staff: Any) -> None:
    signal = _signal(staff, children=1)
    response = _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]),
        _decision_data(child_impact="Barnets behov täcks; nedsättningen rör vuxendelen."),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (
        decision.outcome,
        decision.finding,
        decision.amount,
        decision.signal_id,
        decision.decided_by,
    ) == (
        "reduction",
        "no_acceptable_reason",
        1200,
        signal.pk,
        staff.officer,
    )
    assert decision.child_impact.startswith("Barnets behov")
    assert Signal.objects.get(pk=signal.pk).closed_at is not None
    note = AfNotification.objects.get()
    assert (note.kind, note.person_id, note.created_by) == (
        "decision",
        signal.person_id,
        staff.officer,
    )
    assert AccessLog.objects.filter(
        user=staff.officer, action="create", person_id=signal.person_id
    ).exists()
    # handled: the form is no longer offered
    again = _client(staff.officer).get(reverse("decision_new", args=[signal.pk]))
    assert again.status_code == 302
    assert Decision.objects.count() == 1


@pytest.mark.django_db
def test_decision__no_children__no_action_without_child_impact(staff: Any) -> None:
    signal = _signal(staff)
    response = _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]),
        _decision_data(
            finding="acceptable_reason", outcome="no_action", amount="500", child_impact=""
        ),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.outcome, decision.finding, decision.amount, decision.child_impact) == (
        "no_action",
        "acceptable_reason",
        None,
        "",
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"acceptable_reason": ""}, "acceptable_reason"),
        ({"amount": ""}, "amount"),
        ({"amount": "-5"}, "amount"),
        ({"amount": "99999999999999"}, "amount"),
        ({"outcome": "prison"}, "outcome"),
        ({"finding": ""}, "finding"),
        ({"finding": "maybe"}, "finding"),
        ({"decided_on": "2999-01-01"}, "decided_on"),
        ({"decided_on": "igår"}, "decided_on"),
    ],
)
@pytest.mark.django_db
def test_decision__bad_input__field_error__nothing_changes(
    staff: Any, changes: dict[str, str], field: str
) -> None:
    signal = _signal(staff)
    response = _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]), _decision_data(**changes)
    )
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Decision.objects.exists()
    assert Signal.objects.get(pk=signal.pk).closed_at is None


@pytest.mark.django_db
def test_decision__other_units_signal__404_and_denied_logged(staff: Any) -> None:
    signal = _signal(staff)
    client = _client(staff.outsider)
    assert client.get(reverse("decision_new", args=[signal.pk])).status_code == 404
    assert (
        client.post(reverse("decision_new", args=[signal.pk]), _decision_data()).status_code == 404
    )
    assert not Decision.objects.exists()
    assert AccessLog.objects.filter(
        user=staff.outsider, action="denied", person_id=signal.person_id
    ).exists()


@pytest.mark.parametrize("signal_id", [0, 999_999, 2**63, 10**30])
@pytest.mark.django_db
def test_decision__missing_signal__404(staff: Any, signal_id: int) -> None:
    assert _client(staff.officer).get(f"/signaler/{signal_id}/beslut/").status_code == 404


@pytest.mark.django_db
def test_decision__shown_on_the_person_page(staff: Any) -> None:
    signal = _signal(staff)
    _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]), _decision_data(outcome="refusal", amount="")
    )
    assert Decision.objects.get().outcome == "refusal"
    Signal.objects.filter(pk=signal.pk).update()
    type(signal.person).objects.filter(pk=signal.person_id).update(case_manager=staff.case_manager)
    for user in (staff.officer, staff.case_manager):
        page = _client(user).get(reverse("person_detail", args=[signal.person_id])).content.decode()
        assert "data-decision=" in page
        assert "Tre dagars frånvaro utan godtagbart skäl." in page
        assert "Ja – avböjde eller uteblev utan godtagbart skäl" in page


@pytest.mark.django_db
def test_absence__linkoping__one_day_is_enough(staff: Any) -> None:
    referral = placed(own_intervention(staff))
    _absent(referral, *_days_ago(2))
    [signal] = absence_signals(referral=referral, today=TODAY, acting_user=None)
    assert (signal.period_start, signal.period_end) == tuple(_days_ago(2, 2))


# --- The statute's rule: without an acceptable reason, refusal or reduction ------------------


def _post(staff: Any, signal: Signal, **changes: Any) -> str:
    response = _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]), _decision_data(**changes)
    )
    assert response.status_code == 200
    return response.content.decode()


def _nothing_recorded(signal: Signal) -> None:
    assert not Decision.objects.exists()
    assert Signal.objects.get(pk=signal.pk).closed_at is None
    assert not AfNotification.objects.exists()


@pytest.mark.django_db
def test_decision__no_acceptable_reason_and_no_action__outcome_error_nothing_recorded(
    staff: Any,
) -> None:
    signal = _signal(staff)
    page = _post(staff, signal, finding="no_acceptable_reason", outcome="no_action", amount="")
    assert 'id="id_outcome_error"' in page
    assert "Utan godtagbart skäl ska försörjningsstödet vägras eller sättas ned" in page
    _nothing_recorded(signal)


@pytest.mark.parametrize("finding", ["acceptable_reason", "did_not_decline"])
@pytest.mark.parametrize("outcome", ["reduction", "refusal"])
@pytest.mark.django_db
def test_decision__acceptable_reason_or_no_decline_and_a_sanction__outcome_error(
    staff: Any, finding: str, outcome: str
) -> None:
    signal = _signal(staff)
    page = _post(staff, signal, finding=finding, outcome=outcome)
    assert 'id="id_outcome_error"' in page
    assert "aktivitetskravet ingen grund att vägra eller sätta ned" in page
    _nothing_recorded(signal)


@pytest.mark.parametrize("finding", ["acceptable_reason", "did_not_decline"])
@pytest.mark.django_db
def test_decision__acceptable_reason_or_no_decline__no_action_recorded(
    staff: Any, finding: str
) -> None:
    signal = _signal(staff)
    response = _client(staff.officer).post(
        reverse("decision_new", args=[signal.pk]),
        _decision_data(finding=finding, outcome="no_action", amount="", child_impact=""),
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.finding, decision.outcome, decision.amount) == (finding, "no_action", None)
    assert Signal.objects.get(pk=signal.pk).closed_at is not None


@pytest.mark.parametrize("outcome", ["reduction", "refusal"])
@pytest.mark.django_db
def test_decision__sanction_without_child_impact__field_error_even_without_children(
    staff: Any, outcome: str
) -> None:
    signal = _signal(staff)  # no children registered in the household
    page = _post(staff, signal, outcome=outcome, child_impact="  ")
    assert 'id="id_child_impact_error"' in page
    assert "barnets bästa-prövning" in page
    assert "Beskriv konsekvenserna för barn av ett avslag eller en nedsättning" in page
    _nothing_recorded(signal)


@pytest.mark.django_db
def test_decision__no_finding__field_error_in_plain_swedish(staff: Any) -> None:
    signal = _signal(staff)
    data = _decision_data()
    del data["finding"]
    response = _client(staff.officer).post(reverse("decision_new", args=[signal.pk]), data)
    page = response.content.decode()
    assert 'id="id_finding_error"' in page
    assert "Välj om personen avböjde eller uteblev utan godtagbart skäl." in page
    _nothing_recorded(signal)


@pytest.mark.django_db
def test_decision__page__mandatory_rule_cited_law_and_policy_apart(staff: Any) -> None:
    signal = _signal(staff)
    page = _client(staff.officer).get(reverse("decision_new", args=[signal.pk])).content.decode()
    law = page[page.index("data-law") : page.index("data-policy")]
    assert (
        "ska socialnämnden vägra eller sätta ned fortsatt försörjningsstöd" in law
        and "socialtjänstlagen (2025:400), aktivitetskravet; prop. 2025/26:207" in law
    )
    policy = page[page.index("data-policy") : page.index('id="signal-h"')]
    assert "Kommunens riktlinjer (inte lag)" in policy
    rules = load_policy(settings.HELTID_POLICY, TODAY).referrals
    assert f"efter {rules.unexcused_absence_days.value} dag" in policy
    assert f"inom {rules.absence_period_days.value} dagar" in policy
    assert "12 kap" not in page and " får sättas ned" not in page
    assert 'name="finding"' in page


@pytest.mark.django_db
def test_decision_record__service_refuses_what_the_form_refuses(staff: Any) -> None:
    signal = _signal(staff)
    base: dict[str, Any] = {
        "signal": signal,
        "decided_on": TODAY,
        "reason": "Frånvaro.",
        "acceptable_reason": "Inget godtagbart skäl.",
        "acting_user": staff.officer,
        "today": TODAY,
    }
    with pytest.raises(ValidationError) as no_action:
        decision_record(**base, finding="no_acceptable_reason", outcome="no_action")
    assert set(no_action.value.message_dict) == {"outcome"}
    with pytest.raises(ValidationError) as no_children_described:
        decision_record(**base, finding="no_acceptable_reason", outcome="refusal")
    assert set(no_children_described.value.message_dict) == {"child_impact"}
    with pytest.raises(ValidationError) as sanction_with_reason:
        decision_record(
            **base, finding="acceptable_reason", outcome="reduction", amount=500, child_impact="x"
        )
    assert set(sanction_with_reason.value.message_dict) == {"outcome"}
    with pytest.raises(ValidationError) as unknown:
        decision_record(**base, finding="", outcome="no_action")
    assert set(unknown.value.message_dict) == {"finding"}
    _nothing_recorded(signal)
    decision = decision_record(
        **base, finding="no_acceptable_reason", outcome="refusal", child_impact="Inga barn."
    )
    assert (decision.finding, decision.outcome) == ("no_acceptable_reason", "refusal")


@pytest.mark.django_db
def test_decision__database_refuses_an_outcome_the_finding_does_not_allow(staff: Any) -> None:
    signal = _signal(staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(
            person=signal.person,
            signal=signal,
            outcome="no_action",
            finding="no_acceptable_reason",
            decided_on=TODAY,
            reason="x",
            acceptable_reason="y",
            decided_by=staff.officer,
        )
    assert not Decision.objects.exists()
