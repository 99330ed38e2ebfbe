from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Unit
from heltid.registry.models.household import Household
from heltid.registry.models.reason_code import ReasonCode


class IdKind(models.TextChoices):
    PERSONNUMMER = "personnummer", _("Personal identity number")
    SAMORDNINGSNUMMER = "samordningsnummer", _("Coordination number")


class Sex(models.TextChoices):
    FEMALE = "F", _("Woman")
    MALE = "M", _("Man")


class AfProgramme(models.TextChoices):
    NONE = "none", _("None")
    JOB = "JOB", _("Job and development guarantee (JOB)")
    UGA = "UGA", _("Youth job guarantee (UGA)")
    ESTABLISHMENT = "etablering", _("Establishment programme")
    OTHER = "other", _("Other programme")


class Person(models.Model):
    """An adult recipient of income support."""

    personnummer = models.CharField(_("personal identity number"), max_length=12)
    id_kind = models.CharField(_("kind of number"), max_length=20, choices=IdKind.choices)
    birth_date = models.DateField(_("birth date"))
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        related_name="adults",
        on_delete=models.PROTECT,
    )
    part_time_hours = models.DecimalField(
        _("part-time work, hours per week"),
        max_digits=4,
        decimal_places=1,
        default=Decimal(0),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(80))],
    )
    reason_code = models.ForeignKey(
        ReasonCode,
        verbose_name=_("reason code"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    af_programme = models.CharField(
        _("Arbetsförmedlingen programme"),
        max_length=20,
        choices=AfProgramme.choices,
        default=AfProgramme.NONE,
    )
    af_programme_since = models.DateField(_("in the programme since"), null=True, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT)
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="caseload",
    )
    individual_weekly_hours = models.DecimalField(
        _("individual weekly hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(40))],
    )
    individual_hours_reason = models.TextField(_("reason for individual hours"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        constraints = [
            models.UniqueConstraint(fields=["personnummer"], name="person_personnummer_unique"),
            models.CheckConstraint(
                condition=models.Q(part_time_hours__gte=0) & models.Q(part_time_hours__lte=80),
                name="person_part_time_hours_range",
            ),
            models.CheckConstraint(
                condition=models.Q(individual_weekly_hours__isnull=True)
                | (
                    models.Q(individual_weekly_hours__gte=0) & ~models.Q(individual_hours_reason="")
                ),
                name="person_individual_hours_need_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["last_name", "first_name"], name="person_name_idx"),
            models.Index(fields=["unit", "last_name"], name="person_unit_name_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.personnummer_display}"

    @property
    def personnummer_display(self) -> str:
        """YYYYMMDD-NNNN, as Swedish forms write it."""
        return f"{self.personnummer[:8]}-{self.personnummer[8:]}"
