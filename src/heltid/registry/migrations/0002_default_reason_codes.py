"""Load the default list of försörjningshinder (configurable afterwards by administrators)."""

from __future__ import annotations

from typing import Any

from django.db import migrations


def load(apps: Any, schema_editor: Any) -> None:
    from heltid.rules import default_reason_codes

    ReasonCode = apps.get_model("registry", "ReasonCode")
    for order, (label, group) in enumerate(default_reason_codes(), start=1):
        ReasonCode.objects.get_or_create(
            label=label, defaults={"group": str(group), "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_persons_households_support")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
