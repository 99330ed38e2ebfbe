"""What the smoke test of an installed Heltid logs in with: a case manager, and a person on
their caseload with a plan.

Run by CI's wheel step with the Python of the installed package, from outside the checkout
and with the `heltid` commands' environment (HELTID_PRODUCTION, DATABASE_URL, ...); the
password comes from SMOKE_PASSWORD. Made through the project's own services, with one of
Skatteverket's test personnummer. Prints one line of JSON: {"username", "person_id", "totp_key"}.
Refuses a database that already has persons: it is for a fresh, throwaway one.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta
from decimal import Decimal


def main() -> int:
    password = os.environ.get("SMOKE_PASSWORD", "")
    if len(password) < 12:
        print("smoke_data: set SMOKE_PASSWORD (12 characters or more)", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heltid.settings")
    import django

    django.setup()

    from django.db import transaction
    from django.utils import timezone

    from heltid.accounts.models import Role, Unit, UnitKind, User
    from heltid.casework.models import ActivityKind, ExitTarget
    from heltid.casework.services.plan import NewActivity, plan_create
    from heltid.demo.testpersonnummer import adults_aged
    from heltid.registry.identity import parse_identity
    from heltid.registry.models import AfProgramme, Person
    from heltid.registry.services import person_register

    if Person.objects.exists():
        print("smoke_data: the database already has persons; use a fresh one", file=sys.stderr)
        return 2
    today = timezone.localdate()
    with transaction.atomic():
        unit = Unit.objects.create(code="rok", name="Röktest", kind=UnitKind.BENEFIT)
        manager = User.objects.create_user(
            username="roktest",
            password=password,
            first_name="Rut",
            last_name="Röktestsson",
            role=Role.CASE_MANAGER,
            unit=unit,
        )
        person = person_register(
            identity=parse_identity(adults_aged(today, low=30, high=50)[0]),
            first_name="Tea",
            last_name="Testsson",
            unit=unit,
            household_reference="rok-1",
            cohabiting=False,
            children=[],
            support_since=(today - timedelta(days=400)).replace(day=1),
            reason_code=None,
            af_programme=AfProgramme.NONE,
            af_programme_since=None,
            part_time_hours=Decimal(0),
            protected_identity=False,
            acting_user=manager,
            page="scripts/smoke_data.py",
        )
        person.case_manager = manager
        person.save(update_fields=["case_manager"])
        plan_create(
            person=person,
            goal="Arbete inom vård och omsorg",
            exit_target=ExitTarget.WORK,
            acting_user=manager,
            page="scripts/smoke_data.py",
            today=today,
            activities=[
                NewActivity(
                    kind=ActivityKind.JOB_SEARCH, title="Söka jobb", hours_per_week=Decimal(10)
                ),
                NewActivity(
                    kind=ActivityKind.STUDIES,
                    title="Svenska för invandrare",
                    hours_per_week=Decimal(15),
                ),
            ],
        )
    # the case manager's authenticator: a confirmed TOTP device whose key the HTTP check uses
    # to answer the second sign-in step, as the person's phone would
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.create(user=manager, name="Röktest", confirmed=True)
    print(
        json.dumps({"username": manager.username, "person_id": person.pk, "totp_key": device.key})
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
