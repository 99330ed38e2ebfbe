from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseworkConfig(AppConfig):
    name = "heltid.casework"
    verbose_name = _("Casework")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from heltid.casework.models import (
            Assessment,
            CaseAssignment,
            Exit,
            ExitFollowUp,
            FollowUp,
            Plan,
            PlanActivity,
            StepChange,
        )

        for model in (
            Assessment,
            CaseAssignment,
            Exit,
            ExitFollowUp,
            FollowUp,
            Plan,
            PlanActivity,
            StepChange,
        ):
            auditlog.register(model)

        from heltid.casework import worklist

        worklist.connect()
