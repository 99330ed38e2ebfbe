"""Support versus wages: a household's försörjningsstöd against a job at a given gross wage.

Pure Python (no Django). For one household (one adult or a sambo couple, children by age) in
one year, per month, every figure explained with its source:

- **need**: the riksnorm (``heltid.rules.riksnorm``) plus the entered housing cost and other
  reasonable costs;
- **income either way**: barnbidrag (children under 16), studiebidrag (16-19, assumed to be
  in upper secondary school) and flerbarnstillägg for the children with either;
- **without a job**: försörjningsstöd = need - that income (not below 0); the household's
  disposable income is the support plus that income;
- **with a job** (one adult works; a partner has no income): the net wage is the gross wage
  minus the income tax below; of it, 25 % is not counted when jobbstimulans applies
  (SoL 12 kap. 8 §: after six months in a row on försörjningsstöd, for at most 24 months); the
  remaining support is need - child benefits - counted income (not below 0); the disposable
  income is net wage + child benefits + remaining support;
- **the municipality's cost**: the support without a job, against a subsidised employment at
  the municipality: gross wage x (1 + arbetsgivaravgifter) - the state's subsidy (a share of
  that wage cost, at most a ceiling if one is given) + the remaining support.

The tax model: Skatteverket's final tax for a whole year on the wage alone (12 x the monthly
wage), for a person under 66 at the start of the year, living in Sweden all year, with no
other income or deductions; the tax a month is the year's tax / 12. In order:

1. fastställd förvärvsinkomst (FFI) = 12 x monthly wage, rounded down to whole hundreds;
2. grundavdrag (IL 63 kap. 3 §) by the formula in prisbasbelopp, rounded up to hundreds,
   at most the FFI; beskattningsbar förvärvsinkomst (BFI) = FFI - grundavdrag;
3. kommunal inkomstskatt = BFI x the entered municipal tax rate (kommun + region, without
   begravningsavgift and kyrkoavgift); statlig inkomstskatt 20 % of BFI over the skiktgräns;
4. allmän pensionsavgift 7 % of the FFI (none under 42.3 % of a prisbasbelopp, at most on 8.07
   inkomstbasbelopp, rounded to the nearest hundred), and its skattereduktion of the same
   amount, at most the income taxes;
5. jobbskatteavdrag (IL 67 kap. 7 §) by the formula in prisbasbelopp times the municipal tax
   rate, then the skattereduktion för förvärvsinkomster (0.75 % of the FFI over 40 000 kr,
   at most 1 500 kr); both at most the municipal tax left after the pension-fee reduction;
6. public service-avgift 1 % of the BFI up to its maximum.

Amounts of tax are rounded down to whole kronor; monthly figures are rounded to whole kronor
(half up). Left out, and said so on the page: begravningsavgift (about 0.3 % of the BFI,
some 60-70 kr a month at 25 000 kr) and kyrkoavgift; bostadsbidrag, underhållsstöd and
other benefits; costs that come with the job (travel, childcare fees); Skatteverket's monthly
tax tables, which round within income bands and may differ by a few kronor.

Numbers that are law or official amounts are in ``parameters/wages.toml``, one version per
income year, each with its source. Bad input raises ValueError with a Swedish message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from heltid.rules import Child, riksnorm
from heltid.rules.parameters import (
    ParameterError,
    ParameterVersion,
    Sourced,
    integer,
    read_parameter_file,
    sourced_int,
    table,
    text,
)
from heltid.rules.riksnorm import MAX_CHILD_AGE

PARAMETER_FILE = "wages.toml"

# Limits of the input (kronor a month, percentages).
MAX_COST = 100_000
MIN_WAGE = 1_000
MAX_WAGE = 150_000
MIN_TAX_RATE = Decimal(20)
MAX_TAX_RATE = Decimal(40)
MAX_EMPLOYER_RATE = Decimal(50)
MAX_SUBSIDY_CEILING = 500_000
MAX_CHILDREN = 3  # the household types compared: up to three children

HUNDRED = Decimal(100)
NBSP = "\u00a0"


class LineGroup(StrEnum):
    """The parts of a calculation, in the order they are shown."""

    NEED = "need"
    CHILD_BENEFITS = "child_benefits"
    WITHOUT_JOB = "without_job"
    TAX = "tax"
    WITH_JOB = "with_job"
    MUNICIPALITY = "municipality"


@dataclass(frozen=True)
class Line:
    """One explained figure: kronor a month, except in the tax group (kronor a year)."""

    group: LineGroup
    label: str  # Swedish
    amount: int
    how: str  # the arithmetic in Swedish; "" when the label says it all
    source: str  # legal or official source; "" for entered or summed figures
    total: bool = False  # a sum or a result, shown in bold


@dataclass(frozen=True)
class Household:
    """One adult or a sambo couple, and the children's ages in years (0-20)."""

    adults: int
    children_ages: tuple[int, ...] = ()


