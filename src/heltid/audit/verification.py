"""``heltid audit verify``: recompute every lane's hash chain and the seals (decision 0021).

Exact while the application appends: the last seal's number is read first, then every lane's
head, and only what they cover is checked. An appender inserts its entry and moves its lane's
head in one transaction, and a seal records heads that were committed, so everything up to a
committed head (or seal) is visible to the reads that follow (PostgreSQL read committed, SQLite
alike); what is appended or sealed meanwhile is simply not part of this check. Entries beyond a
head are looked for in one statement with that head (one snapshot).

Streaming and in constant memory: each lane is read in number order through server-side
cursors (PostgreSQL), with the persons of its bulk operations and the seals' checkpoints merged
in as they come. Lanes are independent; with ``workers`` > 1 they are verified in parallel
processes (PostgreSQL).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from hashlib import sha256
from itertools import chain
from typing import Any

from django.db import connection, connections, transaction
from django.db.models import Max

from heltid.audit.chain import canonical_json, entry_payload, person_line, seal_hash
from heltid.audit.models import (
    GENESIS,
    AccessLog,
    AccessLogPerson,
    LaneHead,
    Seal,
    SealHead,
)

FETCH = 5000


@dataclass(frozen=True)
class Break:
    """The first thing found wrong in one lane (``lane``), or in the chain of seals (``lane`` is
    None and ``number`` is the seal's)."""

    lane: int | None
    number: int
    problem: str
    entry_id: int | None = None

    def describe(self) -> str:
        where = f"seal #{self.number}" if self.lane is None else f"lane {self.lane} #{self.number}"
        row = f" (log entry id {self.entry_id})" if self.entry_id is not None else ""
        return f"{where}{row}: {self.problem}"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int  # entries whose hash was recomputed
    seals: int = 0  # seals whose hash was recomputed
    lanes: int = 0
    breaks: tuple[Break, ...] = field(default=())

    def broken(self, lane: int | None) -> Break | None:
        """The first break found in this lane (None: the chain of seals)."""
        return next((b for b in self.breaks if b.lane == lane), None)


@dataclass
class _Span:
    """What one scan over a range of entries saw of one lane: its first entry (whose link to
    the entry before is checked when the ranges are put together), its last, and its first
    break."""

    first_number: int
    first_prev: str
    first_id: int
    last_number: int
    last_hash: str
    checked: int = 0
    broken: Break | None = None


def verify_chain(*, workers: int = 1) -> VerifyResult:
    """Recompute every lane and every seal; name the first broken entry of each lane."""
    last_seal = Seal.objects.aggregate(top=Max("number"))["top"] or 0
    heads = {
        lane: (number, digest)
        for lane, number, digest in LaneHead.objects.values_list("lane", "number", "hash")
    }
    # every entry up to a head read above is committed, so its id is at most this
    last_id = AccessLog.objects.aggregate(top=Max("id"))["top"] or 0
    found: dict[int, Break] = {}

    def note(lane: int, found_here: Break) -> None:
        if lane not in found or found_here.number < found[lane].number:
            found[lane] = found_here

    seals, sealed, seal_break = _verify_seals(last_seal)
    for lane, (number, _digest, seal_number) in sorted(sealed.items()):
        if lane not in heads:
            note(
                lane,
                Break(
                    lane,
                    number,
                    f"the lane has no head, but seal #{seal_number} recorded #{number}",
                ),
            )
        elif heads[lane][0] < number:
            note(
                lane,
                Break(
                    lane,
                    heads[lane][0] + 1,
                    f"the lane ends at #{heads[lane][0]}, but seal #{seal_number} recorded "
                    f"#{number}: its tail was removed",
                ),
            )
    checked = 0
    scans = _scan_all(heads, last_id, workers)
    for lane, (head_number, head_hash) in sorted(heads.items()):
        count, lane_break = _join(lane, head_number, head_hash, [scan.get(lane) for scan in scans])
        checked += count
        if lane_break is None:
            lane_break = _beyond_head(lane)
        if lane_break is not None:
            note(lane, lane_break)
    if any(lane not in heads for scan in scans for lane in scan):
        for lane, number in _entries_without_a_head():
            note(lane, Break(lane, number, "the lane's entries have no head"))
    for lane, number, seal_number, entry_id in _checkpoints_not_matching(last_seal):
        note(
            lane,
            Break(lane, number, f"the entry is not the one seal #{seal_number} recorded", entry_id),
        )
    breaks = ([seal_break] if seal_break is not None else []) + [found[k] for k in sorted(found)]
    return VerifyResult(not breaks, checked, seals, len(heads), tuple(breaks))


def _join(
    lane: int, head_number: int, head_hash: str, spans: list[_Span | None]
) -> tuple[int, Break | None]:
    """Put a lane together from the ranges' spans, in order; check it ends at its head."""
    expected, prev, checked = 1, GENESIS, 0
    for span in spans:
        if span is None:
            continue
        if span.first_number > expected:
            return checked, Break(lane, expected, "the entry is missing")
        if span.first_number < expected:
            return checked, Break(
                lane, span.first_number, "the entry is out of order", span.first_id
            )
        if span.first_prev != prev:
            return checked, Break(
                lane, expected, f"the entry does not follow #{expected - 1}", span.first_id
            )
        checked += span.checked
        if span.broken is not None:
            return checked, span.broken
        expected, prev = span.last_number + 1, span.last_hash
    if expected - 1 != head_number:
        return checked, Break(
            lane, expected, f"the lane ends at #{expected - 1} but its head says #{head_number}"
        )
    if prev != head_hash:
        return checked, Break(lane, head_number, "the lane's head does not match this entry")
    return checked, None


def _scan_all(
    heads: dict[int, tuple[int, str]], last_id: int, workers: int
) -> list[dict[int, _Span]]:
    """Scan the entries with ids up to ``last_id`` in id order: in one pass, or in ``workers``
    ranges in parallel processes (PostgreSQL)."""
    if workers <= 1 or connection.vendor != "postgresql" or last_id < 10 * FETCH:
        return [_scan(1, last_id, heads)]
    bounds = [1 + last_id * k // workers for k in range(workers)] + [last_id + 1]
    ranges = [(bounds[k], bounds[k + 1] - 1, heads) for k in range(workers)]
    connections.close_all()  # each process opens its own
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_scan_in_worker, *zip(*ranges, strict=True)))


