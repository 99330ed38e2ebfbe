from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from heltid.catalog.models.intervention import Intervention


class CapacityChange(models.Model):
    """From ``valid_from`` on, the intervention has ``places`` places. Never edited by hand:
    written by the catalogue services (form, import, demo), one row a date."""

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.CASCADE,
        related_name="capacity_changes",
    )
    valid_from = models.DateField(_("valid from"))
    places = models.PositiveIntegerField(_("places"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["intervention", "-valid_from"]
        verbose_name = _("capacity change")
        verbose_name_plural = _("capacity changes")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "valid_from"], name="capacity_change_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.places} ({self.valid_from})"


class OccupancyCount(models.Model):
    """Occupied places and waiting-list length from a date on, as recorded before referrals
    exist in Heltid (the demo seeds them). The referral issue derives occupancy from referrals
    instead; no page lets anyone type these in."""

    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("intervention"),
        on_delete=models.CASCADE,
        related_name="occupancy_counts",
    )
    valid_from = models.DateField(_("valid from"))
    occupied = models.PositiveIntegerField(_("occupied places"))
    waiting = models.PositiveIntegerField(_("waiting"), default=0)
    source = models.CharField(_("source"), max_length=100, blank=True)

    class Meta:
        ordering = ["intervention", "-valid_from"]
        verbose_name = _("occupancy count")
        verbose_name_plural = _("occupancy counts")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "valid_from"], name="occupancy_count_one_per_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention}: {self.occupied}/{self.waiting} ({self.valid_from})"
