"""Forms of the provider's pages: decline with a reason, start on a date, complete, end."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.referrals.forms.referral import NOTE_MAX, WithdrawForm
from heltid.referrals.models import DeclineReason
from heltid.web.forms import LimitedForm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DeclineForm(LimitedForm):
    reason = forms.ModelChoiceField(
        label=_("Reason for declining"),
        queryset=DeclineReason.objects.filter(active=True).order_by("sort_order", "label"),
        empty_label=_("Choose a reason"),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class StartForm(LimitedForm):
    started_on = forms.DateField(
        label=_("Started on"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d"],
        help_text=_("YYYY-MM-DD"),
    )

    def __init__(
        self, data: Any = None, *, today: date | None = None, prefix: str | None = None
    ) -> None:
        super().__init__(data, initial={"started_on": today or timezone.localdate()}, prefix=prefix)


class CompleteForm(LimitedForm):
    note = forms.CharField(
        label=_("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class EndPlaceForm(WithdrawForm):
    """The provider ends a participant's place (the referral is withdrawn)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["note"].label = _("Why does the place end?")
        self.fields["participant_refused"].label = _(
            "The participant refused to take part (the social services are told)"
        )
