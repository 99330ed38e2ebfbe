"""Issue 13, point 3: an access log that scales (decision 0021).

- ``audit-verify``: 1,000,000 log entries (about one in a hundred a bulk operation naming 20
  persons, a seal every 100,000 entries) are written straight into the tables — hashes computed
  here as the application would, rows loaded by COPY on PostgreSQL — and ``heltid audit
  verify`` must check them in under 30 s. The rows are removed again afterwards (as the owner
  of the benchmark database, with the append-only triggers switched off for that only).
- ``log-lock`` (PostgreSQL): while a batch job has logged 35,000 persons in one transaction and
  keeps working, a single access from another connection is logged in under 0.5 s — it takes
  another lane instead of waiting for the batch's.

``python -m benchmarks audit-verify`` (``BENCH_DATABASE_URL=postgres://…`` for PostgreSQL);
``AUDIT_BENCH_ENTRIES`` and ``AUDIT_BENCH_WORKERS`` change the size and verify's processes.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from benchmarks.budgets import Result

ENTRIES = 1_000_000
BULK_EVERY = 97  # about one entry in a hundred is a bulk operation (in every lane)
BULK_PERSONS = 20
SEAL_EVERY = 100_000
VERIFY_BUDGET = 30.0
LOCK_BUDGET = 0.5
BATCH_PERSONS = 35_000
BATCH_KEEPS_WORKING = 3.0  # seconds the batch's transaction stays open after logging

_LOG_COLUMNS = (
    "id",
    "lane",
    "number",
    "at",
    "user_id",
    "actor",
    "action",
    "person_id",
    "page",
    "detail",
    "persons",
    "prev_hash",
    "hash",
)
_PERSON_COLUMNS = ("entry_id", "position", "person_id", "action", "detail")


def _vendor() -> str:
    from django.db import connection

    return "PostgreSQL" if connection.vendor == "postgresql" else "SQLite"


def _rows(
    count: int, first_id: int, heads: dict[int, tuple[int, str]]
) -> Iterator[tuple[str, tuple[Any, ...]]]:
    """("log", row) and ("person", row) as the application would write them after the lanes'
    ``heads``, lanes interleaved; ("heads", every lane's head) every SEAL_EVERY entries."""
    from heltid.audit.chain import EntryHasher
    from heltid.audit.models import LANES

    heads = dict(heads)
    start = datetime(2026, 1, 1, 7, 0, tzinfo=UTC)
    for i in range(count):
        lane = i % LANES + 1
        number, prev = heads[lane]
        number += 1
        entry_id = first_id + i
        at = start + timedelta(milliseconds=25 * i)
        bulk = i % BULK_EVERY == BULK_EVERY - 1
        person_id = None if bulk else 1 + i % 35_000
        action = "export" if bulk else ("view", "change", "search")[i % 3]
        detail: dict[str, Any] = {} if i % 4 else {"referral": i, "week": "2026-W03"}
        persons = BULK_PERSONS if bulk else 0
        hasher = EntryHasher(
            prev_hash=prev,
            lane=lane,
            number=number,
            at=at,
            user_id=None,
            actor=f"user{i % 200}",
            action=action,
            person_id=person_id,
            page=f"/personer/{person_id}/" if person_id else "cli:statistics-file",
            detail=detail,
            persons=persons,
        )
        named = []
        for position in range(persons):
            named_detail = {"month": "2026-01"}
            pid = 1 + (i + position * 1750) % 35_000
            hasher.add_person(pid, "export", named_detail)
            named.append((entry_id, position, pid, "export", json.dumps(named_detail)))
        digest = hasher.hexdigest()
        yield (
            "log",
            (
                entry_id,
                lane,
                number,
                at,
                None,
                f"user{i % 200}",
                action,
                person_id,
                f"/personer/{person_id}/" if person_id else "cli:statistics-file",
                json.dumps(detail),
                persons,
                prev,
                digest,
            ),
        )
        for row in named:
            yield "person", row
        heads[lane] = (number, digest)
        if (i + 1) % SEAL_EVERY == 0 or i + 1 == count:
            yield "heads", tuple((lane, n, h) for lane, (n, h) in sorted(heads.items()))


@dataclass(frozen=True)
class _Before:
    """The log as the benchmark found it, to put it back afterwards."""

    last_id: int
    heads: dict[int, tuple[int, str]]
    last_seal: int


def _before() -> _Before:
    from django.db.models import Max

    from heltid.audit.models import AccessLog, LaneHead, Seal
    from heltid.audit.services import ensure_lanes

    ensure_lanes()
    return _Before(
        last_id=AccessLog.objects.aggregate(top=Max("id"))["top"] or 0,
        heads={
            lane: (n, h) for lane, n, h in LaneHead.objects.values_list("lane", "number", "hash")
        },
        last_seal=Seal.objects.aggregate(top=Max("number"))["top"] or 0,
    )


class _Seals:
    """The seals ``heltid audit seal`` would have written along the way."""

    def __init__(self, before: _Before) -> None:
        from heltid.audit.models import GENESIS, Seal

        self.first = before.last_seal + 1
        last = Seal.objects.filter(number=before.last_seal).values_list("hash", flat=True)
        self.prev = last.first() or GENESIS
        self.sealed = {lane: n for lane, (n, _h) in before.heads.items()}  # unchanged: as sealed
        self.seals: list[Any] = []
        self.heads: list[Any] = []
        self.last: tuple[tuple[int, int, str], ...] = ()

    def add(self, heads: tuple[tuple[int, int, str], ...]) -> None:
        from heltid.audit.chain import seal_hash
        from heltid.audit.models import Seal, SealHead

        moved = [h for h in heads if h[1] != self.sealed.get(h[0], 0)]
        number = self.first + len(self.seals)
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=number)
        digest = seal_hash(prev_hash=self.prev, number=number, at=at, heads=moved)
        self.seals.append(Seal(number=number, at=at, prev_hash=self.prev, hash=digest))
        self.heads += [
            SealHead(seal_id=number, lane=lane, number=n, hash=h) for lane, n, h in moved
        ]
        self.sealed.update((lane, n) for lane, n, _h in moved)
        self.prev, self.last = digest, heads


