"""The one-time code of the second sign-in step."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heltid.web.forms import LimitedForm

CODE_DIGITS = 6


class OneTimeCodeForm(LimitedForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        help_text=_("Six digits. A new code is shown every 30 seconds."),
        max_length=20,
        strip=True,
        error_messages={"required": _("Give the six-digit code from your app.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "size": "8",
                "spellcheck": "false",
                "autocapitalize": "off",
            }
        ),
    )

    def clean_code(self) -> str:
        code = "".join(self.cleaned_data["code"].split())
        if len(code) != CODE_DIGITS or not code.isdigit():
            raise forms.ValidationError(_("The code is six digits, for example 123456."))
        return code
