"""Support versus wages: försörjningsstöd against a job, per household type (issue 7, item 5).

A GET form with example defaults, so the page shows a result at once; the table compares the
household types and one chosen type is broken down line by line (``heltid.planning.wages``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from heltid.accounts.permissions import Perm, requires
from heltid.planning import wages
from heltid.planning.wages import LineGroup
from heltid.web.forms import LimitedForm

MAX_AGE = 20
MAX_INPUT_LENGTH = 40  # characters in a number field; anything longer is nonsense
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_AGE_SEPARATORS = re.compile(r"[,;\s\u00a0]+")

DEFAULT_YEAR = max(wages.available_years())
DEFAULTS: dict[str, str] = {
    "ar": str(DEFAULT_YEAR),
    "barn_aldrar": "4, 9, 15",
    "boendekostnad": "7500",
    "ovriga_kostnader": "500",
    "bruttolon": "25000",
    "kommunalskatt": "32,0",
    "arbetsgivaravgifter": str(wages.default_employer_contribution_rate(DEFAULT_YEAR)).replace(
        ".", ","
    ),
    "statligt_stod": "50",
    "stodtak": "",
    "jobbstimulans": "on",
    "hushall": "couple_2",
}

GROUP_CAPTIONS = {
    LineGroup.NEED: gettext_lazy("Need: riksnorm and reasonable costs (kronor a month)"),
    LineGroup.CHILD_BENEFITS: gettext_lazy("Child benefits, paid either way (kronor a month)"),
    LineGroup.WITHOUT_JOB: gettext_lazy("Without a job (kronor a month)"),
    LineGroup.TAX: gettext_lazy("Income tax on the wage (kronor a year)"),
    LineGroup.WITH_JOB: gettext_lazy("With the job (kronor a month)"),
    LineGroup.MUNICIPALITY: gettext_lazy("The municipality's cost (kronor a month)"),
}


class KronorField(forms.Field):
    """Whole kronor between ``low`` and ``high``; spaces between thousands are accepted."""

    def __init__(self, *, low: int, high: int, **kwargs: Any) -> None:
        self.low, self.high = low, high
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "numeric"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:
        raw = _SPACES.sub("", str(value or ""))
        if not raw:
            return None
        if len(raw) > MAX_INPUT_LENGTH or not re.fullmatch(r"\d+", raw):
            raise forms.ValidationError(
                _("Enter a whole number of kronor, e.g. 7500."), code="invalid"
            )
        return int(raw)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not self.low <= value <= self.high:
            raise forms.ValidationError(
                _("Enter an amount from %(low)s to %(high)s kronor.")
                % {"low": wages.kronor(self.low), "high": wages.kronor(self.high)},
                code="range",
            )


class PercentField(forms.Field):
    """A percentage between ``low`` and ``high``, with a decimal comma or point."""

    def __init__(self, *, low: Decimal, high: Decimal, **kwargs: Any) -> None:
        self.low, self.high = low, high
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:
        raw = _SPACES.sub("", str(value or "")).rstrip("%").replace(",", ".")
        if not raw:
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            number = None
        if (
            number is None
            or len(raw) > MAX_INPUT_LENGTH
            or not re.fullmatch(r"\d+(\.\d+)?", raw)
            or not number.is_finite()
        ):
            raise forms.ValidationError(_("Enter a percentage, e.g. 32,5."), code="invalid")
        return number

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value is not None and not self.low <= value <= self.high:
            raise forms.ValidationError(
                _("Enter a percentage from %(low)s to %(high)s.")
                % {"low": self.low, "high": self.high},
                code="range",
            )


def household_label(key: str) -> str:
    """The household type's name, without the ages."""
    if key == "single":
        return _("Single adult")
    kind, _sep, count_text = key.rpartition("_")
    count = int(count_text)
    if kind == "couple":
        if count == 0:
            return _("Couple without children")
        return ngettext("Couple, %(n)s child", "Couple, %(n)s children", count) % {"n": count}
    return ngettext("Single parent, %(n)s child", "Single parent, %(n)s children", count) % {
        "n": count
    }


