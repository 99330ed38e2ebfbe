"""The plan (genomförandeplan): goal, exit target and a weekly schedule of activities. Every
change is a new :class:`PlanVersion` holding a snapshot, so versions can be compared."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.catalog.models import Intervention
from heltid.registry.models import Person


class ExitTarget(models.TextChoices):
    WORK = "work", _("Work")
    STUDIES = "studies", _("Studies")
    OTHER_SUPPORT = "other_support", _("Other support")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class ActivityKind(models.TextChoices):
    INTERVENTION = "intervention", _("Intervention from the catalogue")
    JOB_SEARCH = "job_search", _("Own job search")
    HEALTH = "health", _("Health track")
    STUDIES = "studies", _("SFI or studies held by others")
    OTHER = "other", _("Other activity")


class ActivityStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


# The one definition of how an activity's status may move (NAV's aktivitetsplan flow).
ALLOWED_TRANSITIONS: dict[str, frozenset[str]] = {
    ActivityStatus.PROPOSED: frozenset({ActivityStatus.PLANNED, ActivityStatus.CANCELLED}),
    ActivityStatus.PLANNED: frozenset(
        {ActivityStatus.ONGOING, ActivityStatus.CANCELLED, ActivityStatus.PROPOSED}
    ),
    ActivityStatus.ONGOING: frozenset({ActivityStatus.COMPLETED, ActivityStatus.CANCELLED}),
    ActivityStatus.COMPLETED: frozenset(),
    ActivityStatus.CANCELLED: frozenset(),
}
# Activities whose hours fill the week: planned or ongoing.
COUNTING_STATUSES = (ActivityStatus.PLANNED, ActivityStatus.ONGOING)
# Own job search is planned, but the law does not count it as an assigned activity.
NOT_ASSIGNED_KINDS = (ActivityKind.JOB_SEARCH,)


class Plan(models.Model):
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="plans"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE
    )
    goal = models.TextField(_("goal"))
    exit_target = models.CharField(_("exit target"), max_length=20, choices=ExitTarget.choices)
    version = models.PositiveIntegerField(_("version"), default=0)
    signed_on = models.DateField(_("signed by the participant on"), null=True, blank=True)
    signed_version = models.PositiveIntegerField(_("signed version"), null=True, blank=True)
    created_on = models.DateField(_("plan made on"), default=timezone.localdate)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_on", "-pk"]
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(status="active"),
                name="plan_one_active_per_person",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} v{self.version}"


class PlanActivity(models.Model):
    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="activities"
    )
    kind = models.CharField(_("kind of activity"), max_length=20, choices=ActivityKind.choices)
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_activities",
    )
    title = models.CharField(_("activity"), max_length=200)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(40))],
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ActivityStatus.choices,
        default=ActivityStatus.PLANNED,
    )
    agreed = models.BooleanField(_("agreed with the participant"), default=False)
    start_on = models.DateField(_("starts"), null=True, blank=True)
    end_on = models.DateField(_("ends"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("added by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["added_at", "pk"]
        verbose_name = _("plan activity")
        verbose_name_plural = _("plan activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=40),
                name="plan_activity_hours_range",
            ),
            models.CheckConstraint(
                condition=~Q(kind="intervention") | Q(intervention__isnull=False),
                name="plan_activity_intervention_needs_one",
            ),
            models.CheckConstraint(
                condition=Q(end_on__isnull=True)
                | Q(start_on__isnull=True)
                | Q(end_on__gte=models.F("start_on")),
                name="plan_activity_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def counts_as_assigned(self) -> bool:
        return self.kind not in NOT_ASSIGNED_KINDS


class PlanVersion(models.Model):
    """The plan as it stood after one change: who, when, why, and a snapshot to compare."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    created_at = models.DateTimeField(_("saved"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reason = models.CharField(_("reason for the change"), max_length=300, blank=True)
    snapshot = models.JSONField(_("content"))

    class Meta:
        ordering = ["plan", "-number"]
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"
