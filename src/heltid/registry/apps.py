from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "heltid.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from heltid.registry.models import (
            Child,
            Exemption,
            Household,
            Person,
            ReasonCode,
            SupportPeriod,
        )

        for model in (Person, Household, Child, SupportPeriod, Exemption, ReasonCode):
            auditlog.register(model)
