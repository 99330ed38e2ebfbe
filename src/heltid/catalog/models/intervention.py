from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.catalog.models.actor import Actor, Agreement
from heltid.catalog.models.step import Step

if TYPE_CHECKING:
    from heltid.catalog.models.capacity import CapacityChange, OccupancyCount  # noqa: F401


class ActivityType(models.TextChoices):
    """The law's four kinds of activity (socialtjänstlagen (2025:400), aktivitetskravet
    (prop. 2025/26:207)), plus health and other."""

    WORK_ABILITY = "work_ability", _("Raises the ability to work")
    LANGUAGE = "language", _("Language")
    JOB_SEARCH = "job_search", _("Job search")
    WORKPLACE = "workplace", _("Workplace-based")
    HEALTH = "health", _("Health-promoting")
    OTHER = "other", _("Other")


class Track(models.TextChoices):
    """The seven tracks that create places (the seeds, Feb 2020)."""

    EMPLOYER = "employer", _("The municipality as employer")
    MUNICIPAL = "municipal", _("Overall municipal issues")
    CARE = "care", _("Care and support")
    ADULT_EDUCATION = "adult_education", _("Adult education")
    BUSINESS = "business", _("Business")
    CIVIL_SOCIETY = "civil_society", _("Civil society and IOP")
    EMPLOYMENT_SERVICE = "af", _("Arbetsförmedlingen")


class TargetGroup(models.TextChoices):
    """Whom an intervention is for, by the recipient's reason-code group (registry)."""

    UNEMPLOYMENT = "unemployment", _("Unemployment")
    ILL_HEALTH = "ill_health", _("Ill-health")
    SOCIAL = "social", _("Social reasons")
    OTHER = "other", _("Other")


class SwedishRequirement(models.TextChoices):
    """The largest Swedish-language limitation an intervention accepts."""

    ANY = "large", _("Any level, also large limitation")
    MODERATE = "moderate", _("At most moderate limitation")
    FLUENT = "none", _("No limitation")


class InterventionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")
    NEEDED = "needed", _("Missing – recorded need")


class InterventionQuerySet(models.QuerySet["Intervention"]):
    def with_capacity(self, *, on: date) -> InterventionQuerySet:
        """Annotate ``places``, ``occupied``, ``waiting`` and ``free`` as they were on a date.

        The one definition of live capacity. Places: the latest dated capacity change.
        Occupied: places held through Heltid's referrals on the date (offered, accepted or
        started) plus those taken outside Heltid (the latest dated ``OccupancyCount``: other
        referrers, or counted before go-live). Waiting: the same two sources. Free is never
        below 0. Also ``heltid_occupied`` (the referrals alone), for taking a place."""
        from heltid.catalog.models.capacity import CapacityChange, OccupancyCount
        from heltid.referrals.models import Referral

        latest_capacity = CapacityChange.objects.filter(
            intervention=OuterRef("pk"), valid_from__lte=on
        ).order_by("-valid_from", "-pk")
        latest_count = OccupancyCount.objects.filter(
            intervention=OuterRef("pk"), valid_from__lte=on
        ).order_by("-valid_from", "-pk")
        # "on or before the local date ``on``" as a comparison of moments with the start of the
        # next local day: the same rows as ``__date__lte=on``, but an index on
        # (intervention, ended_at) answers it without converting every row's time zone
        day_after = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
        open_on = Q(ended_at__isnull=True) | Q(ended_at__gte=day_after)
        holders = (
            Referral.objects.filter(open_on, intervention=OuterRef("pk"), place_from__lt=day_after)
            .order_by()
            .values("intervention")
            .annotate(n=Count("pk"))
            .values("n")
        )
        waiting = (
            Referral.objects.filter(
                open_on,
                Q(place_from__isnull=True) | Q(place_from__gte=day_after),
                intervention=OuterRef("pk"),
                waiting_since__lt=day_after,
            )
            .order_by()
            .values("intervention")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            places=Coalesce(Subquery(latest_capacity.values("places")[:1]), Value(0)),
            heltid_occupied=Coalesce(Subquery(holders), Value(0)),
            occupied=Coalesce(Subquery(latest_count.values("occupied")[:1]), Value(0))
            + F("heltid_occupied"),
            waiting=Coalesce(Subquery(latest_count.values("waiting")[:1]), Value(0))
            + Coalesce(Subquery(waiting), Value(0)),
        ).annotate(free=Greatest(F("places") - F("occupied"), Value(0)))

    def offered(self) -> InterventionQuerySet:
        """Interventions that exist (not the recorded needs)."""
        return self.exclude(status=InterventionStatus.NEEDED)


class Intervention(models.Model):
    """An intervention (insats) with criteria; its places are dated capacity changes."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    provider = models.ForeignKey(
        Actor, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="interventions"
    )
    agreement = models.ForeignKey(
        Agreement,
        verbose_name=_("agreement"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="interventions",
    )
    step = models.ForeignKey(
        Step, verbose_name=_("step"), on_delete=models.PROTECT, related_name="interventions"
    )
    activity_type = models.CharField(
        _("activity type"), max_length=20, choices=ActivityType.choices
    )
    track = models.CharField(_("track"), max_length=20, choices=Track.choices)
    # Criteria
    target_groups = models.CharField(
        _("target groups"),
        max_length=100,
        blank=True,
        help_text=_("Empty: every target group."),
    )
    min_activity_hours = models.DecimalField(
        _("minimum activity capacity, hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(40))],
    )
    swedish_requirement = models.CharField(
        _("Swedish language"),
        max_length=10,
        choices=SwedishRequirement.choices,
        default=SwedishRequirement.ANY,
    )
    age_min = models.PositiveSmallIntegerField(
        _("lowest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    age_max = models.PositiveSmallIntegerField(
        _("highest age"), null=True, blank=True, validators=[MaxValueValidator(120)]
    )
    criteria_text = models.TextField(_("other criteria"), blank=True)
    # Offer
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(40))],
    )
    cost_per_place_month = models.PositiveIntegerField(
        _("cost per place and month (SEK)"), default=0
    )
    language_support = models.BooleanField(_("language support"), default=False)
    language_support_note = models.CharField(_("languages supported"), max_length=200, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=InterventionStatus.choices,
        default=InterventionStatus.ACTIVE,
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["step__position", "name"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="intervention_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(age_min__isnull=True)
                | Q(age_max__isnull=True)
                | Q(age_max__gte=F("age_min")),
                name="intervention_ages_in_order",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=0) & Q(hours_per_week__lte=40),
                name="intervention_hours_range",
            ),
        ]
        indexes = [models.Index(fields=["step", "name"], name="intervention_step_name_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def target_group_list(self) -> list[str]:
        return [g for g in self.target_groups.split(",") if g]

    @property
    def target_group_labels(self) -> list[str]:
        return [str(TargetGroup(g).label) for g in self.target_group_list]
