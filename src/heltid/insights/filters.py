"""The dashboard's and the reports' filters: one definition, used by pages, commands and
benchmarks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

# Age groups used in every table (the seeds' gender-equality analysis).
AGE_GROUPS: tuple[tuple[str, int, int], ...] = (
    ("18-24", 18, 24),
    ("25-29", 25, 29),
    ("30-44", 30, 44),
    ("45-54", 45, 54),
    ("55-67", 55, 67),
)


def age_span(code: str) -> tuple[int, int] | None:
    """The lowest and highest age of the age group ``code``; None for an unknown code."""
    return next(((low, high) for group, low, high in AGE_GROUPS if group == code), None)


def age_group(age: int) -> str:
    for code, low, high in AGE_GROUPS:
        if low <= age <= high:
            return code
    return "68-" if age > 67 else "-17"


@dataclass(frozen=True)
class InsightFilter:
    """A period (inclusive) and optional unit, sex ("F"/"M"), age group code and step code."""

    start: date
    end: date
    unit: str = ""  # unit code
    sex: str = ""
    age_group: str = ""
    step: str = ""  # staircase step code (the person's current step)
    # Count only events recorded up to this moment (the snapshot's, for a past period); None:
    # everything recorded so far.
    known_at: datetime | None = None

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period ends before it starts")
