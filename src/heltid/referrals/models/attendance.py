"""Attendance, marked by provider staff per participant and day."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.referrals.models.referral import Referral


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Absent with a valid reason")
    UNEXCUSED = "unexcused", _("Absent without a valid reason")
    SICK = "sick", _("Sick")
    OTHER_ACTIVITY = "other_activity", _("Other planned activity")


# Statuses whose hours count as attended for the weekly balance.
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.OTHER_ACTIVITY)


class Attendance(models.Model):
    referral = models.ForeignKey(
        Referral, verbose_name=_("referral"), on_delete=models.CASCADE, related_name="attendance"
    )
    day = models.DateField(_("day"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(24))],
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["day", "referral"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["referral", "day"], name="attendance_one_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.referral_id} {self.day:%Y-%m-%d} {self.status}"
