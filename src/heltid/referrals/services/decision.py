"""The benefit officer's decision after a signal (SoL 2025:400 12 kap. 5 §): no action, a
reduction or a refusal of support, with the reasons, the assessment of an acceptable reason
and — when children live in the household — the consequences for them. Closes the signal and
notifies Arbetsförmedlingen, in one transaction."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.clock import moment_of
from heltid.referrals.models import Decision, DecisionOutcome, NotificationKind, Signal
from heltid.referrals.services.notifications import notify
from heltid.registry.models import Child


def household_has_children(person: Any) -> bool:
    return Child.objects.filter(household_id=person.household_id).exists()


@transaction.atomic
def decision_record(
    *,
    signal: Signal,
    outcome: str,
    decided_on: date,
    reason: str,
    acceptable_reason: str,
    child_impact: str = "",
    amount: int | None = None,
    acting_user: Any,
    page: str = "",
    today: date | None = None,
) -> Decision:
    """Record the decision on ``signal`` and close it; raises ``ValidationError`` (by field)
    when something required is missing or the signal was already handled."""
    day = today or timezone.localdate()
    signal = Signal.objects.select_for_update().select_related("person").get(pk=signal.pk)
    if signal.closed_at is not None:
        raise ValidationError(_("This signal has already been handled."))
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose a decision.")
    if not reason.strip():
        errors["reason"] = _("Write the reasons for the decision.")
    if not acceptable_reason.strip():
        errors["acceptable_reason"] = _(
            "Write the assessment of whether the person had an acceptable reason."
        )
    if decided_on > day:
        errors["decided_on"] = _("The decision cannot be dated in the future.")
    if outcome == DecisionOutcome.REDUCTION and not amount:
        errors["amount"] = _("Enter the reduction in kronor.")
    if household_has_children(signal.person) and not child_impact.strip():
        errors["child_impact"] = _(
            "Children live in the household: describe the consequences of the decision for them."
        )
    if errors:
        raise ValidationError(errors)
    now = moment_of(day)
    decision = Decision.objects.create(
        person=signal.person,
        signal=signal,
        outcome=outcome,
        decided_on=decided_on,
        reason=reason.strip(),
        acceptable_reason=acceptable_reason.strip(),
        child_impact=child_impact.strip(),
        amount=amount if outcome == DecisionOutcome.REDUCTION else None,
        decided_by=acting_user,
        created_at=now,
    )
    signal.closed_at = now
    signal.save(update_fields=["closed_at"])
    notify(
        person=signal.person,
        kind=NotificationKind.DECISION,
        text=_("Decision on support %(date)s: %(outcome)s.")
        % {
            "date": decided_on.isoformat(),
            "outcome": str(DecisionOutcome(outcome).label).lower(),
        },
        acting_user=acting_user,
        at=now,
    )
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=signal.person_id,
        page=page,
        detail={"decision": decision.pk, "signal": signal.pk, "outcome": outcome},
    )
    return decision
