"""Plan snapshots and what changed between two of them. One definition of a plan's content."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

# The plan fields and activity fields a snapshot holds, in the order a change list shows them.
PLAN_FIELDS = ("goal", "exit_target", "signed_on")
ACTIVITY_FIELDS = (
    "kind",
    "title",
    "intervention",
    "hours_per_week",
    "status",
    "agreed",
    "start_on",
    "end_on",
    "note",
)


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value.normalize()) if value == value.to_integral() else str(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def snapshot(plan: Any, activities: list[Any]) -> dict[str, Any]:
    """The plan's content as plain JSON: its fields and its activities keyed by id."""
    return {
        "plan": {field: _value(getattr(plan, field)) for field in PLAN_FIELDS},
        "activities": {
            str(a.pk): {
                **{
                    field: _value(getattr(a, field))
                    for field in ACTIVITY_FIELDS
                    if field != "intervention"
                },
                "intervention": a.intervention_id,
            }
            for a in activities
        },
    }


@dataclass(frozen=True)
class Change:
    """One difference: ``activity`` is the activity's id (None for the plan's own fields);
    ``field`` is None when the whole activity was added or removed."""

    activity: str | None
    field: str | None
    old: Any
    new: Any

    @property
    def kind(self) -> str:
        if self.field is not None:
            return "changed"
        return "added" if self.old is None else "removed"


def diff(old: dict[str, Any] | None, new: dict[str, Any]) -> list[Change]:
    """Every difference from ``old`` to ``new`` (``old`` None: the first version, all added)."""
    before = old or {"plan": {}, "activities": {}}
    changes = [
        Change(None, field, before["plan"].get(field), new["plan"].get(field))
        for field in PLAN_FIELDS
        if before["plan"].get(field) != new["plan"].get(field)
    ]
    old_acts, new_acts = before["activities"], new["activities"]
    for key in sorted(set(old_acts) | set(new_acts), key=int):
        if key not in old_acts:
            changes.append(Change(key, None, None, new_acts[key]))
        elif key not in new_acts:
            changes.append(Change(key, None, old_acts[key], None))
        else:
            changes.extend(
                Change(key, field, old_acts[key].get(field), new_acts[key].get(field))
                for field in ACTIVITY_FIELDS
                if old_acts[key].get(field) != new_acts[key].get(field)
            )
    return changes