def _copy(cursor: Any, rows: Iterator[tuple[str, tuple[Any, ...]]], seals: _Seals) -> None:
    """PostgreSQL: COPY the entries, then their persons (one COPY at a time on a connection)."""
    persons: list[tuple[Any, ...]] = []
    columns = ", ".join(_LOG_COLUMNS)
    with cursor.cursor.copy(f"COPY audit_accesslog ({columns}) FROM STDIN") as copy:
        for kind, row in rows:
            if kind == "log":
                copy.write_row(row)
            elif kind == "person":
                persons.append(row)
            else:
                seals.add(row)
    # statistics of the million rows (this transaction's own) before the persons' foreign keys
    # are checked at commit: planned on an empty table's statistics, each check scans the table
    cursor.execute("ANALYZE audit_accesslog")
    columns = ", ".join(_PERSON_COLUMNS)
    with cursor.cursor.copy(f"COPY audit_accesslogperson ({columns}) FROM STDIN") as copy:
        for row in persons:
            copy.write_row(row)


def _insert(cursor: Any, rows: Iterator[tuple[str, tuple[Any, ...]]], seals: _Seals) -> None:
    """SQLite: INSERT in batches (times as Django stores them: UTC text)."""
    log_sql = (
        f"INSERT INTO audit_accesslog ({', '.join(_LOG_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_LOG_COLUMNS))})"
    )
    person_sql = (
        f"INSERT INTO audit_accesslogperson ({', '.join(_PERSON_COLUMNS)}) "
        f"VALUES ({', '.join(['%s'] * len(_PERSON_COLUMNS))})"
    )
    entries: list[tuple[Any, ...]] = []
    persons: list[tuple[Any, ...]] = []
    for kind, row in rows:
        if kind == "log":
            entries.append((*row[:3], row[3].replace(tzinfo=None).isoformat(sep=" "), *row[4:]))
        elif kind == "person":
            persons.append(row)
        else:
            seals.add(row)
        if len(entries) >= 10_000 or kind == "heads":
            cursor.executemany(log_sql, entries)
            cursor.executemany(person_sql, persons)
            entries, persons = [], []


def fill(count: int, before: _Before) -> float:
    """Append ``count`` entries to the access log, after what is there; returns the seconds."""
    from django.db import connection, transaction

    from heltid.audit.models import LaneHead, Seal, SealHead

    started = time.perf_counter()
    seals = _Seals(before)
    rows = _rows(count, before.last_id + 1, {k: v for k, v in before.heads.items() if k >= 1})
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            _copy(cursor, rows, seals)
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence('audit_accesslog', 'id'), %s)",
                [before.last_id + count],
            )
        else:
            _insert(cursor, rows, seals)
        for lane, number, digest in seals.last:
            if number != before.heads.get(lane, (0, ""))[0]:
                LaneHead.objects.filter(lane=lane).update(number=number, hash=digest)
        Seal.objects.bulk_create(seals.seals)
        SealHead.objects.bulk_create(seals.heads)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE audit_accesslog")
            cursor.execute("ANALYZE audit_accesslogperson")
    return time.perf_counter() - started


