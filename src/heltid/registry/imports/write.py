"""Write a validated recipient file: set-based, in chunks, and only what differs.

Rows are taken a chunk at a time (``CHUNK`` rows, in file order). For each chunk the stored
state of its households, children, persons, ongoing support periods and open dated facts is
read as tuples (only the columns compared), compared in Python with what the rows say, and
what differs is written with :mod:`heltid.bulk`: ``COPY`` and ``UPDATE … FROM`` a temporary
table on PostgreSQL, executemany on SQLite. New rows get their primary keys before they are
inserted, so persons, periods and facts are written without reading keys back. A file that
says what is stored writes nothing but the import's own log entry.

The import owns the fields it brings (decision record 0004); Heltid's own fields (address,
case manager, individual hours, exemptions) are never touched. Dated facts follow decision
record 0015 (:func:`heltid.registry.fact_history.plan_fact_changes`); households are found
within the row's unit only (decision record 0020).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from heltid.audit.models import Action
from heltid.audit.services import Entry
from heltid.bulk import (
    as_stored,
    delete_in,
    insert_tuples,
    large_writes,
    reserve_ids,
    select_in,
    table,
    update_tuples,
)
from heltid.clock import moment_of
from heltid.registry.fact_history import (
    FactValue,
    RecordedFact,
    household_values,
    plan_fact_changes,
)
from heltid.registry.imports.rows import ParsedRow
from heltid.registry.models import (
    Child,
    FactKind,
    FactSource,
    Household,
    IdKind,
    Person,
    PersonFact,
    SupportPeriod,
)
from heltid.rules.dates import add_months

CHUNK = 5000
_MISSING = object()

# fields an import owns on Person; everything else (address, case manager, ...) is Heltid's own
PERSON_FIELDS = (
    "id_kind",
    "birth_date",
    "sex",
    "first_name",
    "last_name",
    "household_id",
    "part_time_hours",
    "reason_code_id",
    "af_programme",
    "af_programme_since",
    "protected_identity",
    "unit_id",
)
FACT_COLUMNS = (
    "person_id",
    "kind",
    "value",
    "hours",
    "starts_on",
    "ends_on",
    "recorded_on",
    "source",
    "recorded_by_id",
)


@dataclass
class Written:
    created: int = 0
    updated: int = 0  # existing persons of which anything changed
    entries: list[Entry] = field(default_factory=list)  # one per created or changed person


def write_rows(
    chunks: Iterable[Sequence[ParsedRow]],
    *,
    acting_user: Any,
    today: date,
    units: dict[str, int],
    reasons: dict[str, tuple[int, str]],
) -> Written:
    """Write valid rows; the caller holds the transaction. ``units``: unit id by the rows'
    ``unit``; ``reasons``: reason code id and label by the rows' ``reason_code``."""
    writer = _Writer(acting_user=acting_user, today=today, units=units, reasons=reasons)
    with large_writes():
        for rows in chunks:
            writer.chunk(rows)
    return writer.written


