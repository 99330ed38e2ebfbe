"""Writes to plans. Each call that changes something saves exactly one new plan version."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import (
    ALLOWED_TRANSITIONS,
    ActivityKind,
    ActivityStatus,
    Plan,
    PlanActivity,
    PlanStatus,
    PlanVersion,
)
from heltid.casework.versions import diff, snapshot
from heltid.catalog.models import Intervention
from heltid.clock import moment_of
from heltid.registry.models import Person


@dataclass
class NewActivity:
    kind: str
    title: str
    hours_per_week: Decimal
    intervention: Intervention | None = None
    status: str = "planned"
    agreed: bool = False
    start_on: date | None = None
    end_on: date | None = None
    note: str = ""


@dataclass
class PlanChanges:
    """What one revision changes. ``activity_changes`` maps an activity id to the fields to set
    (any of status, agreed, hours_per_week, title, start_on, end_on, note)."""

    goal: str | None = None
    exit_target: str | None = None
    add: list[NewActivity] = field(default_factory=list)
    activity_changes: dict[int, dict[str, Any]] = field(default_factory=dict)


EDITABLE_ACTIVITY_FIELDS = (
    "status",
    "agreed",
    "hours_per_week",
    "title",
    "start_on",
    "end_on",
    "note",
)


def _save_version(*, plan: Plan, acting_user: Any, reason: str, at: datetime) -> PlanVersion | None:
    activities = list(plan.activities.select_related(None).order_by("pk"))
    content = snapshot(plan, activities)
    previous = plan.versions.order_by("-number").first()
    if previous is not None and not diff(previous.snapshot, content):
        return None
    plan.version = (previous.number if previous else 0) + 1
    plan.save(update_fields=["version", "updated_at"])
    return PlanVersion.objects.create(
        plan=plan,
        number=plan.version,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        reason=reason[:300],
        snapshot=content,
        created_at=at,
    )


@transaction.atomic
def plan_create(
    *,
    person: Person,
    goal: str,
    exit_target: str,
    acting_user: Any,
    page: str = "",
    today: date,
    activities: list[NewActivity] | None = None,
) -> Plan:
    """A new active plan (version 1), made on ``today``. A person has at most one active
    plan."""
    at = moment_of(today)
    if Plan.objects.filter(person=person, status=PlanStatus.ACTIVE).exists():
        raise ValidationError(_("The person already has an active plan."))
    plan = Plan(
        person=person,
        goal=goal,
        exit_target=exit_target,
        created_on=today,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
    )
    plan.full_clean()
    plan.save()
    for new in activities or []:
        _add(plan, new, acting_user, at=at)
    _save_version(plan=plan, acting_user=acting_user, reason=_("Plan made"), at=at)
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=person.pk,
        page=page,
        detail={"plan": plan.pk, "version": plan.version},
    )
    return plan


def _add(plan: Plan, new: NewActivity, acting_user: Any, *, at: datetime) -> PlanActivity:
    if new.kind == ActivityKind.INTERVENTION and new.intervention is None:
        raise ValidationError({"intervention": _("Choose the intervention from the catalogue.")})
    activity = PlanActivity(
        plan=plan,
        kind=new.kind,
        intervention=new.intervention if new.kind == ActivityKind.INTERVENTION else None,
        title=new.title or (new.intervention.name if new.intervention else ""),
        hours_per_week=new.hours_per_week,
        status=new.status,
        agreed=new.agreed,
        start_on=new.start_on,
        end_on=new.end_on,
        note=new.note,
        added_by=acting_user if getattr(acting_user, "pk", None) else None,
        added_at=at,
    )
    activity.full_clean(exclude=["plan"])
    activity.save()
    return activity


def _change(activity: PlanActivity, values: dict[str, Any]) -> None:
    unknown = set(values) - set(EDITABLE_ACTIVITY_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    new_status = values.get("status", activity.status)
    if new_status != activity.status and new_status not in ALLOWED_TRANSITIONS[activity.status]:
        raise ValidationError(
            {
                "status": _("An activity that is %(old)s cannot become %(new)s.")
                % {
                    "old": activity.get_status_display().lower(),
                    "new": str(ActivityStatus(new_status).label).lower(),
                }
            }
        )
    for name, value in values.items():
        setattr(activity, name, value)
    activity.full_clean(exclude=["plan"])
    activity.save()


@transaction.atomic
def plan_revise(
    *,
    plan: Plan,
    changes: PlanChanges,
    acting_user: Any,
    reason: str,
    page: str = "",
    today: date | None = None,
) -> PlanVersion | None:
    """Apply one revision and save it as the next version, on ``today`` (default: now); None
    when nothing changed. Invalid changes raise ``ValidationError`` and change nothing."""
    at = moment_of(today)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("A closed plan cannot be changed."))
    if changes.goal is not None:
        plan.goal = changes.goal
    if changes.exit_target is not None:
        plan.exit_target = changes.exit_target
    plan.full_clean()
    plan.save()
    activities = {a.pk: a for a in plan.activities.all()}
    for activity_id, values in changes.activity_changes.items():
        if activity_id not in activities:
            raise ValidationError(_("The activity is not part of this plan."))
        _change(activities[activity_id], values)
    for new in changes.add:
        _add(plan, new, acting_user, at=at)
    version = _save_version(plan=plan, acting_user=acting_user, reason=reason, at=at)
    if version is not None:
        log_access(
            user=acting_user,
            action=Action.CHANGE,
            person_id=plan.person_id,
            page=page,
            detail={"plan": plan.pk, "version": version.number},
        )
    return version


@transaction.atomic
def plan_sign(
    *,
    plan: Plan,
    signed_on: date,
    acting_user: Any,
    page: str = "",
    today: date | None = None,
) -> PlanVersion:
    """Record the participant's signature of the current version (a new version, saved on
    ``today``, default: now). The date cannot be later than ``today`` nor before the plan was
    made."""
    day = today or timezone.localdate()
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(_("A closed plan cannot be changed."))
    if signed_on > day:
        raise ValidationError({"signed_on": _("The date cannot be in the future.")})
    if signed_on < plan.created_on:
        raise ValidationError(
            {
                "signed_on": ValidationError(
                    _("The plan was made on %(date)s; it cannot be signed before that."),
                    params={"date": plan.created_on.isoformat()},
                )
            }
        )
    plan.signed_on = signed_on
    plan.signed_version = plan.version + 1
    plan.save(update_fields=["signed_on", "signed_version", "updated_at"])
    version = _save_version(
        plan=plan, acting_user=acting_user, reason=_("Signed by the participant"), at=moment_of(day)
    )
    assert version is not None  # signed_on changed
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=plan.person_id,
        page=page,
        detail={"plan": plan.pk, "signed": signed_on.isoformat()},
    )
    return version
