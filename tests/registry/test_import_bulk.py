"""The recipient import at disk speed (issue 13): rows streamed and spooled, written set-based in
chunks, and only what differs. These tests fix what that must not change: a file imported
again writes nothing, a household or a change across chunk boundaries is written once and
right, stored values read back exactly (SQLite's floats, PostgreSQL's decimals), the reading
time limit counts reading only, and the bulk helpers behave alike on both databases."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from heltid import bulk
from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.casework.models import STALE, Worklist
from heltid.casework.worklist import refresh
from heltid.demo.recipient_files import recipient_rows
from heltid.demo.testpersonnummer import adults_aged
from heltid.registry.imports import apply, import_recipients, reader
from heltid.registry.imports.apply import RowSpool
from heltid.registry.imports.reader import FileError, stream_table
from heltid.registry.imports.rows import COLUMNS, OPTIONAL_COLUMNS, parse_row
from heltid.registry.models import Child, Household, Person, PersonFact, SupportPeriod
from tests.clock import suite_today
from tests.factories import PersonFactory

TODAY = suite_today()
NUMBERS = adults_aged(TODAY, low=25, high=60)


def rows(count: int, *, offset: int = 0, **changes: str) -> list[dict[str, str]]:
    made = recipient_rows(NUMBERS[offset : offset + count], seed=11, units=("ekb-nord",), on=TODAY)
    return [{**r, **changes} for r in made]


def csv_of(data: Sequence[dict[str, str]]) -> bytes:
    names = list(COLUMNS) + [c for c in OPTIONAL_COLUMNS if any(c in r for r in data)]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=names, delimiter=";", restval="")
    writer.writeheader()
    writer.writerows(data)
    return buffer.getvalue().encode()


def run(data: Sequence[dict[str, str]], *, today: date = TODAY, user: Any = None) -> Any:
    report = import_recipients(data=csv_of(data), filename="m.csv", acting_user=user, today=today)
    assert report.valid, report.as_json()
    return report


@pytest.fixture
def chunks_of(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Chunks of ``size`` rows (the import's are thousands), so a test crosses their edges."""

    def use(size: int) -> None:
        monkeypatch.setattr(apply, "CHUNK", size)

    return use


def stored() -> tuple[list[tuple[Any, ...]], ...]:
    """Every row of every table the import writes, with every column."""
    return tuple(
        sorted(model.objects.values_list(*[f.attname for f in model._meta.concrete_fields]))
        for model in (Person, Household, Child, SupportPeriod, PersonFact)
    )


def test_import__same_file_again__writes_nothing_and_logs_only_the_import(
    staff: Any, chunks_of: Any
) -> None:
    chunks_of(4)
    data = rows(11, deltid_timmar="12,5", studier_timmar="7,3", ersattning="sjukpenning")
    for r in data[:3]:
        r["ersattning_sedan"] = (TODAY - timedelta(days=40)).isoformat()
    first = run(data, today=TODAY - timedelta(days=30))
    assert (first.created, first.updated) == (11, 0)
    before, last = stored(), AccessLog.objects.latest("pk").pk

    again = run(data)  # a later day: nothing in the file is new
    assert (again.created, again.updated, again.unchanged) == (0, 0, 11)
    assert stored() == before
    [entry] = AccessLog.objects.filter(pk__gt=last)  # the import itself
    assert (entry.action, entry.detail["created"], entry.detail["updated"]) == ("import", 0, 0)
    assert persons_named(AccessLog.objects.filter(pk__gt=last)) == []  # no person changed


def test_import__a_household_across_chunks__one_household_with_its_children(
    staff: Any, chunks_of: Any
) -> None:
    chunks_of(1)  # every row its own chunk: the household's two adults in two
    data = rows(4)
    assert data[0]["hushall"] == data[1]["hushall"] and data[0]["barn_fodda"]
    run(data)
    household = Household.objects.get(reference=data[0]["hushall"])
    assert household.adults.count() == 2
    born = sorted(household.children.values_list("birth_date", flat=True))
    assert [d.isoformat() for d in born] == sorted(data[0]["barn_fodda"].split(","))
    assert Household.objects.count() == 3

    data[0]["barn_fodda"] = data[1]["barn_fodda"] = data[0]["barn_fodda"].split(",")[0]
    changed = run(data)
    assert (changed.created, changed.updated) == (0, 2)  # both adults' child facts
    assert Child.objects.filter(household=household).count() == 1


