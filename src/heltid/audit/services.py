"""Writing to the access log: entries, bulk operations and seals (decision records 0003, 0021).

Verification lives in :mod:`heltid.audit.verification` (``verify_chain`` is re-exported here)."""

from __future__ import annotations

import random
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Mod
from django.utils import timezone
from django.utils.crypto import salted_hmac

from heltid.audit import context
from heltid.audit.chain import EntryHasher, seal_hash
from heltid.audit.models import (
    GENESIS,
    LANES,
    AccessLog,
    AccessLogPerson,
    Action,
    LaneHead,
    Seal,
    SealHead,
)
from heltid.audit.verification import VerifyResult, verify_chain
from heltid.bulk import insert_rows

__all__ = [
    "Entry",
    "VerifyResult",
    "ensure_lanes",
    "log_access",
    "log_entries",
    "seal",
    "search_detail",
    "search_key",
    "verify_chain",
]


@dataclass(frozen=True)
class Entry:
    action: Action
    person_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def _actor_of(user: Any, actor: str | None) -> tuple[int | None, str]:
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.pk), actor or str(user.get_username())
    return None, actor or "system"


def ensure_lanes() -> None:
    """The lane heads 1..LANES, made if missing (the migration makes them; a flushed test
    database has none)."""
    LaneHead.objects.bulk_create(
        [LaneHead(lane=lane) for lane in range(1, LANES + 1)], ignore_conflicts=True
    )


_this_thread = threading.local()  # the lane this thread's connection appended to last


def _lane_for_this_transaction() -> LaneHead:
    """Lock and return a lane head to append to.

    PostgreSQL: the first lane head nobody holds (``FOR UPDATE SKIP LOCKED``), trying first the
    lane this connection appended to last — in the same transaction, it holds that lane
    already, so a transaction that logs many times holds one lane — then the others in a
    random rotation. Only when every lane is held by another transaction does it wait.
    SQLite runs every transaction as ``BEGIN IMMEDIATE``, so writers are serialised anyway:
    the lanes are taken in turn."""
    last = getattr(_this_thread, "lane", 0)
    if connection.vendor != "postgresql":
        lane = last % LANES + 1
        if not LaneHead.objects.filter(lane=lane).exists():
            ensure_lanes()
        _this_thread.lane = lane
        return LaneHead.objects.get(lane=lane)
    lanes = LaneHead.objects.filter(lane__gte=1)
    rotation = random.randrange(LANES)
    free = (
        lanes.select_for_update(skip_locked=True)
        .annotate(
            mine=Case(When(lane=last, then=Value(0)), default=Value(1)),
            turn=Mod(F("lane") + Value(rotation), Value(LANES + 1), output_field=IntegerField()),
        )
        .order_by("mine", "turn")
        .first()
    )
    head: LaneHead
    if free is not None:
        head = free
    else:
        if not lanes.exists():
            ensure_lanes()
        # every lane is held: wait for one (the one last used, else one at random)
        head = lanes.select_for_update().get(lane=last or rotation % LANES + 1)
    _this_thread.lane = head.lane
    return head


def _operation(entries: list[Entry]) -> tuple[str, int | None, Any, list[Entry]]:
    """What the chained row itself records (action, person, detail) and the persons it names.

    One entry is one row naming its person. Several entries are one operation: its persons go
    to the side table, each with their own action and detail; the row takes the action and
    detail of the operation's one entry without a person (an import's summary), else the
    action the entries share (or ``several``); several entries without a person are kept,
    in order, in the row's detail."""
    if len(entries) == 1:
        only = entries[0]
        return only.action, only.person_id, only.detail, []
    named = [e for e in entries if e.person_id is not None]
    unnamed = [e for e in entries if e.person_id is None]
    if len(unnamed) == 1:
        return unnamed[0].action, None, unnamed[0].detail, named
    actions = {str(e.action) for e in entries}
    action = actions.pop() if len(actions) == 1 else Action.SEVERAL
    detail: Any = (
        {"entries": [{"action": str(e.action), "detail": e.detail} for e in unnamed]}
        if unnamed
        else {}
    )
    return action, None, detail, named


