"""Writing to and verifying the access log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction

from heltid.audit.chain import GENESIS, entry_hash
from heltid.audit.models import AccessLog, Action, ChainHead
from heltid.bulk import insert_rows


@dataclass(frozen=True)
class Entry:
    action: Action
    person_id: int | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def _actor_of(user: Any, actor: str | None) -> tuple[int | None, str]:
    if user is not None and getattr(user, "is_authenticated", False):
        return int(user.pk), actor or str(user.get_username())
    return None, actor or "system"


def _locked_head() -> ChainHead:
    if connection.vendor == "postgresql":
        # serialise appenders across processes; SQLite serialises with IMMEDIATE transactions
        head, _ = ChainHead.objects.select_for_update().get_or_create(singleton=1)
        return head
    head, _ = ChainHead.objects.get_or_create(singleton=1)
    return head


def log_entries(
    *, user: Any, entries: Iterable[Entry], page: str = "", actor: str | None = None
) -> int:
    """Append entries to the chain in one transaction; returns how many were written."""
    user_id, actor_name = _actor_of(user, actor)
    at = datetime.now(tz=UTC)
    with transaction.atomic():
        head = _locked_head()
        seq, prev = head.seq, head.hash
        rows = []
        for entry in entries:
            seq += 1
            digest = entry_hash(
                prev_hash=prev,
                seq=seq,
                at=at,
                user_id=user_id,
                actor=actor_name,
                action=entry.action.value,
                person_id=entry.person_id,
                page=page[:300],
                detail=entry.detail,
            )
            rows.append(
                AccessLog(
                    seq=seq,
                    at=at,
                    user_id=user_id,
                    actor=actor_name,
                    action=entry.action.value,
                    person_id=entry.person_id,
                    page=page[:300],
                    detail=entry.detail,
                    prev_hash=prev,
                    hash=digest,
                )
            )
            prev = digest
        if not rows:
            return 0
        insert_rows(AccessLog, rows)
        ChainHead.objects.filter(singleton=1).update(seq=seq, hash=prev)
    return len(rows)


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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify_chain() -> VerifyResult:
    """Recompute every hash in order; name the first entry that does not fit."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    rows = AccessLog.objects.order_by("seq").values_list(
        "seq",
        "at",
        "user_id",
        "actor",
        "action",
        "person_id",
        "page",
        "detail",
        "prev_hash",
        "hash",
    )
    for (
        seq,
        at,
        user_id,
        actor,
        action,
        person_id,
        page,
        detail,
        prev_hash,
        digest,
    ) in rows.iterator(chunk_size=5000):
        if seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, f"entry #{expected_seq} is missing")
        if prev_hash != prev:
            return VerifyResult(False, checked, seq, f"entry #{seq} does not follow #{seq - 1}")
        recomputed = entry_hash(
            prev_hash=prev_hash,
            seq=seq,
            at=at,
            user_id=user_id,
            actor=actor,
            action=action,
            person_id=person_id,
            page=page,
            detail=detail,
        )
        if recomputed != digest:
            return VerifyResult(False, checked, seq, f"entry #{seq} was altered")
        prev = digest
        expected_seq += 1
        checked += 1
    head = ChainHead.objects.filter(singleton=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS)
    if head_seq != checked or head_hash != prev:
        return VerifyResult(
            False,
            checked,
            checked + 1 if head_seq > checked else head_seq,
            f"the log ends at #{checked} but its head says #{head_seq}",
        )
    return VerifyResult(True, checked)
