"""Step progression on the staircase, exits and the follow-ups after an exit."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.catalog.models import Step
from heltid.registry.models import Person


class StepChange(models.Model):
    """From ``changed_on`` the person is on ``step`` (stegförflyttning)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="step_changes"
    )
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="+"
    )
    changed_on = models.DateField(_("from"))
    reason = models.CharField(_("reason"), max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-changed_on", "-pk"]
        verbose_name = _("step change")
        verbose_name_plural = _("step changes")

    def __str__(self) -> str:
        return f"{self.changed_on:%Y-%m-%d} {self.step_id}"


class ExitReason(models.TextChoices):
    WORK_REGULAR = "work_regular", _("Work, regular employment")
    WORK_SUBSIDISED = "work_subsidised", _("Work, subsidised employment")
    STUDIES = "studies", _("Studies")
    SICKNESS_COMPENSATION = "sickness_compensation", _("Other support: sickness compensation")
    UNEMPLOYMENT_INSURANCE = "unemployment_insurance", _("Other support: unemployment insurance")
    OTHER_SUPPORT = "other_support", _("Other support")
    MOVED = "moved", _("Moved from the municipality")
    OTHER = "other", _("Other reason")


# Exit reasons that count as work or studies (self-sufficiency) in reports.
WORK_OR_STUDIES = (ExitReason.WORK_REGULAR, ExitReason.WORK_SUBSIDISED, ExitReason.STUDIES)
# Months after an exit at which a follow-up may be planned.
EXIT_FOLLOW_UP_MONTHS = (3, 6, 12)


class Exit(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="exits"
    )
    exit_on = models.DateField(_("exit date"))
    reason = models.CharField(_("exit reason"), max_length=30, choices=ExitReason.choices)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-exit_on", "-pk"]
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        constraints = [
            models.UniqueConstraint(fields=["person", "exit_on"], name="exit_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.exit_on:%Y-%m-%d} {self.reason}"


class ExitOutcome(models.TextChoices):
    SELF_SUFFICIENT = "self_sufficient", _("Self-sufficient")
    BACK_ON_SUPPORT = "back_on_support", _("Back on income support")
    OTHER = "other", _("Other")
    NOT_REACHED = "not_reached", _("Could not be reached")


class ExitFollowUp(models.Model):
    exit = models.ForeignKey(
        Exit, verbose_name=_("exit"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    months = models.PositiveSmallIntegerField(
        _("months after the exit"), choices=[(m, str(m)) for m in EXIT_FOLLOW_UP_MONTHS]
    )
    due_on = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ExitOutcome.choices, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["exit", "months"]
        verbose_name = _("follow-up after exit")
        verbose_name_plural = _("follow-ups after exit")
        constraints = [
            models.UniqueConstraint(fields=["exit", "months"], name="exit_follow_up_unique"),
            models.CheckConstraint(
                condition=Q(done_on__isnull=True) | ~Q(outcome=""),
                name="exit_follow_up_done_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.exit_id} +{self.months}"
