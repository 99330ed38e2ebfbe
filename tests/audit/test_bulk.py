"""A bulk operation is one chained entry naming every person, each with their own action and
detail; every entry naming a person is found in one query, newest first (decision 0021)."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from heltid.audit.models import AccessLog, AccessLogPerson, Action
from heltid.audit.selectors import entries_naming
from heltid.audit.services import Entry, log_access, log_entries, verify_chain
from tests.factories import PersonFactory


def _persons(staff: Any, count: int) -> list[Any]:
    return [PersonFactory(unit=staff.unit) for _ in range(count)]


def test_log_entries__many__one_chained_row_and_a_person_row_each(staff: Any) -> None:
    persons = _persons(staff, 3)
    written = log_entries(
        user=staff.officer,
        entries=[Entry(Action.EXPORT, p.pk, {"month": "2026-11"}) for p in persons],
        page="/statistik/",
    )
    assert written == 3
    entry = AccessLog.objects.get()
    assert (entry.action, entry.person_id, entry.persons, entry.detail) == ("export", None, 3, {})
    named = list(
        AccessLogPerson.objects.filter(entry=entry)
        .order_by("position")
        .values_list("position", "person_id", "action", "detail")
    )
    assert named == [(i, p.pk, "export", {"month": "2026-11"}) for i, p in enumerate(persons)]
    assert verify_chain().ok


def test_log_entries__import__summary_names_the_operation_each_person_their_change(
    staff: Any,
) -> None:
    created, changed = _persons(staff, 2)
    log_entries(
        user=None,
        actor="import",
        entries=[
            Entry(Action.CREATE, created.pk, {"source": "import"}),
            Entry(Action.CHANGE, changed.pk, {"source": "import", "fields": ["last_name"]}),
            Entry(Action.IMPORT, None, {"file": "mottagare.csv", "rows": 2}),
        ],
    )
    entry = AccessLog.objects.get()
    assert (entry.action, entry.detail, entry.persons) == (
        "import",
        {"file": "mottagare.csv", "rows": 2},
        2,
    )
    [change] = entries_naming(changed)
    assert change.named_action == "change"  # type: ignore[attr-defined]
    assert change.named_detail == {"source": "import", "fields": ["last_name"]}  # type: ignore[attr-defined]
    assert verify_chain().ok


def test_log_entries__mixed_without_a_summary__several(staff: Any) -> None:
    first, second = _persons(staff, 2)
    log_entries(
        user=staff.officer,
        entries=[
            Entry(Action.VIEW, first.pk),
            Entry(Action.CHANGE, second.pk),
            Entry(Action.SEARCH, None, {"a": 1}),
            Entry(Action.SEARCH, None, {"b": 2}),
        ],
    )
    entry = AccessLog.objects.get()
    assert entry.action == Action.SEVERAL
    assert entry.detail == {
        "entries": [
            {"action": "search", "detail": {"a": 1}},
            {"action": "search", "detail": {"b": 2}},
        ]
    }
    assert verify_chain().ok


def test_log_entries__one__one_row_naming_the_person(staff: Any, person: Any) -> None:
    log_entries(user=staff.officer, entries=[Entry(Action.VIEW, person.pk, {"x": 1})])
    entry = AccessLog.objects.get()
    assert (entry.person_id, entry.persons, entry.detail) == (person.pk, 0, {"x": 1})
    assert not AccessLogPerson.objects.exists()


def test_log_entries__none__nothing_written(db: None) -> None:
    assert log_entries(user=None, entries=[]) == 0
    assert not AccessLog.objects.exists()


def test_entries_naming__single_and_bulk__newest_first_in_one_query(
    staff: Any, person: Any
) -> None:
    other = PersonFactory(unit=staff.unit)
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/1/")
    log_entries(
        user=staff.officer,
        entries=[Entry(Action.EXPORT, p.pk, {"n": p.pk}) for p in (other, person)],
        page="/2/",
    )
    log_access(user=staff.officer, action=Action.VIEW, person_id=other.pk, page="/3/")
    log_access(user=staff.colleague, action=Action.DENIED, person_id=person.pk, page="/4/")
    with CaptureQueriesContext(connection) as queries:
        found = [(e.page, e.named_action, e.named_detail) for e in entries_naming(person)]  # type: ignore[attr-defined]
    assert len(queries) == 1
    assert found == [
        ("/4/", "denied", {}),
        ("/2/", "export", {"n": person.pk}),
        ("/1/", "view", {}),
    ]
    assert [e.page for e in entries_naming(other.pk)] == ["/3/", "/2/"]
    assert list(
        entries_naming(person).filter(named_action="export").values_list("page", flat=True)
    ) == ["/2/"]


def test_log_page__search_by_person__finds_bulk_operations(
    staff: Any, person: Any, client: Any
) -> None:
    others = _persons(staff, 2)
    log_entries(
        user=staff.officer,
        entries=[Entry(Action.EXPORT, p.pk, {"af_batch": "B1"}) for p in (*others, person)],
        page="/af-underrattelser/",
    )
    client.force_login(staff.admin)
    body = client.post("/logg/", {"personnummer": person.personnummer}, follow=True)
    text = body.content.decode()
    assert "/af-underrattelser/" in text and person.personnummer_display in text
    assert "3 person" in text and "B1" in text  # "3 personer" once translated
    everything = client.get("/logg/").content.decode()
    assert "3 person" in everything


def test_context__bulk_entry_counts_as_naming_each_person(staff: Any) -> None:
    """Central logging: a page that logged its persons in one operation gets no extra entry."""
    from heltid.audit import context

    persons = _persons(staff, 2)
    with context.tracing() as trace:
        context.shown(*(p.pk for p in persons))
        log_entries(user=staff.officer, entries=[Entry(Action.VIEW, p.pk) for p in persons])
    assert trace.named == {p.pk for p in persons}


def test_cli__person__lists_entries_naming_the_person_and_logs_the_look_up(
    staff: Any, person: Any, capsys: Any
) -> None:
    import json

    from django.core.management import call_command

    other = PersonFactory(unit=staff.unit)
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/1/")
    log_entries(
        user=None,
        actor="cli",
        page="cli:statistics-file",
        entries=[Entry(Action.EXPORT, p.pk, {"month": "2026-11"}) for p in (person, other)],
    )
    call_command("audit", "person", person.personnummer, "--json")
    rows = json.loads(capsys.readouterr().out)
    assert [(r["page"], r["action"], r["detail"], r["persons"]) for r in rows] == [
        ("cli:statistics-file", "export", {"month": "2026-11"}, 2),
        ("/1/", "view", {}, 1),
    ]
    look_up = AccessLog.objects.order_by("-id").first()
    assert look_up is not None
    assert (look_up.action, look_up.person_id, look_up.actor) == ("search", person.pk, "cli")
