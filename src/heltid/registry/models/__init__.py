"""Registry of recipients: persons, households, support periods, reason codes, exemptions."""

from heltid.registry.models.exemption import Exemption
from heltid.registry.models.fact import FactKind, FactSource, PersonFact
from heltid.registry.models.household import Child, Household
from heltid.registry.models.person import AfProgramme, IdKind, Person, Sex
from heltid.registry.models.reason_code import ReasonCode, ReasonGroup
from heltid.registry.models.support_period import SupportPeriod

__all__ = [
    "AfProgramme",
    "Child",
    "Exemption",
    "FactKind",
    "FactSource",
    "Household",
    "IdKind",
    "Person",
    "PersonFact",
    "ReasonCode",
    "ReasonGroup",
    "Sex",
    "SupportPeriod",
]
