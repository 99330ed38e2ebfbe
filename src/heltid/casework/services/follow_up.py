"""Writes of follow-ups: one follow-up, and the plan revision agreed at it, in one step."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import FollowUp, FollowUpMode, FollowUpParty, Plan, PlanStatus
from heltid.casework.services.plan import PlanChanges, plan_revise
from heltid.clock import moment_of
from heltid.registry.models import Person
from heltid.rules import ParameterError, latest_next_follow_up


def plan_changes_empty(changes: PlanChanges | None) -> bool:
    """True when a revision would change nothing (no field set, nothing added or changed)."""
    return changes is None or (
        changes.goal is None
        and changes.exit_target is None
        and not changes.add
        and not changes.activity_changes
    )


def _check(
    *,
    held_on: date,
    mode: str,
    with_others: Iterable[str],
    notes: str,
    next_on: date,
    today: date,
) -> dict[str, str]:
    """The follow-up's own rules; a message per field that breaks one."""
    errors: dict[str, str] = {}
    if held_on > today:
        errors["held_on"] = _("The follow-up cannot be held in the future.")
    if mode not in FollowUpMode.values:
        errors["mode"] = _("Choose how the follow-up was held.")
    if any(party not in FollowUpParty.values for party in with_others):
        errors["with_others"] = _("Choose among the listed parties.")
    if not notes.strip():
        errors["notes"] = _("Write what was said and agreed.")
    if next_on <= held_on:
        errors["next_on"] = _("The next follow-up must come after this one.")
    elif "held_on" not in errors:
        try:
            latest = latest_next_follow_up(held_on, policy=settings.HELTID_POLICY)
        except ParameterError:
            errors["held_on"] = _("No policy applies on this date: check the year.")
        else:
            if next_on > latest:
                errors["next_on"] = _(
                    "The next follow-up may be at the latest %(latest)s, as the policy requires."
                ) % {"latest": latest.isoformat()}
    return errors


@transaction.atomic
def follow_up_record(
    *,
    person: Person,
    held_on: date,
    mode: str,
    with_others: Iterable[str],
    notes: str,
    next_on: date,
    plan_changes: PlanChanges | None,
    revision_reason: str,
    acting_user: Any,
    page: str,
    today: date,
) -> FollowUp:
    """Record a follow-up. With ``plan_changes`` the person's active plan is revised in the same
    step and the new version linked to the follow-up. ``ValidationError`` (keyed by field where
    one is to blame) and nothing written, the plan included, on bad input."""
    parties = list(dict.fromkeys(p for p in with_others if p))
    errors = _check(
        held_on=held_on,
        mode=mode,
        with_others=parties,
        notes=notes,
        next_on=next_on,
        today=today,
    )
    if errors:
        raise ValidationError(errors)
    plan = Plan.objects.filter(person=person, status=PlanStatus.ACTIVE).first()
    version = None
    if not plan_changes_empty(plan_changes):
        assert plan_changes is not None
        if plan is None:
            raise ValidationError(_("The person has no active plan to revise."))
        reason = revision_reason.strip() or _("Follow-up %(date)s") % {"date": held_on.isoformat()}
        version = plan_revise(
            plan=plan,
            changes=plan_changes,
            acting_user=acting_user,
            reason=reason,
            page=page,
            today=today,
        )
    follow_up = FollowUp(
        person=person,
        held_on=held_on,
        mode=mode,
        with_others=",".join(parties),
        notes=notes.strip(),
        next_on=next_on,
        plan=plan,
        plan_version=version,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        created_at=moment_of(today),
    )
    follow_up.full_clean()
    follow_up.save()
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=person.pk,
        page=page,
        detail={
            "follow_up": follow_up.pk,
            "plan_version": version.number if version is not None else None,
        },
    )
    return follow_up
