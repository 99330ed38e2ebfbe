from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Household(models.Model):
    """Adults and children sharing the support; ``reference`` is the benefit system's id.

    A household belongs to a unit, and a reference names a household only within its unit
    (decision record 0020): an import or a form of one unit never finds, joins or changes
    another unit's household, whatever reference it gives. ``unit`` is None only for a
    household left without adults by a migration.
    """

    reference = models.CharField(_("household reference"), max_length=60)
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="households",
    )
    cohabiting = models.BooleanField(
        _("adults are sambo or married"),
        default=False,
        help_text=_("No when adults share a household without being a couple."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(fields=["unit", "reference"], name="household_unit_reference")
        ]

    def __str__(self) -> str:
        return self.reference


class Child(models.Model):
    household = models.ForeignKey(
        Household, related_name="children", on_delete=models.CASCADE, verbose_name=_("household")
    )
    birth_date = models.DateField(_("birth date"))

    class Meta:
        ordering = ["birth_date"]
        verbose_name = _("child")
        verbose_name_plural = _("children")

    def __str__(self) -> str:
        return f"{self.birth_date:%Y-%m-%d}"
