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
from typing import Any

from heltid.registry.models import FactKind, FactSource, Person, PersonFact
from heltid.rules.types import Period


@dataclass(frozen=True)
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


def _as_value(row: PersonFact) -> FactValue:
    hours = None if row.hours is None else Decimal(row.hours)
    return FactValue(row.kind, row.value, hours, row.starts_on, row.ends_on)


def _states(wanted: FactValue, recorded: FactValue) -> bool:
    """Whether a recorded fact already says what ``wanted`` says (a source that gives no start
    date does not contradict the recorded one)."""
    return (wanted.kind, wanted.value, wanted.hours, wanted.ends_on) == (
        recorded.kind,
        recorded.value,
        recorded.hours,
        recorded.ends_on,
    ) and (wanted.starts_on is None or wanted.starts_on == recorded.starts_on)


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
    """The rows to supersede and the rows to create so that, from ``change_from``, the
    person's facts of each kind in ``desired`` are exactly those listed.

    ``current``: the person's facts not superseded (``superseded_on`` is None). A key of
    ``desired`` is a kind, or (kind, value) for one value of a kind (one kind of occupation).
    """
    supersede: list[PersonFact] = []
    create: list[PersonFact] = []
    for key, wanted in desired.items():
        kind, only = (key, None) if isinstance(key, str) else key
        open_rows = [
            r
            for r in current
            if r.kind == kind
            and (only is None or r.value == only)
            and (r.ends_on is None or r.ends_on >= change_from)
        ]
        unmatched = list(wanted)
        for row in open_rows:
            value = _as_value(row)
            kept = next((w for w in unmatched if _states(w, value)), None)
            if kept is not None:
                unmatched.remove(kept)
                continue
            supersede.append(row)
            same = next(
                (
                    w
                    for w in unmatched
                    if (w.value, w.starts_on) == (value.value, value.starts_on)
                    and w.starts_on is not None
                ),
                None,
            )
            if same is not None:  # a new version of the same fact
                unmatched.remove(same)
                create.append(fact_row(person_id, same, same.starts_on, today, source, user))
                continue
            if row.starts_on is None or row.starts_on < change_from:
                end = change_from - timedelta(days=1)
                create.append(fact_row(person_id, value, row.starts_on, today, source, user, end))
        for fact in unmatched:
            starts_on = fact.starts_on or change_from
            create.append(fact_row(person_id, fact, starts_on, today, source, user))
    for row in supersede:
        row.superseded_on = today
    return supersede, create
