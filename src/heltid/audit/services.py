"""Writing to and verifying the access log."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Subquery
from django.utils.crypto import salted_hmac

from heltid.audit import context
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
    entries = list(entries)
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
    context.written(entries)
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


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_seq: int | None = None
    problem: str = ""


def verify_chain() -> VerifyResult:
    """Recompute every hash in order; name the first entry that does not fit.

    Exact while others append: the head is read first, and only the entries up to the head's
    number are checked. An appender inserts its entries and moves the head in one transaction,
    so every entry up to a committed head is visible to the reads that follow (PostgreSQL's
    read committed and SQLite alike), and entries appended after the head was read are simply
    not part of this check. A removed tail (the head names an entry that is not there), an
    altered or removed entry, and a head whose hash does not match its entry are reported; so
    is an entry beyond the head, found by one statement that reads both (one snapshot)."""
    head = ChainHead.objects.filter(singleton=1).values_list("seq", "hash").first()
    head_seq, head_hash = head if head is not None else (0, GENESIS)
    prev = GENESIS
    expected_seq = 1
    checked = 0
    rows = (
        AccessLog.objects.filter(seq__lte=head_seq)
        .order_by("seq")
        .values_list(
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
    if checked != head_seq:
        return VerifyResult(
            False,
            checked,
            checked + 1,
            f"the log ends at #{checked} but its head says #{head_seq}",
        )
    if head_hash != prev:
        return VerifyResult(False, checked, head_seq, f"the head does not match entry #{head_seq}")
    beyond = _first_entry_beyond_head(head is not None)
    if beyond is not None:
        return VerifyResult(
            False, checked, beyond, f"entry #{beyond} lies beyond the head #{head_seq}"
        )
    return VerifyResult(True, checked)


def _first_entry_beyond_head(head_exists: bool) -> int | None:
    """An entry numbered after the head, in one statement with the head (so one snapshot):
    an appender moves the head in the transaction that adds the entries, so no honest entry
    is ever seen beyond it."""
    entries = AccessLog.objects.order_by("seq")
    if head_exists:
        current_head = ChainHead.objects.filter(singleton=1).values("seq")[:1]
        entries = entries.filter(seq__gt=Subquery(current_head))
    found: int | None = entries.values_list("seq", flat=True).first()
    return found
