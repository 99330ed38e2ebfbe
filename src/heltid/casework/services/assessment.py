"""Writes of assessments (kartläggning). Versioned: every call adds a new row, none is edited."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import Assessment
from heltid.clock import moment_of
from heltid.registry.models import Person

# Every field of an assessment that the case manager fills in, in the order the form and the
# version list show them. ``person``, ``assessed_by`` and ``created_at`` are set here.
ASSESSMENT_FIELDS = (
    "assessed_on",
    "swedish_level",
    "health",
    "work_experience_years",
    "work_experience",
    "education",
    "activity_capacity_hours",
    "housing",
    "family_situation",
    "childcare",
    "labour_market_distance",
    "requested_step",
    "cv_experience",
    "cv_skills",
    "cv_languages",
    "driving_licence",
    "note",
)


@transaction.atomic
def assessment_record(
    *, person: Person, data: dict[str, Any], acting_user: Any, page: str = "", today: date
) -> Assessment:
    """Record a new version of the person's assessment (the earlier ones stay as they were).

    ``data`` holds values for :data:`ASSESSMENT_FIELDS` (missing ones take the model's
    defaults; ``assessed_on`` defaults to ``today``). Raises ValidationError, saving nothing,
    on an unknown field, an invalid value or an assessment date in the future."""
    unknown = sorted(set(data) - set(ASSESSMENT_FIELDS))
    if unknown:
        raise ValidationError(
            _("Unknown assessment fields: %(fields)s") % {"fields": ", ".join(unknown)}
        )
    values = dict(data)
    assessed_on = values.get("assessed_on") or today
    values["assessed_on"] = assessed_on
    if assessed_on > today:
        raise ValidationError({"assessed_on": _("The date cannot be in the future.")})
    if assessed_on < person.birth_date:
        raise ValidationError({"assessed_on": _("The date is before the person was born.")})
    for text_field in (
        "work_experience",
        "family_situation",
        "cv_experience",
        "cv_skills",
        "cv_languages",
        "note",
    ):
        if text_field in values and values[text_field] is not None:
            values[text_field] = str(values[text_field]).strip()
    assessment = Assessment(
        person=person,
        assessed_by=acting_user if getattr(acting_user, "pk", None) else None,
        created_at=moment_of(today),
        **values,
    )
    assessment.full_clean()
    assessment.save()
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=person.pk,
        page=page,
        detail={"assessment": assessment.pk, "assessed_on": assessed_on.isoformat()},
    )
    return assessment