def _scan_in_worker(low: int, high: int, heads: dict[int, tuple[int, str]]) -> dict[int, _Span]:
    try:
        return _scan(low, high, heads)
    finally:
        connections.close_all()


def _scan(low: int, high: int, heads: dict[int, tuple[int, str]]) -> dict[int, _Span]:
    """Hash every entry with an id from ``low`` to ``high`` (with its persons), in id order,
    checking each lane's numbers and links as its entries come.

    Within a lane, id order is number order: an appender draws the entry's id while it holds
    the lane's head, after the previous appender to the lane committed. Entries beyond their
    lane's head (appended since it was read) are skipped."""
    log = AccessLog._meta.db_table
    named = AccessLogPerson._meta.db_table
    spans: dict[int, _Span] = {}
    limits = {lane: number for lane, (number, _digest) in heads.items()}
    canonical = _Canonical()
    payload, line = entry_payload, person_line
    with (
        transaction.atomic(),
        _rows(
            f"SELECT id, lane, number, {_iso_text('at')}, user_id, actor, action, person_id, page, "
            f"{_text('detail')}, persons, prev_hash, hash FROM {log} "
            f"WHERE id >= %s AND id <= %s ORDER BY id",
            [low, high],
            "heltid_verify_entries",
        ) as entries,
        _rows(
            f"SELECT entry_id, person_id, action, {_text('detail')} FROM {named} "
            f"WHERE entry_id >= %s AND entry_id <= %s ORDER BY entry_id, position",
            [low, high],
            "heltid_verify_persons",
        ) as persons,
    ):
        person = next(persons, _END)
        for (
            entry_id,
            lane,
            number,
            at,
            user_id,
            actor,
            action,
            person_id,
            page,
            detail,
            count,
            prev_hash,
            digest,
        ) in entries:
            while person[0] is not None and person[0] < entry_id:
                person = next(persons, _END)  # a skipped entry's
            span = spans.get(lane)
            if number > limits.get(lane, -1):  # appended after the heads were read, or no head
                if lane not in limits and span is None:
                    spans[lane] = _headless(lane, number, entry_id)
                continue
            if span is not None and (
                span.broken is not None
                or number != span.last_number + 1
                or prev_hash != span.last_hash
            ):
                span.broken = span.broken or _out_of_line(span, lane, number, entry_id)
                continue
            if at[-6:] != "+00:00":
                at = _iso(at)
            text = payload(
                lane, number, at, user_id, actor, action, person_id, page, canonical(detail), count
            )
            hasher = sha256(f"{prev_hash}|{text}".encode())
            while person[0] == entry_id:
                hasher.update(line(person[1], person[2], canonical(person[3])).encode())
                person = next(persons, _END)
            if span is None:
                span = spans[lane] = _Span(number, prev_hash, entry_id, number - 1, prev_hash)
            if hasher.hexdigest() != digest:
                span.broken = Break(lane, number, "the entry was altered", entry_id)
                continue
            span.last_number, span.last_hash = number, digest
            span.checked += 1
    return spans


