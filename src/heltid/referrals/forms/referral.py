"""Forms of the case manager's referral pages: a new referral, withdrawing one. Errors are
shown beside their fields; the services check everything again (:func:`add_errors`)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from heltid.casework.models import PlanActivity
from heltid.catalog.models import Intervention
from heltid.web.forms import LimitedForm

NOTE_MAX = 300


def add_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ``ValidationError`` beside the form's fields (the rest above the form)."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            field = name if name in form.fields else None
            for message in messages:
                form.add_error(field, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def intervention_label(item: Any) -> str:
    """``Lagerträning – AMC – 3 free places`` (``item`` annotated with capacity)."""
    free = int(getattr(item, "free", 0))
    places = (
        ngettext("%(n)s free place", "%(n)s free places", free) % {"n": free}
        if free
        else ngettext("full, %(n)s waiting", "full, %(n)s waiting", int(item.waiting))
        % {"n": int(item.waiting)}
    )
    return f"{item.name} – {item.provider.name} – {places}"


def activity_label(activity: PlanActivity) -> str:
    hours = floatformat(activity.hours_per_week, "-1")
    return str(_("%(title)s (%(h)s hours a week)")) % {"title": activity.title, "h": hours}


class ReferralForm(LimitedForm):
    """Choose the intervention (the ranked list) and, optionally, the plan activity it fills;
    send it to the provider now or keep it as a proposal."""

    intervention = forms.ModelChoiceField(
        label=_("Intervention"),
        queryset=Intervention.objects.none(),
        empty_label=_("Choose an intervention"),
        help_text=_("Best match first; interventions with free places before full ones."),
    )
    plan_activity = forms.ModelChoiceField(
        label=_("Plan activity"),
        queryset=PlanActivity.objects.none(),
        required=False,
        empty_label=_("None"),
        help_text=_("The activity of the plan that the referral fills, if any."),
    )
    note = forms.CharField(
        label=_("Note (not shown to the provider)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    send = forms.BooleanField(
        label=_("Send to the provider now (otherwise it is kept as a proposal)"),
        required=False,
        initial=True,
    )

    def __init__(
        self,
        data: Any = None,
        *,
        interventions: list[Intervention],
        activities: QuerySet[PlanActivity],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(data, initial=initial)
        # the ranked order and the capacity figures, without another query
        field = self.fields["intervention"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Intervention.objects.filter(pk__in=[i.pk for i in interventions])
        field.choices = [("", str(field.empty_label or ""))] + [
            (i.pk, intervention_label(i)) for i in interventions
        ]
        activity = self.fields["plan_activity"]
        assert isinstance(activity, forms.ModelChoiceField)
        activity.queryset = activities
        activity.choices = [("", str(activity.empty_label or ""))] + [
            (a.pk, activity_label(a)) for a in activities
        ]


class WithdrawForm(LimitedForm):
    note = forms.CharField(
        label=_("Why is the referral withdrawn?"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    participant_refused = forms.BooleanField(
        label=_("The participant refused the intervention (the benefit officer is told)"),
        required=False,
    )

    def clean_note(self) -> str:
        note = str(self.cleaned_data["note"]).strip()
        if not note:
            raise ValidationError(_("Write why the referral is withdrawn."))
        return note
