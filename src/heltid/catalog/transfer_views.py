"""Excel export and import of the catalogue (the file format: :mod:`heltid.catalog.excel`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.accounts.permissions import Perm, requires
from heltid.catalog.excel import XLSX_CONTENT_TYPE, export_catalogue, import_catalogue
from heltid.web.forms import LimitedForm

MAX_UPLOAD_NAME = 200


class CatalogueImportForm(LimitedForm):
    file = forms.FileField(
        label=_("Catalogue file (.xlsx)"),
        help_text=_("An Excel file in the format of the catalogue export."),
    )
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("The file must be an Excel file (.xlsx)."))
        if len(name) > MAX_UPLOAD_NAME:
            raise forms.ValidationError(_("The file name is too long."))
        if upload.size > settings.HELTID_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is too large."))
        return upload


@requires(Perm.CATALOGUE_VIEW)
def catalogue_export(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    response = HttpResponse(export_catalogue(on=today), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="insatskatalog-{today.isoformat()}.xlsx"'
    )
    return response


@requires(Perm.CATALOGUE_IMPORT)
def catalogue_import(request: HttpRequest) -> HttpResponse:
    form = CatalogueImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_catalogue(
            data=upload.read(),
            filename=upload.name,
            acting_user=request.user,
            today=timezone.localdate(),
            dry_run=form.cleaned_data["dry_run"],
        )
        if report.file_error:
            form.add_error("file", report.file_error)
    return render(request, "catalog/import.html", {"form": form, "report": report})