def _headless(lane: int, number: int, entry_id: int) -> _Span:
    span = _Span(number, GENESIS, entry_id, number, GENESIS)
    span.broken = Break(lane, number, "the lane's entries have no head", entry_id)
    return span


def _out_of_line(span: _Span, lane: int, number: int, entry_id: int) -> Break:
    """Why an entry does not follow the last one checked in its lane."""
    if number > span.last_number + 1:
        return Break(lane, span.last_number + 1, "the entry is missing")
    if number <= span.last_number:
        return Break(lane, number, "the entry is out of order", entry_id)
    return Break(lane, number, f"the entry does not follow #{number - 1}", entry_id)


def _checkpoints_not_matching(last_seal: int) -> list[tuple[int, int, int, int | None]]:
    """Each lane's first entry that a seal (up to ``last_seal``) recorded with another hash, or
    that is not there: (lane, number, seal, entry id). One set-based statement; the entries'
    own hashes are checked by the scan."""
    log = AccessLog._meta.db_table
    checkpoints = SealHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT h.lane, h.number, h.seal_id, e.id FROM {checkpoints} h "
            f"LEFT JOIN {log} e ON e.lane = h.lane AND e.number = h.number "
            f"WHERE h.seal_id <= %s AND (e.id IS NULL OR e.hash <> h.hash) "
            f"ORDER BY h.lane, h.number, h.seal_id",
            [last_seal],
        )
        first: dict[int, tuple[int, int, int, int | None]] = {}
        for lane, number, seal_number, entry_id in cursor.fetchall():
            first.setdefault(lane, (lane, number, seal_number, entry_id))
    return list(first.values())


@contextmanager
def _rows(sql: str, params: Sequence[Any], name: str) -> Iterator[Iterator[tuple[Any, ...]]]:
    """The rows of one query as they come, fetched in batches: a server-side cursor on
    PostgreSQL (inside the caller's transaction), SQLite's own cursor otherwise."""
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        with connection.connection.cursor(name=name) as cursor:
            cursor.execute(sql, params)
            yield chain.from_iterable(iter(partial(cursor.fetchmany, FETCH), []))
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            yield chain.from_iterable(iter(partial(cursor.fetchmany, FETCH), []))


def _moment(at: Any) -> datetime:
    """A stored time as the hash saw it: aware, in UTC (PostgreSQL gives text here, SQLite a
    naive UTC time)."""
    moment: datetime = datetime.fromisoformat(at) if isinstance(at, str) else at
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment if moment.utcoffset() == timedelta(0) else moment.astimezone(UTC)


class _Canonical:
    """The canonical JSON of stored JSON texts; the same few texts recur (``{}``, a bulk
    operation's month), so they are parsed once."""

    def __init__(self) -> None:
        self._known: dict[str, str] = {"{}": "{}"}

    def __call__(self, text: Any) -> str:
        if not isinstance(text, str):  # a driver that parsed it already
            return canonical_json(text)
        found = self._known.get(text)
        if found is None:
            if len(self._known) > 10_000:
                self._known = {"{}": "{}"}
            found = self._known[text] = canonical_json(json.loads(text))
        return found


_END = (None,) * 16


def _text(column: str) -> str:
    """A JSON column as its text (psycopg would parse it, only for it to be parsed again)."""
    return f"{column}::text" if connection.vendor == "postgresql" else column


_ISO_SECONDS = 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'
_ISO_MICROSECONDS = 'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'


