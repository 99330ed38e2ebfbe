"""Riksnormen för försörjningsstöd: the national standard amount per household and month."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from .parameters import ParameterError, ParameterVersion, integer, load_versions, table, version_on
from .types import Child, RiksnormLine, RiksnormResult

FILE = "riksnorm"
MAX_CHILD_AGE = 20


@dataclass(frozen=True)
class _ChildBracket:
    low: int
    high: int
    amount: int
    without_lunch: int | None  # amount when lunch is eaten outside the home


@dataclass(frozen=True)
class _Norm:
    year: int
    source: str
    single: int
    couple: int
    children: tuple[_ChildBracket, ...] | None  # None: table missing for the year
    common: tuple[int, ...] | None  # index 0 = 1 person; None: table missing


def _brackets(data: Mapping[str, Any], *, where: str) -> tuple[_ChildBracket, ...]:
    result: list[_ChildBracket] = []
    for key, entry in data.items():
        low_text, _, high_text = key.partition("-")
        try:
            low = int(low_text)
            high = int(high_text) if high_text else low
        except ValueError:
            raise ParameterError(f"{where}: age key {key!r} is not 'N' or 'N-M'") from None
        if not isinstance(entry, Mapping):
            raise ParameterError(f"{where}.{key}: must be a table")
        entry_where = f"{where}.{key}"
        without = None
        if "without_lunch" in entry:
            without = integer(entry, "without_lunch", where=entry_where)
        result.append(
            _ChildBracket(low, high, integer(entry, "amount", where=entry_where), without)
        )
    result.sort(key=lambda b: b.low)
    expected = 0
    for bracket in result:
        if bracket.low != expected or bracket.high < bracket.low:
            raise ParameterError(f"{where}: age brackets must cover 0-{MAX_CHILD_AGE} without gaps")
        expected = bracket.high + 1
    if expected != MAX_CHILD_AGE + 1:
        raise ParameterError(f"{where}: age brackets must cover 0-{MAX_CHILD_AGE} without gaps")
    return tuple(result)


def _common(data: Mapping[str, Any], *, where: str) -> tuple[int, ...]:
    sizes = sorted(data, key=lambda k: int(k) if k.isdigit() else -1)
    if [int(k) if k.isdigit() else -1 for k in sizes] != list(range(1, len(sizes) + 1)):
        raise ParameterError(f"{where}: household sizes must be 1, 2, 3, ... without gaps")
    if len(sizes) < 2:
        raise ParameterError(f"{where}: at least two household sizes are needed")
    return tuple(integer(data, key, where=where) for key in sizes)


@cache
def _parse(version: ParameterVersion) -> _Norm:
    where = f"{version.file} [{version.key}]"
    data = version.data
    adults = table(data, "adults", where=where)
    # The children and common tables may be missing for a historic year (2021);
    # the calculations then raise ValueError when they need them.
    children = None
    if "children" in data:
        children = _brackets(table(data, "children", where=where), where=f"{where}.children")
    common = None
    if "common" in data:
        common = _common(table(data, "common", where=where), where=f"{where}.common")
    return _Norm(
        year=version.valid_from.year,
        source=version.source or where,
        single=integer(adults, "single", where=f"{where}.adults"),
        couple=integer(adults, "couple", where=f"{where}.adults"),
        children=children,
        common=common,
    )


def riksnorm_year_on(on: date) -> int:
    """The year of the riksnorm to use on ``on``: that year's norm, or, until the year's norm
    is in the parameters (it is decided in the autumn before), the latest one before it. The
    result names its year, so a page shows which year's amounts it used."""
    return version_on(FILE, on).valid_from.year


def _norm(year: int) -> _Norm:
    candidates = [v for v in load_versions(FILE) if v.valid_from.year == year]
    if not candidates:
        raise ValueError(f"Riksnormen för år {year} finns inte i parametrarna.")
    return _parse(max(candidates, key=lambda v: v.valid_from))


def _check_year(year: int) -> None:
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError("Året måste vara ett heltal.")


def _persons(count: int) -> str:
    return "1 person" if count == 1 else f"{count} personer"


