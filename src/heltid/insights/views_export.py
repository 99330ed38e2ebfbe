"""The analysts' pseudonymised export page: choose a day, download CSV or Excel.

The file is made by a background task (decision 0022): the first request for a day asks for
it and says it is being made; a request when it is done downloads it, and that download is
what the access log records."""

from __future__ import annotations

from datetime import date, timedelta

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
from heltid.web.forms import LimitedForm

EARLIEST = date(2000, 1, 1)


class AnalystExportForm(LimitedForm):
    day = forms.DateField(
        label=_("Day"),
        widget=DateInput(),
        help_text=_("Recipients on support on this day. YYYY-MM-DD."),
    )
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV, semicolon-separated (.csv)"))],
    )

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if not EARLIEST <= day <= timezone.localdate():
            raise forms.ValidationError(_("Choose a day from 2000-01-01 up to today."))
        return day


@requires(Perm.STATISTICS_VIEW)
def analyst_export_page(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if "day" not in request.GET:
        form = AnalystExportForm(
            initial={"day": (today - timedelta(days=1)).isoformat(), "format": "xlsx"}
        )
        return render(request, "insights/analyst_export.html", {"form": form})
    form = AnalystExportForm(request.GET)
    if not form.is_valid():
        return render(request, "insights/analyst_export.html", {"form": form})
    day, kind = form.cleaned_data["day"], form.cleaned_data["format"]
    reading = results.analyst_export(day)
    stored = stored_file(reading, kind)
    if stored is None:
        return render(
            request,
            "insights/analyst_export.html",
            {"form": form, "status": results.status(reading), "day": day},
        )
    assert reading.payload is not None
    detail = {**reading.payload, "format": kind}
    log_access(user=request.user, action=Action.EXPORT, page=request.path, detail=detail)
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=stored.filename
    )
    return response
