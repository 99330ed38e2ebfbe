"""Writes to the caseload: who is a person's responsible case manager."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from heltid.accounts.models import Role, User
from heltid.accounts.permissions import may_assign_in_unit
from heltid.audit.models import Action
from heltid.audit.services import Entry, log_entries
from heltid.casework.models import CaseAssignment
from heltid.registry.models import Person

REASON_MAX = 300


def case_manager_assign(
    *,
    persons: Iterable[Person],
    case_manager: User,
    reason: str,
    acting_user: Any,
    page: str = "",
) -> int:
    """Make ``case_manager`` the responsible case manager of ``persons``, with a reason.

    Writes ``Person.case_manager``, one :class:`CaseAssignment` and one access-log CHANGE entry
    per person whose case manager changes, in one transaction; returns how many changed.

    Refused with ValidationError, changing nothing, when the reason is empty, a person is outside
    the acting user's unit (or the user may not assign there), or the case manager is not an
    active case manager of that unit."""
    text = " ".join(reason.split())
    if not text:
        raise ValidationError({"reason": _("Write why the case manager changes.")})
    if len(text) > REASON_MAX:
        raise ValidationError(
            {"reason": _("Write at most %(max)d characters.") % {"max": REASON_MAX}}
        )
    unit_id = getattr(acting_user, "unit_id", None)
    if unit_id is None or not may_assign_in_unit(acting_user, unit_id):
        raise ValidationError(_("You may not assign case managers."))
    if (
        case_manager.role != Role.CASE_MANAGER
        or not case_manager.is_active
        or case_manager.unit_id != unit_id
    ):
        raise ValidationError({"case_manager": _("Choose a case manager of your own unit.")})
    ids = sorted({p.pk for p in persons})
    if not ids:
        raise ValidationError({"persons": _("Choose at least one person.")})
    with transaction.atomic():
        locked = list(Person.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if len(locked) != len(ids) or any(p.unit_id != unit_id for p in locked):
            raise ValidationError({"persons": _("Only persons of your own unit can be assigned.")})
        changing = [p for p in locked if p.case_manager_id != case_manager.pk]
        previous = {p.pk: p.case_manager_id for p in changing}
        assigned_by = acting_user if getattr(acting_user, "pk", None) else None
        for person in changing:
            person.case_manager = case_manager
            person.save(update_fields=["case_manager", "updated_at"])
        CaseAssignment.objects.bulk_create(
            [
                CaseAssignment(
                    person=person, case_manager=case_manager, assigned_by=assigned_by, reason=text
                )
                for person in changing
            ]
        )
        log_entries(
            user=acting_user,
            entries=[
                Entry(
                    Action.CHANGE,
                    person.pk,
                    {
                        "fields": ["case_manager"],
                        "from": previous[person.pk],
                        "to": case_manager.pk,
                        "reason": text,
                    },
                )
                for person in changing
            ],
            page=page,
        )
    return len(changing)
