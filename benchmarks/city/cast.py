"""The load test's cast: the city's logins by role, and the ids each of them works with."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from benchmarks.city import built_city
from benchmarks.city.data import LAST_NAMES, PASSWORD, USER_PREFIX, totp_key


def ready_to_sign_in() -> None:
    """One-time code counters and sign-in failures reset: a login a run used a moment ago
    signs in again (django-otp refuses a code of a time step already used)."""
    from django.core.management import call_command
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.filter(user__username__startswith=USER_PREFIX).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    call_command("axes_reset", stdout=io.StringIO())  # it says "No attempts found." otherwise


def _grouped(rows: Any) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = defaultdict(list)
    for key, pk in rows:
        grouped[key].append(pk)
    return grouped


def _spread(ids: list[int], n: int) -> list[int]:
    """``n`` ids spread over the list (not its first ``n``)."""
    return ids[:: max(1, len(ids) // n)][:n] if ids else []


def _number(username: str) -> tuple[int, str]:
    """Sort key: the login's number first, so that each unit's first logins come first."""
    tail = username.rsplit(".", 1)[1]
    return (int(tail) if tail.isdigit() else 0, username)


def cast(*, per_role: int = 120, sample: int = 400) -> dict[str, Any]:
    """Up to ``per_role`` logins of each role the load test plays, with what they work with:
    a case manager's caseload, a sample of the unit for team leads and benefit officers (and
    the unit's open signals for the officers), the provider's interventions."""
    from heltid.accounts.models import Role, User
    from heltid.catalog.models import Intervention
    from heltid.referrals.models import Signal
    from heltid.registry.models import Person

    found = built_city()
    if found is None:
        raise SystemExit("cast: no benchmark city in this database")
    ready_to_sign_in()
    assigned = Person.objects.filter(case_manager__isnull=False).order_by("pk")
    units = _grouped(assigned.values_list("unit_id", "pk"))
    caseloads = _grouped(assigned.values_list("case_manager_id", "pk"))
    signals = _grouped(
        Signal.objects.filter(closed_at__isnull=True)
        .order_by("-pk")
        .values_list("person__unit_id", "pk")
    )
    work = _grouped(Intervention.objects.order_by("pk").values_list("provider__unit_id", "pk"))
    accounts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    users = User.objects.filter(username__startswith=USER_PREFIX, is_active=True).order_by("pk")
    for u in users:
        entry: dict[str, Any] = {"username": u.username, "totp_key": totp_key(u.username, found[2])}
        unit = u.unit_id or 0
        if u.role == Role.CASE_MANAGER and not u.unit_read_access and caseloads.get(u.pk):
            accounts["case_manager"].append({**entry, "persons": caseloads[u.pk]})
        elif u.role == Role.CASE_MANAGER and u.unit_read_access:
            accounts["team_lead"].append({**entry, "persons": _spread(units[unit], sample)})
        elif u.role == Role.BENEFIT_OFFICER:
            persons = _spread(units[unit], sample)
            accounts["benefit_officer"].append(
                {**entry, "persons": persons, "signals": signals[unit][:sample]}
            )
        elif u.role == Role.PROVIDER and work.get(unit):
            accounts["provider"].append({**entry, "interventions": work[unit]})
        elif u.role == Role.ANALYST:
            accounts["analyst"].append({**entry, "totp_key": None})
    for entries in accounts.values():
        entries.sort(key=lambda e: _number(e["username"]))
        del entries[per_role:]
    return {
        "recipients": found[0],
        "day": found[1].isoformat(),
        "password": PASSWORD,
        "surnames": list(LAST_NAMES),
        "accounts": dict(accounts),
    }