@dataclass(frozen=True)
class WageInput:
    """Everything the comparison depends on. Kronor a month; rates in percent."""

    year: int
    household: Household
    housing_cost: int
    other_costs: int  # other reasonable costs (el, hemförsäkring, ...)
    gross_wage: int
    municipal_tax_rate: Decimal  # kommun + region, e.g. Decimal("32.0")
    employer_contribution_rate: Decimal  # arbetsgivaravgifter, e.g. Decimal("31.42")
    subsidy_share: Decimal  # the state's subsidy, percent of the wage cost
    subsidy_ceiling: int | None = None  # kronor a month; None: no ceiling
    jobbstimulans: bool = True


@dataclass(frozen=True)
class IncomeTax:
    """The year's income tax on the wage (kronor a year) and the month's share."""

    ffi: int  # fastställd förvärvsinkomst
    basic_deduction: int
    taxable: int  # beskattningsbar förvärvsinkomst
    municipal_tax: int
    state_tax: int
    pension_fee: int
    pension_fee_reduction: int
    job_tax_credit: int
    earned_income_reduction: int
    public_service_fee: int
    total: int
    monthly: int
    lines: tuple[Line, ...]


@dataclass(frozen=True)
class WageResult:
    """The comparison for one household, kronor a month; ``lines`` explain every figure."""

    input: WageInput
    riksnorm: int
    need: int  # riksnorm + housing + other reasonable costs
    child_benefits: int
    support_without_job: int
    tax: IncomeTax
    net_wage: int
    jobbstimulans_disregard: int
    counted_income: int
    support_with_job: int
    disposable_without_job: int
    disposable_with_job: int
    employer_contributions: int
    wage_cost: int
    state_subsidy: int
    municipal_cost_support: int
    municipal_cost_subsidised: int
    lines: tuple[Line, ...]


# --- parameters ----------------------------------------------------------------------


@dataclass(frozen=True)
class _Segment:
    above: Decimal  # lower bound in prisbasbelopp (exclusive, except for the first)
    base: Decimal  # prisbasbelopp
    rate: Decimal


@dataclass(frozen=True)
class _Params:
    year: int
    pbb: Sourced[int]
    ibb: Sourced[int]
    basic_deduction: tuple[tuple[_Segment, ...], str]
    job_tax_credit: tuple[tuple[_Segment, ...], str]
    state_threshold: Sourced[int]
    state_percent: Sourced[int]
    pension_percent: Sourced[int]
    pension_floor_pbb: Sourced[Decimal]
    pension_ceiling_ibb: Sourced[Decimal]
    pension_reduction_source: str
    earned_lower: int
    earned_upper: int
    earned_percent: Decimal
    earned_maximum: int
    earned_source: str
    public_service_percent: Sourced[int]
    public_service_maximum: Sourced[int]
    employer_percent: Sourced[Decimal]
    child_benefit: Sourced[int]
    child_benefit_last_age: int
    student_grant: Sourced[int]
    student_first_age: int
    student_last_age: int
    supplement_totals: tuple[int, ...]  # index = number of children
    supplement_each_further: int
    supplement_source: str
    jobbstimulans_percent: Sourced[int]


