# The constraint in its own migration: PostgreSQL does not alter a table with pending trigger
# events from the data migration before it (0005) in the same transaction.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_household_unit"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="household",
            constraint=models.UniqueConstraint(
                fields=("unit", "reference"), name="household_unit_reference"
            ),
        ),
    ]
