from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    name = "heltid.catalog"
    verbose_name = _("Intervention catalogue")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from heltid.catalog.models import (
            Actor,
            Agreement,
            CapacityChange,
            Intervention,
            OccupancyCount,
            Step,
        )

        for model in (Step, Actor, Agreement, Intervention, CapacityChange, OccupancyCount):
            auditlog.register(model)