def _decimal(value: object, *, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ParameterError(f"{where}: must be a number, got {value!r}")
    return Decimal(str(value))


def _sourced_decimal(data: Mapping[str, Any], key: str, *, where: str) -> Sourced[Decimal]:
    entry = table(data, key, where=where)
    return Sourced(
        _decimal(entry.get("value"), where=f"{where}.{key}"),
        text(entry, "source", where=f"{where}.{key}"),
    )


def _segments(data: Mapping[str, Any], key: str, *, where: str) -> tuple[tuple[_Segment, ...], str]:
    entry = table(data, key, where=where)
    raw = entry.get("segments")
    if not isinstance(raw, tuple) or not raw or not all(isinstance(s, Mapping) for s in raw):
        raise ParameterError(f"{where}.{key}: missing array of segments")
    segments = tuple(
        _Segment(
            above=_decimal(s.get("above"), where=f"{where}.{key}.above"),
            base=_decimal(s.get("base"), where=f"{where}.{key}.base"),
            rate=_decimal(s.get("rate"), where=f"{where}.{key}.rate"),
        )
        for s in raw
    )
    bounds = [s.above for s in segments]
    if bounds[0] != 0 or bounds != sorted(set(bounds)):
        raise ParameterError(f"{where}.{key}: segments must start at 0 and rise")
    return segments, text(entry, "source", where=f"{where}.{key}")


def _supplement(data: Mapping[str, Any], *, where: str) -> tuple[tuple[int, ...], int, str]:
    entry = table(data, "large_family_supplement", where=where)
    here = f"{where}.large_family_supplement"
    totals = table(entry, "totals", where=here)
    counts = sorted(int(k) for k in totals if k.isdigit())
    if len(counts) != len(totals) or counts != list(range(2, len(counts) + 2)):
        raise ParameterError(f"{here}.totals: keys must be 2, 3, 4, ... without gaps")
    amounts = (0, 0, *(integer(totals, str(c), where=f"{here}.totals") for c in counts))
    return amounts, integer(entry, "each_further", where=here), text(entry, "source", where=here)


def _parse(version: ParameterVersion) -> _Params:
    where = f"{version.file} [{version.key}]"
    data = version.data
    state = table(data, "state_tax", where=where)
    pension = table(data, "pension_fee", where=where)
    earned = table(data, "earned_income_reduction", where=where)
    public_service = table(data, "public_service_fee", where=where)
    child = table(data, "child_benefit", where=where)
    totals, each_further, supplement_source = _supplement(data, where=where)
    return _Params(
        year=version.valid_from.year,
        pbb=sourced_int(data, "prisbasbelopp", where=where),
        ibb=sourced_int(data, "inkomstbasbelopp", where=where),
        basic_deduction=_segments(data, "basic_deduction", where=where),
        job_tax_credit=_segments(data, "job_tax_credit", where=where),
        state_threshold=sourced_int(state, "threshold", where=f"{where}.state_tax"),
        state_percent=sourced_int(state, "percent", where=f"{where}.state_tax"),
        pension_percent=sourced_int(pension, "percent", where=f"{where}.pension_fee"),
        pension_floor_pbb=_sourced_decimal(pension, "floor_pbb", where=f"{where}.pension_fee"),
        pension_ceiling_ibb=_sourced_decimal(pension, "ceiling_ibb", where=f"{where}.pension_fee"),
        pension_reduction_source=text(pension, "reduction_source", where=f"{where}.pension_fee"),
        earned_lower=integer(earned, "lower", where=f"{where}.earned_income_reduction"),
        earned_upper=integer(earned, "upper", where=f"{where}.earned_income_reduction"),
        earned_percent=_decimal(earned.get("percent"), where=f"{where}.earned_income_reduction"),
        earned_maximum=integer(earned, "maximum", where=f"{where}.earned_income_reduction"),
        earned_source=text(earned, "source", where=f"{where}.earned_income_reduction"),
        public_service_percent=sourced_int(
            public_service, "percent", where=f"{where}.public_service_fee"
        ),
        public_service_maximum=sourced_int(
            public_service, "maximum", where=f"{where}.public_service_fee"
        ),
        employer_percent=_sourced_decimal(
            table(data, "employer_contributions", where=where),
            "percent",
            where=f"{where}.employer_contributions",
        ),
        child_benefit=sourced_int(child, "per_child", where=f"{where}.child_benefit"),
        child_benefit_last_age=integer(child, "last_age", where=f"{where}.child_benefit"),
        student_grant=sourced_int(child, "student_grant", where=f"{where}.child_benefit"),
        student_first_age=integer(child, "student_first_age", where=f"{where}.child_benefit"),
        student_last_age=integer(child, "student_last_age", where=f"{where}.child_benefit"),
        supplement_totals=totals,
        supplement_each_further=each_further,
        supplement_source=supplement_source,
        jobbstimulans_percent=sourced_int(
            table(data, "jobbstimulans", where=where), "percent", where=f"{where}.jobbstimulans"
        ),
    )


@cache
def _all_params() -> dict[int, _Params]:
    path = resources.files("heltid.planning.parameters").joinpath(PARAMETER_FILE)
    return {p.year: p for p in (_parse(v) for v in read_parameter_file(path))}


def available_years() -> tuple[int, ...]:
    """The income years with tax and benefit parameters."""
    return tuple(sorted(_all_params()))


def default_employer_contribution_rate(year: int) -> Decimal:
    """The full rate of arbetsgivaravgifter in ``year`` (percent)."""
    return _params(year).employer_percent.value


def _params(year: int) -> _Params:
    if not isinstance(year, int) or isinstance(year, bool):
        raise ValueError("Året måste vara ett heltal.")
    found = _all_params().get(year)
    if found is None:
        years = ", ".join(str(y) for y in available_years())
        raise ValueError(
            f"Skatte- och bidragsparametrar för år {year} finns inte (finns för {years})."
        )
    return found


# --- formatting ----------------------------------------------------------------------


def kronor(amount: int | Decimal) -> str:
    """Whole kronor with a no-break space between thousands and a minus sign: "−32 155"."""
    whole = int(amount)
    digits = f"{abs(whole):,}".replace(",", NBSP)
    return f"−{digits}" if whole < 0 else digits


def _number(value: Decimal) -> str:
    """A decimal in Swedish style, at most four decimals: "0,3874", "32", "1 234,5"."""
    text_value = format(value.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP).normalize(), "f")
    whole, _, fraction = text_value.partition(".")
    sign = "−" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    return f"{sign}{grouped},{fraction}" if fraction else f"{sign}{grouped}"


