"""Planning scenarios: the list, the ready "cost of full-time activation" scenario, a scenario
with its results and its form, copy, compare two, and the Excel export."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from heltid.accounts.permissions import Perm, requires
from heltid.ids import valid_id
from heltid.insights import charts
from heltid.insights.forms_scenario import (
    ScenarioForm,
    initial_of,
    scenario_from_forms,
    step_formset,
    steps_initial,
)
from heltid.insights.models import SavedScenario
from heltid.insights.scenarios import (
    copy_scenario,
    create_ready_scenario,
    month_rows,
    run,
    save_scenario,
    scenario_of,
    scenario_xlsx,
)
from heltid.planning.scenario import ScenarioError, ScenarioResult
from heltid.web.forms import LimitedForm

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _get(pk: int) -> SavedScenario:
    saved = SavedScenario.objects.filter(pk=pk).first() if valid_id(pk) else None
    if saved is None:
        raise Http404
    return saved


@requires(Perm.PLANNING)
def scenario_list(request: HttpRequest) -> HttpResponse:
    scenarios = list(SavedScenario.objects.select_related("created_by").order_by("-updated_at"))
    return render(
        request,
        "planning/scenario_list.html",
        {"scenarios": scenarios, "compare": CompareForm(scenarios=scenarios)},
    )


@requires(Perm.PLANNING)
@require_POST
def scenario_ready(request: HttpRequest) -> HttpResponse:
    saved = create_ready_scenario(user=request.user, today=timezone.localdate())  # type: ignore[arg-type]
    messages.success(request, _("The scenario was made from today's data."))
    return redirect("scenario_detail", pk=saved.pk)


@requires(Perm.PLANNING)
@require_POST
def scenario_copy(request: HttpRequest, pk: int) -> HttpResponse:
    saved = copy_scenario(saved=_get(pk), user=request.user)  # type: ignore[arg-type]
    messages.success(request, _("A copy was made. Change its figures below."))
    return redirect("scenario_detail", pk=saved.pk)


@requires(Perm.PLANNING)
def scenario_detail(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _get(pk)
    scenario = scenario_of(saved)
    if request.method == "POST":
        form = ScenarioForm(request.POST)
        steps = step_formset(len(scenario.steps))(request.POST, prefix="steg")
        if form.is_valid() and steps.is_valid():
            try:
                changed = scenario_from_forms(form, steps, base=scenario)
                save_scenario(
                    saved=saved,
                    name=form.cleaned_data["name"],
                    description=form.cleaned_data["description"],
                    scenario=changed,
                )
            except ScenarioError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The scenario was saved and run again."))
                return redirect("scenario_detail", pk=saved.pk)
        status = 200
    else:
        form = ScenarioForm(
            initial=initial_of(scenario, name=saved.name, description=saved.description)
        )
        steps = step_formset(len(scenario.steps))(initial=steps_initial(scenario), prefix="steg")
        status = 200
    result = run(saved)
    context = {"saved": saved, "form": form, "steps": steps, **_result_context(result)}
    return render(request, "planning/scenario_detail.html", context, status=status)


def _result_context(result: ScenarioResult) -> dict[str, Any]:
    scenario = result.scenario
    months = [m.strftime("%Y-%m") for m in result.months]
    names = [s.name for s in scenario.steps]
    rows = month_rows(result)
    people_series = [
        (name, [(months[t], float(result.people.p50[t][i])) for t in range(len(months))])
        for i, name in enumerate(names)
    ]
    any_waiting = bool(result.waiting.p90.sum())
    last = len(rows) - 1
    step_rows = [
        {
            "name": s.name,
            "start": s.people,
            "end": rows[last].people[i],
            "needed_max": round(float(result.places_needed.p50[:, i].max())),
            "catalogue": s.catalogue_places,
            "places": s.places,
            "waiting_max": round(float(result.waiting.p90[:, i].max())),
        }
        for i, s in enumerate(scenario.steps)
    ]
    return {
        "scenario": scenario,
        "result": result,
        "step_names": names,
        "rows": rows,
        "years": result.years,
        "step_rows": step_rows,
        "any_waiting": any_waiting,
        "charts": {
            "net": charts.band_chart(
                [
                    (
                        months[t],
                        float(result.net_cost.p10[t]),
                        float(result.net_cost.p50[t]),
                        float(result.net_cost.p90[t]),
                    )
                    for t in range(len(months))
                ],
                label=_(
                    "Chart: net cost per month, the median with a band from the 10th to the 90th "
                    "percentile. The figures are in the table."
                ),
                y_title=_("Kronor per month"),
            ),
            "people": charts.series_chart(
                people_series,
                label=_(
                    "Chart: persons per step and month (median). The figures are in the table."
                ),
                y_title=_("Persons"),
            ),
            "waiting": charts.series_chart(
                [
                    (
                        name,
                        [(months[t], float(result.waiting.p50[t][i])) for t in range(len(months))],
                    )
                    for i, name in enumerate(names)
                ],
                label=_(
                    "Chart: persons waiting for a place per step (median). The figures are in "
                    "the table."
                ),
                y_title=_("Persons"),
            )
            if any_waiting
            else "",
        },
    }


@requires(Perm.PLANNING)
def scenario_excel(request: HttpRequest, pk: int) -> HttpResponse:
    saved = _get(pk)
    content = scenario_xlsx(saved, run(saved))
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"scenario-{saved.pk}.xlsx"
    )
    return response


class CompareForm(LimitedForm):
    a = forms.ChoiceField(label=gettext_lazy("Scenario A"))
    b = forms.ChoiceField(label=gettext_lazy("Scenario B"))

    def __init__(self, *args: Any, scenarios: list[SavedScenario], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(s.pk), s.name) for s in scenarios]
        for name in ("a", "b"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        if len(scenarios) >= 2 and not self.is_bound:
            self.initial = {"a": str(scenarios[1].pk), "b": str(scenarios[0].pk)}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("a") and data.get("a") == data.get("b"):
            self.add_error("b", _("Choose two different scenarios."))
        return data


@requires(Perm.PLANNING)
def scenario_compare(request: HttpRequest) -> HttpResponse:
    scenarios = list(SavedScenario.objects.order_by("-updated_at"))
    form = CompareForm(request.GET or None, scenarios=scenarios)
    context: dict[str, Any] = {"form": form}
    if request.GET and form.is_valid():
        a = next(s for s in scenarios if str(s.pk) == form.cleaned_data["a"])
        b = next(s for s in scenarios if str(s.pk) == form.cleaned_data["b"])
        ra, rb = run(a), run(b)
        rows_a, rows_b = month_rows(ra), month_rows(rb)
        years = sorted({y.year for y in ra.years} | {y.year for y in rb.years})
        by_a = {y.year: y for y in ra.years}
        by_b = {y.year: y for y in rb.years}
        context.update(
            {
                "a": a,
                "b": b,
                "year_rows": [
                    {
                        "year": year,
                        "a": by_a.get(year),
                        "b": by_b.get(year),
                        "difference": (
                            round(by_b[year].net[1] - by_a[year].net[1])
                            if year in by_a and year in by_b
                            else None
                        ),
                    }
                    for year in years
                ],
                "month_rows": list(zip(rows_a, rows_b, strict=False)),
                "chart": charts.series_chart(
                    [
                        (
                            f"A: {a.name}",
                            [(m.month.strftime("%Y-%m"), float(m.net)) for m in rows_a],
                        ),
                        (
                            f"B: {b.name}",
                            [(m.month.strftime("%Y-%m"), float(m.net)) for m in rows_b],
                        ),
                    ],
                    label=_(
                        "Chart: net cost per month of the two scenarios (median). The figures "
                        "are in the table."
                    ),
                    y_title=_("Kronor per month"),
                ),
            }
        )
    return render(request, "planning/scenario_compare.html", context)
