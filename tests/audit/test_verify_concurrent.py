"""`heltid audit verify` is exact while others append: it never reports a break that is not
there, and still reports one that is. Eight writers, each in its own connection and
transaction (PostgreSQL: truly concurrent, each taking a free lane head FOR UPDATE SKIP LOCKED),
and a sealer sealing between the verifications.

The SQLite test database is in memory, shared between connections: there a busy connection
answers "database table is locked" at once instead of waiting as a file database does (where
IMMEDIATE transactions serialise writers and WAL readers never wait). So on SQLite the
writers take turns through a lock here, and verify starts again when it meets a lock; it still
runs between the writers' commits."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import nullcontext
from functools import partial
from typing import TypeVar

import pytest
from django.db import OperationalError, connection, connections

from heltid.audit.models import AccessLog, Action
from heltid.audit.services import Entry, VerifyResult, log_access, log_entries, seal, verify_chain
from tests.factories import PersonFactory

T = TypeVar("T")
WRITERS = 8
EACH = 25


def _retrying(work: Callable[[], T]) -> T:
    """On the in-memory SQLite only: again, when the shared database was locked."""
    for _attempt in range(1000):
        try:
            return work()
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.002)
    raise AssertionError("the test database stayed locked")


def _append(page: str, actor: str, persons: tuple[int, ...] = ()) -> None:
    """One access, or (when given persons) one bulk operation naming them."""
    if persons:
        log_entries(
            user=None,
            entries=[Entry(Action.EXPORT, p, {"page": page}) for p in persons],
            actor=actor,
        )
    else:
        log_access(user=None, action=Action.VIEW, page=page, actor=actor)


def _verify() -> VerifyResult:
    return _retrying(verify_chain)


def _verify_while_writing() -> tuple[list[VerifyResult], list[BaseException]]:
    barrier = threading.Barrier(WRITERS + 2)
    errors: list[BaseException] = []
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()
    persons = tuple(PersonFactory().pk for _ in range(3))
    writing = threading.Event()
    writing.set()

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                named = persons if i % 3 == 0 else ()
                with turns:
                    _retrying(partial(_append, f"/w/{n}/{i}/", f"w{n}", named))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def sealer() -> None:
        try:
            barrier.wait()
            while writing.is_set():
                with turns:
                    _retrying(seal)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    sealing = threading.Thread(target=sealer)
    for thread in [*threads, sealing]:
        thread.start()
    barrier.wait()
    results = []
    while any(thread.is_alive() for thread in threads):
        results.append(_verify())
    for thread in threads:
        thread.join(timeout=120)
    writing.clear()
    sealing.join(timeout=120)
    results.append(_verify())
    return results, errors


def _seed(count: int = 5) -> None:
    for i in range(count):
        log_access(user=None, action=Action.VIEW, page=f"/seed/{i}/", actor="seed")


@pytest.mark.django_db(transaction=True)
def test_verify__while_eight_threads_append__never_reports_a_break() -> None:
    _seed()
    results, errors = _verify_while_writing()
    assert errors == []
    broken = [r for r in results if not r.ok]
    assert broken == []
    assert results[-1].checked == 5 + WRITERS * EACH
    assert results[-1].seals >= 1


@pytest.mark.django_db(transaction=True)
def test_verify__while_appending__a_tampered_entry_is_still_reported() -> None:
    _seed()
    third = AccessLog.objects.order_by("pk")[2]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslog DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslog_no_update")
        cursor.execute(
            "UPDATE audit_accesslog SET actor = 'someone-else' WHERE id = %s", [third.pk]
        )
    results, errors = _verify_while_writing()
    assert errors == []
    assert [[(b.lane, b.number) for b in r.breaks] for r in results] == [
        [(third.lane, third.number)]
    ] * len(results)