class _Writer:
    def __init__(
        self,
        *,
        acting_user: Any,
        today: date,
        units: dict[str, int],
        reasons: dict[str, tuple[int, str]],
    ) -> None:
        self.today = today
        self.moment = moment_of(today)  # the import's business day, never another real date
        self.units = units
        self.reasons = reasons
        self.user_id = acting_user.pk if getattr(acting_user, "is_authenticated", False) else None
        self.written = Written()
        # one detail for every person created (the log only reads it)
        self.created_detail = {"source": "import"}
        self.person_columns = [
            as_stored(name) if name in ("birth_date", "af_programme_since") else name
            for name in PERSON_FIELDS
        ]
        self._days: dict[Any, date | None] = {None: None}
        self._hours: dict[Any, Decimal | None] = {None: None}

    def day(self, value: Any) -> date | None:
        """A stored date as a date (SQLite gives its text); each distinct one parsed once."""
        found = self._days.get(value, _MISSING)
        if found is _MISSING:
            found = self._days[value] = (
                date.fromisoformat(value) if isinstance(value, str) else value
            )
        return found  # type: ignore[return-value]

    def known_day(self, value: Any) -> date:
        """A stored date of a column that always has one."""
        day = self.day(value)
        assert day is not None
        return day

    def hours(self, value: Any) -> Decimal | None:
        """Stored hours as a Decimal (PostgreSQL gives one, SQLite an int or a float)."""
        found = self._hours.get(value, _MISSING)
        if found is _MISSING:
            found = self._hours[value] = (
                value if isinstance(value, Decimal) else Decimal(repr(value))
            )
        return found  # type: ignore[return-value]

    def chunk(self, rows: Sequence[ParsedRow]) -> None:
        households = self._households(rows)
        ids, created, changes = self._persons(rows, households)
        existing = [ids[r.personnummer] for r in rows if r.personnummer not in created]
        for pk in self._support_periods(rows, ids, existing):
            changes.setdefault(pk, {}).setdefault("fields", []).append("support_period")
        created_ids = set(created.values())
        for pk, kinds in self._facts(rows, ids, existing).items():
            if pk not in created_ids:
                changes.setdefault(pk, {})["facts"] = kinds
        entries = self.written.entries
        for row in rows:
            pk = ids[row.personnummer]
            if row.personnummer in created:
                entries.append(Entry(Action.CREATE, pk, self.created_detail))
            elif pk in changes:
                entries.append(Entry(Action.CHANGE, pk, {"source": "import", **changes[pk]}))
        self.written.created += len(created)
        self.written.updated += len(changes)

    # -- households and their children

    def _households(self, rows: Sequence[ParsedRow]) -> dict[tuple[int, str], int]:
        """Create or update the households the rows name, each within its row's unit: a
        reference never reaches another unit's household (decision record 0020). Returns
        the household id by (unit id, reference). (A household whose rows fall in two chunks
        is found stored by the second, as the first wrote it.)"""
        wanted: dict[tuple[int, str], ParsedRow] = {}
        for row in rows:
            wanted.setdefault((self.units[row.unit], row.household), row)
        by_unit: dict[int, list[str]] = {}
        for unit_id, reference in wanted:
            by_unit.setdefault(unit_id, []).append(reference)
        stored: dict[tuple[int, str], tuple[int, bool]] = {}
        for unit_id, references in by_unit.items():
            for pk, reference, cohabiting in select_in(
                f"SELECT id, reference, cohabiting FROM {table(Household)} "
                "WHERE unit_id = %s AND reference {in}",
                references,
                [unit_id],
            ):
                stored[(unit_id, reference)] = (pk, bool(cohabiting))
        new = [key for key in wanted if key not in stored]
        new_ids = reserve_ids(Household, len(new))
        insert_tuples(
            Household,
            ("id", "reference", "unit_id", "cohabiting"),
            (
                (pk, key[1], key[0], wanted[key].cohabiting)
                for pk, key in zip(new_ids, new, strict=True)
            ),
        )
        update_tuples(
            Household,
            ("cohabiting", "updated_at"),
            [
                (pk, wanted[key].cohabiting, self.moment)
                for key, (pk, cohabiting) in stored.items()
                if cohabiting != wanted[key].cohabiting
            ],
        )
        ids = dict(zip(new, new_ids, strict=True))
        ids.update((key, pk) for key, (pk, _) in stored.items())
        self._children(
            {ids[key]: row.children for key, row in wanted.items()},
            [pk for pk, _ in stored.values()],
        )
        return ids

    def _children(self, wanted: dict[int, tuple[date, ...]], stored_ids: list[int]) -> None:
        """Make each household's children those the file gives (by household id)."""
        current: dict[int, list[date]] = {}
        for household_id, birth in select_in(
            f"SELECT household_id, {as_stored('birth_date')} FROM {table(Child)} "
            "WHERE household_id {in}",
            stored_ids,
        ):
            current.setdefault(household_id, []).append(self.known_day(birth))
        replace = [
            pk for pk, children in wanted.items() if tuple(sorted(current.get(pk, ()))) != children
        ]
        delete_in(Child, "household_id", [pk for pk in replace if pk in current])
        insert_tuples(
            Child,
            ("household_id", "birth_date"),
            ((pk, born) for pk in replace for born in wanted[pk]),
        )

    # -- persons

    def _persons(
        self, rows: Sequence[ParsedRow], households: dict[tuple[int, str], int]
    ) -> tuple[dict[str, int], dict[str, int], dict[int, dict[str, Any]]]:
        """Create the new persons and update the changed ones; returns every row's person id,
        the persons created (personnummer -> id) and the changes per existing person."""
        stored = {
            found[1]: found
            for found in select_in(
                f"SELECT id, personnummer, {', '.join(self.person_columns)} "
                f"FROM {table(Person)} WHERE personnummer {{in}}",
                [r.personnummer for r in rows],
            )
        }
        ids: dict[str, int] = {}
        new: list[tuple[str, tuple[Any, ...]]] = []
        updates: list[tuple[Any, ...]] = []
        changes: dict[int, dict[str, Any]] = {}
        for row in rows:
            unit_id = self.units[row.unit]
            values = (
                IdKind.SAMORDNINGSNUMMER.value
                if row.is_coordination_number
                else IdKind.PERSONNUMMER.value,
                row.birth_date,
                row.sex,
                row.first_name,
                row.last_name,
                households[(unit_id, row.household)],
                row.part_time_hours,
                self.reasons[row.reason_code][0],
                str(row.af_programme),
                row.af_programme_since,
                row.protected_identity,
                unit_id,
            )
            found = stored.get(row.personnummer)
            if found is None:
                new.append((row.personnummer, values))
                continue
            pk = found[0]
            ids[row.personnummer] = pk
            was = (
                found[2],
                self.day(found[3]),
                *found[4:8],
                self.hours(found[8]),
                *found[9:11],
                self.day(found[11]),
                bool(found[12]),
                found[13],
            )
            if was == values:
                continue
            names = [
                name
                for name, old, now in zip(PERSON_FIELDS, was, values, strict=True)
                if old != now
            ]
            changes[pk] = {"fields": names}
            if was[10] and not row.protected_identity:
                changes[pk]["protected_identity_removed"] = True
            updates.append((pk, *values, self.moment))
        new_ids = reserve_ids(Person, len(new))
        insert_tuples(
            Person,
            ("id", "personnummer", *PERSON_FIELDS),
            ((pk, number, *values) for pk, (number, values) in zip(new_ids, new, strict=True)),
        )
        update_tuples(Person, (*PERSON_FIELDS, "updated_at"), updates)
        created = {number: pk for pk, (number, _) in zip(new_ids, new, strict=True)}
        ids.update(created)
        return ids, created, changes

    # -- support periods

    def _support_periods(
        self, rows: Sequence[ParsedRow], ids: dict[str, int], existing: list[int]
    ) -> list[int]:
        """Make each person's ongoing period start at ``bistand_sedan``: an earlier month
        corrects it, a later one closes it (at least a month's gap) and opens a new one.
        Returns the persons whose period changed."""
        ongoing = {
            person_id: (pk, self.known_day(first_month))
            for pk, person_id, first_month in select_in(
                f"SELECT id, person_id, {as_stored('first_month')} FROM {table(SupportPeriod)} "
                "WHERE last_month IS NULL AND person_id {in}",
                existing,
            )
        }
        create: list[tuple[int, date]] = []
        corrected: list[tuple[int, date]] = []
        closed: list[tuple[int, date]] = []
        changed: list[int] = []
        for row in rows:
            person_id = ids[row.personnummer]
            current = ongoing.get(person_id)
            if current is None:
                create.append((person_id, row.support_since))
                continue
            pk, first_month = current
            if first_month == row.support_since:
                continue
            changed.append(person_id)
            if row.support_since < first_month:
                corrected.append((pk, row.support_since))  # a correction of the start
            else:
                # a new unbroken current: the old one ended at least a month before it began
                closed.append((pk, max(first_month, add_months(row.support_since, -2))))
                create.append((person_id, row.support_since))
        update_tuples(SupportPeriod, ("first_month",), corrected)
        update_tuples(SupportPeriod, ("last_month",), closed)
        insert_tuples(SupportPeriod, ("person_id", "first_month"), create)
        return changed

    # -- dated facts

    def _facts(
        self, rows: Sequence[ParsedRow], ids: dict[str, int], existing: list[int]
    ) -> dict[int, list[str]]:
        """Record what changed in each person's dated facts (decision record 0015); returns
        the kinds changed per person."""
        current: dict[int, list[RecordedFact]] = {}
        for pk, person_id, kind, value, hours, starts_on, ends_on in select_in(
            f"SELECT id, person_id, kind, value, hours, {as_stored('starts_on')}, "
            f"{as_stored('ends_on')} FROM {table(PersonFact)} "
            "WHERE superseded_on IS NULL AND person_id {in}",
            existing,
        ):
            current.setdefault(person_id, []).append(
                RecordedFact(
                    pk, kind, value, self.hours(hours), self.day(starts_on), self.day(ends_on)
                )
            )
        supersede: list[tuple[int, date]] = []
        create: list[tuple[Any, ...]] = []
        changed: dict[int, list[str]] = {}
        recorded = (self.today, FactSource.IMPORT.value, self.user_id)
        for row in rows:
            person_id = ids[row.personnummer]
            facts = current.get(person_id, ())
            old, new = plan_fact_changes(
                facts,
                desired_facts(row, self.reasons[row.reason_code][1]),
                change_from=row.change_from or self.today,
            )
            if not old and not new:
                continue
            kinds = {f.kind for f in facts if f.pk in old} | {str(f.kind) for f in new}
            changed[person_id] = sorted(kinds)
            supersede += [(pk, self.today) for pk in old]
            create += [
                (person_id, str(f.kind), f.value, f.hours, f.starts_on, f.ends_on, *recorded)
                for f in new
            ]
        update_tuples(PersonFact, ("superseded_on",), supersede)
        insert_tuples(PersonFact, FACT_COLUMNS, create)
        return changed


