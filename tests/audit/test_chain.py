"""The access log is append-only and hash-chained in lanes; verify names the first broken entry
of each lane (decision 0021)."""

from __future__ import annotations

import importlib
from datetime import UTC
from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from heltid.audit import services
from heltid.audit.models import (
    LANES,
    AccessLog,
    AccessLogPerson,
    Action,
    AppendOnlyError,
    LaneHead,
    Seal,
    SealHead,
)
from heltid.audit.services import Entry, log_access, log_entries, seal, verify_chain

_MIGRATION = importlib.import_module("heltid.audit.migrations.0004_access_log_lanes")


def in_lane(lane: int) -> None:
    """Steer this thread's next append to ``lane`` (it is free: nobody else writes)."""
    services._this_thread.lane = lane if connection.vendor == "postgresql" else lane - 1


def write_some(user: Any, person: Any, count: int = 5, lane: int | None = None) -> list[AccessLog]:
    written = []
    for i in range(count):
        if lane is not None:
            in_lane(lane)
        log_access(user=user, action=Action.VIEW, person_id=person.pk, page=f"/personer/{i}/")
        written.append(AccessLog.objects.order_by("-id").first())
    return [e for e in written if e is not None]


def drop_triggers() -> None:
    """What an attacker with database owner rights could do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred: their checks are pending inside the test's
            # transaction, and PostgreSQL refuses ALTER TABLE while they are.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in _MIGRATION.GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as before, for the tampering
        else:
            for statement in _MIGRATION.SQLITE_REVERSE:
                cursor.execute(statement)


def sql(statement: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params or [])


def test_verify__fresh_log__ok(staff: Any, person: Any) -> None:
    write_some(staff.officer, person)
    result = verify_chain()
    assert result.ok and result.checked == 5 and result.breaks == ()
    assert result.lanes == LANES


def test_verify__empty_log__ok(db: None) -> None:
    assert verify_chain().ok


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("actor", "'someone-else'"),
        ("page", "'/elsewhere/'"),
        ("action", "'change'"),
        ("detail", "'{\"x\": 1}'"),
        ("at", "'2020-01-01 00:00:00'"),
        ("person_id", "NULL"),
        ("user_id", "NULL"),
        ("persons", "3"),
        ("prev_hash", "'" + "1" * 64 + "'"),
        ("hash", "'" + "2" * 64 + "'"),
    ],
)
def test_verify__one_field_edited_in_the_database__fails_at_that_entry(
    staff: Any, person: Any, field: str, value: str
) -> None:
    entries = write_some(staff.officer, person, lane=4)
    drop_triggers()
    third = entries[2]
    sql(f"UPDATE audit_accesslog SET {field} = {value} WHERE id = %s", [third.pk])
    result = verify_chain()
    assert not result.ok
    found = result.broken(4)
    assert found is not None and found.number == third.number == 3
    assert [b.lane for b in result.breaks] == [4]


def test_verify__entry_moved_to_another_lane__fails(staff: Any, person: Any) -> None:
    entries = write_some(staff.officer, person, lane=2)
    write_some(staff.officer, person, 2, lane=3)
    drop_triggers()
    sql("UPDATE audit_accesslog SET lane = 3, number = 3 WHERE id = %s", [entries[-1].pk])
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(2, 5), (3, 3)]


def test_verify__row_removed__fails_at_its_number(staff: Any, person: Any) -> None:
    entries = write_some(staff.officer, person, lane=1)
    drop_triggers()
    sql("DELETE FROM audit_accesslog WHERE id = %s", [entries[1].pk])
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(1, 2)]
    assert "missing" in result.breaks[0].problem


def test_verify__last_row_removed__fails(staff: Any, person: Any) -> None:
    entries = write_some(staff.officer, person, lane=1)
    drop_triggers()
    sql("DELETE FROM audit_accesslog WHERE id = %s", [entries[-1].pk])
    assert [(b.lane, b.number) for b in verify_chain().breaks] == [(1, 5)]


def test_verify__tail_and_head_rewritten_after_the_last_seal__not_detected(
    staff: Any, person: Any
) -> None:
    """The limit written in decision 0021: an unsealed tail removed together with its head."""
    entries = write_some(staff.officer, person, lane=1)
    drop_triggers()
    sql("DELETE FROM audit_accesslog WHERE id = %s", [entries[-1].pk])
    sql("UPDATE audit_lanehead SET number = 4, hash = %s WHERE lane = 1", [entries[-2].hash])
    assert verify_chain().ok


def test_verify__tail_and_head_rewritten_before_a_seal__fails(staff: Any, person: Any) -> None:
    entries = write_some(staff.officer, person, lane=1)
    assert seal() is not None
    drop_triggers()
    sql("DELETE FROM audit_accesslog WHERE id = %s", [entries[-1].pk])
    sql("UPDATE audit_lanehead SET number = 4, hash = %s WHERE lane = 1", [entries[-2].hash])
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(1, 5)]
    assert "seal #1 recorded #5" in result.breaks[0].problem


def test_verify__sealed_entry_rewritten_with_its_chain__fails(staff: Any, person: Any) -> None:
    """Even a lane rewritten consistently from an entry on (hashes recomputed, head moved) is
    caught at the first entry a seal recorded."""
    from heltid.audit.chain import entry_hash

    entries = write_some(staff.officer, person, 3, lane=2)
    seal()
    drop_triggers()
    prev = entries[1].hash
    third = entries[2]
    forged = entry_hash(
        prev_hash=prev,
        lane=2,
        number=3,
        at=third.at,
        user_id=third.user_id,
        actor="someone-else",
        action=third.action,
        person_id=third.person_id,
        page=third.page,
        detail=third.detail,
    )
    sql(
        "UPDATE audit_accesslog SET actor = 'someone-else', hash = %s WHERE id = %s",
        [forged, third.pk],
    )
    sql("UPDATE audit_lanehead SET hash = %s WHERE lane = 2", [forged])
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(2, 3)]
    assert "seal #1" in result.breaks[0].problem


def test_verify__forged_lane_head__fails(staff: Any, person: Any) -> None:
    write_some(staff.officer, person, 3, lane=5)
    drop_triggers()
    sql("UPDATE audit_lanehead SET hash = %s WHERE lane = 5", ["3" * 64])
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(5, 3)]
    assert "head" in result.breaks[0].problem


def test_verify__head_removed__fails(staff: Any, person: Any) -> None:
    write_some(staff.officer, person, 2, lane=6)
    drop_triggers()
    sql("DELETE FROM audit_lanehead WHERE lane = 6")
    assert [(b.lane, b.number) for b in verify_chain().breaks] == [(6, 1)]


def test_verify__entry_beyond_the_head__fails(staff: Any, person: Any) -> None:
    """An entry added behind the application's back, with the head left as it was."""
    entries = write_some(staff.officer, person, 2, lane=7)
    drop_triggers()
    sql("UPDATE audit_lanehead SET number = 1, hash = %s WHERE lane = 7", [entries[0].hash])
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(7, 2)]
    assert "beyond" in result.breaks[0].problem


