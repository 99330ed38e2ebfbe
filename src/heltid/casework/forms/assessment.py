"""The assessment (kartläggning) form: every field of an assessment, plain labels and help."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from heltid.casework.models import Assessment, Childcare, Housing
from heltid.casework.services.assessment import ASSESSMENT_FIELDS
from heltid.catalog.models import Step
from heltid.web.forms import LimitedModelForm


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


DISTANCE_CHOICES = [
    ("", _("Not stated")),
    (1, _("1 – ready for work now")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5 – very far from work")),
]


class AssessmentForm(LimitedModelForm):
    """A new version of the assessment. Saved through ``assessment_record``, never
    ``form.save()``; ``assessment_data()`` gives its values."""

    labour_market_distance = forms.TypedChoiceField(
        label=_("The person's own view of the distance to the labour market"),
        choices=DISTANCE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Ask the person: how far from a job do you feel you are?"),
    )

    class Meta:
        model = Assessment
        fields = ASSESSMENT_FIELDS
        widgets = {
            "assessed_on": DateInput(),
            "work_experience": forms.Textarea(attrs={"rows": 3}),
            "family_situation": forms.Textarea(attrs={"rows": 3}),
            "cv_experience": forms.Textarea(attrs={"rows": 3}),
            "cv_skills": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "assessed_on": _("Date of the assessment"),
            "swedish_level": _("Knowledge of Swedish"),
            "health": _("Health"),
            "work_experience_years": _("Years of work experience"),
            "work_experience": _("Work experience"),
            "education": _("Education"),
            "activity_capacity_hours": _("Activity capacity, hours per week"),
            "housing": _("Housing"),
            "family_situation": _("Family situation"),
            "childcare": _("Childcare"),
            "requested_step": _("Requested next step on the staircase"),
            "cv_experience": _("CV: experience"),
            "cv_skills": _("CV: skills"),
            "cv_languages": _("CV: languages"),
            "driving_licence": _("Has a driving licence"),
            "note": _("Other notes"),
        }
        help_texts = {
            "assessed_on": _("The day you talked with the person. Not later than today."),
            "swedish_level": _("How much the person's Swedish limits work or studies."),
            "health": _("Ill-health that limits what the person can do now."),
            "work_experience_years": _("In Sweden and abroad, in whole years. 0 if none."),
            "work_experience": _("Jobs and trades, and for how long."),
            "education": _("The highest level the person has completed."),
            "activity_capacity_hours": _(
                "How many hours a week the person can take part in activities now, 0–40. "
                "Leave empty if it is not known yet."
            ),
            "housing": _("The person's housing now."),
            "family_situation": _("Who lives in the household; care of children or relatives."),
            "childcare": _("Is there childcare for the children who need it?"),
            "requested_step": _("The step on the staircase the person wants to take next."),
            "cv_experience": _("Jobs, practice and voluntary work, as on a CV."),
            "cv_skills": _("What the person is good at, e.g. forklift licence, cooking."),
            "cv_languages": _("Languages and how well, e.g. Arabic (mother tongue), English."),
            "note": _("Anything else that matters for the plan."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["swedish_level"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose")),
            *self.fields["swedish_level"].choices[1:],  # type: ignore[attr-defined]
        ]
        self.fields["health"].choices = [  # type: ignore[attr-defined]
            ("", _("Choose")),
            *self.fields["health"].choices[1:],  # type: ignore[attr-defined]
        ]
        self.fields["housing"].choices = [("", _("Not stated")), *Housing.choices]  # type: ignore[attr-defined]
        self.fields["childcare"].choices = [("", _("Not stated")), *Childcare.choices]  # type: ignore[attr-defined]
        step = self.fields["requested_step"]
        step.queryset = Step.objects.filter(active=True).order_by("position", "pk")  # type: ignore[attr-defined]
        step.empty_label = _("Not stated")  # type: ignore[attr-defined]
        self.fields["work_experience_years"].widget.attrs.update({"min": 0, "max": 60})
        self.fields["activity_capacity_hours"].widget.attrs.update({"min": 0, "max": 40})

    def clean_work_experience_years(self) -> int:
        years: int = self.cleaned_data["work_experience_years"]
        if years > 60:
            raise forms.ValidationError(_("Write at most 60 years."))
        return years

    def assessment_data(self) -> dict[str, Any]:
        """The cleaned values of every assessment field, for ``assessment_record``."""
        return {name: self.cleaned_data.get(name) for name in ASSESSMENT_FIELDS}


def initial_from(latest: Assessment | None, *, today: date) -> dict[str, Any]:
    """A new version starts from the latest one's values, dated today."""
    initial: dict[str, Any] = (
        model_to_dict(latest, fields=ASSESSMENT_FIELDS) if latest is not None else {}
    )
    initial["assessed_on"] = today
    return initial
