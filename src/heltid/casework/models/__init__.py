"""Casework models, one module per entity."""

from heltid.casework.models.assessment import (
    Assessment,
    Childcare,
    Education,
    Health,
    Housing,
    SwedishLevel,
)
from heltid.casework.models.follow_up import (
    CaseAssignment,
    FollowUp,
    FollowUpMode,
    FollowUpParty,
)
from heltid.casework.models.plan import (
    ALLOWED_TRANSITIONS,
    COUNTING_STATUSES,
    NOT_ASSIGNED_KINDS,
    ActivityKind,
    ActivityStatus,
    ExitTarget,
    Plan,
    PlanActivity,
    PlanStatus,
    PlanVersion,
)
from heltid.casework.models.progression import (
    EXIT_FOLLOW_UP_MONTHS,
    WORK_OR_STUDIES,
    Exit,
    ExitFollowUp,
    ExitOutcome,
    ExitReason,
    StepChange,
)
from heltid.casework.models.worklist import (
    STALE,
    Worklist,
    WorklistItem,
    WorklistItemQuerySet,
    WorklistQuerySet,
)

__all__ = [
    "ALLOWED_TRANSITIONS",
    "COUNTING_STATUSES",
    "EXIT_FOLLOW_UP_MONTHS",
    "NOT_ASSIGNED_KINDS",
    "STALE",
    "WORK_OR_STUDIES",
    "ActivityKind",
    "ActivityStatus",
    "Assessment",
    "CaseAssignment",
    "Childcare",
    "Education",
    "Exit",
    "ExitFollowUp",
    "ExitOutcome",
    "ExitReason",
    "ExitTarget",
    "FollowUp",
    "FollowUpMode",
    "FollowUpParty",
    "Health",
    "Housing",
    "Plan",
    "PlanActivity",
    "PlanStatus",
    "PlanVersion",
    "StepChange",
    "SwedishLevel",
    "Worklist",
    "WorklistItem",
    "WorklistItemQuerySet",
    "WorklistQuerySet",
]