def test_verify__two_lanes_broken__first_break_of_each(staff: Any, person: Any) -> None:
    first = write_some(staff.officer, person, 4, lane=1)
    second = write_some(staff.officer, person, 4, lane=2)
    drop_triggers()
    for entry in (first[1], first[2], second[3]):
        sql("UPDATE audit_accesslog SET page = '/x/' WHERE id = %s", [entry.pk])
    result = verify_chain()
    assert [(b.lane, b.number, b.entry_id) for b in result.breaks] == [
        (1, 2, first[1].pk),
        (2, 4, second[3].pk),
    ]


def _bulk(staff: Any, persons: list[Any], lane: int = 3) -> AccessLog:
    in_lane(lane)
    log_entries(
        user=staff.officer,
        entries=[
            Entry(Action.EXPORT, p.pk, {"month": "2026-11", "n": i}) for i, p in enumerate(persons)
        ],
        page="/bulk/",
    )
    entry = AccessLog.objects.order_by("-id").first()
    assert entry is not None and entry.persons == len(persons)
    return entry


@pytest.mark.parametrize(
    "tamper",
    [
        "UPDATE audit_accesslogperson SET action = 'view' WHERE entry_id = %s AND position = 1",
        "UPDATE audit_accesslogperson SET detail = '{}' WHERE entry_id = %s AND position = 0",
        "UPDATE audit_accesslogperson SET person_id = person_id + 1 "
        "WHERE entry_id = %s AND position = 2",
        "UPDATE audit_accesslogperson SET position = 9 WHERE entry_id = %s AND position = 0",
        "DELETE FROM audit_accesslogperson WHERE entry_id = %s AND position = 1",
    ],
)
def test_verify__bulk_operation_person_altered_or_removed__fails_at_the_operation(
    staff: Any, person: Any, tamper: str
) -> None:
    from tests.factories import PersonFactory

    others = [PersonFactory(unit=staff.unit) for _ in range(2)]
    write_some(staff.officer, person, 2, lane=3)
    entry = _bulk(staff, [person, *others])
    write_some(staff.officer, person, 1, lane=3)
    assert verify_chain().ok
    drop_triggers()
    sql(tamper, [entry.pk])
    result = verify_chain()
    assert [(b.lane, b.number, b.entry_id) for b in result.breaks] == [(3, 3, entry.pk)]


