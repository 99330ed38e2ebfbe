"""Reasons grouped by what they rest on (law, our reading, the municipality's policy, facts),
and the Swedish label of a dated fact."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import gettext as _

from heltid.registry.models import AfProgramme, FactKind, PersonFact
from heltid.rules.requirement import activity_requirement
from heltid.rules.types import Basis, Reason

register = template.Library()


def basis_heading(basis: Basis) -> str:
    return {
        Basis.LAW: _("The law: the activity requirement"),
        Basis.READING: _("Heltid's reading of the law"),
        Basis.POLICY: _("The municipality's policy (not law)"),
        Basis.FACT: _("Facts in the registry"),
    }[basis]


@register.filter
def by_basis(reasons: Iterable[Reason]) -> list[tuple[str, str, list[Reason]]]:
    """(basis code, heading, reasons) in the order law, reading, policy, facts; empty groups
    left out."""
    groups: dict[Basis, list[Reason]] = {basis: [] for basis in Basis}
    for reason in reasons:
        groups[reason.basis].append(reason)
    order = (Basis.LAW, Basis.READING, Basis.POLICY, Basis.FACT)
    return [(b.value, basis_heading(b), groups[b]) for b in order if groups[b]]


@register.filter
def fact_value(fact: PersonFact) -> str:
    """The Swedish label of what a fact says."""
    if fact.kind == FactKind.PROGRAMME:
        return (
            str(AfProgramme(fact.value).label) if fact.value in AfProgramme.values else fact.value
        )
    if fact.kind == FactKind.AF_ASSESSMENT:
        return _("Activity in the programme not enough")
    if fact.kind == FactKind.CHILD:
        return _("Born %(date)s") % {"date": fact.value}
    requirement = activity_requirement(fact.recorded_on)
    by_kind: dict[str, dict[str, str]] = {
        FactKind.OCCUPATION: requirement.occupations.value,
        FactKind.BENEFIT: {**requirement.benefits.value, **requirement.benefits_by_reading.value},
        FactKind.SCHOOLING: requirement.school_forms.value,
    }
    labels: dict[str, Any] = by_kind.get(fact.kind, {})
    return str(labels.get(fact.value, fact.value))
