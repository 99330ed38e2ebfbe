"""Checks of CoverageFacts before the rules use them (Swedish error messages)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from .exemptions import parse_exemption
from .types import AF_PROGRAMMES, CoverageFacts, ReasonGroup


def as_decimal(value: Decimal | int | float, *, what: str) -> Decimal:
    """A non-negative number of hours as Decimal; ValueError (Swedish) otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"{what} måste vara ett tal.")
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    if not number.is_finite() or number < 0:
        raise ValueError(f"{what} kan inte vara negativt.")
    return number


def check_facts(facts: CoverageFacts, *, on: date) -> None:
    """Raise ValueError with a Swedish message when the facts are inconsistent."""
    if facts.birth_date > on:
        raise ValueError(
            f"Födelsedatumet {facts.birth_date.isoformat()} ligger efter bedömningsdagen "
            f"{on.isoformat()}."
        )
    if facts.af_programme not in AF_PROGRAMMES:
        raise ValueError(
            f"Okänt program hos Arbetsförmedlingen: {facts.af_programme!r}. "
            f"Tillåtna värden: {', '.join(AF_PROGRAMMES)}."
        )
    if facts.reason_group is not None and facts.reason_group not in set(ReasonGroup):
        raise ValueError(f"Okänd grupp för försörjningshinder: {facts.reason_group!r}.")
    if facts.exemption is not None:
        parse_exemption(facts.exemption)
    if facts.support_until is not None:
        if facts.support_since is None:
            raise ValueError("En slutmånad för försörjningsstödet kräver en startmånad.")
        if facts.support_until.replace(day=1) < facts.support_since.replace(day=1):
            raise ValueError("Slutmånaden för försörjningsstödet ligger före startmånaden.")
    as_decimal(facts.part_time_hours, what="Antal timmar deltidsarbete")
    if facts.individual_weekly_hours is not None:
        as_decimal(facts.individual_weekly_hours, what="Individuellt timtal")
