"""The analysts' pseudonymised export page: choose a day, download CSV or Excel."""

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
from heltid.catalog.forms import DateInput
from heltid.insights.analyst_export import CONTENT_TYPES, export_day
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
    content, detail = export_day(day, kind, today=today)
    log_access(user=request.user, action=Action.EXPORT, page=request.path, detail=detail)
    response = HttpResponse(content, content_type=CONTENT_TYPES[kind])
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"analysunderlag-{day.isoformat()}.{kind}"
    )
    return response
