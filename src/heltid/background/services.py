"""Background work on the database queue (decision 0022): ask for a result, read the last one.

A page never computes a population. It calls :func:`request` with what it shows (``kind``), for
which filter or period (``key``) and which day's figures (``day``), and gets a
:class:`Reading`: the stored result to show (this day's, or with ``fallback`` the latest
earlier day's of the same key), whether it is fresh, and whether a new one is being made.

The first request for a kind, key and day claims a :class:`StoredResult` row — unique on the
three — and enqueues one task in the same transaction; any other request at the same moment
finds the claim (or loses the insert) and enqueues nothing. A stale result (today's figures
older than ``HELTID_STATISTICS_MAX_AGE_MINUTES``, or a past day's computed before the day was
over) is claimed again by a compare-and-set update that only one request wins, and is shown
with its age until the worker (``heltid db_worker``) has made the new one.

What a kind computes is registered by the app that owns it with :func:`builder`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from heltid.background.models import Status, StoredFile, StoredResult

logger = logging.getLogger(__name__)

# A claim whose task has neither finished nor failed after this long is taken to be lost (a
# worker killed mid-task) and claimed again.
STUCK_AFTER = timedelta(minutes=30)
# A failed computation is tried again at the next request after this long.
RETRY_AFTER = timedelta(minutes=10)


@dataclass(frozen=True)
class FileOut:
    """A file a builder made: its format (``pdf``), file name, content type and bytes."""

    name: str
    filename: str
    content_type: str
    content: bytes


@dataclass(frozen=True)
class Built:
    """What a builder returns: a JSON-able payload, and any files."""

    payload: dict[str, Any]
    files: tuple[FileOut, ...] = ()


Builder = Callable[[date, dict[str, Any]], Built]


@dataclass(frozen=True)
class Kind:
    build: Builder
    keep: timedelta  # how long a result is kept after it was computed (pruned by the schedule)


KINDS: dict[str, Kind] = {}


def builder(kind: str, *, keep: timedelta = timedelta(days=14)) -> Callable[[Builder], Builder]:
    """Register the function that computes ``kind`` (``build(day, params) -> Built``)."""

    def register(build: Builder) -> Builder:
        KINDS[kind] = Kind(build=build, keep=keep)
        return build

    return register


def max_age() -> timedelta:
    return timedelta(minutes=settings.HELTID_STATISTICS_MAX_AGE_MINUTES)


def is_fresh(row: StoredResult, *, now: datetime) -> bool:
    """A day not yet over: computed within the maximum age. A past day: computed after the
    day was over (from its final figures, which only a correction changes)."""
    if row.computed_at is None:
        return False
    today = timezone.localdate(now)
    if row.day >= today:
        return now - row.computed_at < max_age()
    return timezone.localdate(row.computed_at) > row.day


@dataclass(frozen=True)
class Reading:
    """What a page shows: ``shown`` (None: nothing stored yet for this key), for ``day``."""

    kind: str
    key: str
    day: date
    status: str  # the asked day's computation: queued, running, done or failed
    shown: StoredResult | None
    fresh: bool  # ``shown`` is the asked day's, and fresh
    computed_at: datetime | None = field(default=None)

    @property
    def payload(self) -> dict[str, Any] | None:
        return self.shown.payload if self.shown is not None else None

    @property
    def being_made(self) -> bool:
        return self.status in (Status.QUEUED, Status.RUNNING)

    @property
    def failed(self) -> bool:
        return self.status == Status.FAILED

    @property
    def of_another_day(self) -> bool:
        return self.shown is not None and self.shown.day != self.day


def request(
    kind: str,
    key: str,
    day: date,
    *,
    params: dict[str, Any],
    fallback: bool = False,
    now: datetime | None = None,
) -> Reading:
    """The stored result of ``kind``, ``key`` and ``day``, asking for a computation when there
    is none or it is stale — once, however many ask at the same moment. With ``fallback``, a
    key without a result for ``day`` yet shows its latest earlier day's result. One query when
    the result is there and fresh; a handful when it is asked for."""
    if kind not in KINDS:
        raise KeyError(f"no builder registered for {kind!r}")
    now = now or timezone.now()
    row = StoredResult.objects.filter(kind=kind, key=key, day=day).first()
    if row is None:
        row = _claim_new(kind, key, day, params=params, now=now)
    elif _due(row, now=now):
        row = _claim_again(row, params=params, now=now)
    shown: StoredResult | None = row if row.computed_at is not None else None
    if shown is None and fallback:
        shown = (
            StoredResult.objects.filter(kind=kind, key=key, day__lt=day, computed_at__isnull=False)
            .order_by("-day")
            .first()
        )
    fresh = shown is row and row.status == Status.DONE and is_fresh(row, now=now)
    return Reading(
        kind=kind,
        key=key,
        day=day,
        status=row.status,
        shown=shown,
        fresh=fresh,
        computed_at=shown.computed_at if shown is not None else None,
    )


def _due(row: StoredResult, *, now: datetime) -> bool:
    """Whether the row needs a new computation now."""
    if row.status == Status.DONE:
        return not is_fresh(row, now=now)
    if row.status == Status.FAILED:
        return now - (row.finished_at or row.claimed_at) >= RETRY_AFTER
    return now - row.claimed_at >= STUCK_AFTER  # queued or running: lost?


def _enqueue(row: StoredResult) -> None:
    from heltid.background.tasks import compute

    result = compute.enqueue(row.pk)
    StoredResult.objects.filter(pk=row.pk).update(task_id=str(result.id))
    row.task_id = str(result.id)


def _claim_new(
    kind: str, key: str, day: date, *, params: dict[str, Any], now: datetime
) -> StoredResult:
    try:
        with transaction.atomic():
            row = StoredResult.objects.create(
                kind=kind, key=key, day=day, params=params, claimed_at=now
            )
            _enqueue(row)
            return row
    except IntegrityError:  # another request claimed it at the same moment: theirs
        return StoredResult.objects.get(kind=kind, key=key, day=day)


def _claim_again(row: StoredResult, *, params: dict[str, Any], now: datetime) -> StoredResult:
    """Compare and set: only the request whose update finds the row as it read it enqueues."""
    with transaction.atomic():
        won = StoredResult.objects.filter(
            pk=row.pk, status=row.status, claimed_at=row.claimed_at
        ).update(status=Status.QUEUED, claimed_at=now, params=params, error="")
        if won:
            row.status, row.claimed_at, row.params, row.error = Status.QUEUED, now, params, ""
            _enqueue(row)
            return row
    return StoredResult.objects.get(pk=row.pk)


def run(result_id: int) -> dict[str, Any]:
    """Compute a claimed result (the task's body): mark it running, build it, store the payload
    and files, mark it done. A result no longer queued (done meanwhile by another run) is left
    as it is. A failure is stored with its message and raised, so the queue records it too."""
    with transaction.atomic():
        row = StoredResult.objects.select_for_update().filter(pk=result_id).first()
        if row is None or row.status != Status.QUEUED:
            return {"result": result_id, "skipped": row.status if row else "gone"}
        row.status, row.started_at = Status.RUNNING, timezone.now()
        row.save(update_fields=["status", "started_at"])
    started = time.perf_counter()
    try:
        built = KINDS[row.kind].build(row.day, row.params)
    except Exception as exc:
        logger.exception("background result %s (%s %s) failed", row.pk, row.kind, row.key)
        StoredResult.objects.filter(pk=row.pk).update(
            status=Status.FAILED,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            finished_at=timezone.now(),
        )
        raise
    seconds = round(time.perf_counter() - started, 3)
    finished = timezone.now()
    with transaction.atomic():
        stored = StoredResult.objects.filter(pk=row.pk).update(
            status=Status.DONE,
            payload=built.payload,
            computed_at=finished,
            finished_at=finished,
            seconds=seconds,
            error="",
        )
        if not stored:  # forgotten (a correction) or pruned meanwhile: nothing to keep
            return {"result": row.pk, "skipped": "gone"}
        StoredFile.objects.filter(result_id=row.pk).delete()
        StoredFile.objects.bulk_create(
            StoredFile(
                result_id=row.pk,
                name=f.name,
                filename=f.filename,
                content_type=f.content_type,
                content=f.content,
            )
            for f in built.files
        )
    return {"result": row.pk, "kind": row.kind, "day": row.day.isoformat(), "seconds": seconds}


def stored_file(reading: Reading, name: str) -> StoredFile | None:
    """The file ``name`` of the shown result, when it is the asked day's and fresh."""
    if not reading.fresh or reading.shown is None:
        return None
    return StoredFile.objects.filter(result=reading.shown, name=name).first()


def forget(*, day: date) -> int:
    """Drop every stored result made from ``day``'s figures (after a correction of the day:
    the next request makes them anew from the corrected edition). Returns how many."""
    deleted, _by_model = StoredResult.objects.filter(day=day).delete()
    return deleted


def prune(*, now: datetime | None = None) -> int:
    """Delete results kept longer than their kind allows (exports with personal data within a
    day). Returns how many rows went."""
    now = now or timezone.now()
    gone = 0
    for kind, spec in KINDS.items():
        old = now - spec.keep
        deleted, _by_model = (
            StoredResult.objects.filter(kind=kind)
            .filter(Q(computed_at__lt=old) | Q(computed_at__isnull=True, claimed_at__lt=old))
            .exclude(status__in=(Status.QUEUED, Status.RUNNING), claimed_at__gte=old)
            .delete()
        )
        gone += deleted
    return gone


# --- the schedule ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """A result the schedule keeps made: kind, key, day and the builder's parameters."""

    kind: str
    key: str
    day: date
    params: dict[str, Any]


Planner = Callable[[date], Iterable[Due]]
PLANNERS: list[Planner] = []


def scheduled(planner: Planner) -> Planner:
    """Register a function that names the results to keep made on a day (``heltid
    schedule``): yesterday's final figures, today's preliminary ones, the default pages."""
    PLANNERS.append(planner)
    return planner


def schedule(*, now: datetime | None = None) -> list[Reading]:
    """Ask for every planned result of today, in the planners' order; only what is missing or
    stale is enqueued (once). Prunes old results first."""
    now = now or timezone.now()
    prune(now=now)
    today = timezone.localdate(now)
    return [
        request(due.kind, due.key, due.day, params=due.params, now=now)
        for planner in PLANNERS
        for due in planner(today)
    ]
