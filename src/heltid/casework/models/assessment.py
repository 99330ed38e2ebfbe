"""The assessment (kartläggning). Versioned: every assessment is a new row, never edited; the
latest (by ``assessed_on``, then creation) feeds matching and reports."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.catalog.models import Step
from heltid.registry.models import Person


class SwedishLevel(models.TextChoices):
    NO_LIMITATION = "none", _("No limitation")
    MODERATE = "moderate", _("Moderate limitation")
    LARGE = "large", _("Large limitation")


class Health(models.TextChoices):
    NONE = "none", _("No ill-health")
    PHYSICAL = "physical", _("Physical ill-health")
    MENTAL = "mental", _("Mental ill-health")
    BOTH = "both", _("Physical and mental ill-health")


class Education(models.TextChoices):
    NONE = "none", _("No completed schooling")
    COMPULSORY = "compulsory", _("Compulsory school")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
    POST_SECONDARY = "post_secondary", _("Post-secondary education")
    UNKNOWN = "unknown", _("Not known")


class Housing(models.TextChoices):
    OWN_CONTRACT = "own_contract", _("Own tenancy or ownership")
    SUBLET = "sublet", _("Sublet or lodger")
    WITH_RELATIVES = "with_relatives", _("Lives with relatives or friends")
    SHELTER = "shelter", _("Shelter or temporary housing")
    HOMELESS = "homeless", _("Homeless")
    OTHER = "other", _("Other housing")


class Childcare(models.TextChoices):
    NOT_APPLICABLE = "not_applicable", _("No children needing care")
    ARRANGED = "arranged", _("Childcare arranged")
    PARTLY = "partly", _("Childcare partly arranged")
    MISSING = "missing", _("Childcare missing")


class Assessment(models.Model):
    person = models.ForeignKey(
        Person, related_name="assessments", on_delete=models.CASCADE, verbose_name=_("person")
    )
    assessed_on = models.DateField(_("assessed on"))
    swedish_level = models.CharField(
        _("Swedish language"), max_length=10, choices=SwedishLevel.choices
    )
    health = models.CharField(_("health"), max_length=10, choices=Health.choices)
    work_experience_years = models.PositiveSmallIntegerField(
        _("years of work experience"), default=0
    )
    activity_capacity_hours = models.DecimalField(
        _("activity capacity, hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(40))],
    )
    work_experience = models.TextField(_("work experience"), blank=True)
    education = models.CharField(
        _("education"), max_length=20, choices=Education.choices, default=Education.UNKNOWN
    )
    housing = models.CharField(_("housing"), max_length=20, choices=Housing.choices, blank=True)
    family_situation = models.TextField(_("family situation"), blank=True)
    childcare = models.CharField(
        _("childcare"), max_length=20, choices=Childcare.choices, blank=True
    )
    labour_market_distance = models.PositiveSmallIntegerField(
        _("own assessment of the distance to the labour market"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 = ready for work now, 5 = very far from work"),
    )
    requested_step = models.ForeignKey(
        Step,
        verbose_name=_("requested next step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    cv_experience = models.TextField(_("CV: experience"), blank=True)
    cv_skills = models.TextField(_("CV: skills"), blank=True)
    cv_languages = models.CharField(_("CV: languages"), max_length=200, blank=True)
    driving_licence = models.BooleanField(_("driving licence"), default=False)
    note = models.TextField(_("other notes"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-assessed_on", "-created_at", "-pk"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(labour_market_distance__isnull=True)
                | models.Q(labour_market_distance__gte=1, labour_market_distance__lte=5),
                name="assessment_distance_1_to_5",
            )
        ]

    def __str__(self) -> str:
        return f"{self.assessed_on:%Y-%m-%d}"
