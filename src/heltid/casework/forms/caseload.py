"""Forms of the caseload pages: the filters and the (bulk) reassignment."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from heltid.casework.selectors import unit_case_managers
from heltid.registry.models import Person
from heltid.web.forms import LimitedForm

STATE_CHOICES = [
    ("", _("All")),
    ("overdue", _("Overdue")),
    ("due", _("Due")),
    ("upcoming", _("Upcoming")),
    ("none", _("No deadline running")),
]


class CaseloadFilterForm(LimitedForm):
    att_gora = forms.BooleanField(label=_("Only persons with something to do"), required=False)
    lage = forms.ChoiceField(
        label=_("State of the next deadline"), choices=STATE_CHOICES, required=False
    )


class PersonChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.personnummer_display)


class ReassignForm(LimitedForm):
    """Move persons of the user's unit to a case manager of the unit, with a reason."""

    persons = PersonChoiceField(
        label=_("Persons"),
        queryset=Person.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Choose at least one person."),
            "invalid_choice": _("A chosen person is not in your unit."),
            "invalid_pk_value": _("A chosen person is not in your unit."),
        },
    )
    case_manager = forms.ModelChoiceField(
        label=_("New case manager"),
        queryset=Person.objects.none(),
        empty_label=_("Choose a case manager"),
        error_messages={
            "required": _("Choose the case manager."),
            "invalid_choice": _("Choose a case manager of your own unit."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why the case manager changes. Saved in each person's history."),
        error_messages={"required": _("Write why the case manager changes.")},
    )
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=300)

    def __init__(self, *args: Any, unit_id: int | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["persons"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(unit_id=unit_id) if unit_id is not None else Person.objects.none()
        )
        self.fields["case_manager"].queryset = unit_case_managers(unit_id=unit_id)  # type: ignore[attr-defined]
        self.fields["case_manager"].label_from_instance = (  # type: ignore[attr-defined]
            lambda user: user.get_full_name() or user.username
        )

    def clean_reason(self) -> str:
        text = " ".join(self.cleaned_data["reason"].split())
        if not text:
            raise forms.ValidationError(_("Write why the case manager changes."))
        return text