def test_import__changes_across_chunks__only_the_changed_persons_written_and_logged(
    staff: Any, chunks_of: Any
) -> None:
    chunks_of(3)
    data = rows(9, offset=20)
    data[4]["bistand_sedan"] = f"{TODAY.year - 2}-01"
    run(data, today=TODAY - timedelta(days=10))
    untouched = dict(Person.objects.values_list("personnummer", "updated_at"))
    data[1]["efternamn"] = "Nyberg"
    data[4]["bistand_sedan"] = f"{TODAY.year}-{TODAY.month:02d}"
    data[8]["deltid_timmar"] = "30"
    report = run(data)
    assert (report.created, report.updated, report.unchanged) == (0, 3, 6)

    changed = {data[i]["personnummer"]: i for i in (1, 4, 8)}
    for number, stamp in Person.objects.values_list("personnummer", "updated_at"):
        if number not in changed or changed[number] == 4:  # a period is not a person field
            assert stamp == untouched[number]
    details = {
        Person.objects.get(pk=n.person_id).personnummer: n.detail
        for n in persons_named(action="change")
    }
    assert details == {
        data[1]["personnummer"]: {"source": "import", "fields": ["last_name"]},
        data[4]["personnummer"]: {"source": "import", "fields": ["support_period"]},
        data[8]["personnummer"]: {
            "source": "import",
            "fields": ["part_time_hours"],
            "facts": ["occupation"],
        },
    }
    person = Person.objects.get(personnummer=data[4]["personnummer"])
    assert person.support_periods.filter(last_month__isnull=True).get().first_month == date(
        TODAY.year, TODAY.month, 1
    )


def test_import__existing_person_without_facts__facts_recorded_and_logged(staff: Any) -> None:
    person = PersonFactory(unit=staff.unit, personnummer=NUMBERS[40])
    PersonFact.objects.filter(person=person).delete()
    report = run(rows(1, offset=40))
    assert (report.created, report.updated) == (0, 1)
    kinds = set(PersonFact.objects.filter(person=person).values_list("kind", flat=True))
    assert {"household", "reason_code"} <= kinds
    [change] = persons_named(person=person, action="change")
    assert {"household", "reason_code"} <= set(change.detail["facts"])


def test_import__dry_run__counts_as_the_import_and_writes_nothing(
    staff: Any, chunks_of: Any
) -> None:
    chunks_of(2)
    data = rows(5, offset=50)
    run(data[:2])
    before, logged = stored(), AccessLog.objects.count()
    data[0]["fornamn"] = "Signe"
    report = import_recipients(
        data=csv_of(data), filename="m.csv", acting_user=None, dry_run=True, today=TODAY
    )
    assert report.valid and not report.imported
    assert (report.created, report.updated, report.unchanged) == (3, 1, 1)
    assert stored() == before
    assert AccessLog.objects.count() == logged


def test_import__a_limit_met_half_way__a_file_error_and_no_row_report(
    db: None, settings: Any
) -> None:
    settings.HELTID_IMPORT_MAX_CELL_CHARS = 60
    data = rows(6, offset=60)
    data[1]["personnummer"] = "123"  # a bad row before the limit is met
    data[4]["efternamn"] = "x" * 61
    report = import_recipients(data=csv_of(data), filename="m.csv", acting_user=None, today=TODAY)
    assert "har fler än 60 tecken" in report.file_error
    assert (report.errors, report.rows) == ([], 0)
    assert not Person.objects.exists()


