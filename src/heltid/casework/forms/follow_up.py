"""The follow-up form, with the plan revision agreed at the follow-up in the same step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from heltid.casework.models import (
    ALLOWED_TRANSITIONS,
    ActivityKind,
    ActivityStatus,
    FollowUpMode,
    FollowUpParty,
    PlanActivity,
)
from heltid.casework.services.plan import NewActivity, PlanChanges
from heltid.catalog.forms import DateInput
from heltid.catalog.models import Intervention, InterventionStatus
from heltid.rules import latest_next_follow_up
from heltid.web.forms import LimitedForm

# An activity that is completed or cancelled has no next status: it is shown, not revised.
OPEN_STATUSES = tuple(s for s, nexts in ALLOWED_TRANSITIONS.items() if nexts)
# A new activity starts as one of these.
NEW_STATUSES = (ActivityStatus.PROPOSED, ActivityStatus.PLANNED, ActivityStatus.ONGOING)


def add_service_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ``ValidationError`` on the form: beside the field it names when the
    form has that field, otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def hours_field(label: Any, *, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        min_value=Decimal(0),
        max_value=Decimal(40),
        max_digits=4,
        decimal_places=1,
        required=required,
        widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
    )


@dataclass(frozen=True)
class ActivityFields:
    """The fields that revise one activity, for the template."""

    activity: PlanActivity
    status: forms.BoundField
    hours: forms.BoundField
    agreed: forms.BoundField


class FollowUpForm(LimitedForm):
    held_on = forms.DateField(label=_("Held on"), widget=DateInput())
    mode = forms.ChoiceField(
        label=_("How"), choices=[("", "–"), *FollowUpMode.choices], required=True
    )
    with_others = forms.MultipleChoiceField(
        label=_("Others who took part"),
        choices=FollowUpParty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
        help_text=_("What was said and agreed."),
    )
    next_on = forms.DateField(label=_("Next follow-up"), widget=DateInput())
    revision_reason = forms.CharField(
        label=_("Reason for the plan revision"),
        max_length=300,
        required=False,
        help_text=_("Leave empty to use “Follow-up” and the date."),
    )
    new_kind = forms.ChoiceField(
        label=_("Kind of activity"),
        choices=[("", _("No new activity")), *ActivityKind.choices],
        required=False,
    )
    new_intervention = forms.ModelChoiceField(
        label=_("Intervention from the catalogue"),
        queryset=Intervention.objects.none(),
        required=False,
        help_text=_("Only for an intervention from the catalogue."),
    )
    new_title = forms.CharField(
        label=_("Name of the activity"),
        max_length=200,
        required=False,
        help_text=_("May be left empty for an intervention: its name is used."),
    )
    new_hours = hours_field(_("Hours per week"), required=False)
    new_status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in NEW_STATUSES],
        initial=ActivityStatus.PLANNED,
        required=False,
    )
    new_agreed = forms.BooleanField(label=_("Agreed with the participant"), required=False)

    FOLLOW_UP_FIELDS = ("held_on", "mode", "with_others", "notes", "next_on")
    NEW_ACTIVITY_FIELDS = (
        "new_kind",
        "new_intervention",
        "new_title",
        "new_hours",
        "new_status",
        "new_agreed",
    )

    def __init__(
        self,
        *args: Any,
        activities: list[PlanActivity],
        has_plan: bool,
        today: date,
        **kwargs: Any,
    ) -> None:
        latest = latest_next_follow_up(today, policy=settings.HELTID_POLICY)
        kwargs.setdefault("initial", {"held_on": today, "next_on": latest})
        super().__init__(*args, **kwargs)
        self.has_plan = has_plan
        self.fields["next_on"].help_text = _(
            "At the latest %(days)s days after the follow-up, as the policy requires."
        ) % {"days": (latest - today).days}
        self.open_activities = [a for a in activities if a.status in OPEN_STATUSES]
        self.closed_activities = [a for a in activities if a.status not in OPEN_STATUSES]
        if has_plan:
            intervention_field = self.fields["new_intervention"]
            assert isinstance(intervention_field, forms.ModelChoiceField)
            intervention_field.queryset = Intervention.objects.filter(
                status=InterventionStatus.ACTIVE
            ).order_by("name", "pk")
        else:
            for name in ("revision_reason", *self.NEW_ACTIVITY_FIELDS):
                del self.fields[name]
        for activity in self.open_activities:
            allowed = ALLOWED_TRANSITIONS[activity.status]
            statuses = [s for s in ActivityStatus if s == activity.status or s in allowed]
            self.fields[f"a{activity.pk}_status"] = forms.ChoiceField(
                label=_("Status"),
                choices=[(s.value, s.label) for s in statuses],
                initial=activity.status,
            )
            self.fields[f"a{activity.pk}_hours"] = hours_field(_("Hours per week"))
            self.fields[f"a{activity.pk}_hours"].initial = activity.hours_per_week
            self.fields[f"a{activity.pk}_agreed"] = forms.BooleanField(
                label=_("Agreed with the participant"),
                required=False,
                initial=activity.agreed,
            )

    def follow_up_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.FOLLOW_UP_FIELDS]

    def new_activity_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.NEW_ACTIVITY_FIELDS if name in self.fields]

    def activity_fields(self) -> list[ActivityFields]:
        return [
            ActivityFields(
                activity=a,
                status=self[f"a{a.pk}_status"],
                hours=self[f"a{a.pk}_hours"],
                agreed=self[f"a{a.pk}_agreed"],
            )
            for a in self.open_activities
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.has_plan:
            return data
        kind = data.get("new_kind")
        filled = any(
            data.get(name) not in (None, "", False)
            for name in ("new_intervention", "new_title", "new_hours")
        )
        if not kind:
            if filled:
                self.add_error("new_kind", _("Choose the kind of activity to add."))
            return data
        if data.get("new_hours") is None and "new_hours" not in self.errors:
            self.add_error("new_hours", _("Give the hours per week."))
        if kind == ActivityKind.INTERVENTION:
            if data.get("new_intervention") is None and "new_intervention" not in self.errors:
                self.add_error("new_intervention", _("Choose the intervention from the catalogue."))
        elif not data.get("new_title", "").strip():
            self.add_error("new_title", _("Give the activity a name."))
        return data

    def plan_changes(self) -> PlanChanges | None:
        """The plan revision asked for, None when the form changes nothing on the plan."""
        data = self.cleaned_data
        changes = PlanChanges()
        for activity in self.open_activities:
            values: dict[str, Any] = {}
            status = data[f"a{activity.pk}_status"]
            hours = data[f"a{activity.pk}_hours"]
            agreed = data[f"a{activity.pk}_agreed"]
            if status != activity.status:
                values["status"] = status
            if hours != activity.hours_per_week:
                values["hours_per_week"] = hours
            if agreed != activity.agreed:
                values["agreed"] = agreed
            if values:
                changes.activity_changes[activity.pk] = values
        if self.has_plan and data.get("new_kind"):
            kind = data["new_kind"]
            intervention = data["new_intervention"] if kind == ActivityKind.INTERVENTION else None
            changes.add.append(
                NewActivity(
                    kind=kind,
                    title=data["new_title"].strip(),
                    hours_per_week=data["new_hours"],
                    intervention=intervention,
                    status=data["new_status"] or ActivityStatus.PLANNED,
                    agreed=data["new_agreed"],
                )
            )
        if not changes.activity_changes and not changes.add:
            return None
        return changes
