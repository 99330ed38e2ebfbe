"""Follow-ups (uppföljning) by the case manager, and the case manager assignments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.casework.models.plan import Plan, PlanVersion
from heltid.registry.models import Person


class FollowUpMode(models.TextChoices):
    VISIT = "visit", _("Visit")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")
    JOINT = "joint", _("Joint meeting with others")


class FollowUpParty(models.TextChoices):
    """Others who took part (comma-separated in ``FollowUp.with_others``)."""

    EMPLOYMENT_SERVICE = "af", _("Arbetsförmedlingen")
    REGION = "region", _("Region (health care)")
    SOCIAL_INSURANCE = "fk", _("Försäkringskassan")
    PROVIDER = "provider", _("Intervention provider")
    BENEFIT_OFFICER = "benefit_officer", _("Benefit officer")
    OTHER = "other", _("Other")


class FollowUp(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="follow_ups"
    )
    held_on = models.DateField(_("held on"))
    mode = models.CharField(_("form"), max_length=10, choices=FollowUpMode.choices)
    with_others = models.CharField(_("together with"), max_length=100, blank=True)
    notes = models.TextField(_("notes"))
    next_on = models.DateField(_("next follow-up"))
    plan = models.ForeignKey(
        Plan,
        verbose_name=_("plan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="follow_ups",
    )
    plan_version = models.ForeignKey(
        PlanVersion,
        verbose_name=_("plan revision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
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
        ordering = ["-held_on", "-pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.CheckConstraint(
                condition=Q(next_on__gt=F("held_on")), name="follow_up_next_after_held"
            )
        ]

    def __str__(self) -> str:
        return f"{self.held_on:%Y-%m-%d}"

    @property
    def party_list(self) -> list[str]:
        return [p for p in self.with_others.split(",") if p]


class CaseAssignment(models.Model):
    """Who was the responsible case manager from when, set by whom and why (history of
    ``Person.case_manager``)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="assignments"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        ordering = ["-assigned_at", "-pk"]
        verbose_name = _("case manager assignment")
        verbose_name_plural = _("case manager assignments")

    def __str__(self) -> str:
        return f"{self.person_id} → {self.case_manager_id}"
