"""Statistics snapshots (decision 0009): a past period's figures are the same every time they are
asked for, corrections are dated editions, today's figures are preliminary and refreshed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from heltid.audit.models import AccessLog, Action
from heltid.casework.models import Assessment, Exit, ExitReason, Health, StepChange, SwedishLevel
from heltid.catalog.models import Step
from heltid.insights import metrics, snapshots
from heltid.insights.board_report import board_report_data
from heltid.insights.filters import AGE_GROUPS, InsightFilter
from heltid.insights.models import Snapshot, SnapshotRow
from heltid.registry.models import Exemption, Person
from tests.clock import suite_today
from tests.conftest import Staff
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db

TODAY = suite_today()
DAY = date(2026, 6, 30)
PERIOD = InsightFilter(start=date(2026, 1, 1), end=DAY)


def _people(staff: Staff, n: int = 12) -> list[Person]:
    people = []
    for i in range(n):
        person = PersonFactory(
            unit=staff.unit if i % 3 else staff.other_unit,
            sex="F" if i % 2 else "M",
            support_since=date(2026, 1, 1),
        )
        Assessment.objects.create(
            person=person,
            assessed_on=date(2026, 2, 1),
            swedish_level=SwedishLevel.NO_LIMITATION,
            health=Health.MENTAL if i % 4 else Health.NONE,
            requested_step=Step.objects.get(code="arbetsinriktad-rehabilitering"),
        )
        StepChange.objects.create(
            person=person, step=Step.objects.get(code="sysselsattning"), changed_on=date(2026, 3, 1)
        )
        people.append(person)
    return people


def test_snapshot__same_rows_as_the_live_computation(staff: Staff) -> None:
    _people(staff)
    snapshot = snapshots.take(DAY)
    live = metrics.population(PERIOD)
    stored = snapshots.population(snapshot, PERIOD)
    assert snapshot.persons == len(live.rows) == 12
    assert sorted(stored.rows) == sorted(live.rows)
    # the filters give the same persons from the stored rows as from the registers
    for f in (
        InsightFilter(start=PERIOD.start, end=DAY, unit=staff.unit.code),
        InsightFilter(start=PERIOD.start, end=DAY, sex="F"),
        InsightFilter(start=PERIOD.start, end=DAY, step="sysselsattning"),
        InsightFilter(start=PERIOD.start, end=DAY, step="arbete"),
    ):
        want = sorted(metrics.population(f).rows)
        assert sorted(snapshots.population(snapshot, f).rows) == want, f
    ages = {r.age for r in live.rows}
    group = next(code for code, low, high in AGE_GROUPS if low <= min(ages) <= high)
    f = InsightFilter(start=PERIOD.start, end=DAY, age_group=group)
    assert sorted(snapshots.population(snapshot, f).rows) == sorted(metrics.population(f).rows)
    # no name and no personnummer are stored with the statistics
    stored_fields = {field.name for field in SnapshotRow._meta.get_fields()}
    assert not stored_fields & {"personnummer", "first_name", "last_name", "birth_date"}


def test_past_period__later_edits_do_not_change_the_report(staff: Staff) -> None:
    people = _people(staff)
    first = board_report_data(PERIOD, today=TODAY)
    before = first.figures

    # later: a person moves unit, an assessment is redone, an exemption and a late exit are added
    Person.objects.filter(pk=people[1].pk).update(unit=staff.other_unit)
    Assessment.objects.filter(person=people[0]).update(health=Health.MENTAL)
    Exemption.objects.create(
        person=people[2],
        group="parental_leave",
        decided_on=date(2026, 1, 5),
        review_on=date(2026, 12, 1),
    )
    Exit.objects.create(person=people[3], exit_on=date(2026, 6, 1), reason=ExitReason.WORK_REGULAR)

    again = board_report_data(PERIOD, today=TODAY)
    assert again.figures["inventory"] == before["inventory"]
    assert again.figures["exits"] == before["exits"]
    assert again.figures["coverage"] == before["coverage"]
    assert again.source == first.source
    assert Snapshot.objects.filter(on=DAY).count() == 1

    # a dated correction with its reason changes them, and says so
    call_command("snapshot", "--on", DAY.isoformat(), "--correction", "Sen registrering")
    corrected = board_report_data(PERIOD, today=TODAY)
    assert corrected.figures["inventory"].exempt == before["inventory"].exempt + 1
    assert corrected.figures["exits"].total == before["exits"].total + 1
    assert "Sen registrering" in corrected.source
    assert [s.edition for s in snapshots.editions(DAY)] == [1, 2]
    logged = AccessLog.objects.filter(action=Action.CREATE, actor="heltid snapshot").last()
    assert logged is not None and logged.detail["edition"] == 2


def test_flows_recorded_after_the_snapshot_wait_for_a_correction(staff: Staff) -> None:
    people = _people(staff, 6)
    Exit.objects.create(person=people[0], exit_on=date(2026, 5, 1), reason=ExitReason.WORK_REGULAR)
    basis = snapshots.basis(PERIOD, today=TODAY)
    assert basis.snapshot is not None
    assert basis.filter.known_at == basis.snapshot.taken_at
    late = Exit.objects.create(
        person=people[1], exit_on=date(2026, 5, 2), reason=ExitReason.STUDIES
    )
    late.created_at = timezone.now() + timedelta(seconds=1)
    late.save(update_fields=["created_at"])
    assert metrics.exits(basis.filter).total == 1
    assert metrics.exits(PERIOD).total == 2  # live, as now


def test_today__preliminary_and_refreshed_when_stale(staff: Staff) -> None:
    today = timezone.localdate()
    _people(staff, 6)
    first = snapshots.for_day(today, today=today)
    assert first is not None and first.provisional and first.edition == 0
    assert snapshots.for_day(today, today=today) == first  # fresh: reused
    Snapshot.objects.filter(pk=first.pk).update(taken_at=timezone.now() - timedelta(hours=2))
    second = snapshots.for_day(today, today=today)
    assert second is not None and second.pk != first.pk and second.provisional
    assert Snapshot.objects.filter(on=today).count() == 1  # the stale one is gone
    with translation.override("en"):
        assert "preliminary" in snapshots.describe(second)
    # the day is over: its first final figures replace the preliminary ones
    final = snapshots.for_day(today, today=today + timedelta(days=1))
    assert final is not None and not final.provisional and final.edition == 1
    assert list(Snapshot.objects.filter(on=today)) == [final]


def test_future_day__computed_live_and_not_stored(staff: Staff) -> None:
    _people(staff, 3)
    later = timezone.localdate() + timedelta(days=30)
    basis = snapshots.basis(InsightFilter(start=later, end=later), today=timezone.localdate())
    assert basis.snapshot is None and basis.filter.known_at is None
    assert not Snapshot.objects.exists()
    with translation.override("en"):
        assert "as they are now" in snapshots.describe(None)


def test_second_take_without_reason__the_first_figures_stay() -> None:
    """Two requests (or a request and the nightly command) taking the same day at once: the
    one that comes second gets the first one's figures, not an unexplained correction."""
    first = snapshots.take(DAY)
    again = snapshots.take(DAY)
    assert again == first
    assert Snapshot.objects.filter(on=DAY).count() == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--on", "2026-13-01"], "ÅÅÅÅ-MM-DD"),
        (["--on", "2999-01-01"], "inte kommit"),
        (["--on", "2026-06-30", "--correction", "fel"], "inga lagrade siffror"),
        (["--correction", "fel"], "kräver --on"),
    ],
)
def test_snapshot_command__bad_input__exit_2_and_nothing_stored(
    args: list[str], message: str
) -> None:
    with pytest.raises(CommandError) as error:
        call_command("snapshot", *args)
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert not Snapshot.objects.exists()


def test_snapshot_command__nightly__stores_yesterday_and_today(staff: Staff) -> None:
    _people(staff, 3)
    call_command("snapshot")
    today = timezone.localdate()
    stored = {(s.on, s.provisional) for s in Snapshot.objects.all()}
    assert stored == {(today - timedelta(days=1), False), (today, True)}
    call_command("snapshot")  # again: yesterday is kept, today refreshed
    assert Snapshot.objects.filter(on=today - timedelta(days=1)).count() == 1
    assert Snapshot.objects.get(on=today).persons == 3
    assert SnapshotRow.objects.filter(snapshot__on=today).count() == 3
