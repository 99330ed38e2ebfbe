from __future__ import annotations

from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "heltid.background"
    verbose_name = "Background work"
