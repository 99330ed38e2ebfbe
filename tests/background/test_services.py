"""Background work on the database queue (decision 0022): one computation per kind, key and
day however many ask; the real worker (``heltid db_worker``) stores the result; stale results
are asked for again once; failures are kept and retried; the schedule enqueues what is due."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heltid.audit.models import Action, Seal
from heltid.audit.services import Entry, log_entries
from heltid.background import services
from heltid.background.models import Status, StoredFile, StoredResult
from heltid.background.services import Built, FileOut
from heltid.casework.models import Worklist
from heltid.insights.models import Snapshot
from tests.background.worker import run_worker
from tests.clock import suite_today
from tests.factories import PersonFactory

TODAY = suite_today()
KIND = "test-echo"


@pytest.fixture
def echo(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[tuple[date, dict[str, Any]]]]:
    """A kind whose builder records its calls and returns its parameters, with a file."""
    calls: list[tuple[date, dict[str, Any]]] = []

    def build(day: date, params: dict[str, Any]) -> Built:
        calls.append((day, params))
        if params.get("fail"):
            raise RuntimeError("the registers could not be read")
        return Built(
            payload={"day": day.isoformat(), **params},
            files=(FileOut("txt", "echo.txt", "text/plain", b"echo"),),
        )

    monkeypatch.setitem(services.KINDS, KIND, services.Kind(build, timedelta(days=1)))
    yield calls


@pytest.mark.django_db
def test_request__four_calls__one_claim_and_one_task(echo: list[Any]) -> None:
    readings = [services.request(KIND, "k", TODAY, params={"n": 1}) for _ in range(4)]
    assert all(r.being_made and r.shown is None for r in readings)
    assert StoredResult.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
    assert not echo  # nothing computed in the request


@pytest.mark.django_db
def test_worker__db_worker_runs_the_task__payload_and_files_stored(echo: list[Any]) -> None:
    services.request(KIND, "k", TODAY, params={"n": 1})
    run_worker()
    row = StoredResult.objects.get()
    assert row.status == Status.DONE and row.payload == {"day": TODAY.isoformat(), "n": 1}
    assert row.computed_at is not None and row.seconds is not None
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    reading = services.request(KIND, "k", TODAY, params={"n": 1})
    assert reading.fresh and reading.payload == row.payload
    stored = services.stored_file(reading, "txt")
    assert stored is not None and bytes(stored.content) == b"echo"
    assert len(echo) == 1
    assert DBTaskResult.objects.count() == 1  # fresh: not asked for again


@pytest.mark.django_db
def test_stale__claimed_again_once__the_old_payload_shown_meanwhile(echo: list[Any]) -> None:
    services.request(KIND, "k", TODAY, params={"n": 1})
    run_worker()
    old = timezone.now() - timedelta(hours=2)
    StoredResult.objects.update(computed_at=old)
    readings = [services.request(KIND, "k", TODAY, params={"n": 2}) for _ in range(4)]
    assert all(r.being_made and not r.fresh and r.payload == {"day": TODAY.isoformat(), "n": 1}
               for r in readings)  # fmt: skip
    assert DBTaskResult.objects.count() == 2
    run_worker()
    reading = services.request(KIND, "k", TODAY, params={"n": 2})
    assert reading.fresh and reading.payload == {"day": TODAY.isoformat(), "n": 2}


@pytest.mark.django_db
def test_past_day__computed_on_the_day__made_again_from_the_final_figures(
    echo: list[Any],
) -> None:
    yesterday = TODAY - timedelta(days=1)
    services.request(KIND, "k", yesterday, params={})
    run_worker()
    row = StoredResult.objects.get()
    now = timezone.now()
    assert services.is_fresh(row, now=now)  # computed today, after the day was over
    on_the_day = timezone.make_aware(
        timezone.datetime.combine(yesterday, timezone.datetime.min.time())
    )
    row.computed_at = on_the_day + timedelta(hours=20)
    assert not services.is_fresh(row, now=now)  # preliminary figures of a day now over


@pytest.mark.django_db
def test_failed__kept_with_its_message__asked_for_again_after_a_while(echo: list[Any]) -> None:
    services.request(KIND, "k", TODAY, params={"fail": True})
    run_worker()
    row = StoredResult.objects.get()
    assert row.status == Status.FAILED and "could not be read" in row.error
    assert DBTaskResult.objects.get().status == "FAILED"
    reading = services.request(KIND, "k", TODAY, params={"fail": True})
    assert reading.failed and DBTaskResult.objects.count() == 1
    later = timezone.now() + services.RETRY_AFTER
    again = services.request(KIND, "k", TODAY, params={"fail": False}, now=later)
    assert again.being_made and DBTaskResult.objects.count() == 2
    run_worker()
    assert StoredResult.objects.get().status == Status.DONE


@pytest.mark.django_db
def test_lost_claim__asked_for_again_after_the_stuck_time(echo: list[Any]) -> None:
    services.request(KIND, "k", TODAY, params={})
    DBTaskResult.objects.all().delete()  # a worker killed mid-task: the claim stays queued
    soon = services.request(KIND, "k", TODAY, params={})
    assert soon.being_made and not DBTaskResult.objects.exists()
    later = timezone.now() + services.STUCK_AFTER
    services.request(KIND, "k", TODAY, params={}, now=later)
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db
def test_prune__results_past_their_time_and_their_files_go(echo: list[Any]) -> None:
    services.request(KIND, "k", TODAY, params={})
    run_worker()
    assert services.prune(now=timezone.now()) == 0
    assert services.prune(now=timezone.now() + timedelta(days=2)) == 2  # the row and its file
    assert not StoredResult.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.django_db
def test_forget__a_corrected_day_is_made_anew(echo: list[Any]) -> None:
    day = TODAY - timedelta(days=3)
    services.request(KIND, "k", day, params={})
    services.request(KIND, "k", TODAY, params={})
    assert services.forget(day=day) == 1
    assert list(StoredResult.objects.values_list("day", flat=True)) == [TODAY]


@pytest.mark.django_db
def test_schedule__yesterday_today_and_the_default_pages__enqueued_once(staff: Any) -> None:
    people = [PersonFactory(unit=staff.unit, support_since=date(2025, 1, 1)) for _ in range(6)]
    Worklist.objects.filter(person__in=people[:2]).delete()  # as if written around the models
    log_entries(user=staff, entries=[Entry(Action.VIEW, people[0].pk)])
    call_command("schedule", verbosity=0)
    tasks = DBTaskResult.objects.count()
    assert tasks == 5  # two snapshots, the start page, the dashboard, the worklists' refresh
    assert Seal.objects.count() == 1  # the access log sealed on the run, without the queue
    call_command("schedule", verbosity=0)  # again before the worker ran: nothing new
    assert DBTaskResult.objects.count() == tasks
    run_worker()
    stored = {(s.on, s.provisional) for s in Snapshot.objects.all()}
    assert stored == {(TODAY - timedelta(days=1), False), (TODAY, True)}
    assert set(StoredResult.objects.values_list("kind", "status")) == {
        ("snapshot", "done"),
        ("dashboard", "done"),
        ("statistics", "done"),
        ("worklists", "done"),
    }
    assert Worklist.objects.filter(person__in=people, computed_on=TODAY).count() == 6
    call_command("schedule", verbosity=0)  # everything fresh: nothing enqueued
    assert DBTaskResult.objects.count() == tasks
    assert Seal.objects.count() == 1  # nothing logged since: no new seal


def _ask_at_once(n: int) -> list[services.Reading]:
    """``n`` threads, each with its own database connection, ask at the same moment."""
    barrier = threading.Barrier(n)
    readings: list[services.Reading] = []
    errors: list[BaseException] = []

    def ask() -> None:
        try:
            barrier.wait(timeout=10)
            readings.append(services.request(KIND, "together", TODAY, params={}))
        except BaseException as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=ask) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert not errors, errors
    return readings


@pytest.mark.postgres  # SQLite's in-memory test database locks tables instead of waiting
@pytest.mark.django_db(transaction=True)
def test_request__four_concurrent_requests__one_task(echo: list[Any]) -> None:
    readings = _ask_at_once(4)
    assert len(readings) == 4 and all(r.being_made for r in readings)
    assert StoredResult.objects.count() == 1
    assert DBTaskResult.objects.count() == 1
