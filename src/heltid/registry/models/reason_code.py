from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReasonGroup(models.TextChoices):
    UNEMPLOYMENT = "unemployment", _("Unemployment")
    ILL_HEALTH = "ill_health", _("Ill-health")
    SOCIAL = "social", _("Social reasons")
    OTHER = "other", _("Other")


class ReasonCode(models.Model):
    """A försörjningshinder as the benefit system names it; the list is configurable."""

    label = models.CharField(_("label"), max_length=200, unique=True)
    group = models.CharField(_("group"), max_length=20, choices=ReasonGroup.choices)
    active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "label"]
        verbose_name = _("reason code")
        verbose_name_plural = _("reason codes")

    def __str__(self) -> str:
        return self.label
