# The stored worklist (decision record 0023): filled by `heltid worklist refresh`, not here.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_users_units_roles"),
        ("casework", "0002_assessment_plans_follow_ups_exits"),
        ("registry", "0006_household_unit_reference"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="Worklist",
            fields=[
                (
                    "person",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="worklist",
                        serialize=False,
                        to="registry.person",
                        verbose_name="person",
                    ),
                ),
                ("open_case", models.BooleanField(default=False, verbose_name="open case")),
                ("covered", models.BooleanField(default=False, verbose_name="covered")),
                (
                    "covered_from",
                    models.DateField(blank=True, null=True, verbose_name="covered from"),
                ),
                (
                    "target_group",
                    models.BooleanField(default=False, verbose_name="in the target group"),
                ),
                (
                    "weekly_hours",
                    models.DecimalField(
                        blank=True,
                        decimal_places=2,
                        max_digits=6,
                        null=True,
                        verbose_name="weekly hours",
                    ),
                ),
                ("exited_on", models.DateField(blank=True, null=True, verbose_name="exited on")),
                (
                    "problem",
                    models.TextField(blank=True, verbose_name="why the rules could not be applied"),
                ),
                (
                    "next_kind",
                    models.CharField(blank=True, max_length=20, verbose_name="next deadline"),
                ),
                (
                    "next_due_on",
                    models.DateField(blank=True, null=True, verbose_name="next deadline's day"),
                ),
                (
                    "next_due_from",
                    models.DateField(blank=True, null=True, verbose_name="next deadline due from"),
                ),
                ("signals", models.PositiveSmallIntegerField(default=0, verbose_name="signals")),
                (
                    "protected_identity",
                    models.BooleanField(default=False, verbose_name="protected identity"),
                ),
                (
                    "sort_last",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="last name, casefolded"
                    ),
                ),
                (
                    "sort_first",
                    models.CharField(
                        blank=True, max_length=100, verbose_name="first name, casefolded"
                    ),
                ),
                ("computed_on", models.DateField(verbose_name="computed on")),
                ("valid_until", models.DateField(verbose_name="valid until")),
                (
                    "fingerprint",
                    models.CharField(blank=True, max_length=32, verbose_name="rules and policy"),
                ),
                (
                    "case_manager",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="case manager",
                    ),
                ),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.unit",
                        verbose_name="unit",
                    ),
                ),
            ],
            options={
                "verbose_name": "worklist row",
                "verbose_name_plural": "worklist",
            },
        ),
        migrations.CreateModel(
            name="WorklistItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=20, verbose_name="kind")),
                ("signal", models.CharField(blank=True, max_length=20, verbose_name="signal")),
                ("subject", models.CharField(blank=True, max_length=300, verbose_name="about")),
                ("due_on", models.DateField(verbose_name="deadline")),
                ("due_from", models.DateField(blank=True, null=True, verbose_name="due from")),
                ("state", models.CharField(blank=True, max_length=10, verbose_name="state")),
                (
                    "worklist",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="casework.worklist",
                        verbose_name="worklist row",
                    ),
                ),
            ],
            options={
                "verbose_name": "worklist item",
                "verbose_name_plural": "worklist items",
            },
        ),
        migrations.AddIndex(
            model_name="worklist",
            index=models.Index(fields=["case_manager", "valid_until"], name="worklist_manager_idx"),
        ),
        migrations.AddIndex(
            model_name="worklist",
            index=models.Index(fields=["unit", "case_manager"], name="worklist_unit_idx"),
        ),
        migrations.AddIndex(
            model_name="worklist",
            index=models.Index(fields=["unit", "valid_until"], name="worklist_unit_valid_idx"),
        ),
        migrations.AddIndex(
            model_name="worklist",
            index=models.Index(fields=["valid_until"], name="worklist_valid_until_idx"),
        ),
        migrations.AddIndex(
            model_name="worklistitem",
            index=models.Index(fields=["worklist", "due_from"], name="worklist_item_idx"),
        ),
        migrations.AddConstraint(
            model_name="worklistitem",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("due_from__isnull", False), ("state", "")),
                    models.Q(models.Q(("state", ""), _negated=True), ("due_from__isnull", True)),
                    _connector="OR",
                ),
                name="worklist_item_deadline_or_signal",
            ),
        ),
    ]
