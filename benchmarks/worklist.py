"""Issue 13: the caseload page and the team lead's unit view answer in under 200 ms (server
time, median) with 500 persons in the caseload and 10,000 in the unit, reading the stored
worklist (decision record 0023); and what recomputing the worklist costs per person.

The unit (its own, ``bench-worklist``) holds twenty caseloads of 500 written straight into the
tables by :func:`benchmarks.caseload.add_caseload` (every deadline state occurs), one of them
moved to no case manager; the team lead holds the first. The bulk writes bypass the models'
save, so the benchmark recomputes the 10,000 rows itself (timed: the nightly ``--all`` and a
big import's refresh cost the same per person).
"""

from __future__ import annotations

import statistics
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext

from benchmarks.budgets import Result
from benchmarks.clients import signed_in

CASELOAD = 500
CASELOADS = 20  # 20 × 500 = 10,000 persons in the unit
ROUNDS = 5


def bench_worklist(rounds: int = ROUNDS) -> list[Result]:
    from django.utils import timezone

    from benchmarks.caseload import add_caseload
    from heltid.accounts.models import Role, Unit, UnitKind, User
    from heltid.casework.worklist import refresh
    from heltid.registry.models import Person

    today = timezone.localdate()
    unit = Unit.objects.create(code="bench-worklist", name="Arbetslista", kind=UnitKind.BENEFIT)
    lead = User.objects.create_user(
        "bench-worklist-lead", role=Role.CASE_MANAGER, unit=unit, unit_read_access=True
    )
    managers = [lead] + [
        User.objects.create_user(f"bench-worklist-{i}", role=Role.CASE_MANAGER, unit=unit)
        for i in range(1, CASELOADS)
    ]
    ids: list[int] = []
    for i, manager in enumerate(managers):
        ids += [p.pk for p in add_caseload(manager, CASELOAD, today=today, first=i * CASELOAD)]
    Person.objects.filter(case_manager=managers[-1]).update(case_manager=None)
    if Person.objects.filter(unit=unit).count() != CASELOAD * CASELOADS:
        raise SystemExit("the worklist benchmark did not create its 10,000 persons")

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # the planner's statistics, as autovacuum keeps them
            cursor.execute("ANALYZE")
    started = time.perf_counter()
    written = refresh(ids, today=today)
    per_person = (time.perf_counter() - started) / written * 1000

    client = signed_in(lead)
    variants: tuple[tuple[str, dict[str, str]], ...] = (
        ("/arende/", {}),
        ("/arende/", {"att_gora": "on"}),
        ("/arende/", {"lage": "overdue"}),
        ("/arende/", {"sida": "7"}),
        ("/arende/enhet/", {}),  # the persons without a case manager
        ("/arende/enhet/", {"visa": str(lead.pk)}),
        ("/arende/enhet/", {"visa": str(managers[5].pk), "sida": "4"}),
    )
    for path, params in variants:  # warm up: session, templates, the policy files
        if client.get(path, params).status_code != 200:
            raise SystemExit(f"{path} {params} did not answer 200")
    timings: dict[str, list[float]] = {"/arende/": [], "/arende/enhet/": []}
    queries: dict[str, list[int]] = {"/arende/": [], "/arende/enhet/": []}
    for _round in range(rounds):
        for path, params in variants:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get(path, params)
                timings[path].append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"{path} {params} answered {response.status_code}")
            queries[path].append(len(ctx))
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    return [
        Result(
            f"caseload page, median (500 persons, unit of 10,000, {vendor})",
            0.2,
            statistics.median(timings["/arende/"]),
            "s",
        ),
        Result(
            f"unit view, median (10,000 persons, {vendor})",
            0.2,
            statistics.median(timings["/arende/enhet/"]),
            "s",
        ),
        Result("caseload page, queries (max)", 25, max(queries["/arende/"]), "queries"),
        Result("unit view, queries (max)", 25, max(queries["/arende/enhet/"]), "queries"),
        Result(f"worklist refresh, per person ({vendor})", 3.0, round(per_person, 2), "ms"),
    ]
