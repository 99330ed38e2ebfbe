from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heltid.registry.identity import IdentityError, parse_identity
from heltid.web.forms import LimitedForm


class AccessLogSearchForm(LimitedForm):
    personnummer = forms.CharField(
        label=_("Personal identity number"), max_length=13, required=False
    )
    username = forms.CharField(label=_("User name"), max_length=150, required=False)

    def clean_personnummer(self) -> str:
        value: str = self.cleaned_data["personnummer"].strip()
        if value:
            try:
                parse_identity(value)
            except IdentityError as exc:
                raise forms.ValidationError(str(exc)) from exc
        return value
