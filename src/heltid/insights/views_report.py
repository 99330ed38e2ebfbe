"""The board report page: choose a period, download the report as PDF or Excel."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _

from heltid.accounts.permissions import Perm, requires
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.background.services import stored_file
from heltid.catalog.forms import DateInput
from heltid.insights import results
from heltid.insights.board_report import MAX_PERIOD_DAYS, RENDERERS
from heltid.web.forms import LimitedForm

EARLIEST = date(2000, 1, 1)


class BoardReportForm(LimitedForm):
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("To"), widget=DateInput())

    def clean_start(self) -> date:
        return self._in_range(self.cleaned_data["start"])

    def clean_end(self) -> date:
        return self._in_range(self.cleaned_data["end"])

    def _in_range(self, day: date) -> date:
        if not EARLIEST <= day <= date(timezone.localdate().year + 1, 12, 31):
            raise forms.ValidationError(_("Choose a date from 2000 up to next year."))
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period cannot end before it starts."))
            elif (end - start).days + 1 > MAX_PERIOD_DAYS:
                self.add_error(
                    "end",
                    _("The period can be at most %(days)s days.") % {"days": MAX_PERIOD_DAYS},
                )
        return data


def _default_period(today: date) -> dict[str, str]:
    """The year so far (the previous year in January)."""
    year = today.year - 1 if today.month == 1 else today.year
    end = date(year, 12, 31) if year < today.year else today
    return {"start": date(year, 1, 1).isoformat(), "end": end.isoformat()}


@requires(Perm.STATISTICS_VIEW)
def board_report(request: HttpRequest) -> HttpResponse:
    """Choose a period and a format: the report is made by a background task (decision 0022)
    as PDF and Excel at once; the first request says it is being made, one when it is done
    downloads it (logged)."""
    chosen = "start" in request.GET or "end" in request.GET
    form = BoardReportForm(request.GET if chosen else None)
    if not chosen:
        form.initial = _default_period(timezone.localdate())
    kind = request.GET.get("format", "")
    context: dict[str, Any] = {"form": form}
    if chosen and form.is_valid() and kind in RENDERERS:
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        reading = results.board_report(start, end)
        stored = stored_file(reading, kind)
        if stored is None:
            context["status"] = results.status(reading)
            return render(request, "insights/board_report.html", context)
        log_access(
            user=request.user,
            action=Action.EXPORT,
            page=request.path,
            detail={"report": "board", "format": kind, "from": str(start), "to": str(end)},
        )
        response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
        response["Content-Disposition"] = content_disposition_header(
            as_attachment=True, filename=stored.filename
        )
        return response
    return render(request, "insights/board_report.html", context)
