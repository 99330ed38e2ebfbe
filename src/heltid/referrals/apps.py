from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "heltid.referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from heltid.referrals.models import (
            AfNotification,
            Attendance,
            Decision,
            DeclineReason,
            Referral,
            Signal,
        )

        for model in (AfNotification, Attendance, Decision, DeclineReason, Referral, Signal):
            auditlog.register(model)