def test_verify__person_added_to_an_operation__fails(staff: Any, person: Any) -> None:
    from tests.factories import PersonFactory

    entry = _bulk(staff, [PersonFactory(unit=staff.unit), PersonFactory(unit=staff.unit)])
    AccessLogPerson.objects.create(entry=entry, position=2, person=person, action="export")
    result = verify_chain()
    assert [(b.lane, b.number) for b in result.breaks] == [(3, entry.number)]


def test_verify__person_added_to_a_single_entry__fails(staff: Any, person: Any) -> None:
    [entry] = write_some(staff.officer, person, 1, lane=8)
    AccessLogPerson.objects.create(entry=entry, position=0, person=person, action="view")
    assert [(b.lane, b.number) for b in verify_chain().breaks] == [(8, 1)]


def test_verify__seals__altered_removed_or_reordered__fails(staff: Any, person: Any) -> None:
    for lane in (1, 2, 3):
        write_some(staff.officer, person, 1, lane=lane)
        seal()
    assert Seal.objects.count() == 3 and verify_chain().seals == 3
    drop_triggers()
    sid = transaction.savepoint()
    sql("UPDATE audit_sealhead SET number = 2 WHERE seal_id = 2")
    assert [(b.lane, b.number) for b in verify_chain().breaks][:1] == [(None, 2)]
    transaction.savepoint_rollback(sid)
    sid = transaction.savepoint()
    sql("DELETE FROM audit_sealhead WHERE seal_id = 2")
    sql("DELETE FROM audit_seal WHERE number = 2")
    assert [(b.lane, b.number) for b in verify_chain().breaks] == [(None, 2)]
    transaction.savepoint_rollback(sid)
    sid = transaction.savepoint()
    # seals 2 and 3 trade places (numbers, links and heads alike)
    sql("UPDATE audit_sealhead SET seal_id = 99 WHERE seal_id = 2")
    sql("UPDATE audit_sealhead SET seal_id = 2 WHERE seal_id = 3")
    sql("UPDATE audit_seal SET number = 99 WHERE number = 2")
    sql("UPDATE audit_seal SET number = 2 WHERE number = 3")
    sql("UPDATE audit_seal SET number = 3 WHERE number = 99")
    sql("UPDATE audit_sealhead SET seal_id = 3 WHERE seal_id = 99")
    assert [(b.lane, b.number) for b in verify_chain().breaks][:1] == [(None, 2)]
    transaction.savepoint_rollback(sid)
    assert verify_chain().ok


def test_seal__records_the_lanes_that_moved__none_when_nothing_did(staff: Any, person: Any) -> None:
    write_some(staff.officer, person, 2, lane=1)
    write_some(staff.officer, person, 1, lane=9)
    first = seal()
    assert first is not None and first.number == 1
    assert list(first.heads.order_by("lane").values_list("lane", "number")) == [(1, 2), (9, 1)]
    assert seal() is None
    write_some(staff.officer, person, 1, lane=9)
    second = seal()
    assert second is not None and second.prev_hash == first.hash
    assert list(second.heads.values_list("lane", "number")) == [(9, 2)]
    result = verify_chain()
    assert result.ok and result.seals == 2


def test_cli__verify__exit_codes(staff: Any, person: Any, capsys: Any) -> None:
    entries = write_some(staff.officer, person, lane=2)
    call_command("audit", "verify")
    assert "OK: 5 poster" in capsys.readouterr().out
    call_command("audit", "seal")
    assert "Sigill #1" in capsys.readouterr().out
    call_command("audit", "seal")
    assert "Inget nytt" in capsys.readouterr().out
    drop_triggers()
    sql("UPDATE audit_accesslog SET page = '/x/' WHERE id = %s", [entries[3].pk])
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert f"lane 2 #4 (log entry id {entries[3].pk})" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        call_command("audit", "verify", "--json")
    assert '"breaks": [{"lane": 2, "number": 4' in capsys.readouterr().out


def test_orm__cannot_update_or_delete(staff: Any, person: Any) -> None:
    write_some(staff.officer, person, 1)
    entry = AccessLog.objects.get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    for model in (AccessLog, AccessLogPerson, Seal, SealHead):
        with pytest.raises(AppendOnlyError):
            model.objects.update(pk=1)  # type: ignore[attr-defined]
        with pytest.raises(AppendOnlyError):
            model.objects.all().delete()  # type: ignore[attr-defined]


