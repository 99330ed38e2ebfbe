"""A default list of reasons a provider declines a referral; the municipality edits it."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFAULT_REASONS = [
    "Deltagaren uppfyller inte insatsens kriterier",
    "Insatsen kan inte möta deltagarens behov av stöd",
    "Deltagaren tackade nej",
    "Deltagaren kom inte till inskrivningen",
    "Insatsen har uppehåll",
    "Annat skäl (se anteckning)",
]


def load(apps: Any, schema_editor: Any) -> None:
    DeclineReason = apps.get_model("referrals", "DeclineReason")
    for order, label in enumerate(DEFAULT_REASONS, start=1):
        DeclineReason.objects.get_or_create(label=label, defaults={"sort_order": order})


def unload(apps: Any, schema_editor: Any) -> None:
    apps.get_model("referrals", "DeclineReason").objects.filter(
        label__in=DEFAULT_REASONS, referral__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_referrals_attendance_signals_decisions")]

    operations = [migrations.RunPython(load, unload)]
