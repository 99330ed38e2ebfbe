"""The benchmarks and their budgets (from the issues that set them)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from benchmarks.clients import signed_in


@dataclass(frozen=True)
class Result:
    name: str
    budget: float
    measured: float
    unit: str

    @property
    def ok(self) -> bool:
        return self.measured <= self.budget

    @property
    def budget_text(self) -> str:
        return f"{self.budget:g} {self.unit}"

    @property
    def measured_text(self) -> str:
        return (
            f"{self.measured:.2f} {self.unit}"
            if self.unit == "s"
            else f"{self.measured:g} {self.unit}"
        )


def run_all(workdir: Path, only: tuple[str, ...] = ()) -> list[Result]:
    """Every benchmark, or those named in ``only`` (``python -m benchmarks dashboard``)."""
    from benchmarks.audit_log import bench_audit_verify, bench_log_lock
    from benchmarks.board_report import bench_board_report
    from benchmarks.demo import bench_demo_build
    from benchmarks.import_bench import bench_import
    from benchmarks.upload_bombs import bench_upload_bombs
    from benchmarks.worklist import bench_worklist

    benches: dict[str, Callable[[], list[Result]]] = {
        "dashboard": bench_dashboard,  # first, on an empty registry, and rolled back afterwards
        "demo": bench_demo_build,  # the demo municipality (4,000 recipients), rolled back
        "board-report": bench_board_report,  # builds the demo municipality (4,000 recipients)
        "import": lambda: bench_import(workdir),  # issue 13: 60 s, re-import 30 s, 300 MB
        "pages": bench_pages_on_a_large_registry,
        "catalogue": bench_catalogue_page,
        "caseload": bench_caseload_page,
        "worklist": bench_worklist,  # issue 13: 500 of a unit of 10,000 in under 200 ms
        "allocation": bench_allocation,
        "scenario": bench_scenario,
        "upload-bombs": lambda: bench_upload_bombs(workdir),  # issue 12: refused, under 300 MB
        "audit-verify": bench_audit_verify,  # issue 13: 1,000,000 log entries, removed after
        "log-lock": bench_log_lock,  # issue 13: no wait behind a batch's lane (PostgreSQL)
    }
    unknown = set(only) - set(benches)
    if unknown:
        raise SystemExit(
            f"unknown benchmark(s): {', '.join(sorted(unknown))}; one of {list(benches)}"
        )
    results: list[Result] = []
    for name, bench in benches.items():
        if not only or name in only:
            results += bench()
    return results


def _units() -> tuple[str, ...]:
    from heltid.accounts.models import Unit, UnitKind

    for code in ("ekb-nord", "ekb-syd"):
        Unit.objects.get_or_create(code=code, defaults={"name": code, "kind": UnitKind.BENEFIT})
    return ("ekb-nord", "ekb-syd")


def bench_pages_on_a_large_registry() -> list[Result]:
    """The person page and the search page stay fast and flat on a 100,000-person registry."""
    from heltid.accounts.models import Role, Unit, User
    from heltid.registry.models import Person

    officer = User.objects.create_user(
        "bench", role=Role.BENEFIT_OFFICER, unit=Unit.objects.get(code="ekb-nord")
    )
    client = signed_in(officer)  # both factors (decision 0017)
    ids = list(Person.objects.filter(unit__code="ekb-nord").values_list("pk", flat=True)[:200:10])
    client.get(f"/personer/{ids[0]}/")
    timings, queries = [], []
    for pk in ids:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            assert client.get(f"/personer/{pk}/").status_code == 200
            timings.append(time.perf_counter() - started)
        queries.append(len(ctx))
    search = []
    for name in ("Andersson", "Hassan", "Lindberg", "198901"):
        started = time.perf_counter()
        assert client.get("/personer/", {"q": name}).status_code == 200
        search.append(time.perf_counter() - started)
    return [
        Result("person page, median (100k registry)", 0.3, statistics.median(timings), "s"),
        # Constant whatever the registry's size; since issue 4 the page also carries the casework
        # panels (assessment, plan, referrals, attendance, follow-ups, step, exit), each a fixed
        # handful of queries.
        Result("person page, queries (max)", 40, max(queries), "queries"),
        Result("person search, median (100k registry)", 0.5, statistics.median(search), "s"),
    ]


# The catalogue list's variants measured: plain, free places only, one step, a combination
# with language support, a text search and a later page. The step is filled in by code.
CATALOGUE_VARIANTS: tuple[dict[str, str], ...] = (
    {},
    {"lediga": "1"},
    {"steg": "arbete-med-samhallsstod"},
    {"steg": "arbetsinriktad-rehabilitering", "lediga": "1", "sprakstod": "1"},
    {"q": "Språkpraktik"},
    {"sida": "3"},
)


def _catalogue_queries(client: Client, variants: list[dict[str, str]]) -> list[int]:
    counts = []
    for params in variants:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/insatser/", params)
        if response.status_code != 200:
            raise SystemExit(f"/insatser/ {params} answered {response.status_code}")
        counts.append(len(ctx))
    return counts


def bench_catalogue_page(rounds: int = 4) -> list[Result]:
    """Issue 3: the catalogue page with 2,000 interventions answers in under 150 ms (median)
    with as many queries as with 200."""
    from django.utils import timezone

    from benchmarks.catalogue import add_interventions
    from heltid.accounts.models import Role, Unit, UnitKind, User
    from heltid.catalog.models import Intervention, Step

    if Intervention.objects.exists():
        raise SystemExit("the catalogue benchmark needs an empty catalogue")
    today = timezone.localdate()
    unit, _ = Unit.objects.get_or_create(
        code="ekb-nord", defaults={"name": "ekb-nord", "kind": UnitKind.BENEFIT}
    )
    manager = User.objects.create_user("bench-casemanager", role=Role.CASE_MANAGER, unit=unit)
    client = signed_in(manager)  # both factors (decision 0017)
    steps = dict(Step.objects.values_list("code", "pk"))
    variants = [
        {k: str(steps[v]) if k == "steg" else v for k, v in params.items()}
        for params in CATALOGUE_VARIANTS
    ]

    add_interventions(200, today=today)
    _catalogue_queries(client, variants)  # warm up: templates, chart renderer
    small = _catalogue_queries(client, variants)

    add_interventions(1800, today=today, first=200)
    if Intervention.objects.count() != 2000:
        raise SystemExit("the catalogue benchmark did not create 2,000 interventions")
    _catalogue_queries(client, variants)  # warm up again: the chart's figures changed
    large: list[int] = []
    timings: list[float] = []
    for _round in range(rounds):
        for params in variants:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get("/insatser/", params)
                timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"/insatser/ {params} answered {response.status_code}")
            large.append(len(ctx))
    per_variant = large[: len(variants)]
    if large != per_variant * rounds:
        raise SystemExit(f"the catalogue page's query count varies between rounds: {large}")
    difference = max(abs(a - b) for a, b in zip(small, per_variant, strict=True))
    return [
        Result(
            "catalogue page, median (2,000 interventions)", 0.15, statistics.median(timings), "s"
        ),
        Result("catalogue page, queries (max, 200 interventions)", 20, max(small), "queries"),
        Result(
            "catalogue page, queries (max, 2,000 interventions)", 20, max(per_variant), "queries"
        ),
        Result("catalogue page, queries 2,000 vs 200 (difference)", 0, difference, "queries"),
    ]


# The caseload page's variants measured: plain, to-dos only, overdue only, the second page.
CASELOAD_VARIANTS: tuple[dict[str, str], ...] = (
    {},
    {"att_gora": "on"},
    {"lage": "overdue"},
    {"sida": "2"},
)


def _caseload_queries(client: Client) -> list[int]:
    counts = []
    for params in CASELOAD_VARIANTS:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/arende/", params)
        if response.status_code != 200:
            raise SystemExit(f"/arende/ {params} answered {response.status_code}")
        counts.append(len(ctx))
    return counts


def bench_caseload_page(rounds: int = 8) -> list[Result]:
    """Issue 4: the caseload page of a case manager with 120 persons answers in under 150 ms
    (median) with as many queries as with 30."""
    from django.utils import timezone

    from benchmarks.caseload import add_caseload
    from heltid.accounts.models import Role, Unit, UnitKind, User
    from heltid.casework.worklist import refresh
    from heltid.registry.models import Person

    today = timezone.localdate()
    unit, _ = Unit.objects.get_or_create(
        code="ekb-nord", defaults={"name": "ekb-nord", "kind": UnitKind.BENEFIT}
    )
    manager = User.objects.create_user("bench-caseload", role=Role.CASE_MANAGER, unit=unit)
    client = signed_in(manager)  # both factors (decision 0017)

    refresh([p.pk for p in add_caseload(manager, 30, today=today)], today=today)  # bulk writes
    _caseload_queries(client)  # warm up: session, templates, the policy files
    small = _caseload_queries(client)

    refresh([p.pk for p in add_caseload(manager, 90, today=today, first=30)], today=today)
    if Person.objects.filter(case_manager=manager).count() != 120:
        raise SystemExit("the caseload benchmark did not create 120 persons")
    _caseload_queries(client)
    large: list[int] = []
    timings: list[float] = []
    for _round in range(rounds):
        for params in CASELOAD_VARIANTS:
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = client.get("/arende/", params)
                timings.append(time.perf_counter() - started)
            if response.status_code != 200:
                raise SystemExit(f"/arende/ {params} answered {response.status_code}")
            large.append(len(ctx))
    per_variant = large[: len(CASELOAD_VARIANTS)]
    if large != per_variant * rounds:
        raise SystemExit(f"the caseload page's query count varies between rounds: {large}")
    difference = max(abs(a - b) for a, b in zip(small, per_variant, strict=True))
    return [
        Result("caseload page, median (120 persons)", 0.15, statistics.median(timings), "s"),
        Result("caseload page, queries (max, 120 persons)", 20, max(per_variant), "queries"),
        Result("caseload page, queries 120 vs 30 (difference)", 0, difference, "queries"),
    ]


def bench_allocation(runs: int = 3) -> list[Result]:
    """Issue 5: 5,000 waiting people and 300 interventions allocated (min-cost flow) in under
    2 s, median of ``runs``; its total priority is never below first come, first served."""
    from benchmarks.allocation import waiting_list
    from heltid.planning.allocation import allocate, greedy_first_come, problems, total_priority

    people, places = waiting_list(5000, 300)
    timings = []
    for _run in range(runs):
        started = time.perf_counter()
        best = allocate(people, places)
        timings.append(time.perf_counter() - started)
    found = problems(best, people, places)
    if found:
        raise SystemExit(f"the allocation is not sound: {found[:3]}")
    greedy = greedy_first_come(people, places)
    return [
        Result(
            "allocation, median (5,000 waiting, 300 interventions)",
            2.0,
            statistics.median(timings),
            "s",
        ),
        Result(
            "allocation, first-come total minus min-cost-flow total",
            0,
            total_priority(greedy) - total_priority(best),
            "points",
        ),
    ]


# The dashboard's filter combinations read from stored figures: the default page and a filter
# (unit, sex and age group); new combinations answer "being made" (decision 0022).
DASHBOARD_FILTER = {"enhet": "sthlm-soder", "kon": "F", "alder": "30-44"}
DASHBOARD_NEW_FILTERS: tuple[dict[str, str], ...] = tuple(
    {"enhet": unit, "kon": sex}
    for unit in ("sthlm-city", "sthlm-vast", "sthlm-norr")
    for sex in ("F", "M")
)


class _RollBack(Exception):
    pass


def _work_off() -> None:
    """The real worker (``heltid db_worker --batch``) until the queue is empty, inside the
    benchmark's transaction (so without its closing of old connections between tasks)."""
    from unittest import mock

    from django.core.management import call_command

    with mock.patch(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    ):
        call_command(
            "db_worker", batch=True, interval=0, startup_delay=False, reload=False, verbosity=0
        )


