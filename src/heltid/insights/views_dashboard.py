"""The dashboard (översikt): the target group, coverage, lead times, follow-ups, attendance,
step progression, exits, households over time and capacity versus demand, for a period and
filters. Aggregates only; counts under 5 persons are suppressed. The figures are made by a
background task (:mod:`heltid.insights.dashboard`) and read here (decision 0022)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heltid.accounts.models import Unit
from heltid.accounts.permissions import Perm, requires
from heltid.insights import metrics, results
from heltid.insights.filters import AGE_GROUPS, InsightFilter
from heltid.registry.models import Sex
from heltid.rules.dates import add_months, month_start
from heltid.web.forms import LimitedForm

EARLIEST = date(2000, 1, 1)
LATEST = date(2099, 12, 31)
LONGEST_PERIOD_DAYS = 5 * 366


class DashboardFilterForm(LimitedForm):
    """The dashboard's filters from the query string (Swedish parameter names)."""

    fran = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    till = forms.DateField(
        label=gettext_lazy("To"),
        required=False,
        input_formats=["%Y-%m-%d"],
        help_text=gettext_lazy("YYYY-MM-DD"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    enhet = forms.ChoiceField(label=gettext_lazy("Unit"), required=False)
    kon = forms.ChoiceField(
        label=gettext_lazy("Sex"),
        required=False,
        choices=[("", gettext_lazy("All")), *Sex.choices],
    )
    alder = forms.ChoiceField(
        label=gettext_lazy("Age group"),
        required=False,
        choices=[("", gettext_lazy("All")), *((code, code) for code, _low, _high in AGE_GROUPS)],
    )
    steg = forms.ChoiceField(label=gettext_lazy("Step"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        enhet = self.fields["enhet"]
        steg = self.fields["steg"]
        assert isinstance(enhet, forms.ChoiceField) and isinstance(steg, forms.ChoiceField)
        enhet.choices = [
            ("", _("All")),
            *Unit.objects.order_by("name", "pk").values_list("code", "name"),
        ]
        steg.choices = [("", _("All")), *metrics.steps_choices()]

    def clean_fran(self) -> date | None:
        return _in_range(self.cleaned_data.get("fran"))

    def clean_till(self) -> date | None:
        return _in_range(self.cleaned_data.get("till"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        if start and end:
            if end < start:
                self.add_error("till", _("The period must end on or after its first day."))
            elif (end - start).days > LONGEST_PERIOD_DAYS:
                self.add_error("till", _("Choose a period of at most five years."))
        return data

    def insight_filter(self, *, today: date) -> InsightFilter:
        """The valid form as a filter; the period defaults to the last twelve months."""
        end = self.cleaned_data.get("till") or today
        start = self.cleaned_data.get("fran") or add_months(month_start(end), -11)
        if start > end:
            start = end
        return InsightFilter(
            start=start,
            end=end,
            unit=self.cleaned_data.get("enhet") or "",
            sex=self.cleaned_data.get("kon") or "",
            age_group=self.cleaned_data.get("alder") or "",
            step=self.cleaned_data.get("steg") or "",
        )


def _in_range(day: date | None) -> date | None:
    if day is not None and not EARLIEST <= day <= LATEST:
        raise forms.ValidationError(_("Give a date between 2000-01-01 and 2099-12-31."))
    return day


@requires(Perm.STATISTICS_VIEW)
def dashboard(request: HttpRequest) -> HttpResponse:
    """The stored figures for the filters (decision 0022): made by a background task, read
    here with their age; a filter asked for the first time shows that they are being made."""
    today = timezone.localdate()
    data = request.GET.copy()
    default_period = not data.get("fran") and not data.get("till")
    if default_period:
        data["till"] = today.isoformat()
        data["fran"] = results.default_start(today).isoformat()
    form = DashboardFilterForm(data)
    context: dict[str, Any] = {"form": form, "filtered": bool(request.GET)}
    if not form.is_valid():
        return render(request, "insights/dashboard.html", context)
    f = form.insight_filter(today=today)
    reading = results.dashboard(f, default_period=default_period)
    context["status"] = results.status(reading)
    context["filter"] = f
    if reading.payload is not None:
        context.update(results.dashboard_context(reading.payload))
        context["filter"] = results.with_known_at(f, reading.payload)
    return render(request, "insights/dashboard.html", context)
