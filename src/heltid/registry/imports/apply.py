"""Validate a whole recipient file, then write it in one transaction (or, dry run, roll back)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from heltid.accounts.models import Unit
from heltid.accounts.permissions import may_import_into_unit
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.bulk import insert_rows
from heltid.clock import moment_of
from heltid.registry.fact_history import FactValue, household_values, plan_changes
from heltid.registry.imports.reader import FileError, Table, read_table
from heltid.registry.imports.rows import COLUMNS, ParsedRow, RowError, parse_row
from heltid.registry.models import (
    Child,
    FactKind,
    FactSource,
    Household,
    IdKind,
    Person,
    PersonFact,
    ReasonCode,
    SupportPeriod,
)
from heltid.rules.dates import add_months

CHUNK = 5000

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


@dataclass
class ImportReport:
    filename: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    file_error: str = ""

    @property
    def imported(self) -> bool:
        return not self.file_error and not self.errors and not self.dry_run

    @property
    def valid(self) -> bool:
        return not self.file_error and not self.errors

    def as_json(self) -> dict[str, Any]:
        return {
            "file": self.filename,
            "dry_run": self.dry_run,
            "imported": self.imported,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "file_error": self.file_error or None,
            "errors": [
                {"row": e.row, "column": e.column, "message": e.message} for e in self.errors
            ],
        }


class _DryRun(Exception):
    pass


def import_recipients(
    *,
    data: bytes,
    filename: str,
    acting_user: Any,
    dry_run: bool = False,
    page: str = "",
    today: date | None = None,
) -> ImportReport:
    """Import recipients. Nothing is written unless every row is valid."""
    today = today or timezone.localdate()
    report = ImportReport(filename=filename, dry_run=dry_run)
    try:
        table = read_table(data, filename)
    except FileError as exc:
        report.file_error = str(exc)
        return report
    missing = [c for c in COLUMNS if c not in table.headers]
    if missing:
        report.file_error = "Kolumner saknas: " + ", ".join(missing) + "."
        return report
    report.rows = len(table.rows)
    if not table.rows:
        report.file_error = "Filen innehåller inga rader med mottagare."
        return report
    parsed = _parse_all(table, today=today, report=report)
    lookups = _Lookups.load()
    _check_cross_rows(parsed, lookups, acting_user, report)
    refused = _check_scope(parsed, lookups, acting_user, report)
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, e.column))
        if refused:
            log_entries(
                user=acting_user,
                entries=[
                    Entry(Action.DENIED, pk, {"source": "import", "file": filename[:200]})
                    for pk in refused
                ],
                page=page,
            )
        return report
    try:
        with transaction.atomic():
            _write(
                parsed,
                lookups,
                report,
                acting_user=acting_user,
                page=page,
                filename=filename,
                today=today,
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return report


def _parse_all(table: Table, *, today: date, report: ImportReport) -> list[ParsedRow]:
    parsed: list[ParsedRow] = []
    for number, values in table.rows:
        result = parse_row(number, values, today=today)
        if isinstance(result, ParsedRow):
            parsed.append(result)
        else:
            report.errors.extend(result)
    return parsed


@dataclass
class _Lookups:
    reasons: dict[str, int]
    units: dict[str, int]
    labels: dict[str, str]

    @classmethod
    def load(cls) -> _Lookups:
        codes = list(ReasonCode.objects.filter(active=True).values_list("pk", "label"))
        reasons = {label.lower(): pk for pk, label in codes}
        labels = {label.lower(): label for _, label in codes}
        units: dict[str, int] = {}
        for pk, code, name in Unit.objects.values_list("pk", "code", "name"):
            units[code.lower()] = pk
            units.setdefault(name.lower(), pk)
        return cls(reasons=reasons, units=units, labels=labels)


def _check_cross_rows(
    parsed: Sequence[ParsedRow], lookups: _Lookups, user: Any, report: ImportReport
) -> None:
    seen: dict[str, int] = {}
    households: dict[str, ParsedRow] = {}
    allowed_units: dict[int, bool] = {}
    for row in parsed:
        if row.personnummer in seen:
            report.errors.append(
                RowError(
                    row.row,
                    "personnummer",
                    f"Personnumret finns redan på rad {seen[row.personnummer]}.",
                )
            )
        seen.setdefault(row.personnummer, row.row)
        if row.reason_code not in lookups.reasons:
            report.errors.append(
                RowError(
                    row.row,
                    "forsorjningshinder",
                    "Okänt försörjningshinder. Se listan över orsakskoder.",
                )
            )
        unit_id = lookups.units.get(row.unit)
        if unit_id is None:
            report.errors.append(RowError(row.row, "enhet", "Okänd enhet."))
        elif user is not None:
            if unit_id not in allowed_units:
                allowed_units[unit_id] = may_import_into_unit(user, unit_id)
            if not allowed_units[unit_id]:
                report.errors.append(RowError(row.row, "enhet", OUT_OF_SCOPE))
        first = households.setdefault(f"{unit_id}\x00{row.household}", row)
        if first is not row:
            if first.cohabiting != row.cohabiting:
                report.errors.append(
                    RowError(row.row, "sambo", f"Skiljer sig från rad {first.row} i samma hushåll.")
                )
            if first.children != row.children:
                report.errors.append(
                    RowError(
                        row.row, "barn_fodda", f"Skiljer sig från rad {first.row} i samma hushåll."
                    )
                )


OUT_OF_SCOPE = "Du får inte läsa in den här personen till den här enheten."
PROTECTED_OFF = (
    "Skyddad identitet kan bara tas bort av den som har behörighet till skyddade personuppgifter."
)


def _check_scope(
    parsed: Sequence[ParsedRow], lookups: _Lookups, user: Any, report: ImportReport
) -> list[int]:
    """Refuse rows that would change a person the user may not change (decision record 0020);
    returns the ids of the persons refused, for the log.

    A person registered in a unit the user may not import into is refused with the same
    message as a row naming such a unit, which says neither where the person is nor anything
    about them. Turning protected identity off needs the protected-identity permission.
    The command line (``user`` None) imports for the whole municipality.
    """
    if user is None:
        return []
    numbers = [r.personnummer for r in parsed]
    found: dict[str, tuple[int, int, bool]] = {}
    for chunk in _chunks(numbers):
        for pk, number, unit_id, protected in Person.objects.filter(
            personnummer__in=chunk
        ).values_list("pk", "personnummer", "unit_id", "protected_identity"):
            found[number] = (pk, unit_id, protected)
    allowed: dict[int, bool] = {}
    refused: list[int] = []
    for row in parsed:
        if row.personnummer not in found:
            continue
        pk, unit_id, protected = found[row.personnummer]
        if unit_id not in allowed:
            allowed[unit_id] = may_import_into_unit(user, unit_id)
        if not allowed[unit_id]:
            if not any(e.row == row.row and e.column == "enhet" for e in report.errors):
                report.errors.append(RowError(row.row, "enhet", OUT_OF_SCOPE))
            refused.append(pk)
        elif protected and not row.protected_identity and not user.protected_identity_access:
            report.errors.append(RowError(row.row, "skyddad_identitet", PROTECTED_OFF))
            refused.append(pk)
    return refused


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _write(
    parsed: Sequence[ParsedRow],
    lookups: _Lookups,
    report: ImportReport,
    *,
    acting_user: Any,
    page: str,
    filename: str,
    today: date,
) -> None:
    household_ids = _write_households(parsed, lookups)
    existing: dict[str, Person] = {}
    numbers = [r.personnummer for r in parsed]
    for chunk in _chunks(numbers):
        for person in Person.objects.filter(personnummer__in=chunk):
            existing[person.personnummer] = person
    to_create: list[Person] = []
    to_update: list[Person] = []
    changes: dict[str, list[str]] = {}
    unprotected: set[int] = set()
    for row in parsed:
        values = {
            "id_kind": IdKind.SAMORDNINGSNUMMER
            if row.is_coordination_number
            else IdKind.PERSONNUMMER,
            "birth_date": row.birth_date,
            "sex": row.sex,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "household_id": household_ids[(lookups.units[row.unit], row.household)],
            "part_time_hours": row.part_time_hours,
            "reason_code_id": lookups.reasons[row.reason_code],
            "af_programme": row.af_programme,
            "af_programme_since": row.af_programme_since,
            "protected_identity": row.protected_identity,
            "unit_id": lookups.units[row.unit],
        }
        found = existing.get(row.personnummer)
        if found is None:
            to_create.append(Person(personnummer=row.personnummer, **values))
            continue
        changed = [name for name, value in values.items() if getattr(found, name) != value]
        if "protected_identity" in changed and not row.protected_identity:
            unprotected.add(found.pk)
        if changed:
            for name in changed:
                setattr(found, name, values[name])
            to_update.append(found)
            changes[row.personnummer] = changed
    insert_rows(Person, to_create)
    if to_update:
        now = moment_of(today)  # the import's business day, never another real date
        for person in to_update:
            person.updated_at = now
        Person.objects.bulk_update(to_update, [*PERSON_FIELDS, "updated_at"], batch_size=1000)
    report.created = len(to_create)
    report.updated = len(to_update)
    ids = {number: p.pk for number, p in existing.items()}
    created_numbers = [p.personnummer for p in to_create]
    for chunk in _chunks(created_numbers):
        ids.update(Person.objects.filter(personnummer__in=chunk).values_list("personnummer", "pk"))
    period_changes = _write_support_periods(parsed, ids)
    fact_changes = _write_facts(parsed, ids, lookups.labels, acting_user=acting_user, today=today)
    report.unchanged = len(parsed) - report.created - report.updated
    entries = [
        Entry(Action.CREATE, ids[number], {"source": "import"}) for number in created_numbers
    ]
    entries += _change_entries(
        {ids[number] for number in created_numbers},
        {existing[number].pk: fields for number, fields in changes.items()},
        period_changes,
        fact_changes,
        unprotected,
    )
    entries.append(
        Entry(
            Action.IMPORT,
            None,
            {
                "file": filename[:200],
                "rows": len(parsed),
                "created": report.created,
                "updated": report.updated,
            },
        )
    )
    log_entries(
        user=acting_user, entries=entries, page=page, actor=None if acting_user else "import"
    )


def _change_entries(
    created: set[int],
    fields: dict[int, list[str]],
    periods: list[int],
    facts: dict[int, list[str]],
    unprotected: set[int],
) -> list[Entry]:
    """One change entry per person: the fields, the support period and the dated facts; a
    protected identity turned off says so."""
    details: dict[int, dict[str, Any]] = {}
    for pk, names in fields.items():
        details.setdefault(pk, {"source": "import"})["fields"] = names
    for pk in periods:
        detail = details.setdefault(pk, {"source": "import"})
        detail["fields"] = [*detail.get("fields", []), "support_period"]
    for pk, kinds in facts.items():
        if pk not in created:
            details.setdefault(pk, {"source": "import"})["facts"] = kinds
    for pk in unprotected:
        details.setdefault(pk, {"source": "import"})["protected_identity_removed"] = True
    return [Entry(Action.CHANGE, pk, detail) for pk, detail in details.items()]


def _households_in_units(keys: Iterable[tuple[int, str]]) -> dict[tuple[int, str], Household]:
    """The existing households by (unit id, reference), looked up unit by unit."""
    by_unit: dict[int, list[str]] = {}
    for unit_id, ref in keys:
        by_unit.setdefault(unit_id, []).append(ref)
    found: dict[tuple[int, str], Household] = {}
    for unit_id, refs in by_unit.items():
        for chunk in _chunks(refs):
            for household in Household.objects.filter(unit_id=unit_id, reference__in=chunk):
                found[(unit_id, household.reference)] = household
    return found


def _write_households(parsed: Sequence[ParsedRow], lookups: _Lookups) -> dict[tuple[int, str], int]:
    """Create or update the households the rows name, each within its row's unit: a
    reference never reaches another unit's household (decision record 0020). Returns the
    household id by (unit id, reference)."""
    wanted: dict[tuple[int, str], ParsedRow] = {}
    for row in parsed:
        wanted.setdefault((lookups.units[row.unit], row.household), row)
    existing = _households_in_units(wanted)
    new = [
        Household(unit_id=unit_id, reference=ref, cohabiting=wanted[(unit_id, ref)].cohabiting)
        for unit_id, ref in wanted
        if (unit_id, ref) not in existing
    ]
    insert_rows(Household, new)
    changed = []
    for key, household in existing.items():
        if household.cohabiting != wanted[key].cohabiting:
            household.cohabiting = wanted[key].cohabiting
            changed.append(household)
    Household.objects.bulk_update(changed, ["cohabiting"], batch_size=1000)
    ids = {key: h.pk for key, h in existing.items()}
    created = _households_in_units(key for key in wanted if key not in existing)
    ids.update((key, h.pk) for key, h in created.items())
    _write_children(
        {ids[key]: row.children for key, row in wanted.items()},
        [h.pk for h in existing.values()],
    )
    return ids


def _write_children(wanted: dict[int, tuple[date, ...]], existing_ids: list[int]) -> None:
    """Make each household's children those the file gives (by household id)."""
    current: dict[int, list[date]] = {}
    for start in range(0, len(existing_ids), CHUNK):
        for household_id, birth in Child.objects.filter(
            household_id__in=existing_ids[start : start + CHUNK]
        ).values_list("household_id", "birth_date"):
            current.setdefault(household_id, []).append(birth)
    replace = [
        pk for pk, children in wanted.items() if tuple(sorted(current.get(pk, []))) != children
    ]
    stale = [pk for pk in replace if pk in current]
    for start in range(0, len(stale), CHUNK):
        Child.objects.filter(household_id__in=stale[start : start + CHUNK]).delete()
    insert_rows(Child, [Child(household_id=pk, birth_date=b) for pk in replace for b in wanted[pk]])


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