def _round(value: Decimal) -> int:
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _floor(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_FLOOR))


def _hundreds_down(value: int) -> int:
    return value // 100 * 100


def _hundreds_up(value: Decimal) -> int:
    return int((value / HUNDRED).to_integral_value(rounding=ROUND_CEILING)) * 100


def _hundreds_nearest(value: Decimal) -> int:
    """To the nearest hundred, an even 50 down (Skatteverket's rounding of the pension fee)."""
    hundreds, rest = divmod(value, HUNDRED)
    return int(hundreds) * 100 + (100 if rest > 50 else 0)


# --- income tax ----------------------------------------------------------------------


def _piecewise(segments: Sequence[_Segment], amount: int, pbb: int) -> tuple[Decimal, str]:
    """The segment formula's value for ``amount`` and the arithmetic in words."""
    chosen = segments[0]
    for segment in segments:
        if amount > segment.above * pbb:
            chosen = segment
    value = chosen.base * pbb + chosen.rate * (amount - chosen.above * pbb)
    terms: list[str] = []
    if chosen.base:
        terms.append(f"{_number(chosen.base)} × {kronor(pbb)}")
    if chosen.rate:
        sign = "−" if chosen.rate < 0 else "+"
        part = (
            f"{_number(abs(chosen.rate))} × {kronor(amount)}"
            if chosen.above == 0
            else f"{_number(abs(chosen.rate))} × ({kronor(amount)} − "
            f"{_number(chosen.above)} × {kronor(pbb)})"
        )
        terms.append(f"{sign} {part}" if terms else (f"−{part}" if sign == "−" else part))
    return value, " ".join(terms) or "0"


def _check_rate(rate: Decimal, *, low: Decimal, high: Decimal, what: str) -> Decimal:
    if isinstance(rate, bool) or not isinstance(rate, Decimal | int):
        raise ValueError(f"{what} måste vara ett tal (procent).")
    value = Decimal(rate)
    if not value.is_finite() or not low <= value <= high:
        raise ValueError(f"{what} måste vara mellan {_number(low)} och {_number(high)} procent.")
    return value