def _iso_text(column: str) -> str:
    """A time column as the text of Python's ``isoformat()`` in UTC, made by the database
    (PostgreSQL), or the stored text (SQLite: UTC, ``YYYY-MM-DD HH:MM:SS[.ffffff]``)."""
    if connection.vendor != "postgresql":
        return f"({column} || '')"  # text, not a time: no converter
    return (
        f"to_char({column} AT TIME ZONE 'UTC', CASE WHEN date_trunc('second', {column}) = "
        f"{column} THEN '{_ISO_SECONDS}' ELSE '{_ISO_MICROSECONDS}' END)"
    )


def _iso(text: str) -> str:
    """A stored time's text as ``isoformat()`` in UTC gives it."""
    if text[10:11] == " " and len(text) in (19, 26):  # as Django stores it in SQLite
        return f"{text[:10]}T{text[11:]}+00:00"
    return _moment(text).isoformat()


def _beyond_head(lane: int) -> Break | None:
    """An entry numbered after its lane's head, in one statement with the head (one snapshot):
    an appender moves the head in the transaction that adds the entry, so no honest entry is
    ever seen beyond it."""
    log = AccessLog._meta.db_table
    heads = LaneHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT number, id FROM {log} WHERE lane = %s AND number > "
            f"(SELECT number FROM {heads} WHERE lane = %s) ORDER BY number LIMIT 1",
            [lane, lane],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Break(lane, row[0], "the entry lies beyond its lane's head", row[1])


def _entries_without_a_head() -> list[tuple[int, int]]:
    """Lanes with entries but no head (a head can only be removed past the database's
    refusal), with their first number."""
    log = AccessLog._meta.db_table
    heads = LaneHead._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT e.lane, MIN(e.number) FROM {log} e "
            f"WHERE NOT EXISTS (SELECT 1 FROM {heads} h WHERE h.lane = e.lane) GROUP BY e.lane"
        )
        return [(int(lane), int(number)) for lane, number in cursor.fetchall()]


class _SealChain:
    """The seals checked so far, in order, and what they recorded last for each lane."""

    def __init__(self) -> None:
        self.checked = 0
        self.prev = GENESIS
        self.sealed: dict[int, tuple[int, str, int]] = {}  # lane: number, hash, seal

    def add(
        self, number: int, at: Any, prev_hash: str, digest: str, heads: list[tuple[int, int, str]]
    ) -> Break | None:
        if number != self.checked + 1:
            return Break(None, self.checked + 1, "the seal is missing")
        if prev_hash != self.prev:
            return Break(None, number, f"the seal does not follow seal #{number - 1}")
        if seal_hash(prev_hash=prev_hash, number=number, at=_moment(at), heads=heads) != digest:
            return Break(None, number, "the seal was altered")
        for lane, lane_number, lane_hash in heads:
            before = self.sealed.get(lane)
            if before is not None and before[0] >= lane_number:
                return Break(None, number, f"the seal moves lane {lane} back to #{lane_number}")
            self.sealed[lane] = (lane_number, lane_hash, number)
        self.checked += 1
        self.prev = digest
        return None


def _verify_seals(
    last_seal: int,
) -> tuple[int, dict[int, tuple[int, str, int]], Break | None]:
    """Recompute the seals up to ``last_seal`` in order. Returns how many were checked, what they
    recorded last for each lane (number, hash, seal), and the first broken seal."""
    seals = Seal._meta.db_table
    heads = SealHead._meta.db_table
    chain_ = _SealChain()
    current: tuple[int, Any, str, str] | None = None
    recorded: list[tuple[int, int, str]] = []
    found: Break | None = None
    with (
        transaction.atomic(),
        _rows(
            f"SELECT s.number, s.at, s.prev_hash, s.hash, h.lane, h.number, h.hash "
            f"FROM {seals} s LEFT JOIN {heads} h ON h.seal_id = s.number "
            f"WHERE s.number <= %s ORDER BY s.number, h.lane",
            [last_seal],
            "heltid_verify_seal_chain",
        ) as rows,
    ):
        for number, at, prev_hash, digest, lane, lane_number, lane_hash in rows:
            if current is not None and current[0] != number:
                found = chain_.add(*current, recorded)
                if found is not None:
                    break
                recorded = []
            current = (number, at, prev_hash, digest)
            if lane is not None:
                recorded.append((lane, lane_number, lane_hash))
        else:
            if current is not None:
                found = chain_.add(*current, recorded)
    if found is None and chain_.checked != last_seal:
        found = Break(None, chain_.checked + 1, "the seal is missing")
    return chain_.checked, chain_.sealed, found
