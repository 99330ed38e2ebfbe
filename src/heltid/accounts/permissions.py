"""The one place that answers "may this user do or see this?".

Every view declares the permission it needs with :func:`requires` (or :func:`public`);
a test walks every URL pattern and fails on a view without a declaration, and
:class:`heltid.accounts.middleware.PermissionDeclaredMiddleware` refuses to run one.
Object scoping (which persons a user may see) is defined here too, as a ``Q``,
so that selectors cannot forget it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest, HttpResponse

from heltid.accounts.models import Role

if TYPE_CHECKING:
    from heltid.accounts.models import User
    from heltid.catalog.models import Intervention
    from heltid.registry.models import Person


class Perm(StrEnum):
    HOME = "home"
    PERSON_SEARCH = "person.search"
    PERSON_VIEW = "person.view"
    PERSON_EDIT = "person.edit"
    EXEMPTION_DECIDE = "exemption.decide"
    RECIPIENT_IMPORT = "recipient.import"
    STATISTICS_VIEW = "statistics.view"
    AUDIT_VIEW = "audit.view"
    CATALOGUE_VIEW = "catalogue.view"
    CATALOGUE_EDIT = "catalogue.edit"
    CATALOGUE_IMPORT = "catalogue.import"
    CASEWORK_VIEW = "casework.view"
    CASEWORK_EDIT = "casework.edit"
    CASELOAD_VIEW = "caseload.view"
    CASELOAD_ASSIGN = "caseload.assign"
    REFERRAL_VIEW = "referral.view"
    REFERRAL_MAKE = "referral.make"
    ALLOCATE = "referral.allocate"
    PROVIDER_WORK = "provider.work"
    SIGNAL_HANDLE = "signal.handle"
    AF_NOTIFY = "af.notify"
    PLANNING = "planning.use"  # scenarios and support versus wages


PUBLIC = "public"

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.BENEFIT_OFFICER: frozenset(
        {
            Perm.HOME,
            Perm.PERSON_SEARCH,
            Perm.PERSON_VIEW,
            Perm.PERSON_EDIT,
            Perm.EXEMPTION_DECIDE,
            Perm.RECIPIENT_IMPORT,
            Perm.CATALOGUE_VIEW,
            Perm.CASEWORK_VIEW,
            Perm.CASELOAD_ASSIGN,
            Perm.REFERRAL_VIEW,
            Perm.SIGNAL_HANDLE,
            Perm.AF_NOTIFY,
        }
    ),
    Role.CASE_MANAGER: frozenset(
        {
            Perm.HOME,
            Perm.PERSON_SEARCH,
            Perm.PERSON_VIEW,
            Perm.CATALOGUE_VIEW,
            Perm.CASEWORK_VIEW,
            Perm.CASEWORK_EDIT,
            Perm.CASELOAD_VIEW,
            Perm.CASELOAD_ASSIGN,
            Perm.REFERRAL_VIEW,
            Perm.REFERRAL_MAKE,
            Perm.ALLOCATE,
        }
    ),
    Role.PROVIDER: frozenset(
        {Perm.HOME, Perm.CATALOGUE_VIEW, Perm.CATALOGUE_EDIT, Perm.PROVIDER_WORK}
    ),
    Role.ANALYST: frozenset({Perm.HOME, Perm.STATISTICS_VIEW, Perm.CATALOGUE_VIEW, Perm.PLANNING}),
    Role.ADMIN: frozenset(
        {
            Perm.HOME,
            Perm.STATISTICS_VIEW,
            Perm.PLANNING,
            Perm.AUDIT_VIEW,
            Perm.RECIPIENT_IMPORT,
            Perm.CATALOGUE_VIEW,
            Perm.CATALOGUE_EDIT,
            Perm.CATALOGUE_IMPORT,
        }
    ),
}


def has_perm(user: Any, perm: Perm) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(user.role, frozenset())


def persons_visible_q(user: User) -> Q:
    """Which persons this user may see, as a filter on ``Person``."""
    if not has_perm(user, Perm.PERSON_VIEW) or user.unit_id is None:
        return Q(pk__in=[])
    if user.role == Role.BENEFIT_OFFICER:
        return Q(unit_id=user.unit_id)
    if user.role == Role.CASE_MANAGER:
        own = Q(case_manager_id=user.pk)
        return own | Q(unit_id=user.unit_id) if user.unit_read_access else own
    return Q(pk__in=[])


def may_view_person(user: User, person: Person) -> bool:
    if not has_perm(user, Perm.PERSON_VIEW) or user.unit_id is None:
        return False
    if user.role == Role.BENEFIT_OFFICER:
        return person.unit_id == user.unit_id
    if user.role == Role.CASE_MANAGER:
        return person.case_manager_id == user.pk or (
            user.unit_read_access and person.unit_id == user.unit_id
        )
    return False


def may_edit_person(user: User, person: Person) -> bool:
    return has_perm(user, Perm.PERSON_EDIT) and may_view_person(user, person)


def may_import_into_unit(user: User, unit_id: int) -> bool:
    """Administrators import for the whole municipality, benefit officers for their unit."""
    if not has_perm(user, Perm.RECIPIENT_IMPORT):
        return False
    return user.role == Role.ADMIN or user.unit_id == unit_id


def may_edit_casework(user: User, person: Person) -> bool:
    """Assessment, plan, follow-ups, steps and exits: case managers who may see the person
    (their caseload, or the unit when granted — team leads and stand-ins)."""
    return has_perm(user, Perm.CASEWORK_EDIT) and may_view_person(user, person)


def is_team_lead(user: User) -> bool:
    """A case manager who may read the whole unit leads its team: the unit view, reassignment."""
    return user.role == Role.CASE_MANAGER and bool(user.unit_read_access)


def may_assign_in_unit(user: User, unit_id: int) -> bool:
    """Who assigns case managers to a unit's persons: its benefit officers and team leads."""
    if not has_perm(user, Perm.CASELOAD_ASSIGN) or user.unit_id != unit_id:
        return False
    return user.role == Role.BENEFIT_OFFICER or is_team_lead(user)