def income_tax(*, year: int, monthly_wage: int, municipal_tax_rate: Decimal) -> IncomeTax:
    """The year's income tax on ``monthly_wage`` kronor a month, explained line by line."""
    p = _params(year)
    _check_amount(monthly_wage, low=MIN_WAGE, high=MAX_WAGE, what="Bruttolönen")
    rate_percent = _check_rate(
        municipal_tax_rate, low=MIN_TAX_RATE, high=MAX_TAX_RATE, what="Kommunalskatten"
    )
    rate = rate_percent / HUNDRED
    pbb = p.pbb.value
    lines: list[Line] = []

    def add(
        label: str, amount: int, how: str = "", source: str = "", *, total: bool = False
    ) -> None:
        lines.append(Line(LineGroup.TAX, label, amount, how, source, total))

    ffi = _hundreds_down(12 * monthly_wage)
    add(
        "Årsinkomst av lönen (fastställd förvärvsinkomst)",
        ffi,
        f"12 × {kronor(monthly_wage)}, avrundat nedåt till hela hundratal kronor",
    )

    segments, deduction_source = p.basic_deduction
    raw_deduction, how = _piecewise(segments, ffi, pbb)
    basic_deduction = min(_hundreds_up(raw_deduction), ffi)
    add(
        "Grundavdrag",
        basic_deduction,
        f"{how} = {_number(raw_deduction)}, avrundat uppåt till hela hundratal kronor "
        f"(högst årsinkomsten); prisbasbelopp {kronor(pbb)} kr ({p.pbb.source})",
        deduction_source,
    )
    taxable = ffi - basic_deduction
    add(
        "Beskattningsbar förvärvsinkomst",
        taxable,
        f"{kronor(ffi)} − {kronor(basic_deduction)}",
        total=True,
    )

    municipal_tax = _floor(taxable * rate)
    add(
        "Kommunal inkomstskatt",
        municipal_tax,
        f"{_number(rate_percent)} % × {kronor(taxable)}",
        "Angiven kommunalskatt (kommun och region, utan begravnings- och kyrkoavgift)",
    )
    threshold = p.state_threshold.value
    state_tax = _floor(max(0, taxable - threshold) * Decimal(p.state_percent.value) / HUNDRED)
    add(
        "Statlig inkomstskatt",
        state_tax,
        f"{p.state_percent.value} % av beskattningsbar inkomst över skiktgränsen "
        f"{kronor(threshold)} kr",
        p.state_threshold.source,
    )

    floor_amount = p.pension_floor_pbb.value * pbb
    ceiling = p.pension_ceiling_ibb.value * p.ibb.value
    if ffi < floor_amount:
        pension_fee = 0
        pension_how = (
            f"ingen avgift på inkomst under {_number(p.pension_floor_pbb.value)} prisbasbelopp"
        )
    else:
        base = min(Decimal(ffi), ceiling)
        pension_fee = _hundreds_nearest(base * p.pension_percent.value / HUNDRED)
        pension_how = (
            f"{p.pension_percent.value} % × {kronor(_floor(base))}, avrundat till närmaste "
            f"hundratal kronor (avgift på högst {_number(p.pension_ceiling_ibb.value)} "
            f"inkomstbasbelopp à {kronor(p.ibb.value)} kr)"
        )
    add("Allmän pensionsavgift", pension_fee, pension_how, p.pension_percent.source)
    pension_fee_reduction = min(pension_fee, municipal_tax + state_tax)
    add(
        "Skattereduktion för allmän pensionsavgift",
        -pension_fee_reduction,
        "lika med avgiften, högst inkomstskatten",
        p.pension_reduction_source,
    )

    credit_segments, credit_source = p.job_tax_credit
    # The arbetsinkomst is the whole wage, like the FFI rounded down to whole hundreds.
    credit_base, credit_how = _piecewise(credit_segments, ffi, pbb)
    job_tax_credit = max(0, _floor((credit_base - basic_deduction) * rate))
    if p.earned_lower < ffi < p.earned_upper:
        earned = _floor((ffi - p.earned_lower) * p.earned_percent / HUNDRED)
        earned_how = f"{_number(p.earned_percent)} % × ({kronor(ffi)} − {kronor(p.earned_lower)})"
    elif ffi >= p.earned_upper:
        earned, earned_how = p.earned_maximum, "högsta beloppet"
    else:
        earned, earned_how = 0, f"årsinkomst högst {kronor(p.earned_lower)} kr"
    room = max(0, municipal_tax - pension_fee_reduction)
    credit_used = min(job_tax_credit, room)
    earned_used = min(earned, room - credit_used)
    limited = " (begränsat till den kommunala skatten som återstår)"
    add(
        "Jobbskatteavdrag",
        -credit_used,
        f"underlag {credit_how} = {_number(credit_base)}; ({_number(credit_base)} − "
        f"grundavdraget {kronor(basic_deduction)}) × {_number(rate_percent)} %, "
        "avrundat nedåt till hela kronor, inte under 0"
        + (limited if credit_used < job_tax_credit else ""),
        credit_source,
    )
    add(
        "Skattereduktion för förvärvsinkomster",
        -earned_used,
        earned_how + (limited if earned_used < earned else ""),
        p.earned_source,
    )

    public_service_fee = min(
        _floor(taxable * Decimal(p.public_service_percent.value) / HUNDRED),
        p.public_service_maximum.value,
    )
    add(
        "Public service-avgift",
        public_service_fee,
        f"{p.public_service_percent.value} % × {kronor(taxable)}, högst "
        f"{kronor(p.public_service_maximum.value)} kr",
        f"{p.public_service_percent.source}; {p.public_service_maximum.source}",
    )

    total = max(
        0,
        municipal_tax
        + state_tax
        + pension_fee
        + public_service_fee
        - pension_fee_reduction
        - credit_used
        - earned_used,
    )
    add(
        "Skatt och avgifter per år",
        total,
        "kommunal och statlig skatt + pensionsavgift + public service-avgift − skattereduktioner",
        total=True,
    )
    monthly = _round(Decimal(total) / 12)
    add(
        "Skatt per månad",
        monthly,
        f"{kronor(total)} / 12, avrundat till hela kronor",
        total=True,
    )
    return IncomeTax(
        ffi=ffi,
        basic_deduction=basic_deduction,
        taxable=taxable,
        municipal_tax=municipal_tax,
        state_tax=state_tax,
        pension_fee=pension_fee,
        pension_fee_reduction=pension_fee_reduction,
        job_tax_credit=credit_used,
        earned_income_reduction=earned_used,
        public_service_fee=public_service_fee,
        total=total,
        monthly=monthly,
        lines=tuple(lines),
    )


