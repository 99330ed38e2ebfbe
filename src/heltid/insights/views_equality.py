"""The gender-equality analysis page: cross-tables for the target group, suppressed."""

from __future__ import annotations

from dataclasses import dataclass
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
from heltid.insights.equality import CrossTable, equality_analysis
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


@dataclass(frozen=True)
class ShownRow:
    label: object
    cells: list[int | None]
    total: int | None


def _shown(table: CrossTable) -> dict[str, Any]:
    published = table.suppressed()
    return {
        "key": table.key,
        "caption": table.caption,
        "row_heading": table.row_heading,
        "col_heading": table.col_heading,
        "cols": [label for _code, label in table.cols],
        "rows": [
            ShownRow(
                label=label,
                cells=[published.cells[code][col] for col, _l in table.cols],
                total=published.row_totals[code],
            )
            for code, label in table.rows
        ],
        "col_totals": [published.col_totals[col] for col, _l in table.cols],
        "total": published.total,
    }


@requires(Perm.STATISTICS_VIEW)
def equality(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    form = EqualityFilterForm(request.GET or None)
    start, end, unit = date(today.year, 1, 1), today, ""
    if form.is_bound and form.is_valid():
        start = form.cleaned_data["fran"] or start
        end = form.cleaned_data["till"] or end
        unit = form.cleaned_data["enhet"].code if form.cleaned_data["enhet"] else ""
        if end < start:  # only one end given, on the wrong side of the default
            start = end.replace(month=1, day=1)
    analysis = None
    if not form.is_bound or form.is_valid():
        analysis = equality_analysis(InsightFilter(start=start, end=end, unit=unit))
    return render(
        request,
        "insights/equality.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "size": len(analysis.members) if analysis else 0,
            "tables": [_shown(t) for t in analysis.tables] if analysis else [],
        },
    )
