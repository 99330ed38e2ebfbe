"""Writes of the referral flow: made and sent by the case manager, accepted, declined, started
and completed by the provider, withdrawn by either. Every place change goes through
:mod:`heltid.referrals.services.places`; every call is one transaction with its events and
access log.

Arbetsförmedlingen is told when a participant starts and ends an intervention; a participant
who says no raises a refusal signal to the benefit officer."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import Assessment, PlanActivity, PlanStatus
from heltid.catalog.models import Intervention
from heltid.clock import moment_of
from heltid.referrals.models import (
    OPEN,
    DeclineReason,
    Referral,
    ReferralEvent,
    ReferralStatus,
)
from heltid.referrals.selectors import REFERABLE
from heltid.referrals.services import places
from heltid.referrals.services.notifications import notify
from heltid.referrals.services.signals import refusal_signal
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Child, Exemption, Person
from heltid.rules import ParameterError, WaitingFacts, WaitingPriority, explain, waiting_priority

# The decline reason (data migration 0002) that means the participant said no: a refusal.
PARTICIPANT_DECLINED = "Deltagaren tackade nej"
NOTE_MAX = 300


def _by(user: Any) -> Any:
    return user if getattr(user, "pk", None) else None


def _locked(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("person", "intervention")
        .get(pk=referral.pk)
    )


def _already_open() -> ValidationError:
    return ValidationError(
        {
            "intervention": _(
                "The person already has an open referral to this intervention: withdraw it "
                "first, or follow it on the person's referrals."
            )
        }
    )


# --- Made by the case manager ----------------------------------------------------------------


@transaction.atomic
def referral_create(
    *,
    person: Person,
    intervention: Intervention,
    plan_activity: PlanActivity | None = None,
    send: bool,
    acting_user: Any,
    page: str = "",
    today: date | None = None,
    note: str = "",
) -> Referral:
    """Refer ``person`` to ``intervention`` — proposed, or sent to the provider at once with
    ``send``. One open referral per person and intervention (the database refuses a second);
    ``plan_activity`` must be an activity of the person's active plan for that intervention."""
    day = today or timezone.localdate()
    if intervention.status not in REFERABLE or (
        intervention.end_date is not None and intervention.end_date < day
    ):
        raise ValidationError(
            {"intervention": _("The intervention has ended or does not exist yet.")}
        )
    if plan_activity is not None:
        if (
            plan_activity.plan.person_id != person.pk
            or plan_activity.plan.status != PlanStatus.ACTIVE
        ):
            raise ValidationError(
                {"plan_activity": _("The activity is not in the person's active plan.")}
            )
        if plan_activity.intervention_id not in (None, intervention.pk):
            raise ValidationError(
                {"plan_activity": _("The plan activity is for another intervention.")}
            )
    if Referral.objects.filter(person=person, intervention=intervention, status__in=OPEN).exists():
        raise _already_open()
    try:
        with transaction.atomic():
            referral = Referral.objects.create(
                person=person,
                intervention=intervention,
                plan_activity=plan_activity,
                status=ReferralStatus.PROPOSED,
                note=note.strip(),
                created_by=_by(acting_user),
                created_at=moment_of(day),
            )
    except IntegrityError as exc:  # made at the same moment by another request
        raise _already_open() from exc
    ReferralEvent.objects.create(
        referral=referral,
        from_status="",
        to_status=ReferralStatus.PROPOSED,
        at=referral.created_at,
        by=_by(acting_user),
    )
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=person.pk,
        page=page,
        detail={"referral": referral.pk, "intervention": intervention.pk},
    )
    if send:
        places.transition(
            referral, ReferralStatus.SENT, acting_user=acting_user, page=page, today=day
        )
    return referral


@transaction.atomic
def referral_send(
    *, referral: Referral, acting_user: Any, page: str = "", today: date | None = None
) -> Referral:
    """Send a proposed referral to the provider (sent on ``today``, default: now)."""
    referral = _locked(referral)
    if referral.status != ReferralStatus.PROPOSED:
        raise ValidationError(_("Only a proposed referral can be sent."))
    places.transition(
        referral, ReferralStatus.SENT, acting_user=acting_user, page=page, today=today
    )
    return referral


@transaction.atomic
def referral_withdraw(
    *,
    referral: Referral,
    acting_user: Any,
    note: str = "",
    participant_refused: bool = False,
    page: str = "",
    today: date | None = None,
) -> list[Referral]:
    """Withdraw an open referral (the case manager, or the provider ending a place). A place
    it held is offered to the waiting list; returns the referrals offered a place. With
    ``participant_refused`` the benefit officer gets a refusal signal."""
    day = today or timezone.localdate()
    current = _locked(referral)
    if current.status not in OPEN:
        raise ValidationError(_("The referral has already ended."))
    was_started = current.status == ReferralStatus.STARTED
    offered = places.referral_end(
        referral=current,
        to=ReferralStatus.WITHDRAWN,
        acting_user=acting_user,
        note=note.strip()[:NOTE_MAX],
        page=page,
        today=day,
    )
    current.refresh_from_db()
    if was_started:
        _tell_ended(current, acting_user=acting_user, day=day)
    if participant_refused:
        refusal_signal(referral=current, acting_user=acting_user, page=page, today=day)
    return offered


# --- Answered by the provider --------------------------------------------------------------


