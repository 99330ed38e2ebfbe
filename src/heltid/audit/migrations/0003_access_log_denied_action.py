"""A refused attempt to open a person's page is logged as its own action."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_access_log_append_only_triggers")]

    operations = [
        migrations.AlterField(
            model_name="accesslog",
            name="action",
            field=models.CharField(
                choices=[
                    ("view", "Viewed"),
                    ("search", "Searched"),
                    ("create", "Created"),
                    ("change", "Changed"),
                    ("import", "Imported"),
                    ("export", "Exported"),
                    ("denied", "Refused"),
                ],
                max_length=10,
                verbose_name="action",
            ),
        ),
    ]
