"""Signals to the benefit officer, the officer's decisions under SoL 12 kap. 5 §, and
notifications to Arbetsförmedlingen."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.referrals.models.referral import Referral
from heltid.registry.models import Person


class SignalKind(models.TextChoices):
    UNEXCUSED_ABSENCE = "unexcused_absence", _("Unexcused absence")
    REFUSAL = "refusal", _("Refused an intervention")


class Signal(models.Model):
    """Something the benefit officer must look at. Never shown to provider staff."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="signals"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SignalKind.choices)
    referral = models.ForeignKey(
        Referral,
        verbose_name=_("referral"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signals",
    )
    text = models.CharField(_("what happened"), max_length=300)
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    period_start = models.DateField(_("period from"), null=True, blank=True)
    period_end = models.DateField(_("period to"), null=True, blank=True)
    closed_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind", "referral", "period_start"],
                name="signal_once_per_period",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"


class DecisionOutcome(models.TextChoices):
    NO_ACTION = "no_action", _("No action")
    REDUCTION = "reduction", _("Reduction of support")
    REFUSAL = "refusal", _("Refusal of support")


class Decision(models.Model):
    """The benefit officer's decision after a signal (SoL 2025:400 12 kap. 5 §)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="decisions"
    )
    signal = models.OneToOneField(
        Signal,
        verbose_name=_("signal"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decision",
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=DecisionOutcome.choices)
    decided_on = models.DateField(_("decided on"))
    reason = models.TextField(_("reasons for the decision"))
    acceptable_reason = models.TextField(_("assessment of acceptable reason"))
    child_impact = models.TextField(_("consequences for children"), blank=True)
    amount = models.PositiveIntegerField(_("reduction (SEK)"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = _("decision on support")
        verbose_name_plural = _("decisions on support")
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason="") & ~Q(acceptable_reason=""),
                name="decision_reasons_written",
            ),
            models.CheckConstraint(
                condition=Q(outcome="reduction") | Q(amount__isnull=True),
                name="decision_amount_only_for_reduction",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.outcome} {self.decided_on:%Y-%m-%d}"


class NotificationKind(models.TextChoices):
    PARTICIPATING = "participating", _("Takes part in municipal activation")
    STARTED = "started", _("Started an intervention")
    ENDED = "ended", _("Ended an intervention")
    ABSENCE = "absence", _("Unexcused absence")
    DECISION = "decision", _("Decision on support")


class AfNotification(models.Model):
    """Information to Arbetsförmedlingen about a participant (SoL 12 kap.): what, when, who;
    exported in batches and then marked sent."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="af_notifications",
    )
    kind = models.CharField(_("what"), max_length=20, choices=NotificationKind.choices)
    text = models.CharField(_("message"), max_length=300)
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    batch = models.CharField(_("export batch"), max_length=40, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification to Arbetsförmedlingen")
        verbose_name_plural = _("notifications to Arbetsförmedlingen")

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