def put_back(before: _Before) -> None:
    """Remove what the benchmark appended and put the lane heads back (as the owner of the
    benchmark database, with the append-only triggers switched off for that only)."""
    import importlib

    from django.db import connection, transaction

    migration = importlib.import_module("heltid.audit.migrations.0004_access_log_lanes")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in migration.GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in migration.SQLITE_REVERSE:
                cursor.execute(statement)
        cursor.execute("DELETE FROM audit_sealhead WHERE seal_id > %s", [before.last_seal])
        cursor.execute("DELETE FROM audit_seal WHERE number > %s", [before.last_seal])
        cursor.execute("DELETE FROM audit_accesslogperson WHERE entry_id > %s", [before.last_id])
        cursor.execute("DELETE FROM audit_accesslog WHERE id > %s", [before.last_id])
        for lane, (number, digest) in before.heads.items():
            cursor.execute(
                "UPDATE audit_lanehead SET number = %s, hash = %s WHERE lane = %s",
                [number, digest, lane],
            )
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks for ALTER TABLE
            for table in migration.GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for statement in migration.SQLITE:
                cursor.execute(statement)
    if connection.vendor == "postgresql":  # the next run meets no million dead rows
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE audit_accesslog, audit_accesslogperson")


def bench_audit_verify() -> list[Result]:
    from heltid.audit.services import verify_chain

    count = int(os.environ.get("AUDIT_BENCH_ENTRIES", ENTRIES))
    workers = int(os.environ.get("AUDIT_BENCH_WORKERS", "1"))
    vendor = _vendor()
    before = _before()
    try:
        filling = fill(count, before)
        print(f"audit-verify: {count:,} entries written in {filling:.1f} s ({vendor})", flush=True)
        started = time.perf_counter()
        result = verify_chain(workers=workers)
        elapsed = time.perf_counter() - started
    finally:
        put_back(before)
    if not result.ok or result.checked < count:
        raise SystemExit(f"verify did not pass the benchmark's log: {result}")
    return [
        Result(
            f"audit verify, {count:,} entries, {workers} process(es) ({vendor})",
            VERIFY_BUDGET,
            elapsed,
            "s",
        )
    ]


class _RollBack(Exception):
    pass


def bench_log_lock() -> list[Result]:
    """A batch job's open transaction that logged 35,000 persons does not hold up a single
    access logged from another connection (PostgreSQL; SQLite serialises all writers)."""
    from django.db import connection, connections, transaction

    from heltid.audit.models import Action
    from heltid.audit.services import Entry, log_access, log_entries

    if connection.vendor != "postgresql":
        print("log-lock: PostgreSQL only (SQLite runs one writer at a time)")
        return []
    logged = threading.Event()
    errors: list[BaseException] = []

    def batch_job() -> None:
        try:
            with transaction.atomic():
                log_entries(
                    user=None,
                    actor="cli",
                    page="cli:statistics-file",
                    entries=[
                        Entry(Action.EXPORT, pk, {"month": "2026-11"})
                        for pk in range(1, BATCH_PERSONS + 1)
                    ],
                )
                logged.set()
                time.sleep(BATCH_KEEPS_WORKING)  # writing the file, in the same transaction
                raise _RollBack  # leaves the benchmark database as it was
        except _RollBack:
            pass
        except BaseException as exc:
            errors.append(exc)
            logged.set()
        finally:
            connections.close_all()

    job = threading.Thread(target=batch_job)
    job.start()
    logged.wait(timeout=120)
    timings = []
    for i in range(5):
        started = time.perf_counter()
        log_access(user=None, action=Action.VIEW, person_id=i + 1, page="/personer/1/")
        timings.append(time.perf_counter() - started)
    job.join(timeout=120)
    if errors:
        raise SystemExit(f"the batch job failed: {errors[0]!r}")
    return [
        Result(
            f"single log entry while a batch holds {BATCH_PERSONS:,} persons (max of 5)",
            LOCK_BUDGET,
            max(timings),
            "s",
        )
    ]


if __name__ == "__main__":  # python -m benchmarks.audit_log
    raise SystemExit("run through the benchmarks: python -m benchmarks audit-verify log-lock")
