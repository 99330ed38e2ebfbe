"""The import's columns and how one row is read; every problem is a Swedish, per-cell message."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from heltid.registry.identity import IdentityError, parse_identity
from heltid.registry.models import AfProgramme

COLUMNS = (
    "personnummer",
    "fornamn",
    "efternamn",
    "hushall",
    "sambo",
    "barn_fodda",
    "deltid_timmar",
    "forsorjningshinder",
    "bistand_sedan",
    "af_program",
    "af_program_sedan",
    "skyddad_identitet",
    "enhet",
)

AF_VALUES = {
    "ingen": AfProgramme.NONE,
    "job": AfProgramme.JOB,
    "uga": AfProgramme.UGA,
    "etablering": AfProgramme.ESTABLISHMENT,
    "annat": AfProgramme.OTHER,
}
_YES = {"ja", "j", "yes", "1", "true"}
_NO = {"nej", "n", "no", "0", "false", ""}
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


@dataclass(frozen=True)
class ParsedRow:
    row: int
    personnummer: str
    is_coordination_number: bool
    birth_date: date
    sex: str
    first_name: str
    last_name: str
    household: str
    cohabiting: bool
    children: tuple[date, ...]
    part_time_hours: Decimal
    reason_code: str  # lower-cased label, matched later against the configured list
    support_since: date
    af_programme: str
    af_programme_since: date | None
    protected_identity: bool
    unit: str  # lower-cased unit code or name


class _Row:
    """Collects the errors of one row while its cells are read."""

    def __init__(self, number: int, values: dict[str, str]) -> None:
        self.number = number
        self.values = values
        self.errors: list[RowError] = []

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.number, column, message))

    def text(self, column: str, *, required: bool = True, max_length: int = 100) -> str:
        value = self.values.get(column, "").strip()
        if required and not value:
            self.fail(column, "Värde saknas.")
        elif len(value) > max_length:
            self.fail(column, f"Högst {max_length} tecken.")
        elif any(ord(c) < 32 for c in value):
            self.fail(column, "Innehåller otillåtna tecken.")
        return value

    def yes_no(self, column: str) -> bool:
        value = self.values.get(column, "").strip().lower()
        if value in _YES:
            return True
        if value not in _NO:
            self.fail(column, "Ska vara ja eller nej.")
        return False

    def parse_date(self, column: str, value: str, *, today: date) -> date | None:
        match = _DATE.match(value)
        if not match:
            self.fail(column, f"”{value[:20]}” är inget datum. Skriv ÅÅÅÅ-MM-DD.")
            return None
        try:
            parsed = date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            self.fail(column, f"{value} är inget datum som finns.")
            return None
        if parsed > today:
            self.fail(column, f"{value} ligger i framtiden.")
            return None
        if parsed.year < 1900:
            self.fail(column, f"{value} är för långt bakåt i tiden.")
            return None
        return parsed

    def month(self, column: str, *, today: date) -> date | None:
        value = self.values.get(column, "").strip()
        match = _MONTH.match(value)
        if not match:
            self.fail(column, "Ska vara en månad skriven ÅÅÅÅ-MM." if value else "Värde saknas.")
            return None
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12 or year < 1950:
            self.fail(column, f"{value} är ingen giltig månad.")
            return None
        parsed = date(year, month, 1)
        if parsed > today:
            self.fail(column, f"{value} ligger i framtiden.")
            return None
        return parsed

    def hours(self, column: str) -> Decimal:
        value = self.values.get(column, "").strip().replace(",", ".")
        if not value:
            return Decimal(0)
        try:
            hours = Decimal(value)
        except InvalidOperation:
            self.fail(column, f"”{value[:20]}” är inget antal timmar.")
            return Decimal(0)
        if not hours.is_finite() or hours < 0 or hours > 80:
            self.fail(column, "Ska vara mellan 0 och 80 timmar i veckan.")
            return Decimal(0)
        if hours != hours.quantize(Decimal("0.1")):
            self.fail(column, "Högst en decimal.")
            return Decimal(0)
        return hours


def parse_row(number: int, values: dict[str, str], *, today: date) -> ParsedRow | list[RowError]:
    row = _Row(number, values)
    if "\x00extra" in values:
        row.fail("", "Raden har fler värden än det finns kolumner.")

    identity = None
    raw_pnr = row.text("personnummer", max_length=20)
    if raw_pnr:
        try:
            identity = parse_identity(raw_pnr)
        except IdentityError as exc:
            row.fail("personnummer", str(exc))
    first_name = row.text("fornamn")
    last_name = row.text("efternamn")
    household = row.text("hushall", max_length=60)
    cohabiting = row.yes_no("sambo")
    children: list[date] = []
    for part in filter(None, (p.strip() for p in values.get("barn_fodda", "").split(","))):
        child = row.parse_date("barn_fodda", part, today=today)
        if child is not None:
            if today.year - child.year > 21:
                row.fail(
                    "barn_fodda", f"Barnet född {part} är inte ett barn i hushållet (över 20 år)."
                )
            else:
                children.append(child)
    part_time = row.hours("deltid_timmar")
    reason = row.text("forsorjningshinder", max_length=200).lower()
    since = row.month("bistand_sedan", today=today)
    af_raw = values.get("af_program", "").strip().lower() or "ingen"
    af_programme = AF_VALUES.get(af_raw)
    if af_programme is None:
        row.fail("af_program", "Ska vara ingen, JOB, UGA, etablering eller annat.")
    af_since_raw = values.get("af_program_sedan", "").strip()
    af_since = (
        row.parse_date("af_program_sedan", af_since_raw, today=today) if af_since_raw else None
    )
    if af_since is not None and af_programme == AfProgramme.NONE:
        row.fail("af_program_sedan", "Ska vara tomt när af_program är ingen.")
    protected = row.yes_no("skyddad_identitet")
    unit = row.text("enhet", max_length=200).lower()
    if identity is not None and since is not None and since < identity.birth_date.replace(day=1):
        row.fail("bistand_sedan", "Biståndet kan inte ha börjat före födelsen.")

    if row.errors or identity is None or since is None or af_programme is None:
        return row.errors or [RowError(number, "", "Raden kunde inte läsas.")]
    return ParsedRow(
        row=number,
        personnummer=identity.number,
        is_coordination_number=identity.is_coordination_number,
        birth_date=identity.birth_date,
        sex=identity.sex,
        first_name=first_name,
        last_name=last_name,
        household=household,
        cohabiting=cohabiting,
        children=tuple(sorted(children)),
        part_time_hours=part_time,
        reason_code=reason,
        support_since=since,
        af_programme=af_programme,
        af_programme_since=af_since,
        protected_identity=protected,
        unit=unit,
    )
