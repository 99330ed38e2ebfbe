"""Forms of the plan pages: make a plan, change its goal, add and change activities, record
the participant's signature. Each error is shown beside its field, in Swedish; the services
check everything again, and their errors are put beside the fields too (:func:`add_errors`)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from heltid.casework.models import (
    ALLOWED_TRANSITIONS,
    ActivityKind,
    ActivityStatus,
    ExitTarget,
    Plan,
    PlanActivity,
)
from heltid.catalog.models import Intervention
from heltid.web.forms import LimitedForm
from heltid.web.widgets import QuickSelect

MAX_HOURS = Decimal(40)
TEXT_MAX = 2000
REASON_MAX = 300
# A new activity is proposed or planned; it becomes ongoing (and later completed) by a change.
NEW_ACTIVITY_STATUSES = (ActivityStatus.PROPOSED, ActivityStatus.PLANNED)
DESCRIBING_FIELDS = (
    "kind",
    "intervention",
    "title",
    "hours_per_week",
    "start_on",
    "end_on",
    "note",
)


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


def _hours_field() -> forms.DecimalField:
    return forms.DecimalField(
        label=_("Hours per week"),
        min_value=Decimal(0),
        max_value=MAX_HOURS,
        decimal_places=1,
        max_digits=4,
    )


def _note_field() -> forms.CharField:
    return forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=TEXT_MAX,
    )


def _reason_field(*, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=_("Reason for the change"),
        max_length=REASON_MAX,
        required=required,
        help_text=_("Shown in the plan's version history."),
    )


def _dates_in_order(form: forms.Form, data: dict[str, Any]) -> None:
    start, end = data.get("start_on"), data.get("end_on")
    if start and end and end < start:
        form.add_error("end_on", _("The end date must be on or after the start date."))


class PlanGoalFields(LimitedForm):
    goal = forms.CharField(
        label=_("Goal"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=TEXT_MAX,
        help_text=_("What the participant is working towards, in the participant's words."),
    )
    exit_target = forms.ChoiceField(
        label=_("Exit target"),
        choices=[("", _("Choose the exit target")), *ExitTarget.choices],
    )

    def clean_goal(self) -> str:
        goal: str = self.cleaned_data["goal"].strip()
        if not goal:
            raise forms.ValidationError(_("Write the goal."))
        return goal


class PlanCreateForm(PlanGoalFields):
    """A new plan; its first activities come in an :data:`ActivityFormSet` beside it."""


class PlanEditForm(PlanGoalFields):
    reason = _reason_field()


class ActivityForm(LimitedForm):
    """A new activity. ``interventions`` are the catalogue's active interventions, each with
    ``free`` annotated; passed in so that several forms on a page share one query."""

    kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("Choose the kind of activity")), *ActivityKind.choices],
    )
    intervention = forms.ChoiceField(
        label=_("Intervention from the catalogue"),
        required=False,
        widget=QuickSelect,  # the whole catalogue, in every activity's form
        help_text=_("Only for an intervention from the catalogue. Free places today in brackets."),
    )
    title = forms.CharField(
        label=_("Activity"),
        max_length=200,
        required=False,
        help_text=_("For an intervention, leave empty to use its name."),
    )
    hours_per_week = _hours_field()
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in NEW_ACTIVITY_STATUSES],
        initial=ActivityStatus.PLANNED,
    )
    agreed = forms.BooleanField(label=_("Agreed with the participant"), required=False)
    start_on = forms.DateField(label=_("Starts"), required=False, help_text=_("YYYY-MM-DD"))
    end_on = forms.DateField(label=_("Ends"), required=False, help_text=_("YYYY-MM-DD"))
    note = _note_field()

    def __init__(
        self, *args: Any, interventions: list[Intervention] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.interventions = {str(i.pk): i for i in interventions or []}
        self.fields["intervention"].choices = [  # type: ignore[attr-defined]
            ("", _("No intervention")),
            *((key, intervention_label(i)) for key, i in self.interventions.items()),
        ]

    def has_changed(self) -> bool:
        """A row of a new plan is empty when nothing describes an activity, whatever the
        status and the checkbox say; empty rows are skipped."""
        return any(name in self.changed_data for name in DESCRIBING_FIELDS)

    def clean_intervention(self) -> Intervention | None:
        key = self.cleaned_data.get("intervention") or ""
        return self.interventions.get(key)

    def clean_title(self) -> str:
        title: str = self.cleaned_data["title"]
        return title.strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if kind == ActivityKind.INTERVENTION and data.get("intervention") is None:
            if "intervention" not in self.errors:
                self.add_error("intervention", _("Choose the intervention from the catalogue."))
        elif kind and kind != ActivityKind.INTERVENTION:
            data["intervention"] = None
            if not data.get("title") and "title" not in self.errors:
                self.add_error("title", _("Write what the activity is."))
        _dates_in_order(self, data)
        return data


def intervention_label(intervention: Any) -> str:
    free = getattr(intervention, "free", None)
    if free is None:
        return str(intervention.name)
    return ngettext(
        "%(name)s (%(provider)s) – %(free)s free place",
        "%(name)s (%(provider)s) – %(free)s free places",
        free,
    ) % {"name": intervention.name, "provider": intervention.provider.name, "free": free}


class BaseActivityFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    """The optional first activities of a new plan: rows left empty are skipped."""

    def new_activities(self) -> list[dict[str, Any]]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


ActivityFormSet: type[BaseActivityFormSet] = forms.formset_factory(  # type: ignore[assignment]
    ActivityForm,
    formset=BaseActivityFormSet,
    extra=3,
    max_num=3,
    absolute_max=3,
    validate_max=True,
)


class ActivityChangeForm(LimitedForm):
    """Change one activity. The status offers only the moves ``ALLOWED_TRANSITIONS`` allows."""

    status = forms.ChoiceField(label=_("Status"))
    agreed = forms.BooleanField(label=_("Agreed with the participant"), required=False)
    hours_per_week = _hours_field()
    start_on = forms.DateField(label=_("Starts"), required=False, help_text=_("YYYY-MM-DD"))
    end_on = forms.DateField(label=_("Ends"), required=False, help_text=_("YYYY-MM-DD"))
    note = _note_field()
    reason = _reason_field()

    def __init__(self, *args: Any, activity: PlanActivity, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "status": activity.status,
                "agreed": activity.agreed,
                "hours_per_week": activity.hours_per_week,
                "start_on": activity.start_on,
                "end_on": activity.end_on,
                "note": activity.note,
            },
        )
        super().__init__(*args, **kwargs)
        self.activity = activity
        current = ActivityStatus(activity.status)
        following = [s for s in ActivityStatus if s in ALLOWED_TRANSITIONS[current]]
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (current.value, _("%(status)s (unchanged)") % {"status": current.label}),
            *((s.value, s.label) for s in following),
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _dates_in_order(self, data)
        return data

    def changes(self) -> dict[str, Any]:
        """The fields whose value differs from the activity's."""
        fields = ("status", "agreed", "hours_per_week", "start_on", "end_on", "note")
        return {
            name: self.cleaned_data[name]
            for name in fields
            if self.cleaned_data[name] != getattr(self.activity, name)
        }


class PlanSignForm(LimitedForm):
    signed_on = forms.DateField(label=_("Signed by the participant on"), help_text=_("YYYY-MM-DD"))

    def __init__(self, *args: Any, plan: Plan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan

    def clean_signed_on(self) -> date:
        signed: date = self.cleaned_data["signed_on"]
        if signed > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        if signed < self.plan.created_on:
            raise forms.ValidationError(
                _("The plan was made on %(date)s; it cannot be signed before that."),
                params={"date": self.plan.created_on.isoformat()},
            )
        return signed


class VersionCompareForm(LimitedForm):
    """Which two versions to compare (query string ``fran`` and ``till``)."""

    fran = forms.TypedChoiceField(label=_("From version"), coerce=int)
    till = forms.TypedChoiceField(label=_("To version"), coerce=int)

    def __init__(self, *args: Any, numbers: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(n, str(n)) for n in numbers]
        self.fields["fran"].choices = choices  # type: ignore[attr-defined]
        self.fields["till"].choices = choices  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("fran") is not None and data.get("fran") == data.get("till"):
            self.add_error("till", _("Choose two different versions."))
        return data
