"""The decision's finding on an acceptable reason (the outcome follows it: without an
acceptable reason, refusal or reduction), and Arbetsförmedlingen told once per person and
coverage start that the person may be covered by the activity requirement. Decisions recorded
before keep an empty finding."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0002_default_decline_reasons"),
    ]

    operations = [
        migrations.AddField(
            model_name="afnotification",
            name="covered_from",
            field=models.DateField(blank=True, null=True, verbose_name="may be covered from"),
        ),
        migrations.AddField(
            model_name="decision",
            name="finding",
            field=models.CharField(
                blank=True,
                choices=[
                    (
                        "no_acceptable_reason",
                        "Yes – declined or stayed away without an acceptable reason",
                    ),
                    ("acceptable_reason", "No – there was an acceptable reason"),
                    ("did_not_decline", "No – the person did not decline or stay away"),
                ],
                max_length=30,
                verbose_name="declined without an acceptable reason?",
            ),
        ),
        migrations.AlterField(
            model_name="afnotification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("may_be_covered", "May be covered by the activity requirement"),
                    ("participating", "Takes part in municipal activation"),
                    ("started", "Started an intervention"),
                    ("ended", "Ended an intervention"),
                    ("absence", "Unexcused absence"),
                    ("decision", "Decision on support"),
                ],
                max_length=20,
                verbose_name="what",
            ),
        ),
        migrations.AddConstraint(
            model_name="afnotification",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("covered_from__isnull", False), ("kind", "may_be_covered")),
                    models.Q(
                        models.Q(("kind", "may_be_covered"), _negated=True),
                        ("covered_from__isnull", True),
                    ),
                    _connector="OR",
                ),
                name="af_covered_from_only_for_may_be_covered",
            ),
        ),
        migrations.AddConstraint(
            model_name="afnotification",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "may_be_covered")),
                fields=("person", "covered_from"),
                name="af_may_be_covered_once_per_start",
            ),
        ),
        migrations.AddConstraint(
            model_name="decision",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("finding", ""),
                    models.Q(
                        ("finding", "no_acceptable_reason"),
                        ("outcome__in", ["reduction", "refusal"]),
                    ),
                    models.Q(
                        ("finding__in", ["acceptable_reason", "did_not_decline"]),
                        ("outcome", "no_action"),
                    ),
                    _connector="OR",
                ),
                name="decision_outcome_follows_finding",
            ),
        ),
    ]
