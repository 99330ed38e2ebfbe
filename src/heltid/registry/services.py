"""Every write to the registry: keyword-only, one transaction, logged in the same transaction."""

from __future__ import annotations

import secrets
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from heltid.accounts.models import Unit
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.registry.fact_history import FactValue, fact_row, first_rows, person_snapshot
from heltid.registry.identity import Identity
from heltid.registry.models import (
    Child,
    Exemption,
    FactKind,
    FactSource,
    Household,
    IdKind,
    Person,
    PersonFact,
    ReasonCode,
    SupportPeriod,
)


def new_household_reference() -> str:
    """An opaque reference for a household registered by hand (not guessable from another)."""
    return f"H-{secrets.token_hex(6).upper()}"


@transaction.atomic
def person_register(
    *,
    identity: Identity,
    first_name: str,
    last_name: str,
    unit: Unit,
    household_reference: str,
    cohabiting: bool,
    children: list[date],
    support_since: date,
    reason_code: ReasonCode | None,
    af_programme: str,
    af_programme_since: date | None,
    part_time_hours: Decimal,
    protected_identity: bool,
    street_address: str = "",
    postal_code: str = "",
    city: str = "",
    acting_user: Any,
    page: str = "",
    today: date | None = None,
) -> Person:
    """Register a recipient by hand (the benefit system's import does the same in bulk)."""
    household, created = Household.objects.get_or_create(
        unit=unit,
        reference=household_reference or new_household_reference(),
        defaults={"cohabiting": cohabiting},
    )
    if created:
        Child.objects.bulk_create([Child(household=household, birth_date=b) for b in children])
    person = Person.objects.create(
        personnummer=identity.number,
        id_kind=IdKind.SAMORDNINGSNUMMER
        if identity.is_coordination_number
        else IdKind.PERSONNUMMER,
        birth_date=identity.birth_date,
        sex=identity.sex,
        first_name=first_name,
        last_name=last_name,
        street_address=street_address,
        postal_code=postal_code,
        city=city,
        protected_identity=protected_identity,
        household=household,
        part_time_hours=part_time_hours,
        reason_code=reason_code,
        af_programme=af_programme,
        af_programme_since=af_programme_since,
        unit=unit,
    )
    SupportPeriod.objects.create(person=person, first_month=support_since.replace(day=1))
    PersonFact.objects.bulk_create(
        first_rows(
            person.pk,
            person_snapshot(person),
            recorded_on=today or timezone.localdate(),
            source=FactSource.FORM,
            user=acting_user,
        )
    )
    log_access(user=acting_user, action=Action.CREATE, person_id=person.pk, page=page)
    return person


@transaction.atomic
def person_update(
    *, person: Person, changes: dict[str, Any], acting_user: Any, page: str = ""
) -> Person:
    """Change fields Heltid owns on a person; logs the names of the changed fields."""
    changed = [name for name, value in changes.items() if getattr(person, name) != value]
    if not changed:
        return person
    for name in changed:
        setattr(person, name, changes[name])
    person.full_clean(exclude=["household", "unit", "reason_code", "case_manager"])
    person.save(update_fields=[*changed, "updated_at"])
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=person.pk,
        page=page,
        detail={"fields": changed},
    )
    return person


@transaction.atomic
def exemption_decide(
    *,
    person: Person,
    group: str,
    decided_on: date,
    review_on: date,
    note: str,
    acting_user: Any,
    page: str = "",
) -> Exemption:
    """Decide an exemption; an earlier active one ends the same day (exemptions are reviewable)."""
    for active in Exemption.objects.select_for_update().filter(
        person=person, ended_on__isnull=True
    ):
        active.ended_on = decided_on
        active.save(update_fields=["ended_on"])
    exemption = Exemption.objects.create(
        person=person,
        group=group,
        decided_on=decided_on,
        review_on=review_on,
        note=note,
        decided_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=person.pk,
        page=page,
        detail={"exemption": group, "review_on": review_on.isoformat()},
    )
    return exemption


@transaction.atomic
def exemption_end(
    *, exemption: Exemption, ended_on: date, acting_user: Any, page: str = ""
) -> Exemption:
    exemption.ended_on = ended_on
    exemption.save(update_fields=["ended_on"])
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=exemption.person_id,
        page=page,
        detail={"exemption_ended": exemption.group},
    )
    return exemption


@transaction.atomic
def fact_record(
    *,
    person: Person,
    kind: str,
    value: str,
    hours: Decimal | None,
    starts_on: date,
    ends_on: date | None,
    acting_user: Any,
    today: date | None = None,
    page: str = "",
) -> PersonFact:
    """Record a dated fact by hand; nothing recorded earlier changes (decision record 0015)."""
    fact = fact_row(
        person.pk,
        FactValue(kind, value, hours, starts_on, ends_on),
        starts_on,
        today or timezone.localdate(),
        FactSource.FORM,
        acting_user,
    )
    fact.save()
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=person.pk,
        page=page,
        detail={"fact": kind, "value": value},
    )
    return fact


@transaction.atomic
def fact_end(
    *, fact: PersonFact, ends_on: date, acting_user: Any, today: date | None = None, page: str = ""
) -> PersonFact:
    """End an open fact on ``ends_on``: the row is superseded by a version with the end date,
    so the facts known before today stay as they were."""
    today = today or timezone.localdate()
    if fact.superseded_on is not None:
        raise ValidationError({"ends_on": _("This fact has already been replaced.")})
    if fact.kind == FactKind.HOUSEHOLD:
        raise ValidationError(
            {"ends_on": _("The household comes from the benefit system; import the change.")}
        )
    if fact.starts_on is not None and ends_on < fact.starts_on:
        raise ValidationError({"ends_on": _("The last day cannot be before the first.")})
    fact.superseded_on = today
    fact.save(update_fields=["superseded_on"])
    ended = fact_row(
        fact.person_id,
        FactValue(fact.kind, fact.value, fact.hours, fact.starts_on, ends_on),
        fact.starts_on,
        today,
        FactSource.FORM,
        acting_user,
    )
    ended.save()
    log_access(
        user=acting_user,
        action=Action.CHANGE,
        person_id=fact.person_id,
        page=page,
        detail={"fact_ended": fact.kind, "value": fact.value},
    )
    return ended
