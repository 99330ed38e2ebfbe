"""Every write to the catalogue: keyword-only, one transaction. Model changes are recorded by
django-auditlog (who changed what); catalogue rows hold no personal data, so they do not go
to the access log."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from heltid.catalog.models import CapacityChange, Intervention

# The fields of an intervention a form or an import may set (the capacity goes separately).
INTERVENTION_FIELDS = (
    "name",
    "description",
    "provider",
    "agreement",
    "step",
    "activity_type",
    "track",
    "target_groups",
    "min_activity_hours",
    "swedish_requirement",
    "age_min",
    "age_max",
    "criteria_text",
    "hours_per_week",
    "cost_per_place_month",
    "language_support",
    "language_support_note",
    "location",
    "start_date",
    "end_date",
    "status",
)


@transaction.atomic
def capacity_set(
    *,
    intervention: Intervention,
    places: int,
    valid_from: date,
    reason: str = "",
    acting_user: Any = None,
) -> CapacityChange | None:
    """From ``valid_from`` on the intervention has ``places`` places. Nothing is written when
    that is already so; a second change on the same date replaces the first."""
    in_force = (
        intervention.capacity_changes.filter(valid_from__lte=valid_from)
        .order_by("-valid_from", "-pk")
        .first()
    )
    later = intervention.capacity_changes.filter(valid_from__gt=valid_from).exists()
    if in_force is not None and in_force.places == places and not later:
        return None
    change, _ = CapacityChange.objects.update_or_create(
        intervention=intervention,
        valid_from=valid_from,
        defaults={
            "places": places,
            "reason": reason[:200],
            "changed_by": acting_user if getattr(acting_user, "pk", None) else None,
        },
    )
    return change


@transaction.atomic
def intervention_save(
    *,
    intervention: Intervention | None,
    code: str,
    data: dict[str, Any],
    places: int,
    today: date,
    acting_user: Any = None,
    reason: str = "",
) -> Intervention:
    """Create (``intervention`` None) or update an intervention, and its capacity from today.

    ``data`` holds :data:`INTERVENTION_FIELDS`; unknown keys are refused."""
    unknown = set(data) - set(INTERVENTION_FIELDS)
    if unknown:
        raise ValueError(f"unknown intervention fields: {sorted(unknown)}")
    if intervention is None:
        intervention = Intervention(code=code)
    for field, value in data.items():
        setattr(intervention, field, value)
    intervention.full_clean()
    intervention.save()
    capacity_set(
        intervention=intervention,
        places=places,
        valid_from=today,
        reason=reason,
        acting_user=acting_user,
    )
    return intervention