def _common_amount(norm: _Norm, size: int) -> tuple[int, str, str]:
    """Common household costs for ``size`` persons: amount, label suffix, extra source."""
    if norm.common is None:
        raise ValueError(
            f"Riksnormen för {norm.year} saknar tabellen för gemensamma hushållskostnader "
            "i parametrarna."
        )
    largest = len(norm.common)
    if size <= largest:
        return norm.common[size - 1], "", ""
    step = norm.common[largest - 1] - norm.common[largest - 2]
    extra = size - largest
    return (
        norm.common[largest - 1] + extra * step,
        f" ({_persons(largest)} + {extra} × {step} kr)",
        f"; fler än {largest} personer: varje ytterligare person ger skillnaden mellan "
        f"{largest - 1} och {largest} personer",
    )


def _child_line(norm: _Norm, child: Child) -> RiksnormLine:
    if norm.children is None:
        raise ValueError(f"Riksnormen för {norm.year} saknar tabellen för barn i parametrarna.")
    bracket = next(b for b in norm.children if b.low <= child.age <= b.high)
    if child.lunch_outside_home and bracket.without_lunch is not None:
        return RiksnormLine(
            f"Barn {child.age} år (lunch utanför hemmet)", bracket.without_lunch, norm.source
        )
    return RiksnormLine(f"Barn {child.age} år", bracket.amount, norm.source)


def _check_child(child: Child) -> None:
    age = child.age
    if not isinstance(age, int) or isinstance(age, bool):
        raise ValueError("Barnets ålder måste vara ett heltal.")
    if age < 0:
        raise ValueError(f"Barnets ålder kan inte vara negativ (fick {age}).")
    if age > MAX_CHILD_AGE:
        raise ValueError(
            f"Barnets ålder måste vara högst {MAX_CHILD_AGE} år (fick {age}); "
            "äldre räknas som vuxna."
        )


def _result(year: int, lines: list[RiksnormLine]) -> RiksnormResult:
    return RiksnormResult(year=year, total=sum(line.amount for line in lines), lines=tuple(lines))


def riksnorm(*, year: int, adults: int, children: Sequence[Child] = ()) -> RiksnormResult:
    """The riksnorm for a household of one adult or a sambo couple and their children.

    The sum of every member's personal costs and the common household costs for
    the household's size. Raises ValueError (Swedish message) for bad input or a
    year without (complete) parameters.
    """
    _check_year(year)
    if not isinstance(adults, int) or isinstance(adults, bool) or adults not in (1, 2):
        raise ValueError("Antalet vuxna måste vara 1 (ensamstående) eller 2 (sambor).")
    for child in children:
        _check_child(child)
    norm = _norm(year)
    if adults == 1:
        lines = [RiksnormLine("Ensamstående vuxen", norm.single, norm.source)]
    else:
        lines = [
            RiksnormLine("Två sammanboende vuxna (makar eller sambor)", norm.couple, norm.source)
        ]
    lines.extend(_child_line(norm, child) for child in children)
    size = adults + len(children)
    amount, suffix, extra_source = _common_amount(norm, size)
    lines.append(
        RiksnormLine(
            f"Gemensamma hushållskostnader, {_persons(size)}{suffix}",
            amount,
            f"{norm.source}{extra_source}",
        )
    )
    return _result(year, lines)


def riksnorm_shared_adult(*, year: int, household_size: int) -> RiksnormResult:
    """The riksnorm for an adult who shares a household with others without being a sambo.

    The personal costs of a single adult plus the household's common costs
    divided by its number of members, rounded to whole kronor (half up).
    """
    _check_year(year)
    if (
        not isinstance(household_size, int)
        or isinstance(household_size, bool)
        or household_size < 2
    ):
        raise ValueError("Ett delat hushåll måste ha minst 2 personer.")
    norm = _norm(year)
    common, _, extra_source = _common_amount(norm, household_size)
    share = int((Decimal(common) / household_size).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    lines = [
        RiksnormLine(
            "Ensamstående vuxen (delar hushåll utan att vara sambo)", norm.single, norm.source
        ),
        RiksnormLine(
            f"Andel av gemensamma hushållskostnader: {common} kr för {_persons(household_size)} "
            f"delat med {household_size}, avrundat till hela kronor (0,5 avrundas uppåt)",
            share,
            f"{norm.source}{extra_source}; vuxen som delar hushåll utan att vara sambo: "
            "hushållets gemensamma kostnader delat med antalet personer",
        ),
    ]
    return _result(year, lines)


def riksnorm_as_json(r: RiksnormResult) -> dict[str, Any]:
    """A JSON-ready dict of a riksnorm result."""
    return {
        "year": r.year,
        "total": r.total,
        "lines": [
            {"label": line.label, "amount": line.amount, "source": line.source} for line in r.lines
        ],
    }
