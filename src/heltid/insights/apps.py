from __future__ import annotations

from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "heltid.insights"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from heltid.insights.models import SavedScenario

        # Snapshots are never changed (a correction is a new edition, logged by the command);
        # scenarios are edited, so who changed what is kept.
        auditlog.register(SavedScenario)

        # what the background worker computes for the statistics pages (decision 0022)
        from heltid.insights import results  # noqa: F401