def desired_facts(
    row: ParsedRow, reason_label: str
) -> dict[str | tuple[str, str], list[FactValue]]:
    """What a row says about the person's dated facts, by kind; kinds whose columns are not in
    the file are left out, so an old file changes nothing about them."""
    wanted: dict[str | tuple[str, str], list[FactValue]] = {}
    programme = (
        [
            FactValue(
                FactKind.PROGRAMME,
                row.af_programme,
                None,
                row.af_programme_since,
                row.af_programme_until,
            )
        ]
        if row.af_programme != "none"
        else []
    )
    wanted[FactKind.PROGRAMME] = programme
    if row.af_assessment_on is not None:
        wanted[FactKind.AF_ASSESSMENT] = [
            FactValue(FactKind.AF_ASSESSMENT, "insufficient", None, row.af_assessment_on)
        ]
    for value, hours in (
        ("work", row.part_time_hours),
        ("studies", row.studies_hours),
        (row.intervention_kind, row.intervention_hours),
    ):
        if hours is not None:
            facts = [FactValue(FactKind.OCCUPATION, value, hours)] if hours > 0 else []
            wanted[(FactKind.OCCUPATION, value)] = facts
    if row.benefit is not None:
        wanted[FactKind.BENEFIT] = (
            [FactValue(FactKind.BENEFIT, row.benefit, None, row.benefit_since, row.benefit_until)]
            if row.benefit
            else []
        )
    if row.school is not None:
        wanted[FactKind.SCHOOLING] = (
            [FactValue(FactKind.SCHOOLING, row.school)] if row.school else []
        )
    wanted[FactKind.REASON_CODE] = [FactValue(FactKind.REASON_CODE, reason_label)]
    wanted.update(household_values(row.household, row.children))
    return wanted
