"""Dated facts with history: what changes and what is kept (decision record 0015).

A change is recorded from a day (``change_from``) on a business day (``today``):

- a fact with the same kind, value and start is a new version of the same fact (say, the
  programme's end date became known): the old row is superseded, the new one recorded;
- any other fact still open on ``change_from`` is superseded, and a copy that ends the day
  before ``change_from`` is recorded; the new fact starts on its own date or ``change_from``.

Nothing is deleted or overwritten: the facts known on an earlier day are still there, so
``explain --on`` an earlier day gives the same answer after any later import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from heltid.registry.models import FactKind, FactSource, Person, PersonFact
from heltid.rules.types import Period


@dataclass(frozen=True, slots=True)
class FactValue:
    """A fact as a source states it."""

    kind: str
    value: str
    hours: Decimal | None = None
    starts_on: date | None = None
    ends_on: date | None = None


def known_facts(facts: Iterable[PersonFact], known_on: date) -> list[PersonFact]:
    """The facts recorded on or before ``known_on`` and not yet superseded then."""
    return [f for f in facts if f.known_on(known_on)]


def snapshot_values(
    *,
    af_programme: str,
    af_programme_since: date | None,
    part_time_hours: Decimal,
    reason_label: str | None,
    af_programme_until: date | None = None,
    household: str | None = None,
    children: Sequence[date] = (),
) -> dict[str, list[FactValue]]:
    """The dated facts the person's current fields state (programme, part-time work, reason
    code and, when ``household`` is given, the household and its children), by kind. Kinds
    with no fact map to an empty list."""
    facts: dict[str, list[FactValue]] = {
        FactKind.PROGRAMME: [],
        FactKind.OCCUPATION: [],
        FactKind.REASON_CODE: [],
    }
    if af_programme != "none":
        facts[FactKind.PROGRAMME].append(
            FactValue(
                FactKind.PROGRAMME, af_programme, None, af_programme_since, af_programme_until
            )
        )
    if part_time_hours > 0:
        facts[FactKind.OCCUPATION].append(
            FactValue(FactKind.OCCUPATION, "work", Decimal(part_time_hours))
        )
    if reason_label:
        facts[FactKind.REASON_CODE].append(FactValue(FactKind.REASON_CODE, reason_label))
    if household is not None:
        facts.update(household_values(household, children))
    return facts


def household_values(reference: str, children: Sequence[date]) -> dict[str, list[FactValue]]:
    """The household a person lives in and the children living there, as dated facts: one
    fact per child, its value the child's birth date (the person's own record of the household,
    so a child moving in or out changes the answer from that day only)."""
    return {
        FactKind.HOUSEHOLD: [FactValue(FactKind.HOUSEHOLD, reference)],
        FactKind.CHILD: [FactValue(FactKind.CHILD, born.isoformat()) for born in sorted(children)],
    }


def children_on(facts: Iterable[PersonFact], on: date) -> tuple[date, ...]:
    """The birth dates of the children living with the person on ``on`` by the facts given."""
    return tuple(
        sorted(
            date.fromisoformat(f.value)
            for f in facts
            if f.kind == FactKind.CHILD and Period(f.kind, f.starts_on, f.ends_on).covers(on)
        )
    )


def person_snapshot(person: Person) -> dict[str, list[FactValue]]:
    """:func:`snapshot_values` of a person (``reason_code`` and ``household`` selected)."""
    return snapshot_values(
        af_programme=person.af_programme,
        af_programme_since=person.af_programme_since,
        part_time_hours=person.part_time_hours,
        reason_label=person.reason_code.label if person.reason_code is not None else None,
        household=person.household.reference,
        children=[c.birth_date for c in person.household.children.all()],
    )


def first_rows(
    person_id: int,
    values: Mapping[str, Sequence[FactValue]],
    *,
    recorded_on: date,
    source: str,
    user: Any = None,
) -> list[PersonFact]:
    """Unsaved rows for a person with no facts yet."""
    return [
        fact_row(person_id, fact, fact.starts_on, recorded_on, source, user)
        for facts in values.values()
        for fact in facts
    ]


def fact_row(
    person_id: int,
    fact: FactValue,
    starts_on: date | None,
    recorded_on: date,
    source: str,
    user: Any,
    ends_on: date | None = None,
) -> PersonFact:
    return PersonFact(
        person_id=person_id,
        kind=fact.kind,
        value=fact.value,
        hours=fact.hours,
        starts_on=starts_on,
        ends_on=fact.ends_on if ends_on is None else ends_on,
        recorded_on=recorded_on,
        source=source,
        recorded_by=user if getattr(user, "is_authenticated", False) else None,
    )


class RecordedFact(NamedTuple):
    """A recorded fact not yet superseded, as its columns (the bulk import reads these)."""

    pk: int
    kind: str
    value: str
    hours: Decimal | None
    starts_on: date | None
    ends_on: date | None

    @classmethod
    def of(cls, row: PersonFact) -> RecordedFact:
        hours = None if row.hours is None else Decimal(row.hours)
        return cls(row.pk, row.kind, row.value, hours, row.starts_on, row.ends_on)


def _states(wanted: FactValue, recorded: RecordedFact) -> bool:
    """Whether a recorded fact already says what ``wanted`` says (a source that gives no start
    date does not contradict the recorded one)."""
    return (
        wanted.value == recorded.value
        and wanted.hours == recorded.hours
        and wanted.ends_on == recorded.ends_on
        and wanted.kind == recorded.kind
        and (wanted.starts_on is None or wanted.starts_on == recorded.starts_on)
    )


def plan_fact_changes(
    current: Sequence[RecordedFact],
    desired: Mapping[str | tuple[str, str], Sequence[FactValue]],
    *,
    change_from: date,
) -> tuple[list[int], list[FactValue]]:
    """The facts to supersede (their ids) and those to record (with their own start and end)
    so that, from ``change_from``, the person's facts of each kind in ``desired`` are exactly
    those listed; nothing when the recorded facts already say so.

    ``current``: the person's facts not superseded. A key of ``desired`` is a kind, or
    (kind, value) for one value of a kind (one kind of occupation).
    """
    supersede: list[int] = []
    create: list[FactValue] = []
    by_kind: dict[str, list[RecordedFact]] = {}
    for row in current:
        if row.ends_on is None or row.ends_on >= change_from:  # still open on the day
            by_kind.setdefault(row.kind, []).append(row)
    for key, wanted in desired.items():
        kind, only = (key, None) if isinstance(key, str) else key
        unmatched = list(wanted)
        for row in by_kind.get(kind, ()):
            if only is not None and row.value != only:
                continue
            for position, fact in enumerate(unmatched):
                if _states(fact, row):  # recorded already: kept as it is
                    del unmatched[position]
                    break
            else:
                supersede.append(row.pk)
                replacement = _replacement(row, unmatched, change_from)
                if replacement is not None:
                    create.append(replacement)
        for fact in unmatched:
            if fact.starts_on is None:
                fact = FactValue(fact.kind, fact.value, fact.hours, change_from, fact.ends_on)
            create.append(fact)
    return supersede, create


def _replacement(
    row: RecordedFact, unmatched: list[FactValue], change_from: date
) -> FactValue | None:
    """What is recorded for a superseded fact: a new version of it (same value and start, taken
    from ``unmatched``), else a copy ending the day before ``change_from`` when it began before
    that day (else nothing: it is replaced from its start)."""
    for position, fact in enumerate(unmatched):
        if fact.starts_on is not None and (fact.value, fact.starts_on) == (
            row.value,
            row.starts_on,
        ):
            return unmatched.pop(position)
    if row.starts_on is None or row.starts_on < change_from:
        end = change_from - timedelta(days=1)
        return FactValue(row.kind, row.value, row.hours, row.starts_on, end)
    return None


def plan_changes(
    person_id: int,
    current: Sequence[PersonFact],
    desired: Mapping[str | tuple[str, str], Sequence[FactValue]],
    *,
    change_from: date,
    today: date,
    source: str = FactSource.IMPORT,
    user: Any = None,
) -> tuple[list[PersonFact], list[PersonFact]]:
    """:func:`plan_fact_changes` as unsaved rows: the rows to supersede (``superseded_on``
    set to ``today``) and the rows to create, recorded on ``today``."""
    by_pk = {row.pk: row for row in current}
    ids, facts = plan_fact_changes(
        [RecordedFact.of(row) for row in current], desired, change_from=change_from
    )
    supersede = [by_pk[pk] for pk in ids]
    for row in supersede:
        row.superseded_on = today
    create = [fact_row(person_id, f, f.starts_on, today, source, user) for f in facts]
    return supersede, create
