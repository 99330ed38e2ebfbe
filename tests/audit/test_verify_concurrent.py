"""`heltid audit verify` is exact while others append: it never reports a break that is not
there, and still reports one that is. Eight writers, each in its own connection and
transaction (PostgreSQL: truly concurrent, the head row taken FOR UPDATE).

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

from heltid.audit.models import Action
from heltid.audit.services import VerifyResult, log_access, verify_chain

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


def _append(page: str, actor: str) -> None:
    log_access(user=None, action=Action.VIEW, page=page, actor=actor)


def _verify() -> VerifyResult:
    return _retrying(verify_chain)


def _verify_while_writing() -> tuple[list[VerifyResult], list[BaseException]]:
    barrier = threading.Barrier(WRITERS + 1)
    errors: list[BaseException] = []
    turns = threading.Lock() if connection.vendor == "sqlite" else nullcontext()

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(EACH):
                with turns:
                    _retrying(partial(_append, f"/w/{n}/{i}/", f"w{n}"))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    barrier.wait()
    results = []
    while any(thread.is_alive() for thread in threads):
        results.append(_verify())
    for thread in threads:
        thread.join(timeout=120)
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


@pytest.mark.django_db(transaction=True)
def test_verify__while_appending__a_tampered_entry_is_still_reported() -> None:
    _seed()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_accesslog DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslog_no_update")
        cursor.execute("UPDATE audit_accesslog SET actor = 'someone-else' WHERE seq = 3")
    results, errors = _verify_while_writing()
    assert errors == []
    assert [(r.ok, r.broken_seq) for r in results] == [(False, 3)] * len(results)
