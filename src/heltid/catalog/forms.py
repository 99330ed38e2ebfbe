"""Forms of the catalogue pages; each error is shown beside its field, in Swedish."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Role
from heltid.catalog.models import (
    ActivityType,
    Actor,
    Agreement,
    Intervention,
    InterventionStatus,
    Step,
)
from heltid.catalog.models.intervention import TargetGroup
from heltid.catalog.services import INTERVENTION_FIELDS
from heltid.ids import valid_id
from heltid.registry.identity import Identity, IdentityError, parse_identity
from heltid.web.forms import LimitedForm, LimitedModelForm

MAX_PLACES = 10_000
NOT_FOUND = _("No such participant was found among the persons you may see.")


class CatalogueFilterForm(LimitedForm):
    """The catalogue's filters, read from the query string (Swedish parameter names).

    ``personnummer`` and ``deltagare`` (a person's id, for the link from the person page) name
    the participant whose criteria the interventions must match; the view resolves them among
    the persons the user may see. Users who may not see persons do not get these fields."""

    steg = forms.ModelChoiceField(
        label=_("Step"), queryset=Step.objects.order_by("position", "pk"), required=False
    )
    insatstyp = forms.ChoiceField(
        label=_("Activity type"),
        choices=[("", _("Any activity type")), *ActivityType.choices],
        required=False,
    )
    utforare = forms.ModelChoiceField(
        label=_("Provider"), queryset=Actor.objects.order_by("name", "pk"), required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("Any status")), *InterventionStatus.choices],
        required=False,
    )
    q = forms.CharField(label=_("Name or description contains"), max_length=100, required=False)
    personnummer = forms.CharField(
        label=_("Matches the criteria of the participant with personal identity number"),
        max_length=20,
        required=False,
        help_text=_("Any common form, e.g. YYYYMMDD-NNNN."),
    )
    deltagare = forms.CharField(widget=forms.HiddenInput, required=False, max_length=20)
    lediga = forms.BooleanField(label=_("Only with free places"), required=False)
    sprakstod = forms.BooleanField(label=_("Only with language support"), required=False)

    def __init__(self, *args: Any, person_match: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["steg"].empty_label = _("Any step")  # type: ignore[attr-defined]
        self.fields["utforare"].empty_label = _("Any provider")  # type: ignore[attr-defined]
        if not person_match:
            del self.fields["personnummer"]
            del self.fields["deltagare"]
        self.identity: Identity | None = None

    def clean_personnummer(self) -> str:
        raw: str = self.cleaned_data["personnummer"].strip()
        if not raw:
            return ""
        try:
            self.identity = parse_identity(raw)
        except IdentityError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return self.identity.number

    def clean_deltagare(self) -> int | None:
        """A person's id from a link; anything else is the same "not found" as an unknown id."""
        raw: str = self.cleaned_data["deltagare"].strip()
        if not raw:
            return None
        if not raw.isascii() or not raw.isdigit() or not valid_id(int(raw)):
            self.add_error("personnummer", NOT_FOUND)
            return None
        return int(raw)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def actors_for(user: Any) -> QuerySet[Actor]:
    """The actors a user may offer interventions for: all for administrators, the actors
    linked to their own unit for provider staff."""
    if user.role == Role.ADMIN:
        return Actor.objects.order_by("name", "pk")
    if user.unit_id is None:
        return Actor.objects.none()
    return Actor.objects.filter(unit_id=user.unit_id).order_by("name", "pk")


class InterventionForm(LimitedModelForm):
    """Create or edit an intervention; places and the reason for a change go to the dated
    capacity history. Saved through ``services.intervention_save``, never ``form.save()``."""

    target_groups = forms.MultipleChoiceField(
        label=_("Target groups"),
        choices=TargetGroup.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every target group."),
    )
    places = forms.IntegerField(
        label=_("Places"),
        min_value=0,
        max_value=MAX_PLACES,
        help_text=_("From today. Earlier numbers stay in the capacity history."),
    )
    reason = forms.CharField(
        label=_("Reason for the capacity change"),
        max_length=200,
        required=False,
        help_text=_("Written to the capacity history when the number of places changes."),
    )

    class Meta:
        model = Intervention
        fields = ("code", *INTERVENTION_FIELDS)
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "criteria_text": forms.Textarea(attrs={"rows": 3}),
            "start_date": DateInput(),
            "end_date": DateInput(),
        }
        help_texts = {
            "code": _(
                "Letters a–z, digits and hyphens. The Excel import finds the intervention by it."
            ),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        editing = self.instance.pk is not None
        if editing:
            del self.fields["code"]
            self.initial["target_groups"] = self.instance.target_group_list
        actors = actors_for(user)
        self.fields["provider"].queryset = actors  # type: ignore[attr-defined]
        if not editing and "provider" not in self.initial:
            only = list(actors[:2])
            if len(only) == 1:  # provider staff of one organisation: nothing to choose
                self.initial["provider"] = only[0].pk
        self.fields["agreement"].queryset = Agreement.objects.filter(  # type: ignore[attr-defined]
            actor__in=actors
        ).order_by("actor__name", "title", "pk")
        steps = Q(active=True)
        if editing:
            steps |= Q(pk=self.instance.step_id)
        self.fields["step"].queryset = Step.objects.filter(steps).order_by(  # type: ignore[attr-defined]
            "position", "pk"
        )

    def clean_target_groups(self) -> str:
        chosen = set(self.cleaned_data["target_groups"])
        return ",".join(g for g in TargetGroup.values if g in chosen)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        provider, agreement = data.get("provider"), data.get("agreement")
        if provider is not None and agreement is not None and agreement.actor_id != provider.pk:
            self.add_error("agreement", _("The agreement must be with the provider."))
        age_min, age_max = data.get("age_min"), data.get("age_max")
        if age_min is not None and age_max is not None and age_max < age_min:
            self.add_error("age_max", _("The highest age must not be below the lowest age."))
        start, end = data.get("start_date"), data.get("end_date")
        if start is not None and end is not None and end < start:
            self.add_error("end_date", _("The end date must be on or after the start date."))
        places = data.get("places")
        if data.get("status") == InterventionStatus.NEEDED and places:
            self.add_error("places", _("A recorded need has no places: write 0."))
        return data

    def intervention_data(self) -> dict[str, Any]:
        """The cleaned values of :data:`INTERVENTION_FIELDS`, for ``intervention_save``."""
        return {name: self.cleaned_data[name] for name in INTERVENTION_FIELDS}