def _write_facts(
    parsed: Sequence[ParsedRow],
    ids: dict[str, int],
    labels: dict[str, str],
    *,
    acting_user: Any,
    today: date,
) -> dict[int, list[str]]:
    """Record what changed in each person's dated facts; returns the kinds changed per person."""
    person_ids = [ids[r.personnummer] for r in parsed]
    current: dict[int, list[PersonFact]] = {}
    for start in range(0, len(person_ids), CHUNK):
        for fact in PersonFact.objects.filter(
            person_id__in=person_ids[start : start + CHUNK], superseded_on__isnull=True
        ):
            current.setdefault(fact.person_id, []).append(fact)
    supersede: list[PersonFact] = []
    create: list[PersonFact] = []
    changed: dict[int, list[str]] = {}
    for row in parsed:
        pk = ids[row.personnummer]
        old, new = plan_changes(
            pk,
            current.get(pk, []),
            desired_facts(row, labels[row.reason_code]),
            change_from=row.change_from or today,
            today=today,
            source=FactSource.IMPORT,
            user=acting_user,
        )
        if old or new:
            changed[pk] = sorted({f.kind for f in (*old, *new)})
        supersede.extend(old)
        create.extend(new)
    PersonFact.objects.bulk_update(supersede, ["superseded_on"], batch_size=1000)
    insert_rows(PersonFact, create)
    return changed