def _household_choices() -> list[tuple[str, str]]:
    return [(key, household_label(key)) for key in wages.HOUSEHOLD_TYPE_KEYS]


class WagesForm(LimitedForm):
    ar = forms.IntegerField(
        label=gettext_lazy("Income year"),
        error_messages={"invalid": gettext_lazy("Enter a year, e.g. 2026.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    barn_aldrar = forms.CharField(
        label=gettext_lazy("Children's ages"),
        required=False,
        max_length=60,
        help_text=gettext_lazy(
            "Up to three ages in years (0–20), separated by commas, e.g. 4, 9, 15. A household "
            "type with N children takes the first N ages."
        ),
    )
    boendekostnad = KronorField(
        low=0,
        high=wages.MAX_COST,
        label=gettext_lazy("Housing cost (kronor a month)"),
        help_text=gettext_lazy("The reasonable housing cost. The default is an example."),
    )
    ovriga_kostnader = KronorField(
        low=0,
        high=wages.MAX_COST,
        label=gettext_lazy("Other reasonable costs (kronor a month)"),
        help_text=gettext_lazy(
            "E.g. household electricity and home insurance. The default is an example."
        ),
    )
    bruttolon = KronorField(
        low=wages.MIN_WAGE,
        high=wages.MAX_WAGE,
        label=gettext_lazy("Gross wage (kronor a month)"),
        help_text=gettext_lazy("The job's wage before tax. The default is an example."),
    )
    kommunalskatt = PercentField(
        low=wages.MIN_TAX_RATE,
        high=wages.MAX_TAX_RATE,
        label=gettext_lazy("Municipal tax rate (%)"),
        help_text=gettext_lazy(
            "Municipality and region together, without burial and church fees. The default "
            "is an example: use your municipality's rate."
        ),
    )
    arbetsgivaravgifter = PercentField(
        low=Decimal(0),
        high=wages.MAX_EMPLOYER_RATE,
        label=gettext_lazy("Employer contributions (%)"),
        help_text=gettext_lazy(
            "The default is the full rate; lower rates apply to some ages and employments."
        ),
    )
    statligt_stod = PercentField(
        low=Decimal(0),
        high=Decimal(100),
        label=gettext_lazy("State subsidy (percent of the wage cost)"),
        help_text=gettext_lazy(
            "The share of the wage cost (wage and employer contributions) the state pays for a "
            "subsidised employment. The default is an example."
        ),
    )
    stodtak = KronorField(
        low=0,
        high=wages.MAX_SUBSIDY_CEILING,
        required=False,
        label=gettext_lazy("Ceiling of the state subsidy (kronor a month)"),
        help_text=gettext_lazy("Leave empty for no ceiling."),
    )
    jobbstimulans = forms.BooleanField(
        required=False,
        label=gettext_lazy("Jobbstimulans applies: 25 percent of the net wage is not counted"),
    )
    hushall = forms.ChoiceField(
        label=gettext_lazy("Household type shown in detail"),
        choices=_household_choices,
    )

    def clean_ar(self) -> int:
        year: int = self.cleaned_data["ar"]
        years = wages.available_years()
        if year not in years:
            raise forms.ValidationError(
                _("Choose a year with tax and benefit parameters: %(years)s.")
                % {"years": ", ".join(str(y) for y in years)}
            )
        return year

    def clean_barn_aldrar(self) -> tuple[int, ...]:
        raw = self.cleaned_data["barn_aldrar"]
        parts = [part for part in _AGE_SEPARATORS.split(raw) if part]
        ages: list[int] = []
        for part in parts:
            if not re.fullmatch(r"\d{1,3}", part):
                raise forms.ValidationError(
                    _("“%(value)s” is not an age in whole years.") % {"value": part[:20]}
                )
            age = int(part)
            if age > MAX_AGE:
                raise forms.ValidationError(
                    _("%(age)s is too old: children count up to %(max)s years.")
                    % {"age": age, "max": MAX_AGE}
                )
            ages.append(age)
        if len(ages) > wages.MAX_CHILDREN:
            raise forms.ValidationError(_("Enter at most %(n)s ages.") % {"n": wages.MAX_CHILDREN})
        return tuple(ages)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        ages, key = data.get("barn_aldrar"), data.get("hushall")
        if ages is not None and key:
            needed = 0 if key == "single" else int(key.rpartition("_")[2])
            if needed > len(ages):
                self.add_error(
                    "hushall",
                    ngettext(
                        "This household type has %(n)s child: enter at least %(n)s age.",
                        "This household type has %(n)s children: enter at least %(n)s ages.",
                        needed,
                    )
                    % {"n": needed},
                )
        return data


COLUMNS = (
    "support_without_job",
    "net_wage",
    "support_with_job",
    "disposable_without_job",
    "disposable_with_job",
    "municipal_cost_support",
    "municipal_cost_subsidised",
)


@dataclass(frozen=True)
class Row:
    """One household type in the comparison table, its figures formatted."""

    key: str
    label: str
    result: wages.WageResult
    cells: dict[str, str]
    detail_query: str


@dataclass(frozen=True)
class ShownLine:
    """One line of the breakdown as the page shows it."""

    label: str
    text: str
    how: str
    source: str
    total: bool


def _label_with_ages(key: str, ages: tuple[int, ...]) -> str:
    label = household_label(key)
    if not ages:
        return label
    return _("%(household)s (aged %(ages)s)") % {
        "household": label,
        "ages": ", ".join(str(age) for age in ages),
    }


def _wage_input(data: dict[str, Any], household: wages.Household) -> wages.WageInput:
    return wages.WageInput(
        year=data["ar"],
        household=household,
        housing_cost=data["boendekostnad"],
        other_costs=data["ovriga_kostnader"],
        gross_wage=data["bruttolon"],
        municipal_tax_rate=data["kommunalskatt"],
        employer_contribution_rate=data["arbetsgivaravgifter"],
        subsidy_share=data["statligt_stod"],
        subsidy_ceiling=data["stodtak"],
        jobbstimulans=data["jobbstimulans"],
    )


def _query_for(form: WagesForm, key: str) -> str:
    """The form's query string with the household type ``key`` chosen for the details."""
    pairs = [(name, str(form.data.get(name, ""))) for name in form.fields if name in form.data]
    pairs = [(name, value) for name, value in pairs if name != "hushall"]
    return urlencode([*pairs, ("hushall", key)])


def _results(form: WagesForm) -> dict[str, Any]:
    data = form.cleaned_data
    ages: tuple[int, ...] = data["barn_aldrar"]
    rows = []
    for kind in wages.household_types(ages):
        result = wages.compare(_wage_input(data, kind.household))
        rows.append(
            Row(
                key=kind.key,
                label=_label_with_ages(kind.key, kind.household.children_ages),
                result=result,
                cells={name: wages.kronor(getattr(result, name)) for name in COLUMNS},
                detail_query=_query_for(form, kind.key),
            )
        )
    chosen = next(row for row in rows if row.key == data["hushall"])
    groups = [
        (
            GROUP_CAPTIONS[group],
            [
                ShownLine(line.label, wages.kronor(line.amount), line.how, line.source, line.total)
                for line in chosen.result.lines
                if line.group == group
            ],
        )
        for group in LineGroup
    ]
    caption = _("Kronor a month in %(year)s at a gross wage of %(wage)s kronor") % {
        "year": data["ar"],
        "wage": wages.kronor(data["bruttolon"]),
    }
    return {
        "rows": rows,
        "chosen": chosen,
        "groups": groups,
        "caption": caption,
        "missing_types": len(rows) < len(wages.HOUSEHOLD_TYPE_KEYS),
    }


@requires(Perm.PLANNING)
def support_versus_wages(request: HttpRequest) -> HttpResponse:
    submitted = any(name in request.GET for name in WagesForm.base_fields)
    form = WagesForm(request.GET if submitted else DEFAULTS)
    context: dict[str, Any] = {"form": form, "submitted": submitted}
    if form.is_valid():
        try:
            context.update(_results(form))
        except ValueError as error:  # the rules' own checks; the form should catch them first
            form.add_error(None, str(error))
    return render(request, "planning/wages.html", context)
