"""No single hot row (decision 0021): a transaction that has appended to the log and stays open
— a batch job logging 35,000 persons and then writing its file — holds only its own lane; a
second writer takes another lane at once. Only when every lane is held does a writer wait.

PostgreSQL only: SQLite runs one writing transaction at a time whatever the log does. A writer
that would wait fails the test through ``lock_timeout`` instead (no timing is measured)."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import pytest
from django.db import OperationalError, connection, connections, transaction

from heltid.audit import services
from heltid.audit.models import LANES, AccessLog, Action
from heltid.audit.services import Entry, log_access, log_entries, verify_chain
from tests.factories import PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@contextmanager
def _held_open(work: Callable[[], None]) -> Iterator[None]:
    """Run ``work`` in a transaction of another connection and keep that transaction open (it
    holds what it locked) until the block ends."""
    done, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with transaction.atomic():
                work()
                done.set()
                release.wait(timeout=120)
        except BaseException as exc:
            errors.append(exc)
            done.set()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    done.wait(timeout=120)
    try:
        assert errors == []
        yield
    finally:
        release.set()
        thread.join(timeout=120)
    assert errors == []


def _without_waiting(work: Callable[[], None], timeout: str = "2s") -> None:
    """``work`` in a transaction that fails instead of waiting for a lock."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{timeout}'")
        work()


def test_append__while_a_batch_that_logged_keeps_its_transaction_open__does_not_wait() -> None:
    persons = [PersonFactory().pk for _ in range(3)]
    batch = [Entry(Action.EXPORT, pk, {"month": "2026-11"}) for pk in persons * 100]

    held: list[int] = []

    def log_batch() -> None:
        log_entries(user=None, actor="cli", page="cli:statistics-file", entries=batch)
        held.append(services._this_thread.lane)

    with _held_open(log_batch):
        services._this_thread.lane = held[0]  # this thread would rather have that very lane
        _without_waiting(
            lambda: log_access(user=None, action=Action.VIEW, person_id=persons[0], page="/p/")
        )
    lanes = list(AccessLog.objects.order_by("id").values_list("lane", "actor"))
    assert len(lanes) == 2 and lanes[0][0] != lanes[1][0]
    assert verify_chain().ok


def test_append__one_transaction_logging_twice__holds_one_lane() -> None:
    def log_twice() -> None:
        log_access(user=None, action=Action.VIEW, page="/1/", actor="twice")
        log_access(user=None, action=Action.VIEW, page="/2/", actor="twice")

    with transaction.atomic():
        log_twice()
    assert AccessLog.objects.filter(actor="twice").values("lane").distinct().count() == 1


def test_append__every_lane_held__waits_for_one() -> None:
    with ExitStack() as held:
        for n in range(LANES):
            held.enter_context(
                _held_open(
                    lambda n=n: log_access(user=None, action=Action.VIEW, page=f"/held/{n}/")
                )
            )
        assert AccessLog.objects.count() == 0  # nothing committed yet
        with pytest.raises(OperationalError, match="lock timeout"):
            _without_waiting(
                lambda: log_access(user=None, action=Action.VIEW, page="/waits/"), "200ms"
            )
    log_access(user=None, action=Action.VIEW, page="/after/")
    assert AccessLog.objects.values("lane").distinct().count() == LANES
    assert verify_chain().ok
