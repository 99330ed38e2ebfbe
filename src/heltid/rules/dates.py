"""Date helpers: month arithmetic, ages and Swedish-page formatting."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal


def add_months(day: date, months: int) -> date:
    """``day`` moved ``months`` calendar months; the day is clamped to the month's end."""
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_start(day: date) -> date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def month_end(day: date) -> date:
    """The last day of ``day``'s month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on ``on`` (someone born on 29 February turns a year older on 1 March)."""
    years = on.year - birth_date.year
    if (on.month, on.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def iso(day: date) -> str:
    """A date as YYYY-MM-DD for texts."""
    return day.isoformat()


def hours_text(hours: Decimal) -> str:
    """Hours for a Swedish text: "40", "12,5"."""
    if hours == hours.to_integral_value():
        return str(int(hours))
    return format(hours.normalize(), "f").replace(".", ",")