def waiting_priority_of(referral: Referral, *, on: date) -> WaitingPriority | None:
    """The policy's waiting-list priority of the referral's person for its intervention on
    ``on``: time since coverage, age group, outside Arbetsförmedlingen's programmes, past the
    activation date, the step the assessment asks for. None when the rules refuse the facts."""
    person = (
        Person.objects.select_related("household", "reason_code")
        .prefetch_related(
            "support_periods",
            Prefetch("exemptions", queryset=Exemption.objects.order_by("-decided_on")),
            Prefetch("household__children", queryset=Child.objects.order_by("birth_date")),
            "facts",
        )
        .get(pk=referral.person_id)
    )
    try:
        explanation = explain(coverage_facts(person, on=on), on=on, policy=settings.HELTID_POLICY)
    except (ValueError, ParameterError):
        return None
    latest = (
        Assessment.objects.filter(person_id=person.pk, assessed_on__lte=on)
        .select_related("requested_step")
        .order_by("-assessed_on", "-pk")
        .first()
    )
    step = latest.requested_step if latest is not None else None
    facts = WaitingFacts(
        birth_date=person.birth_date,
        covered_from=explanation.covered_from if explanation.covered else None,
        af_programme=person.af_programme,
        activate_by=explanation.priority.activate_by,
        requested_step=step.code if step is not None else None,
        intervention_step=Intervention.objects.values_list("step__code", flat=True).get(
            pk=referral.intervention_id
        ),
    )
    try:
        return waiting_priority(facts, on=on, policy=settings.HELTID_POLICY)
    except (ValueError, ParameterError):
        return None


@transaction.atomic
def referral_accept(
    *, referral: Referral, acting_user: Any, page: str = "", today: date | None = None
) -> Referral:
    """The provider accepts a sent referral (it takes a place, or goes to the waiting list with
    the policy's priority when the intervention is full) or confirms an offered place."""
    day = today or timezone.localdate()
    result = places.referral_accept(
        referral=referral, acting_user=acting_user, page=page, today=day
    )
    if result.status == ReferralStatus.WAITING:
        priority = waiting_priority_of(result, on=day)
        if priority is not None:
            result.priority = priority.points
            Referral.objects.filter(pk=result.pk).update(priority=priority.points)
    return result


@transaction.atomic
def referral_decline(
    *,
    referral: Referral,
    reason: DeclineReason,
    note: str = "",
    acting_user: Any,
    page: str = "",
    today: date | None = None,
) -> list[Referral]:
    """The provider declines a sent, waiting or offered referral, with a reason from the
    list. A place it was offered goes to the next on the waiting list (returned). "The
    participant said no" raises a refusal signal."""
    day = today or timezone.localdate()
    if not reason.active:
        raise ValidationError({"reason": _("Choose a reason from the list.")})
    current = _locked(referral)
    if current.status not in (
        ReferralStatus.SENT,
        ReferralStatus.WAITING,
        ReferralStatus.OFFERED,
    ):
        raise ValidationError(
            _("Only a referral that is sent, on the waiting list or offered can be declined.")
        )
    offered = places.referral_end(
        referral=current,
        to=ReferralStatus.DECLINED,
        acting_user=acting_user,
        note=(note.strip() or reason.label)[:NOTE_MAX],
        page=page,
        today=day,
        decline_reason=reason,
    )
    if reason.label == PARTICIPANT_DECLINED:
        current.refresh_from_db()
        refusal_signal(referral=current, acting_user=acting_user, page=page, today=day)
    return offered


@transaction.atomic
def referral_start(
    *,
    referral: Referral,
    started_on: date,
    acting_user: Any,
    page: str = "",
    today: date | None = None,
) -> Referral:
    """The participant started: an accepted referral becomes started on ``started_on`` (not
    in the future, not before it was sent). Arbetsförmedlingen is told."""
    day = today or timezone.localdate()
    current = _locked(referral)
    if current.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted referral can be started."))
    if started_on > day:
        raise ValidationError({"started_on": _("The start date cannot be in the future.")})
    sent = timezone.localdate(current.sent_at) if current.sent_at else None
    if sent is not None and started_on < sent:
        raise ValidationError(
            {
                "started_on": _("The start date cannot be before the referral was sent (%(d)s).")
                % {"d": sent.isoformat()}
            }
        )
    current.started_on = started_on
    places.transition(
        current, ReferralStatus.STARTED, acting_user=acting_user, page=page, today=day
    )
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Started %(intervention)s on %(day)s.") % {
            "intervention": current.intervention.name,
            "day": started_on.isoformat(),
        }
    notify(
        person=current.person,
        kind="started",
        text=text,
        acting_user=acting_user,
        at=moment_of(day),
    )
    return current


@transaction.atomic
def referral_complete(
    *,
    referral: Referral,
    acting_user: Any,
    note: str = "",
    page: str = "",
    today: date | None = None,
) -> list[Referral]:
    """The participant completed the intervention. The place goes to the waiting list
    (returned); Arbetsförmedlingen is told; the case manager is prompted for the next step
    (the caseload's to-do)."""
    day = today or timezone.localdate()
    current = _locked(referral)
    if current.status not in (ReferralStatus.ACCEPTED, ReferralStatus.STARTED):
        raise ValidationError(_("Only an accepted or started referral can be completed."))
    was_started = current.status == ReferralStatus.STARTED
    offered = places.referral_end(
        referral=current,
        to=ReferralStatus.COMPLETED,
        acting_user=acting_user,
        note=note.strip()[:NOTE_MAX],
        page=page,
        today=day,
    )
    if was_started:
        current.refresh_from_db()
        _tell_ended(current, acting_user=acting_user, day=day)
    return offered


def _tell_ended(referral: Referral, *, acting_user: Any, day: date) -> None:
    """Tell Arbetsförmedlingen that the referral's intervention ended on ``day``."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _("Ended %(intervention)s on %(day)s (%(how)s).") % {
            "intervention": referral.intervention.name,
            "day": day.isoformat(),
            "how": str(ReferralStatus(referral.status).label).lower(),
        }
    notify(
        person=referral.person,
        kind="ended",
        text=text,
        acting_user=acting_user,
        at=moment_of(day),
    )