def provider_referrals_q(user: User) -> Q:
    """The referrals provider staff work with, as a filter on ``Referral``: those sent to the
    interventions of the actor linked to their unit (never one only proposed)."""
    if not has_perm(user, Perm.PROVIDER_WORK) or user.unit_id is None:
        return Q(pk__in=[])
    return Q(intervention__provider__unit_id=user.unit_id) & ~Q(status="proposed")


def may_work_intervention(user: User, intervention: Intervention) -> bool:
    """Provider staff work with their own organisation's interventions only."""
    return (
        has_perm(user, Perm.PROVIDER_WORK)
        and user.unit_id is not None
        and intervention.provider.unit_id == user.unit_id
    )


def may_make_referral(user: User, person: Person) -> bool:
    return has_perm(user, Perm.REFERRAL_MAKE) and may_view_person(user, person)


def may_edit_intervention(user: User, intervention: Intervention) -> bool:
    """Administrators edit the whole catalogue; provider staff only their own organisation's
    interventions (the actor linked to their unit)."""
    if not has_perm(user, Perm.CATALOGUE_EDIT):
        return False
    if user.role == Role.ADMIN:
        return True
    return user.unit_id is not None and intervention.provider.unit_id == user.unit_id


def interventions_editable_q(user: User) -> Q:
    """Which interventions this user may edit, as a filter on ``Intervention``."""
    if not has_perm(user, Perm.CATALOGUE_EDIT):
        return Q(pk__in=[])
    if user.role == Role.ADMIN:
        return Q()
    if user.unit_id is None:
        return Q(pk__in=[])
    return Q(provider__unit_id=user.unit_id)


def may_see_protected_identity(user: User | None, person: Person) -> bool:
    """A protected person's name and address: only to users granted it who may see the person."""
    if not person.protected_identity:
        return True
    if user is None:
        return False
    return bool(user.protected_identity_access) and may_view_person(user, person)


ViewFunc = TypeVar("ViewFunc", bound=Callable[..., HttpResponse])


def requires(perm: Perm) -> Callable[[ViewFunc], ViewFunc]:
    """Declare and enforce the permission a view needs (login first, then the role)."""

    def decorator(view: ViewFunc) -> ViewFunc:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_perm(request.user, perm):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.heltid_permission = perm  # type: ignore[attr-defined]
        return wrapped  # type: ignore[return-value]

    return decorator


def public(view: ViewFunc) -> ViewFunc:
    """Declare that a view needs no login (login page, public catalogue, health check)."""
    view.heltid_permission = PUBLIC  # type: ignore[attr-defined]
    return view


def declared_permission(view: Callable[..., Any]) -> str | None:
    """The permission a view declared, looking through class-based view wrappers."""
    found = getattr(view, "heltid_permission", None)
    if found is None and hasattr(view, "view_class"):
        found = getattr(view.view_class, "heltid_permission", None)
    return str(found) if found is not None else None
