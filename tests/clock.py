"""The suite's clock: the whole suite lives on one day.

``pytest --today=YYYY-MM-DD`` chooses that day (default: the real date). The clock is
travelled (time-machine) before any test module is imported, to ten in the morning in
Stockholm, and ticks from there; so ``timezone.now()``, ``timezone.localdate()`` and
``date.today()`` in the code under test and in the tests all agree with :func:`suite_today`.
A test's dates are derived from that day, or explicit and consistent with it — never the
real clock's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import time_machine

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SUITE_TIME_OF_DAY = time(10, 0)

_travel: time_machine.travel | None = None
_day: date | None = None


# The suite lives on days the activity requirement is applied (decision record 0012): the
# first day it is applied to support, 1 October 2026, or later. The real calendar is past it.
EARLIEST_DAY = date(2026, 10, 1)


def parse_day(text: str) -> date:
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--today takes a date as YYYY-MM-DD, not {text!r}") from None
    if day < EARLIEST_DAY:
        raise ValueError(
            f"--today {day.isoformat()} is before {EARLIEST_DAY.isoformat()}, the first day the "
            "activity requirement is applied; the suite lives on that day or later"
        )
    return day


def start(day: date) -> None:
    """Travel the process to ``day`` (called once, from pytest_configure)."""
    global _travel, _day
    if _travel is not None:
        return
    _travel = time_machine.travel(
        datetime.combine(day, SUITE_TIME_OF_DAY, tzinfo=STOCKHOLM), tick=True
    )
    _travel.start()
    _day = day


def stop() -> None:
    global _travel
    if _travel is not None:
        _travel.stop()
        _travel = None


def suite_today() -> date:
    """The day the suite lives on."""
    if _day is None:
        raise RuntimeError("the suite's clock has not started (tests/conftest.py starts it)")
    return _day


def real_today() -> date:
    """Today's date in Stockholm, read before the clock travels: the default of --today."""
    return datetime.now(tz=STOCKHOLM).date()


@contextmanager
def living_on(day: date) -> Iterator[date]:
    """Run a block on ``day``, a day not before the suite's, at the suite's time of day and
    ticking; on the suite's day itself, nothing changes.

    For page tests that need a later day than the suite's (a deadline that has passed on the
    activity requirement's first day): pages read today's date from the clock. The day is
    derived from the suite's day, so the test still means the same on every date."""
    if day < suite_today():
        raise ValueError(f"living_on({day}) is before the suite's day, {suite_today()}")
    if day == suite_today():
        yield day
        return
    with time_machine.travel(datetime.combine(day, SUITE_TIME_OF_DAY, tzinfo=STOCKHOLM), tick=True):
        yield day
