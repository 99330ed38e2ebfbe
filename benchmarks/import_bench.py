"""Issue 13, point 4: a 100,000-row recipient file imports in under 60 s, a re-import of the same
file takes under 30 s and changes nothing, and the import's peak memory stays under 300 MB — on
SQLite and, with BENCH_DATABASE_URL, on PostgreSQL.

Each import is ``heltid import-recipients FILE --json`` in a child process, as an operator runs
it: its time is the command's whole run (start-up included), its peak memory the child's own
maximum resident set size (``os.wait4``). "Changes nothing" is checked, not assumed: the report
says 0 created and 0 changed, and the registry's tables and the access log's person entries are
as they were.

``python -m benchmarks import`` (``BENCH_DATABASE_URL=postgres://… python -m benchmarks import``).
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from benchmarks.budgets import Result

ROWS = 100_000
BUDGET_SECONDS = 60.0
BUDGET_REIMPORT_SECONDS = 30.0
BUDGET_MB = 300
UNITS = ("ekb-nord", "ekb-syd")


def bench_import(workdir: Path, rows: int = ROWS) -> list[Result]:
    from django.db import connection
    from django.utils import timezone

    from heltid.demo.recipient_files import recipient_rows, synthetic_personnummer, to_csv

    _units()
    path = workdir / f"recipients-{rows // 1000}k.csv"
    numbers = list(synthetic_personnummer(rows))
    path.write_bytes(to_csv(recipient_rows(numbers, seed=1, units=UNITS, on=_today())))
    del numbers
    vendor = "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"
    count = f"{rows:,}"

    first = _run(path)
    if not first["report"]["imported"] or first["report"]["created"] != rows:
        raise SystemExit(f"the benchmark import failed: {_summary(first['report'])}")
    before = _state()
    again = _run(path)
    report = again["report"]
    if not report["imported"] or (report["created"], report["updated"]) != (0, 0):
        raise SystemExit(f"the re-import changed something: {_summary(report)}")
    if _state() != before:
        raise SystemExit("the re-import changed the registry or logged changes")
    print(
        f"import of {count} rows ({vendor}): {first['seconds']:.1f} s, peak {first['peak_mb']} MB; "
        f"re-import: {again['seconds']:.1f} s, peak {again['peak_mb']} MB, "
        f"{report['unchanged']:,} unchanged ({timezone.localdate().isoformat()})"
    )
    return [
        Result(f"import {count} recipients ({vendor})", BUDGET_SECONDS, first["seconds"], "s"),
        Result(
            f"re-import of the same file, nothing changed ({vendor})",
            BUDGET_REIMPORT_SECONDS,
            again["seconds"],
            "s",
        ),
        Result(
            f"import {count} recipients, peak RSS ({vendor})",
            BUDGET_MB,
            max(first["peak_mb"], again["peak_mb"]),
            "MB",
        ),
    ]


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()  # the day the command imports on


def _units() -> None:
    from heltid.accounts.models import Unit, UnitKind

    for code in UNITS:
        Unit.objects.get_or_create(code=code, defaults={"name": code, "kind": UnitKind.BENEFIT})


def _run(path: Path) -> dict[str, Any]:
    """``heltid import-recipients PATH --json`` in a child process: its report, wall time and
    peak RSS (the child's own, from ``wait4``)."""
    command = [sys.executable, "-m", "heltid", "import-recipients", str(path), "--json"]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=os.environ.copy())
        _pid, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text, problems = out.read().decode(), err.read().decode()
    try:
        report = json.loads(text)
    except ValueError:
        raise SystemExit(f"{' '.join(command)} failed:\n{text}{problems}") from None
    return {"report": report, "seconds": seconds, "peak_mb": round(usage.ru_maxrss / 1024)}


def _state() -> tuple[Any, ...]:
    """What a re-import must leave as it was: every registry table the import writes (rows and
    last change) and the access log's record of persons."""
    from django.apps import apps
    from django.db.models import Count, Max

    from heltid.audit.models import AccessLog
    from heltid.registry.models import Child, Household, Person, PersonFact, SupportPeriod

    persons = AccessLog.objects.filter(person__isnull=False).count()
    # the persons a bulk operation's entry names are in their own table (decision 0021)
    with contextlib.suppress(LookupError):
        persons += apps.get_model("audit", "AccessLogPerson").objects.count()
    return (
        Person.objects.aggregate(Count("id"), Max("updated_at")),
        Household.objects.aggregate(Count("id"), Max("updated_at")),
        Child.objects.aggregate(Count("id"), Max("id")),
        SupportPeriod.objects.aggregate(Count("id"), Count("last_month")),
        PersonFact.objects.aggregate(Count("id"), Count("superseded_on")),
        persons,
    )


def _summary(report: dict[str, Any]) -> str:
    keys = ("imported", "rows", "created", "updated", "unchanged", "file_error")
    return json.dumps({**{k: report.get(k) for k in keys}, "errors": report["errors"][:3]})


__all__ = ["bench_import"]
