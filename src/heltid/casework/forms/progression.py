"""Forms for step changes, exits and the follow-ups after an exit."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from heltid.casework.models import EXIT_FOLLOW_UP_MONTHS, ExitOutcome, ExitReason
from heltid.catalog.forms import DateInput
from heltid.catalog.models import Step
from heltid.web.forms import LimitedForm

AFTER_MONTHS = {3: _("After 3 months"), 6: _("After 6 months"), 12: _("After 12 months")}


class StepChangeForm(LimitedForm):
    step = forms.ModelChoiceField(
        label=_("New step"),
        queryset=Step.objects.filter(active=True).order_by("position", "pk"),
        empty_label="–",
    )
    changed_on = forms.DateField(label=_("From"), widget=DateInput())
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why the person moves to this step, in a sentence or two."),
    )


class ExitForm(LimitedForm):
    reason = forms.ChoiceField(label=_("Exit reason"), choices=[("", "–"), *ExitReason.choices])
    exit_on = forms.DateField(label=_("Exit date"), widget=DateInput())
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    follow_up_months = forms.TypedMultipleChoiceField(
        label=_("Follow up after the exit"),
        choices=[(m, AFTER_MONTHS[m]) for m in EXIT_FOLLOW_UP_MONTHS],
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Optional: the follow-ups are shown as due on the person page."),
    )


class ExitFollowUpForm(LimitedForm):
    done_on = forms.DateField(label=_("Done on"), widget=DateInput())
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "–"), *ExitOutcome.choices])
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
