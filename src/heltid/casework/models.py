"""Casework. For now the assessment (kartläggning) facts the target-group analysis needs;
the casework issue extends it with plans, follow-ups and the full assessment form."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

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

    class Meta:
        ordering = ["-assessed_on"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self) -> str:
        return f"{self.assessed_on:%Y-%m-%d}"
