"""Typed view of the national activity requirement parameters (``activity_requirement.toml``)
and of the riktålder för pension (``riktalder.toml``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache

from .parameters import (
    ParameterVersion,
    Sourced,
    integer,
    sourced_bool,
    sourced_date,
    sourced_int,
    sourced_labels,
    sourced_strings,
    table,
    text,
    version_on_or_upcoming,
)

FILE = "activity_requirement"
PENSION_AGE_FILE = "riktalder"


@dataclass(frozen=True)
class ActivityRequirement:
    """One dated version of ``activity_requirement.toml``.

    Every value is the statute's (SFS) or the proposition's, except those whose source says
    it is Heltid's reading (decision records 0013 and 0014).
    """

    in_force_from: date
    in_force_source: str
    checked: str  # when and against what the file was last checked
    first_applied_month: Sourced[date]
    min_consecutive_months: Sourced[int]
    minimum_age: Sourced[int]
    school_age_limit: Sourced[int]  # 18–20: younger than this
    school_forms: Sourced[dict[str, str]]
    benefits: Sourced[dict[str, str]]
    benefits_by_reading: Sourced[dict[str, str]]
    full_time_programmes: Sourced[tuple[str, ...]]
    af_assessment: Sourced[bool]
    pension_age: str  # source of the exclusion; the age itself is dated (riktalder.toml)
    occupations: Sourced[dict[str, str]]
    full_time_occupation: Sourced[bool]
    full_time_hours: Sourced[Decimal]
    adapted_to_ability: Sourced[bool]
    individual_requires_written_reason: Sourced[bool]


@cache
def _parse(version: ParameterVersion) -> ActivityRequirement:
    where = f"{version.file} [{version.key}]"
    data = version.data
    hours = table(data, "weekly_hours", where=where)
    hours_where = f"{where}.weekly_hours"
    full_time = sourced_int(hours, "full_time", where=hours_where)
    return ActivityRequirement(
        in_force_from=version.valid_from,
        in_force_source=version.source or where,
        checked=text(data, "checked", where=where),
        first_applied_month=sourced_date(data, "first_applied_month", where=where),
        min_consecutive_months=sourced_int(data, "min_consecutive_months", where=where),
        minimum_age=sourced_int(data, "minimum_age", where=where),
        school_age_limit=sourced_int(data, "school_age_limit", where=where),
        school_forms=sourced_labels(data, "school_forms", where=where),
        benefits=sourced_labels(data, "benefits", where=where),
        benefits_by_reading=sourced_labels(data, "benefits_by_reading", where=where),
        full_time_programmes=sourced_strings(data, "full_time_programmes", where=where),
        af_assessment=sourced_bool(data, "af_assessment", where=where),
        pension_age=text(table(data, "pension_age", where=where), "source", where=where),
        occupations=sourced_labels(data, "occupations", where=where),
        full_time_occupation=sourced_bool(data, "full_time_occupation", where=where),
        full_time_hours=Sourced(Decimal(full_time.value), full_time.source),
        adapted_to_ability=sourced_bool(hours, "adapted_to_ability", where=hours_where),
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


def pension_age(on: date) -> Sourced[int]:
    """The riktålder för pension for the year of ``on`` (SFB 2 kap. 10 a–10 d §§; set by
    förordning for each year); the latest known year's for a later year."""
    version = version_on_or_upcoming(PENSION_AGE_FILE, on)
    where = f"{version.file} [{version.key}]"
    source = version.source or where
    if version.valid_from.year != on.year:
        source = f"{source} (senast fastställda år i Heltid)"
    return Sourced(integer(version.data, "age", where=where), source)


def pension_ages() -> frozenset[int]:
    """Every riktålder in the file, for the rules' boundary days."""
    from .parameters import load_versions

    return frozenset(
        integer(v.data, "age", where=f"{v.file} [{v.key}]") for v in load_versions(PENSION_AGE_FILE)
    )
