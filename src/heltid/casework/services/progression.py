"""Writes of step progression and exits: a step change, an exit with the follow-ups planned
after it, and the outcome of one such follow-up."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import (
    EXIT_FOLLOW_UP_MONTHS,
    Exit,
    ExitFollowUp,
    ExitOutcome,
    ExitReason,
    StepChange,
)
from heltid.catalog.models import Step
from heltid.clock import moment_of
from heltid.registry.models import Person
from heltid.rules.dates import add_months


def _user_or_none(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "pk", None) else None


def step_on(person: Person, day: date) -> StepChange | None:
    """The step change in force on ``day`` (the latest from that day or before)."""
    return (
        StepChange.objects.filter(person=person, changed_on__lte=day)
        .select_related("step")
        .order_by("-changed_on", "-pk")
        .first()
    )


@transaction.atomic
def step_change_record(
    *,
    person: Person,
    step: Step,
    changed_on: date,
    reason: str,
    acting_user: Any,
    page: str,
    today: date | None = None,
) -> StepChange:
    """From ``changed_on`` the person is on ``step``. The date is not in the future, the step is
    an active one and not the step the person is already on that day, and a reason is given."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not step.active:
        errors["step"] = _("The step is no longer in use.")
    if changed_on > today:
        errors["changed_on"] = _("The date cannot be in the future.")
    else:
        current = step_on(person, changed_on)
        if current is not None and current.step_id == step.pk:
            errors["step"] = _("The person is already on this step on that date.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the step change.")
    if errors:
        raise ValidationError(errors)
    change = StepChange(
        person=person,
        step=step,
        changed_on=changed_on,
        reason=reason.strip(),
        created_by=_user_or_none(acting_user),
        created_at=moment_of(today),
    )
    change.full_clean()
    change.save()
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=person.pk,
        page=page,
        detail={"step_change": change.pk, "step": step.code, "from": changed_on.isoformat()},
    )
    return change


@transaction.atomic
def exit_record(
    *,
    person: Person,
    exit_on: date,
    reason: str,
    note: str,
    follow_up_months: Iterable[int],
    acting_user: Any,
    page: str,
    today: date | None = None,
) -> Exit:
    """Record an exit and plan a follow-up ``months`` after it for each of ``follow_up_months``
    (any of 3, 6 and 12)."""
    today = today or timezone.localdate()
    months = sorted(set(follow_up_months))
    errors: dict[str, str] = {}
    if exit_on > today:
        errors["exit_on"] = _("The date cannot be in the future.")
    elif Exit.objects.filter(person=person, exit_on=exit_on).exists():
        errors["exit_on"] = _("An exit is already recorded on this date.")
    if reason not in ExitReason.values:
        errors["reason"] = _("Choose the reason for the exit.")
    if any(m not in EXIT_FOLLOW_UP_MONTHS for m in months):
        errors["follow_up_months"] = _("Follow-ups can be planned 3, 6 or 12 months after.")
    if errors:
        raise ValidationError(errors)
    exit_ = Exit(
        person=person,
        exit_on=exit_on,
        reason=reason,
        note=note.strip(),
        created_by=_user_or_none(acting_user),
        created_at=moment_of(today),
    )
    exit_.full_clean()
    exit_.save()
    ExitFollowUp.objects.bulk_create(
        ExitFollowUp(exit=exit_, months=m, due_on=add_months(exit_on, m)) for m in months
    )
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=person.pk,
        page=page,
        detail={
            "exit": exit_.pk,
            "reason": reason,
            "exit_on": exit_on.isoformat(),
            "follow_ups": months,
        },
    )
    return exit_


@transaction.atomic
def exit_follow_up_record(
    *,
    exit: Exit,
    months: int,
    done_on: date,
    outcome: str,
    note: str,
    acting_user: Any,
    page: str,
    today: date | None = None,
) -> ExitFollowUp:
    """The outcome of the follow-up planned ``months`` after the exit. Recording it again
    corrects it."""
    today = today or timezone.localdate()
    follow_up = ExitFollowUp.objects.select_for_update().filter(exit=exit, months=months).first()
    if follow_up is None:
        raise ValidationError(
            _("No follow-up is planned %(months)s months after this exit.") % {"months": months}
        )
    errors: dict[str, str] = {}
    if done_on > today:
        errors["done_on"] = _("The date cannot be in the future.")
    elif done_on < exit.exit_on:
        errors["done_on"] = _("The follow-up cannot come before the exit (%(date)s).") % {
            "date": exit.exit_on.isoformat()
        }
    if outcome not in ExitOutcome.values:
        errors["outcome"] = _("Choose the outcome.")
    if errors:
        raise ValidationError(errors)
    corrected = follow_up.done_on is not None
    follow_up.done_on = done_on
    follow_up.outcome = outcome
    follow_up.note = note.strip()
    follow_up.full_clean()
    follow_up.save()
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=exit.person_id,
        page=page,
        detail={
            "exit": exit.pk,
            "months": months,
            "outcome": outcome,
            "done_on": done_on.isoformat(),
            "corrected": corrected,
        },
    )
    return follow_up
