"""The scenario form: the scenario's figures, and one row of figures per staircase step.
Probabilities and shares are entered in per cent; the engine takes fractions."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext_lazy as _

from heltid.planning.scenario import MAX_MONTHS, MAX_RUNS, Scenario, Shock, StepParams
from heltid.web.forms import LimitedForm

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PER_CENT = Decimal(100)
MAX_AMOUNT = 10_000_000
MAX_PERSONS = 1_000_000


def _percent(label: StrOrPromise, help_text: StrOrPromise = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=PER_CENT,
        max_digits=6,
        decimal_places=2,
        help_text=help_text,
    )


class ScenarioForm(LimitedForm):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    months = forms.IntegerField(
        label=_("Months"), min_value=1, max_value=MAX_MONTHS, help_text=_("1–60 months.")
    )
    runs = forms.IntegerField(
        label=_("Runs"),
        min_value=100,
        max_value=MAX_RUNS,
        help_text=_("Simulations whose spread gives the 10th–90th percentile band."),
    )
    inflow = forms.DecimalField(
        label=_("New persons per month"),
        min_value=Decimal(0),
        max_value=Decimal(MAX_PERSONS),
        max_digits=9,
        decimal_places=1,
    )
    shock_factor = forms.DecimalField(
        label=_("Shock: inflow times"),
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(20),
        max_digits=5,
        decimal_places=2,
        help_text=_("E.g. 1.5 for half as many again during a downturn. Empty: no shock."),
    )
    shock_start = forms.IntegerField(
        label=_("Shock from month"),
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text=_("1 is the first month."),
    )
    shock_months = forms.IntegerField(
        label=_("Shock lasts (months)"), required=False, min_value=1, max_value=MAX_MONTHS
    )
    caseload = forms.IntegerField(label=_("Persons per case manager"), min_value=1, max_value=500)
    case_manager_cost_month = forms.IntegerField(
        label=_("Case manager's cost per month (kr)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=_("Wage with employer contributions."),
    )
    support_per_household = forms.IntegerField(
        label=_("Support saved per household and month (kr)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        help_text=_("When a household leaves support for work or studies."),
    )
    self_sufficiency_share = _percent(
        _("Exits to work or studies (%)"), _("Of everyone who leaves support.")
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        shock = [data.get(k) for k in ("shock_factor", "shock_start", "shock_months")]
        if any(v is not None for v in shock) and not all(v is not None for v in shock):
            self.add_error(
                "shock_factor",
                _("A shock needs all three: how much, from which month and for how long."),
            )
        months, start = data.get("months"), data.get("shock_start")
        if months and start and start > months:
            self.add_error("shock_start", _("The shock must begin within the scenario's months."))
        return data


class StepForm(LimitedForm):
    code = forms.CharField(widget=forms.HiddenInput)
    name = forms.CharField(widget=forms.HiddenInput, max_length=200)
    catalogue_places = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
    people = forms.IntegerField(label=_("Persons at the start"), min_value=0, max_value=MAX_PERSONS)
    places = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=0,
        max_value=MAX_PERSONS,
        help_text=_("Empty: as many as needed."),
    )
    cost_per_place_month = forms.IntegerField(
        label=_("Cost per place-month (kr)"), min_value=0, max_value=MAX_AMOUNT
    )
    up = _percent(_("Up per month (%)"))
    down = _percent(_("Down per month (%)"))
    exit = _percent(_("Exit per month (%)"))
    entry_share = _percent(_("Share of new persons (%)"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        moves = [data.get(k) for k in ("up", "down", "exit")]
        if all(v is not None for v in moves) and sum(moves) > PER_CENT:  # type: ignore[arg-type]
            self.add_error("exit", _("Up, down and exit together can be at most 100 %."))
        return data


class BaseStepFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        super().clean()
        if any(form.errors or not form.cleaned_data for form in self.forms):
            return
        last = len(self.forms) - 1
        for i, form in enumerate(self.forms):
            if i == last and form.cleaned_data["up"]:
                form.add_error("up", _("The top step has no step above it."))
            if i == 0 and form.cleaned_data["down"]:
                form.add_error("down", _("The lowest step has no step below it."))
        shares = sum(form.cleaned_data["entry_share"] for form in self.forms)
        if abs(shares - PER_CENT) > Decimal("0.1"):
            raise forms.ValidationError(
                _("The shares of new persons must add up to 100 %% (now %(sum)s %%).")
                % {"sum": shares}
            )


def step_formset(steps: int) -> type[BaseStepFormSet]:
    """A form per step of the scenario, exactly: a posted form count that differs (a tampered
    management form) is a form error, and never more forms than steps are built."""
    return forms.formset_factory(  # type: ignore[return-value]
        StepForm,
        formset=BaseStepFormSet,
        extra=0,
        min_num=steps,
        max_num=steps,
        absolute_max=steps,
        validate_min=True,
        validate_max=True,
    )


def initial_of(scenario: Scenario, *, name: str, description: str) -> dict[str, Any]:
    shock = scenario.shock
    return {
        "name": name,
        "description": description,
        "months": scenario.months,
        "runs": scenario.runs,
        "inflow": scenario.inflow,
        "shock_factor": shock.factor if shock else None,
        "shock_start": shock.start + 1 if shock else None,
        "shock_months": shock.months if shock else None,
        "caseload": scenario.caseload,
        "case_manager_cost_month": scenario.case_manager_cost_month,
        "support_per_household": scenario.support_per_household,
        "self_sufficiency_share": _to_percent(scenario.self_sufficiency_share),
    }


def steps_initial(scenario: Scenario) -> list[dict[str, Any]]:
    return [
        {
            "code": s.code,
            "name": s.name,
            "catalogue_places": s.catalogue_places,
            "people": s.people,
            "places": s.places,
            "cost_per_place_month": s.cost_per_place_month,
            "up": _to_percent(s.up),
            "down": _to_percent(s.down),
            "exit": _to_percent(s.exit),
            "entry_share": _to_percent(s.entry_share),
        }
        for s in scenario.steps
    ]


def _to_percent(fraction: float) -> Decimal:
    return (Decimal(str(fraction)) * PER_CENT).quantize(Decimal("0.01"))


def _fraction(percent: Decimal) -> float:
    return float(percent / PER_CENT)


def scenario_from_forms(
    form: ScenarioForm,
    steps: forms.BaseFormSet,  # type: ignore[type-arg]
    *,
    base: Scenario,
) -> Scenario:
    """The valid forms as a scenario (start month, seed and notes kept from ``base``)."""
    d = form.cleaned_data
    # the form allows 99.9–100.1 %: the engine gets shares that add up to exactly 1
    shares = sum((f.cleaned_data["entry_share"] for f in steps.forms), Decimal(0))
    shock = None
    if d.get("shock_factor") is not None:
        shock = Shock(
            start=d["shock_start"] - 1, months=d["shock_months"], factor=float(d["shock_factor"])
        )
    return Scenario(
        steps=tuple(
            StepParams(
                # which step it is comes from the saved scenario, never from the post
                code=step.code,
                name=step.name,
                people=s.cleaned_data["people"],
                places=s.cleaned_data["places"],
                cost_per_place_month=s.cleaned_data["cost_per_place_month"],
                up=_fraction(s.cleaned_data["up"]),
                down=_fraction(s.cleaned_data["down"]),
                exit=_fraction(s.cleaned_data["exit"]),
                entry_share=float(s.cleaned_data["entry_share"] / shares) if shares else 0.0,
                catalogue_places=step.catalogue_places,
            )
            for s, step in zip(steps.forms, base.steps, strict=True)
        ),
        start_month=base.start_month,
        months=d["months"],
        inflow=float(d["inflow"]),
        shock=shock,
        caseload=d["caseload"],
        case_manager_cost_month=d["case_manager_cost_month"],
        support_per_household=d["support_per_household"],
        self_sufficiency_share=_fraction(d["self_sufficiency_share"]),
        runs=d["runs"],
        seed=base.seed,
        notes=base.notes,
    )
