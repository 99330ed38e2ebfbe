"""The access log is append-only and hash-chained; verify names the first broken entry."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from heltid.audit.models import AccessLog, Action, AppendOnlyError
from heltid.audit.services import log_access, verify_chain


def _write_some(user: Any, person: Any, count: int = 5) -> None:
    for i in range(count):
        log_access(user=user, action=Action.VIEW, person_id=person.pk, page=f"/personer/{i}/")


def _drop_triggers() -> None:
    """What an attacker with database owner rights could do first."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Django's foreign keys are deferred: their checks are pending inside the test's
            # transaction, and PostgreSQL refuses ALTER TABLE while they are.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_accesslog DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_accesslog_no_update")
            cursor.execute("DROP TRIGGER audit_accesslog_no_delete")


def test_verify__fresh_log__ok(staff: Any, person: Any) -> None:
    _write_some(staff.officer, person)
    result = verify_chain()
    assert result.ok and result.checked == 5


def test_verify__empty_log__ok(db: None) -> None:
    assert verify_chain().ok


@pytest.mark.parametrize("field", ["actor", "page", "action", "detail", "at", "person_id"])
def test_verify__one_field_edited_in_the_database__fails_at_that_entry(
    staff: Any, person: Any, field: str
) -> None:
    _write_some(staff.officer, person)
    _drop_triggers()
    values = {
        "actor": "'someone-else'",
        "page": "'/elsewhere/'",
        "action": "'change'",
        "detail": "'{\"x\": 1}'",
        "at": "'2020-01-01 00:00:00'",
        "person_id": "NULL",
    }
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE audit_accesslog SET {field} = {values[field]} WHERE seq = 3")
    result = verify_chain()
    assert not result.ok
    assert result.broken_seq == 3


def test_verify__row_removed__fails(staff: Any, person: Any) -> None:
    _write_some(staff.officer, person)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE seq = 2")
    result = verify_chain()
    assert (result.ok, result.broken_seq) == (False, 2)


def test_verify__last_row_removed__fails(staff: Any, person: Any) -> None:
    _write_some(staff.officer, person)
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_accesslog WHERE seq = 5")
    assert not verify_chain().ok


def test_cli__verify__exit_codes(staff: Any, person: Any, capsys: Any) -> None:
    _write_some(staff.officer, person)
    call_command("audit", "verify")
    assert "OK: 5" in capsys.readouterr().out
    _drop_triggers()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_accesslog SET page = '/x/' WHERE seq = 4")
    with pytest.raises(SystemExit) as exited:
        call_command("audit", "verify")
    assert exited.value.code == 1
    assert "#4" in capsys.readouterr().err


def test_orm__cannot_update_or_delete(staff: Any, person: Any) -> None:
    _write_some(staff.officer, person, 1)
    entry = AccessLog.objects.get()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.update(page="x")
    with pytest.raises(AppendOnlyError):
        AccessLog.objects.all().delete()


def test_database__refuses_update_and_delete(staff: Any, person: Any) -> None:
    _write_some(staff.officer, person, 1)
    for sql in ("UPDATE audit_accesslog SET page = 'x'", "DELETE FROM audit_accesslog"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql)
    assert verify_chain().ok


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
    assert entry.at is not None
