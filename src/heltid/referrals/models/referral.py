"""A referral of a person to an intervention and every transition it went through.

Places: a referral that is ``offered``, ``accepted`` or ``started`` holds a place of its
intervention, numbered ``slot`` 1…places; the database refuses two holders of one slot
(partial unique constraint) and the service takes places under a lock of the intervention row,
so an intervention cannot be overbooked, even by simultaneous acceptances."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.casework.models import PlanActivity
from heltid.catalog.models import Intervention
from heltid.registry.models import Person


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    SENT = "sent", _("Sent to the provider")
    WAITING = "waiting", _("On the waiting list")
    OFFERED = "offered", _("Offered a place")
    ACCEPTED = "accepted", _("Accepted")
    STARTED = "started", _("Started")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined by the provider")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Statuses that hold a place of the intervention.
HOLDING = (ReferralStatus.OFFERED, ReferralStatus.ACCEPTED, ReferralStatus.STARTED)
# Statuses a referral can still move on from.
OPEN = (
    ReferralStatus.PROPOSED,
    ReferralStatus.SENT,
    ReferralStatus.WAITING,
    ReferralStatus.OFFERED,
    ReferralStatus.ACCEPTED,
    ReferralStatus.STARTED,
)
# The waiting list's order: highest priority points first, then the longest wait.
WAITING_ORDER = ("-priority", "waiting_since", "pk")
# The one definition of how a referral may move.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.PROPOSED: frozenset({ReferralStatus.SENT, ReferralStatus.WITHDRAWN}),
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.ACCEPTED,
            ReferralStatus.WAITING,
            ReferralStatus.DECLINED,
            ReferralStatus.WITHDRAWN,
        }
    ),
    ReferralStatus.WAITING: frozenset(
        {ReferralStatus.OFFERED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.OFFERED: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.STARTED, ReferralStatus.WITHDRAWN, ReferralStatus.COMPLETED}
    ),
    ReferralStatus.STARTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.COMPLETED: frozenset(),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}


class DeclineReason(models.Model):
    """Why a provider declines a referral; the list is configurable."""

    label = models.CharField(_("label"), max_length=200, unique=True)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = _("reason for declining")
        verbose_name_plural = _("reasons for declining")

    def __str__(self) -> str:
        return self.label


class Referral(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="referrals"
    )
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    plan_activity = models.ForeignKey(
        PlanActivity,
        verbose_name=_("plan activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    slot = models.PositiveIntegerField(_("place number"), null=True, blank=True)
    priority = models.IntegerField(_("priority"), default=0)
    note = models.TextField(_("note"), blank=True)
    decline_reason = models.ForeignKey(
        DeclineReason,
        verbose_name=_("reason for declining"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("made"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    waiting_since = models.DateTimeField(_("on the waiting list since"), null=True, blank=True)
    offered_at = models.DateTimeField(_("offered"), null=True, blank=True)
    place_from = models.DateTimeField(_("holds a place since"), null=True, blank=True)
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    started_on = models.DateField(_("started"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "slot"],
                condition=Q(status__in=["offered", "accepted", "started"]),
                name="referral_one_holder_per_place",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["offered", "accepted", "started"], slot__isnull=False)
                | (~Q(status__in=["offered", "accepted", "started"]) & Q(slot__isnull=True)),
                name="referral_slot_iff_holding",
            ),
            models.UniqueConstraint(
                fields=["person", "intervention"],
                condition=Q(
                    status__in=["proposed", "sent", "waiting", "offered", "accepted", "started"]
                ),
                name="referral_one_open_per_person_and_intervention",
            ),
        ]
        indexes = [
            models.Index(fields=["intervention", "status"], name="referral_intervention_idx"),
            models.Index(fields=["person", "status"], name="referral_person_idx"),
            # the catalogue's live capacity reads an intervention's referrals still open on a
            # day (ended_at null or later): most of its referrals have ended (issue 13)
            models.Index(fields=["intervention", "ended_at"], name="referral_open_on_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.intervention_id} ({self.status})"


class ReferralEvent(models.Model):
    """One transition of a referral: from, to, when, by whom, why."""

    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(_("from"), max_length=10, blank=True)
    to_status = models.CharField(_("to"), max_length=10, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("referral event")
        verbose_name_plural = _("referral events")

    def __str__(self) -> str:
        return f"{self.from_status}→{self.to_status}"
