"""The import's columns and how one row is read; every problem is a Swedish, per-cell message."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any, NamedTuple

from heltid.registry.identity import IdentityError, parse_identity
from heltid.registry.models import AfProgramme
from heltid.rules.dates import age_on

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

# Optional: files without them still import, and leave those facts as they were.
OPTIONAL_COLUMNS = (
    "af_program_till",
    "af_bedomning",
    "studier_timmar",
    "insats_timmar",
    "insats_huvudman",
    "ersattning",
    "ersattning_sedan",
    "ersattning_till",
    "skolform",
    "galler_fran",
)

BENEFIT_VALUES = {
    "ingen": "",
    "sjukpenning": "sjukpenning",
    "sjukersattning": "sjukersattning",
    "sjukersättning": "sjukersattning",
    "aktivitetsersattning": "aktivitetsersattning",
    "aktivitetsersättning": "aktivitetsersattning",
    "rehabiliteringspenning": "rehabiliteringspenning",
}
SCHOOL_VALUES = {
    "ingen": "",
    "grundskola": "grundskola",
    "gymnasieskola": "gymnasieskola",
    "jamforlig": "jamforlig",
    "jämförlig": "jamforlig",
}
PRINCIPAL_VALUES = {"stat": "state", "kommun": "municipal", "region": "regional"}
MINIMUM_AGE = 18

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
_CONTROL = re.compile(r"[\x00-\x1f]")


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


class ParsedRow(NamedTuple):
    """A valid row, as compact as a tuple: a file's rows are kept until it is written."""

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
    # optional columns; None = the column is not in the file
    af_programme_until: date | None = None
    af_assessment_on: date | None = None
    studies_hours: Decimal | None = None
    intervention_hours: Decimal | None = None
    intervention_kind: str = "state"
    benefit: str | None = None  # "" = none
    benefit_since: date | None = None
    benefit_until: date | None = None
    school: str | None = None  # "" = none
    change_from: date | None = None


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
        elif _CONTROL.search(value):
            self.fail(column, "Innehåller otillåtna tecken.")
        return value

    def yes_no(self, column: str) -> bool:
        value = self.values.get(column, "").strip().lower()
        if value in _YES:
            return True
        if value not in _NO:
            self.fail(column, "Ska vara ja eller nej.")
        return False

    def optional_date(self, column: str, *, today: date, future: bool = False) -> date | None:
        value = self.values.get(column, "").strip()
        if not value:
            return None
        return self.parse_date(column, value, today=date.max if future else today)

    def choice(self, column: str, choices: dict[str, str]) -> str | None:
        if column not in self.values:
            return None
        value = self.values[column].strip().lower() or "ingen"
        if value not in choices:
            allowed = ", ".join(dict.fromkeys(k for k in choices))
            self.fail(column, f"Ska vara något av: {allowed}.")
            return None
        return choices[value]

    def parse_date(self, column: str, value: str, *, today: date) -> date | None:
        # only texts that can be dates are remembered: a cell may be 32,767 characters
        parsed = _date(value) if len(value) == 10 else _date.__wrapped__(value)
        if isinstance(parsed, str):
            self.fail(column, parsed)
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
        text = self.values.get(column, "")
        hours = _hours(text) if len(text) <= 10 else _hours.__wrapped__(text)
        if isinstance(hours, str):
            self.fail(column, hours)
            return _ZERO
        return hours


_ZERO = Decimal(0)


@lru_cache(maxsize=4096)
def _date(value: str) -> date | str:
    """A YYYY-MM-DD text as a date, or the Swedish message why it is not one (the same few
    dates recur on every row of a file, and each is read once)."""
    match = _DATE.match(value)
    if not match:
        return f"”{value[:20]}” är inget datum. Skriv ÅÅÅÅ-MM-DD."
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return f"{value} är inget datum som finns."


