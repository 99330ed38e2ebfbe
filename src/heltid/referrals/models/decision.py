"""Signals to the benefit officer, the officer's decisions under the activity requirement
(socialtjänstlagen (2025:400), aktivitetskravet (prop. 2025/26:207)), and notifications to
Arbetsförmedlingen."""

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


# The outcomes that refuse or reduce continued support.
SANCTIONS = (DecisionOutcome.REDUCTION, DecisionOutcome.REFUSAL)


class DecisionFinding(models.TextChoices):
    """What the officer found: did the person decline (or stay away) without an acceptable
    reason? Only that finding requires a refusal or reduction; the others allow no action."""

    NO_ACCEPTABLE_REASON = (
        "no_acceptable_reason",
        _("Yes – declined or stayed away without an acceptable reason"),
    )
    ACCEPTABLE_REASON = "acceptable_reason", _("No – there was an acceptable reason")
    DID_NOT_DECLINE = "did_not_decline", _("No – the person did not decline or stay away")


def outcome_allowed(finding: str, outcome: str) -> bool:
    """The statute's rule: "Om den enskilde utan godtagbart skäl avböjer att delta i insatser
    enligt aktivitetskravet ska socialnämnden vägra eller sätta ned fortsatt
    försörjningsstöd" (the government's description of prop. 2025/26:207). So without an
    acceptable reason the outcome is a refusal or a reduction, never no action; with one, or
    when the person did not decline, the activity requirement gives no ground for either."""
    if finding == DecisionFinding.NO_ACCEPTABLE_REASON:
        return outcome in SANCTIONS
    return outcome == DecisionOutcome.NO_ACTION


class Decision(models.Model):
    """The benefit officer's decision after a signal (socialtjänstlagen (2025:400),
    aktivitetskravet (prop. 2025/26:207)): the finding on an acceptable reason, with the
    written assessment, decides which outcomes are allowed (:func:`outcome_allowed`).
    ``finding`` is empty only on decisions recorded before it was asked for."""

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
    finding = models.CharField(
        _("declined without an acceptable reason?"),
        max_length=30,
        choices=DecisionFinding.choices,
        blank=True,
    )
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
            models.CheckConstraint(
                condition=Q(finding="")
                | Q(finding="no_acceptable_reason", outcome__in=["reduction", "refusal"])
                | Q(finding__in=["acceptable_reason", "did_not_decline"], outcome="no_action"),
                name="decision_outcome_follows_finding",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.outcome} {self.decided_on:%Y-%m-%d}"


class NotificationKind(models.TextChoices):
    MAY_BE_COVERED = "may_be_covered", _("May be covered by the activity requirement")
    PARTICIPATING = "participating", _("Takes part in municipal activation")
    STARTED = "started", _("Started an intervention")
    ENDED = "ended", _("Ended an intervention")
    ABSENCE = "absence", _("Unexcused absence")
    DECISION = "decision", _("Decision on support")


class AfNotification(models.Model):
    """Information to Arbetsförmedlingen about a person (socialtjänstlagen (2025:400),
    aktivitetskravet (prop. 2025/26:207)): that the person may be covered by the activity
    requirement, takes part, started or ended; what, when, who; exported in batches and then
    marked sent. ``covered_from`` is set on ``may_be_covered`` rows only: one row per person
    and coverage start."""

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
    covered_from = models.DateField(_("may be covered from"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("notification to Arbetsförmedlingen")
        verbose_name_plural = _("notifications to Arbetsförmedlingen")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="may_be_covered", covered_from__isnull=False)
                | (~Q(kind="may_be_covered") & Q(covered_from__isnull=True)),
                name="af_covered_from_only_for_may_be_covered",
            ),
            models.UniqueConstraint(
                fields=["person", "covered_from"],
                condition=Q(kind="may_be_covered"),
                name="af_may_be_covered_once_per_start",
            ),
        ]
        # the page's two lists, newest sent and oldest pending first, without sorting the table
        indexes = [
            models.Index(
                fields=["-sent_at", "-id"], condition=Q(sent_at__isnull=False), name="af_sent_idx"
            ),
            models.Index(
                fields=["created_at", "id"],
                condition=Q(sent_at__isnull=True),
                name="af_pending_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} {self.kind}"
