"""Typed view of the national activity requirement parameters."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from .parameters import (
    ParameterVersion,
    Sourced,
    sourced_bool,
    sourced_int,
    sourced_strings,
    table,
    version_on_or_upcoming,
)

FILE = "activity_requirement"


@dataclass(frozen=True)
class ActivityRequirement:
    """One dated version of ``activity_requirement.toml``."""

    in_force_from: date
    in_force_source: str
    min_consecutive_months: Sourced[int]
    full_time_programmes: Sourced[tuple[str, ...]]
    full_time_hours: Sourced[Decimal]
    child_under_age: Sourced[int]
    child_reduction_hours: Sourced[Decimal]
    part_time_deduction: Sourced[bool]
    individual_requires_written_reason: Sourced[bool]


def _hours(value: Sourced[int]) -> Sourced[Decimal]:
    return Sourced(Decimal(value.value), value.source)


@cache
def _parse(version: ParameterVersion) -> ActivityRequirement:
    where = f"{version.file} [{version.key}]"
    data = version.data
    hours = table(data, "weekly_hours", where=where)
    hours_where = f"{where}.weekly_hours"
    return ActivityRequirement(
        in_force_from=version.valid_from,
        in_force_source=version.source or where,
        min_consecutive_months=sourced_int(data, "min_consecutive_months", where=where),
        full_time_programmes=sourced_strings(data, "full_time_programmes", where=where),
        full_time_hours=_hours(sourced_int(hours, "full_time", where=hours_where)),
        child_under_age=sourced_int(hours, "child_under_age", where=hours_where),
        child_reduction_hours=_hours(sourced_int(hours, "child_reduction", where=hours_where)),
        part_time_deduction=sourced_bool(hours, "part_time_deduction", where=hours_where),
        individual_requires_written_reason=sourced_bool(
            hours, "individual_requires_written_reason", where=hours_where
        ),
    )


def activity_requirement(on: date) -> ActivityRequirement:
    """The requirement in force on ``on``, or the first version if not yet in force.

    Before the in-force date the rules still use the upcoming version, so that
    staff can see when a person will be covered.
    """
    return _parse(version_on_or_upcoming(FILE, on))
