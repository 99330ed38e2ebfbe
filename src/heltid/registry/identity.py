"""Personnummer and samordningsnummer: validate, normalise, derive birth date and sex.

Check digits and dates come from the ``personnummer`` package; this module adds the
normal form we store (12 digits), the kind of number and Swedish error messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from personnummer import personnummer as pnr_lib

_ACCEPTED = re.compile(r"^(\d{6}|\d{8})[-+]?\d{4}$", re.ASCII)


class IdentityError(ValueError):
    """The number is not a valid personnummer or samordningsnummer."""


@dataclass(frozen=True)
class Identity:
    number: str  # YYYYMMDDNNNN
    is_coordination_number: bool
    birth_date: date
    sex: str  # "F" or "M"

    @property
    def display(self) -> str:
        return f"{self.number[:8]}-{self.number[8:]}"


def parse_identity(raw: str) -> Identity:
    """Parse a personnummer or samordningsnummer written in any common form."""
    text = (raw or "").strip().replace(" ", "")
    if not text:
        raise IdentityError("Personnummer saknas.")
    if not _ACCEPTED.match(text):
        raise IdentityError(
            "Personnumret ska skrivas ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN, med siffror."
        )
    try:
        parsed = pnr_lib.Personnummer(text)
    except pnr_lib.PersonnummerException as exc:
        raise IdentityError(
            "Personnumret är inte giltigt: datum eller kontrollsiffra stämmer inte."
        ) from exc
    try:
        birth = parsed.get_date()
    except ValueError as exc:
        raise IdentityError("Personnumret innehåller ett datum som inte finns.") from exc
    number = f"{parsed.full_year}{parsed.month}{parsed.day}{parsed.num}{parsed.check}"
    return Identity(
        number=number,
        is_coordination_number=parsed.is_coordination_number(),
        birth_date=birth,
        sex="F" if parsed.is_female() else "M",
    )