def _task_seconds(kind: str) -> float:
    from heltid.background.models import Status, StoredResult

    row = StoredResult.objects.filter(kind=kind).order_by("-computed_at").first()
    if row is None or row.status != Status.DONE or row.seconds is None:
        raise SystemExit(f"the {kind} task did not finish: {row and row.error}")
    return row.seconds


def _analyze() -> None:
    if connection.vendor == "postgresql":  # statistics, as autovacuum would have them
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def _snapshot_task_after_growing(more: int, *, today: date) -> float:
    """The snapshot task of today after ``more`` recipients are added: the nightly work of a
    large city, as the worker runs it."""
    from django_tasks_db.models import DBTaskResult

    from benchmarks.dashboard import add_municipality
    from heltid.background.models import StoredResult
    from heltid.background.services import request
    from heltid.insights import results
    from heltid.insights.models import Snapshot

    add_municipality(more, today=today)
    _analyze()
    # the queue as after midnight: only the snapshot to make (not the filters asked before)
    DBTaskResult.objects.all().delete()
    StoredResult.objects.all().delete()
    Snapshot.objects.filter(on=today).delete()
    request(results.SNAPSHOT, "", today, params={})
    _work_off()
    return _task_seconds(results.SNAPSHOT)


def bench_dashboard(count: int = 35_000, large: int = 100_000, rounds: int = 5) -> list[Result]:
    """Issue 13: the dashboard's server time at "Stockholm scale" (35,000 recipients, three
    years of history) reading the figures a background task stored — the default page and a
    filter, under 200 ms — and a filter asked for the first time answering "being made" within
    the same budget; the tasks behind them (the day's snapshot, the dashboards) are timed as
    the worker runs them, and the snapshot task again at 100,000 recipients (no request
    involved). Measured on the database the runner uses (PostgreSQL when BENCH_DATABASE_URL
    points to it), named in the result. The data are made in a transaction that is rolled back,
    so the other benchmarks start from an empty registry."""
    from django.db import transaction
    from django.utils import timezone

    from benchmarks.dashboard import add_municipality
    from heltid.accounts.models import Role, User
    from heltid.background.services import request
    from heltid.insights import results

    today = timezone.localdate()
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    stored: dict[str, list[float]] = {"default": [], "filter": []}
    being_made: list[float] = []
    queries: list[int] = []
    tasks: dict[str, float] = {}

    def timed_get(client: Client, params: dict[str, str]) -> tuple[float, Any]:
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/statistik/oversikt/", params)
            elapsed = time.perf_counter() - started
        if response.status_code != 200:
            raise SystemExit(f"/statistik/oversikt/ {params} answered {response.status_code}")
        queries.append(len(ctx))
        return elapsed, response

    try:
        with transaction.atomic():
            made = add_municipality(count, today=today)
            if made != count:
                raise SystemExit(f"the dashboard benchmark made {made} persons, not {count}")
            _analyze()
            # the schedule's snapshot of today, then the two dashboards, each a task
            request(results.SNAPSHOT, "", today, params={})
            _work_off()
            tasks["snapshot"] = _task_seconds(results.SNAPSHOT)
            analyst = User.objects.create_user(
                username="bench-analyst", password="bench-losen-123", role=Role.ANALYST
            )
            client = signed_in(analyst)
            for name, params in (("default", {}), ("filter", DASHBOARD_FILTER)):
                client.get("/statistik/oversikt/", params)  # asks for it
                _work_off()
                tasks[name] = _task_seconds(results.DASHBOARD)
                client.get("/statistik/oversikt/", params)  # warm up: templates
            for _round in range(rounds):
                for name, params in (("default", {}), ("filter", DASHBOARD_FILTER)):
                    elapsed, response = timed_get(client, params)
                    if b'id="inventory-h"' not in response.content:
                        raise SystemExit(f"/statistik/oversikt/ {params}: no stored figures")
                    stored[name].append(elapsed)
            for params in DASHBOARD_NEW_FILTERS:
                elapsed, response = timed_get(client, params)
                content = response.content
                if b'id="inventory-h"' in content or b'class="result-status"' not in content:
                    raise SystemExit(f"/statistik/oversikt/ {params} was not being made")
                being_made.append(elapsed)

            tasks["snapshot_large"] = _snapshot_task_after_growing(large - count, today=today)
            raise _RollBack
    except _RollBack:
        pass
    n = f"{count:,} recipients, {vendor}"
    return [
        Result(
            f"dashboard, stored figures, default page, median ({n})",
            0.2,
            statistics.median(stored["default"]),
            "s",
        ),
        Result(
            f"dashboard, stored figures, unit+sex+age filter, median ({n})",
            0.2,
            statistics.median(stored["filter"]),
            "s",
        ),
        Result(
            f"dashboard, a new filter answers 'being made', median ({n})",
            0.2,
            statistics.median(being_made),
            "s",
        ),
        Result(f"dashboard, queries (max, {vendor})", 20, max(queries), "queries"),
        Result(f"snapshot task ({n})", 60, tasks["snapshot"], "s"),
        Result(f"dashboard task, default page ({n})", 60, tasks["default"], "s"),
        Result(f"dashboard task, a filter ({n})", 60, tasks["filter"], "s"),
        Result(
            f"snapshot task ({large:,} recipients, {vendor})", 300, tasks["snapshot_large"], "s"
        ),
    ]


