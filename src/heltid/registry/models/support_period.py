from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from heltid.registry.models.person import Person


class SupportPeriod(models.Model):
    """An unbroken run of months on income support; months are stored as their first day."""

    person = models.ForeignKey(
        Person, related_name="support_periods", on_delete=models.CASCADE, verbose_name=_("person")
    )
    first_month = models.DateField(_("first month"))
    last_month = models.DateField(_("last month"), null=True, blank=True)

    class Meta:
        ordering = ["-first_month"]
        verbose_name = _("support period")
        verbose_name_plural = _("support periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_month__isnull=True)
                | models.Q(last_month__gte=models.F("first_month")),
                name="support_period_months_in_order",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(last_month__isnull=True),
                name="support_period_one_ongoing",
            ),
        ]

    def __str__(self) -> str:
        end = f"{self.last_month:%Y-%m}" if self.last_month else "…"
        return f"{self.first_month:%Y-%m}–{end}"