# --- child benefits ------------------------------------------------------------------


def child_benefits(*, year: int, children_ages: Sequence[int]) -> tuple[int, tuple[Line, ...]]:
    """Barnbidrag, studiebidrag and flerbarnstillägg a month for children of these ages."""
    p = _params(year)
    for age in children_ages:
        _check_age(age)
    lines: list[Line] = []
    counted = 0
    for age in children_ages:
        if age <= p.child_benefit_last_age:
            counted += 1
            lines.append(
                Line(
                    LineGroup.CHILD_BENEFITS,
                    f"Barnbidrag, barn {age} år",
                    p.child_benefit.value,
                    "",
                    p.child_benefit.source,
                )
            )
        elif p.student_first_age <= age <= p.student_last_age:
            counted += 1
            lines.append(
                Line(
                    LineGroup.CHILD_BENEFITS,
                    f"Studiebidrag, barn {age} år (antas gå i gymnasieskolan)",
                    p.student_grant.value,
                    "",
                    p.student_grant.source,
                )
            )
        else:
            lines.append(
                Line(
                    LineGroup.CHILD_BENEFITS,
                    f"Barn {age} år: inget barn- eller studiebidrag",
                    0,
                    "",
                    "",
                )
            )
    if counted >= 2:
        largest = len(p.supplement_totals) - 1
        supplement = (
            p.supplement_totals[counted]
            if counted <= largest
            else p.supplement_totals[largest] + (counted - largest) * p.supplement_each_further
        )
        lines.append(
            Line(
                LineGroup.CHILD_BENEFITS,
                f"Flerbarnstillägg, {counted} barn",
                supplement,
                "",
                p.supplement_source,
            )
        )
    total = sum(line.amount for line in lines)
    return total, tuple(lines)


# --- the comparison ------------------------------------------------------------------


