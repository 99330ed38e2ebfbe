"""Forms of the registry pages; each error is shown beside its field, in Swedish."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Unit
from heltid.registry.identity import Identity, IdentityError, parse_identity
from heltid.registry.models import AfProgramme, Person, ReasonCode
from heltid.registry.models.exemption import EXEMPTION_CHOICES
from heltid.rules.requirement import activity_requirement
from heltid.web.forms import LimitedForm

MAX_UPLOAD_NAME = 200


class SearchForm(LimitedForm):
    q = forms.CharField(label=_("Personal identity number or name"), max_length=100, required=False)


class MonthField(forms.DateField):
    input_formats = ["%Y-%m"]

    def to_python(self, value: Any) -> date | None:
        result = super().to_python(value)
        return result.replace(day=1) if result else None


class PersonRegisterForm(LimitedForm):
    personnummer = forms.CharField(label=_("Personal identity number"), max_length=13)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    last_name = forms.CharField(label=_("Last name"), max_length=100)
    street_address = forms.CharField(label=_("Street address"), max_length=200, required=False)
    postal_code = forms.CharField(label=_("Postal code"), max_length=10, required=False)
    city = forms.CharField(label=_("City"), max_length=100, required=False)
    protected_identity = forms.BooleanField(label=_("Protected identity"), required=False)
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.all())
    household_reference = forms.CharField(
        label=_("Household reference"),
        max_length=60,
        required=False,
        help_text=_(
            "The benefit system's reference, to join a household of your unit. Leave empty "
            "for a new household."
        ),
    )
    cohabiting = forms.BooleanField(label=_("Lives with a sambo or spouse"), required=False)
    children = forms.CharField(
        label=_("Children's birth dates"),
        required=False,
        help_text=_("YYYY-MM-DD, separated by commas."),
    )
    support_since = MonthField(label=_("On support since (YYYY-MM)"))
    reason_code = forms.ModelChoiceField(
        label=_("Reason code"), queryset=ReasonCode.objects.filter(active=True)
    )
    af_programme = forms.ChoiceField(
        label=_("Arbetsförmedlingen programme"), choices=AfProgramme.choices
    )
    af_programme_since = forms.DateField(label=_("In the programme since"), required=False)
    part_time_hours = forms.DecimalField(
        label=_("Part-time work, hours per week"),
        min_value=Decimal(0),
        max_value=Decimal(80),
        decimal_places=1,
        initial=Decimal(0),
    )

    def __init__(self, *args: Any, units: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if units is not None:
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.identity: Identity | None = None

    def clean_personnummer(self) -> str:
        raw = self.cleaned_data["personnummer"]
        try:
            self.identity = parse_identity(raw)
        except IdentityError as exc:
            raise forms.ValidationError(str(exc)) from exc
        if Person.objects.filter(personnummer=self.identity.number).exists():
            raise forms.ValidationError(_("A person with this number is already registered."))
        return self.identity.number

    def clean_children(self) -> list[date]:
        today = timezone.localdate()
        result = []
        for part in filter(None, (p.strip() for p in self.cleaned_data["children"].split(","))):
            try:
                born = date.fromisoformat(part)
            except ValueError as exc:
                raise forms.ValidationError(
                    _("“%(value)s” is not a date. Write YYYY-MM-DD."), params={"value": part[:20]}
                ) from exc
            if born > today or today.year - born.year > 21:
                raise forms.ValidationError(
                    _("%(value)s is not the birth date of a child in the household."),
                    params={"value": part},
                )
            result.append(born)
        return sorted(result)

    def clean_support_since(self) -> date:
        month: date = self.cleaned_data["support_since"]
        if month > timezone.localdate():
            raise forms.ValidationError(_("The month cannot be in the future."))
        return month

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("af_programme") == AfProgramme.NONE and data.get("af_programme_since"):
            self.add_error("af_programme_since", _("Leave empty when there is no programme."))
        since = data.get("af_programme_since")
        if since and since > timezone.localdate():
            self.add_error("af_programme_since", _("The date cannot be in the future."))
        return data


class WeeklyHoursForm(LimitedForm):
    individual_weekly_hours = forms.DecimalField(
        label=_("Individual weekly hours"),
        min_value=Decimal(0),
        max_value=Decimal(40),
        decimal_places=1,
        required=False,
        help_text=_("Leave empty to use the standard rule."),
    )
    individual_hours_reason = forms.CharField(
        label=_("Written reason"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("individual_weekly_hours") is not None
            and not data.get("individual_hours_reason", "").strip()
        ):
            self.add_error("individual_hours_reason", _("A lower figure needs a written reason."))
        return data


class ExemptionForm(LimitedForm):
    group = forms.ChoiceField(label=_("Exemption group"), choices=EXEMPTION_CHOICES)
    decided_on = forms.DateField(label=_("Decided on"))
    review_on = forms.DateField(label=_("Review by"))
    note = forms.CharField(
        label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        decided, review = data.get("decided_on"), data.get("review_on")
        if decided and decided > timezone.localdate():
            self.add_error("decided_on", _("The date cannot be in the future."))
        if decided and review and review < decided:
            self.add_error("review_on", _("The review date must be on or after the decision."))
        return data


class ImportForm(LimitedForm):
    file = forms.FileField(label=_("File (.csv or .xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check the file, import nothing"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise forms.ValidationError(_("The file must be a .csv or .xlsx file."))
        if len(upload.name) > MAX_UPLOAD_NAME:
            raise forms.ValidationError(_("The file name is too long."))
        return upload


def _fact_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    requirement = activity_requirement(timezone.localdate())
    benefits = {**requirement.benefits.value, **requirement.benefits_by_reading.value}
    return [
        (
            str(_("Social-insurance benefit")),
            [(f"benefit:{code}", label) for code, label in benefits.items()],
        ),
        (
            str(_("School")),
            [
                (f"schooling:{code}", label)
                for code, label in requirement.school_forms.value.items()
            ],
        ),
        (
            str(_("Occupation (hours per week)")),
            [
                (f"occupation:{code}", label)
                for code, label in requirement.occupations.value.items()
            ],
        ),
        (
            str(_("Arbetsförmedlingen")),
            [("af_assessment:insufficient", str(_("Activity in the programme not enough")))],
        ),
    ]


class FactForm(LimitedForm):
    """A dated fact recorded by hand (the import records the same in bulk)."""

    fact = forms.ChoiceField(label=_("Fact"), choices=_fact_choices)
    hours = forms.DecimalField(
        label=_("Hours per week"),
        required=False,
        min_value=Decimal("0.5"),
        max_value=Decimal(80),
        decimal_places=1,
        help_text=_("Only for an occupation."),
    )
    starts_on = forms.DateField(label=_("From"))
    ends_on = forms.DateField(label=_("To (last day)"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = str(data.get("fact", "")).split(":", 1)[0]
        hours = data.get("hours")
        if kind == "occupation" and hours is None and "hours" not in self.errors:
            self.add_error("hours", _("Give the hours per week of the occupation."))
        if kind and kind != "occupation" and hours is not None:
            self.add_error("hours", _("Hours are given only for an occupation."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The last day cannot be before the first."))
        return data


class FactEndForm(LimitedForm):
    ends_on = forms.DateField(label=_("Last day"))
