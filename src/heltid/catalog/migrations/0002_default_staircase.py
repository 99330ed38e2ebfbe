"""The default staircase: Samordningsförbundet's function staircase (the seeds, 2019–2020).

A municipality renames, adds or reorders steps afterwards; interventions point at the step
row, so history keeps its meaning."""

from __future__ import annotations

from typing import Any

from django.db import migrations

DEFAULT_STEPS = [
    (
        "sysselsattning",
        "Sysselsättning",
        "Rutiner och social gemenskap, meningsfull vardag.",
    ),
    (
        "arbetsinriktad-rehabilitering",
        "Arbetsinriktad rehabilitering",
        "Arbetsträning och arbetsprövning i anpassade arbetsuppgifter.",
    ),
    (
        "arbete-med-samhallsstod",
        "Arbete med samhällsstöd",
        "Subventionerad eller stödd anställning, till exempel Supported employment.",
    ),
    ("arbete-studier", "Arbete/studier", "Arbete utan stöd eller studier."),
]


def create_steps(apps: Any, schema_editor: Any) -> None:
    Step = apps.get_model("catalog", "Step")
    for position, (code, name, description) in enumerate(DEFAULT_STEPS, start=1):
        Step.objects.get_or_create(
            code=code,
            defaults={"name": name, "description": description, "position": position},
        )


def remove_unused_steps(apps: Any, schema_editor: Any) -> None:
    Step = apps.get_model("catalog", "Step")
    Step.objects.filter(
        code__in=[code for code, _, _ in DEFAULT_STEPS], interventions__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_catalogue")]

    operations = [migrations.RunPython(create_steps, remove_unused_steps)]
