"""The gender-equality analysis page: cross-tables for the target group, suppressed."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Unit
from heltid.accounts.permissions import Perm, requires
from heltid.catalog.forms import DateInput
from heltid.insights import results
from heltid.insights.filters import InsightFilter
from heltid.web.forms import LimitedForm


class EqualityFilterForm(LimitedForm):
    fran = forms.DateField(label=_("From"), widget=DateInput(), required=False)
    till = forms.DateField(label=_("To"), widget=DateInput(), required=False)
    enhet = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All units"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("fran"), data.get("till")
        if start and end and end < start:
            self.add_error("till", _("The period cannot end before it starts."))
        return data


@requires(Perm.STATISTICS_VIEW)
def equality(request: HttpRequest) -> HttpResponse:
    """The tables for the period and unit, made by a background task (decision 0022) and read
    here; asked for the first time, the page says they are being made."""
    today = timezone.localdate()
    form = EqualityFilterForm(request.GET or None)
    start, end, unit = date(today.year, 1, 1), today, ""
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["fran"] or start
        end = form.cleaned_data["till"] or end
        unit = form.cleaned_data["enhet"].code if form.cleaned_data["enhet"] else ""
        if end < start:  # only one end given, on the wrong side of the default
            start = end.replace(month=1, day=1)
    context: dict[str, Any] = {"form": form, "start": start, "end": end, "size": 0, "tables": []}
    if not form.is_bound or form.is_valid():
        chosen = form.is_bound and bool(form.cleaned_data["fran"] or form.cleaned_data["till"])
        reading = results.equality(
            InsightFilter(start=start, end=end, unit=unit), default_period=not chosen
        )
        context["status"] = results.status(reading)
        if reading.payload is not None:
            context.update(size=reading.payload["size"], tables=reading.payload["tables"])
    return render(request, "insights/equality.html", context)