def bench_scenario(rounds: int = 3) -> list[Result]:
    """Issue 7: Monte Carlo of 10,000 people × 36 months × 1,000 runs in under 3 s."""
    from heltid.planning.scenario import Scenario, Shock, StepParams, simulate

    shares = (0.4, 0.3, 0.2, 0.1, 0.0)
    steps = tuple(
        StepParams(
            code=f"s{i}",
            name=f"Steg {i + 1}",
            people=2000,
            places=1800 if i == 2 else None,
            cost_per_place_month=8000 + 1000 * i,
            up=0.0 if i == 4 else 0.05 + 0.01 * i,
            down=0.0 if i == 0 else 0.03,
            exit=0.02 + 0.02 * i,
            entry_share=shares[i],
        )
        for i in range(5)
    )
    scenario = Scenario(
        steps=steps,
        start_month=date(2027, 1, 1),
        months=36,
        inflow=350.0,
        shock=Shock(start=6, months=12, factor=1.4),
        caseload=40,
        case_manager_cost_month=60_000,
        support_per_household=11_000,
        self_sufficiency_share=0.6,
        runs=1000,
    )
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        simulate(scenario)
        timings.append(time.perf_counter() - started)
    return [
        Result(
            "scenario Monte Carlo, 10,000 people × 36 months × 1,000 runs (median)",
            3.0,
            statistics.median(timings),
            "s",
        )
    ]
