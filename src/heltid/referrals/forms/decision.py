"""The decision after a signal (socialtjänstlagen (2025:400), aktivitetskravet
(prop. 2025/26:207)): the finding on an acceptable reason decides the allowed outcomes, and a
refusal or reduction needs the consequences for children (barnets bästa-prövning). The service
checks the same rules (:mod:`heltid.referrals.services.decision`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from heltid.catalog.forms import DateInput
from heltid.referrals.models import DecisionOutcome
from heltid.referrals.models.decision import SANCTIONS, DecisionFinding
from heltid.referrals.services.decision import child_impact_error, outcome_error
from heltid.web.forms import LimitedForm

MAX_AMOUNT = 1_000_000


class DecisionForm(LimitedForm):
    finding = forms.ChoiceField(
        label=_("Did the person decline or stay away without an acceptable reason?"),
        choices=DecisionFinding.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "If yes, the support must be refused or reduced. No action only if there was an "
            "acceptable reason or the person did not decline."
        ),
        error_messages={
            "required": _(
                "Choose whether the person declined or stayed away without an acceptable reason."
            )
        },
    )
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
        label=_("Consequences for children (barnets bästa-prövning)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())

    # First the finding and its assessment, then the decision that follows from them.
    field_order = [
        "finding",
        "acceptable_reason",
        "outcome",
        "amount",
        "reason",
        "child_impact",
        "decided_on",
    ]

    def __init__(self, data: Any = None, *, today: date, children_ages: list[int]) -> None:
        super().__init__(data, initial={"decided_on": today})
        self.today = today
        self.children_ages = children_ages
        field = self.fields["child_impact"]
        if children_ages:
            field.required = True
            field.error_messages["required"] = child_impact_error(
                DecisionOutcome.NO_ACTION, children=True
            )
            field.help_text = ngettext(
                "A child lives in the household (age %(ages)s): describe how the decision "
                "affects the child.",
                "Children live in the household (ages %(ages)s): describe how the decision "
                "affects them.",
                len(children_ages),
            ) % {"ages": ", ".join(str(a) for a in children_ages)}
        else:
            field.help_text = _(
                "No children live in the household. For a refusal or reduction, write whether "
                "any child is affected all the same, for example a child who lives with the "
                "person part of the time."
            )

    def clean_decided_on(self) -> date:
        value: date = self.cleaned_data["decided_on"]
        if value > self.today:
            raise forms.ValidationError(_("The decision cannot be dated in the future."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        outcome, finding = data.get("outcome"), data.get("finding")
        if (
            outcome == DecisionOutcome.REDUCTION
            and not data.get("amount")
            and "amount" not in self.errors
        ):
            self.add_error("amount", _("Enter the reduction in kronor."))
        if outcome and finding:
            wrong = outcome_error(finding, outcome)
            if wrong:
                self.add_error("outcome", wrong)
        if (
            outcome in SANCTIONS
            and not data.get("child_impact", "").strip()
            and "child_impact" not in self.errors
        ):
            self.add_error(
                "child_impact", child_impact_error(outcome, children=bool(self.children_ages))
            )
        return data


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))
