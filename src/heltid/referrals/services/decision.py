"""The benefit officer's decision after a signal (socialtjänstlagen (2025:400),
aktivitetskravet (prop. 2025/26:207)): no action, a reduction or a refusal of support, with the
reasons, the finding and written assessment of an acceptable reason, and the consequences for
children (barnets bästa-prövning). Closes the signal and notifies Arbetsförmedlingen, in one
transaction.

The rules, as enacted ("ska vägra eller sätta ned", not "får"):

- declined or stayed away without an acceptable reason → refusal or reduction, never no action;
- an acceptable reason, or the person did not decline → no action;
- a refusal or reduction → the consequences for children are described, always; when children
  live in the household, for every outcome."""

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
from heltid.referrals.models.decision import SANCTIONS, DecisionFinding, outcome_allowed
from heltid.referrals.services.notifications import notify
from heltid.registry.models import Child


def household_has_children(person: Any) -> bool:
    return Child.objects.filter(household_id=person.household_id).exists()


def outcome_error(finding: str, outcome: str) -> str | None:
    """The error for an outcome the finding does not allow (the statute's rule, see
    :func:`heltid.referrals.models.decision.outcome_allowed`), or None."""
    if outcome_allowed(finding, outcome):
        return None
    if finding == DecisionFinding.NO_ACCEPTABLE_REASON:
        return _(
            "Without an acceptable reason the support must be refused or reduced: choose "
            "refusal or reduction. Choose no action only if there was an acceptable reason or "
            "the person did not decline."
        )
    return _(
        "There was an acceptable reason, or the person did not decline: the activity "
        "requirement gives no ground to refuse or reduce the support. Choose no action."
    )


def child_impact_error(outcome: str, *, children: bool) -> str:
    """The error when the consequences for children are missing."""
    if outcome in SANCTIONS:
        return _(
            "Describe the consequences for children of a refusal or reduction (the best "
            "interests of the child); if no child is affected, write why."
        )
    if children:
        return _(
            "Children live in the household: describe the consequences of the decision for them."
        )
    return ""


def _outcome_errors(*, outcome: str, finding: str, amount: int | None) -> dict[str, str]:
    """The errors of the outcome, the finding and the amount, by field."""
    errors: dict[str, str] = {}
    if outcome not in DecisionOutcome.values:
        errors["outcome"] = _("Choose a decision.")
    if finding not in DecisionFinding.values:
        errors["finding"] = _(
            "Choose whether the person declined or stayed away without an acceptable reason."
        )
    elif outcome in DecisionOutcome.values:
        wrong = outcome_error(finding, outcome)
        if wrong:
            errors["outcome"] = wrong
    if outcome == DecisionOutcome.REDUCTION and not amount:
        errors["amount"] = _("Enter the reduction in kronor.")
    return errors


@transaction.atomic
def decision_record(
    *,
    signal: Signal,
    outcome: str,
    finding: str,
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
    when something required is missing, the outcome does not follow the ``finding`` (without
    an acceptable reason: refusal or reduction) or the signal was already handled."""
    day = today or timezone.localdate()
    signal = Signal.objects.select_for_update().select_related("person").get(pk=signal.pk)
    if signal.closed_at is not None:
        raise ValidationError(_("This signal has already been handled."))
    errors = _outcome_errors(outcome=outcome, finding=finding, amount=amount)
    if not reason.strip():
        errors["reason"] = _("Write the reasons for the decision.")
    if not acceptable_reason.strip():
        errors["acceptable_reason"] = _(
            "Write the assessment of whether the person had an acceptable reason."
        )
    if decided_on > day:
        errors["decided_on"] = _("The decision cannot be dated in the future.")
    if not child_impact.strip():
        missing = child_impact_error(outcome, children=household_has_children(signal.person))
        if missing:
            errors["child_impact"] = missing
    if errors:
        raise ValidationError(errors)
    now = moment_of(day)
    decision = Decision.objects.create(
        person=signal.person,
        signal=signal,
        outcome=outcome,
        finding=finding,
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
        detail={
            "decision": decision.pk,
            "signal": signal.pk,
            "outcome": outcome,
            "finding": finding,
        },
    )
    return decision