@lru_cache(maxsize=1024)
def _hours(text: str) -> Decimal | str:
    """Hours per week from a cell, or the Swedish message why they are not."""
    value = text.strip().replace(",", ".")
    if not value:
        return _ZERO
    try:
        hours = Decimal(value)
    except InvalidOperation:
        return f"”{value[:20]}” är inget antal timmar."
    if not hours.is_finite() or hours < 0 or hours > 80:
        return "Ska vara mellan 0 och 80 timmar i veckan."
    if hours != hours.quantize(Decimal("0.1")):
        return "Högst en decimal."
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
    # names, reason codes and units recur: one string each, however many rows name it
    first_name = sys.intern(row.text("fornamn"))
    last_name = sys.intern(row.text("efternamn"))
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
    reason = sys.intern(row.text("forsorjningshinder", max_length=200).lower())
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
    unit = sys.intern(row.text("enhet", max_length=200).lower())
    if identity is not None and since is not None and since < identity.birth_date.replace(day=1):
        row.fail("bistand_sedan", "Biståndet kan inte ha börjat före födelsen.")

    if identity is not None and age_on(identity.birth_date, today) < MINIMUM_AGE:
        row.fail(
            "personnummer",
            f"Personen är under {MINIMUM_AGE} år. Aktivitetskravet gäller inte barn, och Heltid "
            "registrerar bara vuxna mottagare.",
        )
    optional = _optional_columns(
        row, values, today=today, af_programme=af_programme, af_since=af_since
    )

    if row.errors or identity is None or since is None or af_programme is None:
        return row.errors or [RowError(number, "", "Raden kunde inte läsas.")]
    return ParsedRow(
        number,
        identity.number,
        identity.is_coordination_number,
        identity.birth_date,
        identity.sex,
        first_name,
        last_name,
        household,
        cohabiting,
        tuple(sorted(children)),
        part_time,
        reason,
        since,
        af_programme,
        af_since,
        protected,
        unit,
        *optional,
    )


_NO_OPTIONAL_COLUMNS = (None, None, None, None, "state", None, None, None, None, None)


def _optional_columns(
    row: _Row,
    values: dict[str, str],
    *,
    today: date,
    af_programme: str | None,
    af_since: date | None,
) -> tuple[Any, ...]:
    """The optional columns (dated facts) of a row, as ParsedRow's last fields in order."""
    if values.keys().isdisjoint(OPTIONAL_COLUMNS):
        return _NO_OPTIONAL_COLUMNS  # a file without them: nothing to read
    af_until = row.optional_date("af_program_till", today=today, future=True)
    if af_until is not None and af_since is not None and af_until < af_since:
        row.fail("af_program_till", "Slutdatumet ligger före startdatumet i programmet.")
    if af_until is not None and af_programme == AfProgramme.NONE:
        row.fail("af_program_till", "Ska vara tomt när af_program är ingen.")
    assessment = row.optional_date("af_bedomning", today=today)
    studies = row.hours("studier_timmar") if "studier_timmar" in values else None
    intervention = row.hours("insats_timmar") if "insats_timmar" in values else None
    principal = row.choice("insats_huvudman", PRINCIPAL_VALUES) or "state"
    benefit = row.choice("ersattning", BENEFIT_VALUES)
    benefit_since = row.optional_date("ersattning_sedan", today=today)
    benefit_until = row.optional_date("ersattning_till", today=today, future=True)
    if benefit == "" and (benefit_since or benefit_until):
        row.fail("ersattning_sedan", "Ska vara tomt när ersattning är ingen.")
    if benefit_since and benefit_until and benefit_until < benefit_since:
        row.fail("ersattning_till", "Slutdatumet ligger före startdatumet.")
    school = row.choice("skolform", SCHOOL_VALUES)
    change_from = row.optional_date("galler_fran", today=today)

    return (
        af_until,
        assessment,
        studies,
        intervention,
        principal,
        benefit,
        benefit_since,
        benefit_until,
        school,
        change_from,
    )