class _FakeClock:
    """The reader's clock: ``step`` seconds pass at every reading of it."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.step = 0.0

    def __call__(self) -> float:
        self.now += self.step
        return self.now


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch, settings: Any) -> _FakeClock:
    settings.HELTID_IMPORT_MAX_SECONDS = 1
    clock = _FakeClock()
    monkeypatch.setattr(reader, "_now", clock)
    return clock


def _lines(count: int) -> bytes:
    return b"personnummer;fornamn\n" + b"".join(b"%d;x\n" % n for n in range(count))


def test_stream_table__time_the_caller_takes_between_rows__not_counted(
    fake_clock: _FakeClock,
) -> None:
    read = 0
    for _number, _values in stream_table(_lines(3000), "a.csv").rows:
        fake_clock.now += 60  # the caller's minute per row, not the reader's
        read += 1
    assert read == 3000


def test_stream_table__slow_reading__refused_at_the_limit(fake_clock: _FakeClock) -> None:
    fake_clock.step = 0.001  # each row's reading costs a few milliseconds of the fake clock
    with pytest.raises(FileError) as refused:
        for _row in stream_table(_lines(3000), "a.csv").rows:
            pass
    assert "sekunder att läsa filen" in str(refused.value)


def test_row_spool__rows_back_in_order_across_chunks(staff: Any, chunks_of: Any) -> None:
    chunks_of(2)
    parsed = [parse_row(n + 2, values, today=TODAY) for n, values in enumerate(rows(5, offset=70))]
    with RowSpool() as spool:
        for row in parsed:
            spool.append(row)  # type: ignore[arg-type]
        assert [len(c) for c in spool.chunks()] == [2, 2, 1]
        assert list(spool) == parsed == list(spool)


# -- the bulk helpers, on the database the suite runs on


def _people(count: int, staff: Any) -> Iterator[tuple[Any, ...]]:
    household = Household.objects.create(reference="H-BULK", unit=staff.unit)
    for n, number in enumerate(NUMBERS[80 : 80 + count]):
        yield (
            number,
            "personnummer",
            date(1980, 1, 1) + timedelta(days=n),
            "F",
            f"Namn{n}",
            "Bulk",
            household.pk,
            Decimal("12.5"),
            "none",
            staff.unit.pk,
        )


PERSON_COLUMNS = (
    "personnummer",
    "id_kind",
    "birth_date",
    "sex",
    "first_name",
    "last_name",
    "household_id",
    "part_time_hours",
    "af_programme",
    "unit_id",
)


def test_bulk__insert_select_update_delete__round_trip(
    staff: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bulk, "KEYS_PER_QUERY", 7)  # several IN lists on SQLite
    values = list(_people(20, staff))
    ids = bulk.reserve_ids(Person, len(values))
    assert len(set(ids)) == 20 and ids == sorted(ids)
    inserted = bulk.insert_tuples(
        Person, ("id", *PERSON_COLUMNS), [(i, *v) for i, v in zip(ids, values, strict=True)]
    )
    assert inserted == 20
    person = Person.objects.get(pk=ids[3])
    assert (person.personnummer, person.part_time_hours, person.street_address) == (
        values[3][0],
        Decimal("12.5"),
        "",
    )
    assert person.created_at is not None and person.individual_weekly_hours is None

    numbers = [v[0] for v in values]
    found = bulk.select_in(
        f"SELECT id, personnummer FROM {bulk.table(Person)} WHERE personnummer {{in}}", numbers
    )
    assert sorted(found) == sorted(zip(ids, numbers, strict=True))

    later = timezone.now()
    bulk.update_tuples(Person, ("last_name", "updated_at"), [(ids[0], "Nyberg", later)])
    assert Person.objects.get(pk=ids[0]).last_name == "Nyberg"
    assert Person.objects.get(pk=ids[0]).updated_at == later
    assert Person.objects.get(pk=ids[1]).last_name == "Bulk"

    more = bulk.reserve_ids(Person, 2)
    assert min(more) > max(ids)
    bulk.delete_in(PersonFact, "person_id", ids)  # none: deleting nothing is fine
    assert connection.vendor in ("sqlite", "postgresql")


def test_import__created_and_changed_persons__their_worklist_rows_marked_stale(
    staff: Any,
) -> None:
    data = rows(4, offset=40)
    run(data)
    created = list(Person.objects.filter(personnummer__in=[r["personnummer"] for r in data]))
    assert {w.valid_until for w in Worklist.objects.filter(person__in=created)} == {STALE}
    refresh([p.pk for p in created], today=TODAY)  # now computed, as the nightly run would
    data[2]["efternamn"] = "Nyberg"

    run(data)

    stale = set(
        Worklist.objects.filter(person__in=created, valid_until=STALE).values_list(
            "person__personnummer", flat=True
        )
    )
    assert stale == {data[2]["personnummer"]}  # the changed person only
