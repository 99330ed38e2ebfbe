"""The decision after a signal (SoL 12 kap. 5 §)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from heltid.catalog.forms import DateInput
from heltid.referrals.models import DecisionOutcome

MAX_AMOUNT = 1_000_000


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    amount = forms.IntegerField(
        label=_("Reduction (SEK)"),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT,
        help_text=_("Only for a reduction: the amount by which the support is reduced."),
    )
    reason = forms.CharField(
        label=_("Reasons for the decision"), widget=forms.Textarea(attrs={"rows": 4})
    )
    acceptable_reason = forms.CharField(
        label=_("Assessment of acceptable reason"),
        help_text=_(
            "Whether the person had an acceptable reason for the absence or the refusal, and why."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    child_impact = forms.CharField(
        label=_("Consequences for children"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())

    def __init__(self, data: Any = None, *, today: date, children_ages: list[int]) -> None:
        super().__init__(data, initial={"decided_on": today})
        self.today = today
        self.children_ages = children_ages
        field = self.fields["child_impact"]
        if children_ages:
            field.required = True
            field.help_text = ngettext(
                "A child lives in the household (age %(ages)s): describe how the decision "
                "affects the child.",
                "Children live in the household (ages %(ages)s): describe how the decision "
                "affects them.",
                len(children_ages),
            ) % {"ages": ", ".join(str(a) for a in children_ages)}
        else:
            field.help_text = _("No children live in the household.")

    def clean_decided_on(self) -> date:
        value: date = self.cleaned_data["decided_on"]
        if value > self.today:
            raise forms.ValidationError(_("The decision cannot be dated in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("outcome") == DecisionOutcome.REDUCTION
            and not data.get("amount")
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("Enter the reduction in kronor."))
        return data


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
