"""Catalogue models, one module per entity."""

from heltid.catalog.models.actor import Actor, ActorKind, Agreement, AgreementKind
from heltid.catalog.models.capacity import CapacityChange, OccupancyCount
from heltid.catalog.models.intervention import (
    ActivityType,
    Intervention,
    InterventionStatus,
    Track,
)
from heltid.catalog.models.step import Step

__all__ = [
    "ActivityType",
    "Actor",
    "ActorKind",
    "Agreement",
    "AgreementKind",
    "CapacityChange",
    "Intervention",
    "InterventionStatus",
    "OccupancyCount",
    "Step",
    "Track",
]