def test_database__refuses_update_and_delete(staff: Any, person: Any) -> None:
    from tests.factories import PersonFactory

    write_some(staff.officer, person, 1, lane=1)
    _bulk(staff, [person, PersonFactory(unit=staff.unit)], lane=2)
    seal()
    refused = [
        f"{verb} audit_{table}"
        for table in ("accesslog", "accesslogperson", "seal", "sealhead")
        for verb in ("DELETE FROM",)
    ] + [
        "UPDATE audit_accesslog SET page = 'x'",
        "UPDATE audit_accesslogperson SET action = 'view'",
        "UPDATE audit_seal SET hash = 'x'",
        "UPDATE audit_sealhead SET number = 0",
        # a lane head only moves forward
        "UPDATE audit_lanehead SET number = 0 WHERE lane = 1",
        "UPDATE audit_lanehead SET hash = 'x' WHERE lane = 1",
        "UPDATE audit_lanehead SET lane = 99 WHERE lane = 1",
        "DELETE FROM audit_lanehead",
    ]
    if connection.vendor == "postgresql":
        sql("SET CONSTRAINTS ALL IMMEDIATE")  # no pending checks: TRUNCATE meets the triggers
        refused += [f"TRUNCATE audit_{t} CASCADE" for t in ("accesslog", "lanehead", "seal")]
    for statement in refused:
        with (
            pytest.raises(DatabaseError, match=r"append-only|only moves forward"),
            transaction.atomic(),
        ):
            sql(statement)
    assert verify_chain().ok
    assert LaneHead.objects.get(lane=1).number == 1


def test_log__records_who_when_what_and_page(staff: Any, person: Any) -> None:
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/personer/1/")
    entry = AccessLog.objects.get()
    assert (entry.user, entry.actor, entry.action, entry.person_id, entry.page) == (
        staff.officer,
        "handlaggare",
        "view",
        person.pk,
        "/personer/1/",
    )
    assert entry.at is not None and entry.persons == 0 and not AccessLogPerson.objects.exists()
    head = LaneHead.objects.get(lane=entry.lane)
    assert (head.number, head.hash) == (entry.number, entry.hash)


def test_verify__entry_at_a_whole_second__ok(db: None) -> None:
    """A time without microseconds is hashed as ``isoformat()`` writes it (no ``.000000``),
    and verify reads it back the same way from either database."""
    from datetime import datetime

    from heltid.audit.chain import entry_hash
    from heltid.audit.models import GENESIS

    at = datetime(2026, 11, 30, 23, 59, 59, tzinfo=UTC)
    digest = entry_hash(
        prev_hash=GENESIS,
        lane=1,
        number=1,
        at=at,
        user_id=None,
        actor="cli",
        action="view",
        person_id=None,
        page="",
        detail={"å": [1, 2.5, None, True]},
    )
    AccessLog.objects.create(
        lane=1,
        number=1,
        at=at,
        actor="cli",
        action="view",
        detail={"å": [1, 2.5, None, True]},
        prev_hash=GENESIS,
        hash=digest,
    )
    LaneHead.objects.filter(lane=1).update(number=1, hash=digest)
    assert verify_chain().ok


@given(
    lane=st.integers(1, 16),
    number=st.integers(1, 10**12),
    at=st.datetimes(timezones=st.just(UTC)),
    user_id=st.none() | st.integers(1, 10**9),
    actor=st.text(),
    action=st.text(max_size=10),
    person_id=st.none() | st.integers(1, 10**9),
    page=st.text(),
    detail=st.dictionaries(
        st.text(),
        st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(),
            lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
            max_leaves=5,
        ),
        max_size=4,
    ),
    persons=st.integers(0, 10**6),
)
def test_entry_payload__is_the_canonical_json_of_the_fields(
    lane: int,
    number: int,
    at: Any,
    user_id: int | None,
    actor: str,
    action: str,
    person_id: int | None,
    page: str,
    detail: dict[str, Any],
    persons: int,
) -> None:
    """The payload written out field by field is exactly the canonical JSON of the list."""
    from heltid.audit.chain import canonical_json, entry_payload, person_line

    fields = [lane, number, at.isoformat(), user_id, actor, action, person_id, page, detail]
    assert entry_payload(*fields[:8], canonical_json(detail), persons) == canonical_json(
        [*fields, persons]
    )
    assert person_line(number, action, canonical_json(detail)) == "\n" + canonical_json(
        [number, action, detail]
    )