def _check_amount(value: object, *, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{what} måste vara ett helt antal kronor.")
    if not low <= value <= high:
        raise ValueError(f"{what} måste vara mellan {kronor(low)} och {kronor(high)} kronor.")
    return value


def _check_age(age: object) -> int:
    if isinstance(age, bool) or not isinstance(age, int):
        raise ValueError("Barnets ålder måste vara ett heltal.")
    if not 0 <= age <= MAX_CHILD_AGE:
        raise ValueError(f"Barnets ålder måste vara mellan 0 och {MAX_CHILD_AGE} år (fick {age}).")
    return age


def _check(inp: WageInput) -> None:
    household = inp.household
    if household.adults not in (1, 2) or isinstance(household.adults, bool):
        raise ValueError("Antalet vuxna måste vara 1 (ensamstående) eller 2 (sambor).")
    for age in household.children_ages:
        _check_age(age)
    _check_amount(inp.housing_cost, low=0, high=MAX_COST, what="Boendekostnaden")
    _check_amount(inp.other_costs, low=0, high=MAX_COST, what="Övriga skäliga kostnader")
    _check_amount(inp.gross_wage, low=MIN_WAGE, high=MAX_WAGE, what="Bruttolönen")
    _check_rate(inp.municipal_tax_rate, low=MIN_TAX_RATE, high=MAX_TAX_RATE, what="Kommunalskatten")
    _check_rate(
        inp.employer_contribution_rate,
        low=Decimal(0),
        high=MAX_EMPLOYER_RATE,
        what="Arbetsgivaravgifterna",
    )
    _check_rate(inp.subsidy_share, low=Decimal(0), high=HUNDRED, what="Det statliga stödet")
    if inp.subsidy_ceiling is not None:
        _check_amount(inp.subsidy_ceiling, low=0, high=MAX_SUBSIDY_CEILING, what="Taket för stödet")
    if not isinstance(inp.jobbstimulans, bool):
        raise ValueError("Jobbstimulans måste vara ja eller nej.")


def compare(inp: WageInput) -> WageResult:
    """Support without a job against the job at ``inp.gross_wage``, for one household."""
    if not isinstance(inp, WageInput):
        raise ValueError("Indata saknas.")
    p = _params(inp.year)
    _check(inp)
    household = inp.household
    lines: list[Line] = []

    def add(
        group: LineGroup,
        label: str,
        amount: int,
        how: str = "",
        source: str = "",
        *,
        total: bool = False,
    ) -> None:
        lines.append(Line(group, label, amount, how, source, total))

    # The need: riksnorm + reasonable costs.
    norm = riksnorm(
        year=inp.year,
        adults=household.adults,
        children=[Child(age=age) for age in household.children_ages],
    )
    for norm_line in norm.lines:
        add(LineGroup.NEED, norm_line.label, norm_line.amount, "", norm_line.source)
    add(LineGroup.NEED, "Riksnorm", norm.total, "summan av raderna ovan", total=True)
    add(
        LineGroup.NEED,
        "Boendekostnad",
        inp.housing_cost,
        "angiven",
        "SoL 12 kap. (skäliga kostnader)",
    )
    add(
        LineGroup.NEED,
        "Övriga skäliga kostnader",
        inp.other_costs,
        "angivna",
        "SoL 12 kap. (skäliga kostnader)",
    )
    need = norm.total + inp.housing_cost + inp.other_costs
    add(
        LineGroup.NEED,
        "Behov per månad",
        need,
        f"{kronor(norm.total)} + {kronor(inp.housing_cost)} + {kronor(inp.other_costs)}",
        total=True,
    )

    # Income the household has either way.
    benefits, benefit_lines = child_benefits(year=inp.year, children_ages=household.children_ages)
    lines.extend(benefit_lines)
    add(
        LineGroup.CHILD_BENEFITS,
        "Barn- och studiebidrag med flerbarnstillägg",
        benefits,
        total=True,
    )

    # Without a job.
    support_without = max(0, need - benefits)
    add(
        LineGroup.WITHOUT_JOB,
        "Försörjningsstöd utan arbete",
        support_without,
        f"{kronor(need)} − {kronor(benefits)}, inte under 0",
        "SoL 12 kap. (behov minus inkomster)",
        total=True,
    )
    disposable_without = support_without + benefits
    add(
        LineGroup.WITHOUT_JOB,
        "Hushållets disponibla inkomst utan arbete",
        disposable_without,
        f"{kronor(support_without)} + {kronor(benefits)}",
        total=True,
    )

    # With the job.
    tax = income_tax(
        year=inp.year, monthly_wage=inp.gross_wage, municipal_tax_rate=inp.municipal_tax_rate
    )
    lines.extend(tax.lines)
    net_wage = inp.gross_wage - tax.monthly
    add(LineGroup.WITH_JOB, "Bruttolön", inp.gross_wage, "angiven")
    add(LineGroup.WITH_JOB, "Skatt", -tax.monthly, "skatt per månad enligt skatteberäkningen")
    add(
        LineGroup.WITH_JOB,
        "Nettolön",
        net_wage,
        f"{kronor(inp.gross_wage)} − {kronor(tax.monthly)}",
        total=True,
    )
    percent = p.jobbstimulans_percent.value
    disregard = _round(Decimal(net_wage) * percent / HUNDRED) if inp.jobbstimulans else 0
    add(
        LineGroup.WITH_JOB,
        "Jobbstimulans: del av nettolönen som inte räknas",
        -disregard,
        f"{percent} % × {kronor(net_wage)}"
        if inp.jobbstimulans
        else "gäller inte (vald: ingen jobbstimulans)",
        p.jobbstimulans_percent.source,
    )
    counted = net_wage - disregard
    add(
        LineGroup.WITH_JOB,
        "Inkomst som räknas mot försörjningsstödet",
        counted,
        f"{kronor(net_wage)} − {kronor(disregard)}",
    )
    support_with = max(0, need - benefits - counted)
    add(
        LineGroup.WITH_JOB,
        "Försörjningsstöd med arbete",
        support_with,
        f"{kronor(need)} − {kronor(benefits)} − {kronor(counted)}, inte under 0",
        "SoL 12 kap. (behov minus inkomster)",
        total=True,
    )
    disposable_with = net_wage + benefits + support_with
    add(
        LineGroup.WITH_JOB,
        "Hushållets disponibla inkomst med arbete",
        disposable_with,
        f"{kronor(net_wage)} + {kronor(benefits)} + {kronor(support_with)}",
        total=True,
    )
    add(
        LineGroup.WITH_JOB,
        "Skillnad för hushållet med arbete",
        disposable_with - disposable_without,
        f"{kronor(disposable_with)} − {kronor(disposable_without)}",
        total=True,
    )

    # The municipality's cost.
    add(
        LineGroup.MUNICIPALITY,
        "Kostnad utan arbete: försörjningsstöd",
        support_without,
        "försörjningsstödet utan arbete",
        total=True,
    )
    employer_rate = Decimal(inp.employer_contribution_rate)
    contributions = _round(inp.gross_wage * employer_rate / HUNDRED)
    wage_cost = inp.gross_wage + contributions
    add(LineGroup.MUNICIPALITY, "Bruttolön", inp.gross_wage, "angiven")
    add(
        LineGroup.MUNICIPALITY,
        "Arbetsgivaravgifter",
        contributions,
        f"{_number(employer_rate)} % × {kronor(inp.gross_wage)}",
        f"Angiven sats (full sats {_number(p.employer_percent.value)} %: "
        f"{p.employer_percent.source})",
    )
    add(
        LineGroup.MUNICIPALITY,
        "Lönekostnad",
        wage_cost,
        f"{kronor(inp.gross_wage)} + {kronor(contributions)}",
    )
    share = Decimal(inp.subsidy_share)
    subsidy = _round(wage_cost * share / HUNDRED)
    subsidy_how = f"{_number(share)} % × {kronor(wage_cost)}"
    if inp.subsidy_ceiling is not None and subsidy > inp.subsidy_ceiling:
        subsidy = inp.subsidy_ceiling
        subsidy_how += f", högst taket {kronor(inp.subsidy_ceiling)} kr"
    add(LineGroup.MUNICIPALITY, "Statligt stöd för anställningen", -subsidy, subsidy_how, "Angivet")
    add(
        LineGroup.MUNICIPALITY,
        "Försörjningsstöd som återstår",
        support_with,
        "försörjningsstödet med arbete",
    )
    cost_subsidised = wage_cost - subsidy + support_with
    add(
        LineGroup.MUNICIPALITY,
        "Kostnad med subventionerad anställning",
        cost_subsidised,
        f"{kronor(wage_cost)} − {kronor(subsidy)} + {kronor(support_with)}",
        total=True,
    )
    add(
        LineGroup.MUNICIPALITY,
        "Skillnad i kommunens kostnad (anställning − försörjningsstöd)",
        cost_subsidised - support_without,
        f"{kronor(cost_subsidised)} − {kronor(support_without)}",
        total=True,
    )

    return WageResult(
        input=inp,
        riksnorm=norm.total,
        need=need,
        child_benefits=benefits,
        support_without_job=support_without,
        tax=tax,
        net_wage=net_wage,
        jobbstimulans_disregard=disregard,
        counted_income=counted,
        support_with_job=support_with,
        disposable_without_job=disposable_without,
        disposable_with_job=disposable_with,
        employer_contributions=contributions,
        wage_cost=wage_cost,
        state_subsidy=subsidy,
        municipal_cost_support=support_without,
        municipal_cost_subsidised=cost_subsidised,
        lines=tuple(lines),
    )


# --- household types -----------------------------------------------------------------


@dataclass(frozen=True)
class HouseholdType:
    """One row of the comparison table: a stable key and the household."""

    key: str  # "single", "single_parent_1".."single_parent_3", "couple_0".."couple_3"
    household: Household


HOUSEHOLD_TYPE_KEYS: tuple[str, ...] = (
    "single",
    "single_parent_1",
    "single_parent_2",
    "single_parent_3",
    "couple_0",
    "couple_1",
    "couple_2",
    "couple_3",
)


def household_type(key: str, children_ages: Sequence[int]) -> HouseholdType:
    """The household of type ``key`` with the first N of ``children_ages`` for N children."""
    if key not in HOUSEHOLD_TYPE_KEYS:
        raise ValueError(f"Okänd hushållstyp {key!r}.")
    kind, _, count_text = key.rpartition("_")
    if key == "single":
        adults, count = 1, 0
    else:
        adults, count = (2 if kind == "couple" else 1), int(count_text)
    if count > len(children_ages):
        raise ValueError(
            f"Hushållstypen har {count} barn men bara {len(children_ages)} åldrar är angivna."
        )
    ages = tuple(children_ages[:count])
    for age in ages:
        _check_age(age)
    return HouseholdType(key, Household(adults=adults, children_ages=ages))


def household_types(children_ages: Sequence[int]) -> tuple[HouseholdType, ...]:
    """The household types the ages allow: single, single parent and couple with 0-3 children.

    A type with N children takes the first N ages; types needing more ages than given are
    left out."""
    if len(children_ages) > MAX_CHILDREN:
        raise ValueError(f"Ange högst {MAX_CHILDREN} åldrar.")
    return tuple(
        household_type(key, children_ages)
        for key in HOUSEHOLD_TYPE_KEYS
        if _children_in(key) <= len(children_ages)
    )


def _children_in(key: str) -> int:
    return 0 if key == "single" else int(key.rpartition("_")[2])