def _write_support_periods(parsed: Sequence[ParsedRow], ids: dict[str, int]) -> list[int]:
    """Make each person's ongoing period start at ``bistand_sedan``; returns persons changed."""
    person_ids = [ids[r.personnummer] for r in parsed]
    ongoing: dict[int, SupportPeriod] = {}
    for start in range(0, len(person_ids), CHUNK):
        for period in SupportPeriod.objects.filter(
            person_id__in=person_ids[start : start + CHUNK], last_month__isnull=True
        ):
            ongoing[period.person_id] = period
    to_create: list[SupportPeriod] = []
    corrected: list[SupportPeriod] = []
    closed: list[SupportPeriod] = []
    changed: list[int] = []
    for row in parsed:
        pk = ids[row.personnummer]
        current = ongoing.get(pk)
        if current is None:
            to_create.append(SupportPeriod(person_id=pk, first_month=row.support_since))
            continue
        if current.first_month == row.support_since:
            continue
        changed.append(pk)
        if row.support_since < current.first_month:
            current.first_month = row.support_since  # a correction of the start
            corrected.append(current)
        else:
            # a new unbroken current: the old one ended at least a month before it began
            current.last_month = max(current.first_month, add_months(row.support_since, -2))
            closed.append(current)
            to_create.append(SupportPeriod(person_id=pk, first_month=row.support_since))
    SupportPeriod.objects.bulk_update(corrected, ["first_month"], batch_size=1000)
    SupportPeriod.objects.bulk_update(closed, ["last_month"], batch_size=1000)
    insert_rows(SupportPeriod, to_create)
    return changed