def log_entries(
    *, user: Any, entries: Iterable[Entry], page: str = "", actor: str | None = None
) -> int:
    """Append one chained entry for these entries in one transaction: one entry is one row
    naming its person; several are one operation naming every person (decision 0021).
    Returns how many entries were logged."""
    entries = list(entries)
    if not entries:
        return 0
    user_id, actor_name = _actor_of(user, actor)
    at = timezone.now()
    page = page[:300]
    action, person_id, detail, named = _operation(entries)
    action = str(action)
    with transaction.atomic():
        head = _lane_for_this_transaction()
        number = head.number + 1
        hasher = EntryHasher(
            prev_hash=head.hash,
            lane=head.lane,
            number=number,
            at=at,
            user_id=user_id,
            actor=actor_name,
            action=action,
            person_id=person_id,
            page=page,
            detail=detail,
            persons=len(named),
        )
        for entry in named:
            hasher.add_person(int(entry.person_id or 0), str(entry.action), entry.detail)
        digest = hasher.hexdigest()
        row = AccessLog.objects.create(
            lane=head.lane,
            number=number,
            at=at,
            user_id=user_id,
            actor=actor_name,
            action=action,
            person_id=person_id,
            page=page,
            detail=detail,
            persons=len(named),
            prev_hash=head.hash,
            hash=digest,
        )
        insert_rows(
            AccessLogPerson,
            [
                AccessLogPerson(
                    entry_id=row.pk,
                    position=position,
                    person_id=cast(int, entry.person_id),  # named: never None
                    action=str(entry.action),
                    detail=entry.detail,
                )
                for position, entry in enumerate(named)
            ],
        )
        LaneHead.objects.filter(lane=head.lane).update(number=number, hash=digest)
    context.written(entries)
    return len(entries)


def log_access(
    *,
    user: Any,
    action: Action,
    person_id: int | None = None,
    page: str = "",
    detail: dict[str, Any] | None = None,
    actor: str | None = None,
) -> None:
    log_entries(
        user=user,
        entries=[Entry(action=action, person_id=person_id, detail=detail or {})],
        page=page,
        actor=actor,
    )


# any fixed number: the key of the advisory lock that serialises seals on PostgreSQL
_SEAL_LOCK = 0x48E17_5EA1


def seal() -> Seal | None:
    """Record the head of every lane that moved since the last seal, chained to that seal.

    Run it every few minutes (``heltid audit seal``, or as a scheduled task): an entry older
    than the last seal cannot be removed or altered, even with its lane's head rewritten, without
    ``heltid audit verify`` naming it (decision 0021). Returns the new seal, or None when no
    lane moved. Appenders are not held up: the heads are read as committed, without locks."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # one sealer at a time
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_SEAL_LOCK])
        last = Seal.objects.order_by("-number").values_list("number", "hash").first()
        number, prev = (last[0] + 1, last[1]) if last else (1, GENESIS)
        last_sealed = (
            SealHead.objects.filter(lane=OuterRef("lane")).order_by("-number").values("number")[:1]
        )
        heads = [
            (lane, lane_number, digest)
            for lane, lane_number, digest, sealed in LaneHead.objects.annotate(
                sealed=Subquery(last_sealed)
            )
            .order_by("lane")
            .values_list("lane", "number", "hash", "sealed")
            if lane_number != (sealed or 0)
        ]
        if not heads:
            return None
        at = timezone.now()
        made = Seal.objects.create(
            number=number,
            at=at,
            prev_hash=prev,
            hash=seal_hash(prev_hash=prev, number=number, at=at, heads=heads),
        )
        SealHead.objects.bulk_create(
            [SealHead(seal=made, lane=lane, number=n, hash=h) for lane, n, h in heads]
        )
    return made


def search_key(query: str) -> str:
    """A keyed hash of a search text, the same for the same words in any case and spacing (and
    for a personal identity number with or without its dash): who searched for a given name
    can be checked by computing it, but the log itself never holds a name."""
    text = " ".join(query.lower().split())
    if text and all(c.isdigit() or c in " +-" for c in text):
        text = "".join(c for c in text if c.isdigit())
    return salted_hmac("heltid.audit.search", text).hexdigest()[:32]


def search_detail(query: str, *, shown: list[int]) -> dict[str, Any]:
    """What the log keeps of a search: the length and keyed hash of the text, never the text,
    and the persons the page showed (named only through the protected-identity check)."""
    return {"query_length": len(query), "query_key": search_key(query), "shown": shown}
