"""Sign-in through the municipality's identity provider, OpenID Connect (decision 0018).

mozilla-django-oidc runs the authorisation-code flow (with PKCE and a nonce) and checks the ID
token's signature against the provider's keys. Heltid adds what a user is here: the role and the
unit, read from claims at every sign-in (the ID token's and the userinfo endpoint's) and mapped
by ``HELTID_OIDC_ROLE_MAP`` and the units' codes. A person without exactly one mapped role, or
with a unit Heltid does not know, is refused with a page saying why, and nothing is created.
Users made here have no usable password: the password form never signs them in.

Off unless ``HELTID_OIDC_CLIENT_ID`` is set: the backend answers None and the views 404.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt
import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import (
    OIDCAuthenticationCallbackView,
    OIDCAuthenticationRequestView,
)

from heltid.accounts.models import Role, Unit, User
from heltid.accounts.permissions import PUBLIC, public
from heltid.audit.models import Action
from heltid.audit.services import log_access

logger = logging.getLogger(__name__)

BACKEND_PATH = "heltid.accounts.oidc.HeltidOIDCBackend"  # what sessions record as their backend
REFUSAL_SESSION_KEY = "heltid_oidc_refusal"
USERNAME_MAX_LENGTH = 150  # AbstractUser.username
# Roles whose work is scoped to their unit: they cannot be signed in without one.
ROLES_NEEDING_A_UNIT = frozenset({Role.BENEFIT_OFFICER, Role.CASE_MANAGER, Role.PROVIDER})


class Refusal(StrEnum):
    NO_USERNAME = "no_username"
    NO_ROLE = "no_role"
    SEVERAL_ROLES = "several_roles"
    NO_UNIT = "no_unit"
    UNKNOWN_UNIT = "unknown_unit"
    LOCAL_ACCOUNT = "local_account"
    INACTIVE = "inactive"
    PROVIDER_ERROR = "provider_error"
    NOT_COMPLETED = "not_completed"


REFUSAL_TEXT = {
    Refusal.NO_USERNAME: _("The municipality's sign-in did not say who you are."),
    Refusal.NO_ROLE: _("Your account in the municipality's sign-in has no role in Heltid."),
    Refusal.SEVERAL_ROLES: _(
        "Your account in the municipality's sign-in has more than one role in Heltid; "
        "it may have only one."
    ),
    Refusal.NO_UNIT: _("Your account has no unit in Heltid, and your role needs one."),
    Refusal.UNKNOWN_UNIT: _("Your account's unit is not known to Heltid."),
    Refusal.LOCAL_ACCOUNT: _(
        "A Heltid account with a password already has your user name; it cannot be used "
        "through the municipality's sign-in."
    ),
    Refusal.INACTIVE: _("Your account in Heltid has been deactivated."),
    Refusal.PROVIDER_ERROR: _(
        "The municipality's sign-in could not be reached. Try again in a moment."
    ),
    Refusal.NOT_COMPLETED: _("The sign-in with the municipality's account was not completed."),
}
# Refusals the municipality's IdP administrator can mend by giving the account a role or unit.
ABOUT_CLAIMS = frozenset(
    {Refusal.NO_ROLE, Refusal.SEVERAL_ROLES, Refusal.NO_UNIT, Refusal.UNKNOWN_UNIT}
)


class OIDCRefused(Exception):
    """The provider vouched for the person, but Heltid does not let them in."""

    def __init__(self, reason: Refusal, username: str = "") -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.username = username


@dataclass(frozen=True)
class MappedClaims:
    username: str
    role: str
    unit: Unit | None
    first_name: str
    last_name: str
    email: str


def claim(claims: dict[str, Any], name: str) -> Any:
    """A claim by name; a dotted name looks into nested objects (Keycloak's
    ``realm_access.roles``) when no claim has the whole name."""
    if name in claims:
        return claims[name]
    value: Any = claims
    for part in name.split("."):
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return value


def _strings(value: Any) -> list[str]:
    """A claim that is a string or a list of them, as a list (empty values dropped)."""
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if isinstance(value, list | tuple):
        return [str(item).strip() for item in value if str(item).strip()]
    return []


def role_map() -> dict[str, str]:
    """The provider's role values to Heltid's role codes (default: the codes themselves)."""
    configured: dict[str, str] = settings.HELTID_OIDC_ROLE_MAP or {r.value: r.value for r in Role}
    unknown = sorted(set(configured.values()) - {r.value for r in Role})
    if unknown:
        raise ImproperlyConfigured(
            f"HELTID_OIDC_ROLE_MAP maps to unknown role codes {unknown}; "
            f"use {[r.value for r in Role]}"
        )
    return configured


def map_claims(claims: dict[str, Any]) -> MappedClaims:
    """Who the claims say the person is in Heltid, or :class:`OIDCRefused` saying why not.

    Reads the database (the units) and writes nothing."""
    usernames = _strings(claim(claims, settings.HELTID_OIDC_USERNAME_CLAIM)) or _strings(
        claims.get("sub")
    )
    username = usernames[0] if usernames else ""
    if not username or len(username) > USERNAME_MAX_LENGTH:
        raise OIDCRefused(Refusal.NO_USERNAME, username[:150])
    mapping = role_map()
    values = _strings(claim(claims, settings.HELTID_OIDC_ROLE_CLAIM))
    roles = {mapping[value] for value in values if value in mapping}
    if not roles:
        raise OIDCRefused(Refusal.NO_ROLE, username)
    if len(roles) > 1:
        raise OIDCRefused(Refusal.SEVERAL_ROLES, username)
    (role,) = roles
    unit_codes = _strings(claim(claims, settings.HELTID_OIDC_UNIT_CLAIM))
    unit: Unit | None = None
    if len(unit_codes) > 1:
        raise OIDCRefused(Refusal.UNKNOWN_UNIT, username)
    if unit_codes:
        unit = Unit.objects.filter(code=unit_codes[0]).first()
        if unit is None:
            raise OIDCRefused(Refusal.UNKNOWN_UNIT, username)
    elif role in ROLES_NEEDING_A_UNIT:
        raise OIDCRefused(Refusal.NO_UNIT, username)
    return MappedClaims(
        username=username,
        role=role,
        unit=unit,
        first_name=str(claims.get("given_name") or "")[:150],
        last_name=str(claims.get("family_name") or "")[:150],
        email=str(claims.get("email") or "")[:254],
    )


def _log_refusal(request: HttpRequest | None, refusal: OIDCRefused) -> None:
    log_access(
        user=None,
        action=Action.DENIED,
        page=request.path if request is not None else "",
        detail={"sign_in": "oidc", "reason": refusal.reason.value},
        actor=f"oidc:{refusal.username}"[:150] if refusal.username else "oidc",
    )


def sign_in_user(claims: dict[str, Any], *, page: str = "") -> User:
    """Create or update the user the claims describe (role, unit, names, e-mail), or refuse.

    A user is created, or changed, only when nothing refuses; the creation, or a change of role
    or unit, is written to the access log."""
    mapped = map_claims(claims)
    with transaction.atomic():
        user = User.objects.select_for_update().filter(username=mapped.username).first()
        if user is not None and user.has_usable_password():
            raise OIDCRefused(Refusal.LOCAL_ACCOUNT, mapped.username)
        if user is not None and not user.is_active:
            raise OIDCRefused(Refusal.INACTIVE, mapped.username)
        created = user is None
        if user is None:
            user = User(username=mapped.username)
        before = {"role": user.role, "unit": user.unit.code if user.unit else None}
        user.role = mapped.role
        user.unit = mapped.unit
        user.first_name = mapped.first_name or user.first_name
        user.last_name = mapped.last_name or user.last_name
        user.email = mapped.email or user.email
        user.set_unusable_password()
        user.save()
        after = {"role": user.role, "unit": mapped.unit.code if mapped.unit else None}
        if created or before != after:
            detail: dict[str, Any] = {"sign_in": "oidc", "user": user.username, **after}
            if not created:
                detail["before"] = before
            action = Action.CREATE if created else Action.CHANGE
            log_access(user=user, action=action, page=page, detail=detail)
    return user


class HeltidOIDCBackend(OIDCAuthenticationBackend):  # type: ignore[misc]
    """mozilla-django-oidc's backend, with users found by the username claim and made from the
    claims; answers None to everything but the OIDC callback (the password form included)."""

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> User | None:
        if not settings.HELTID_OIDC_ENABLED or request is None or "nonce" not in kwargs:
            return None
        if "username" in kwargs or "password" in kwargs:
            return None
        user: User | None = super().authenticate(request, **kwargs)
        return user

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict[str, Any]) -> User:
        userinfo = self.get_userinfo(access_token, id_token, payload)
        if userinfo.get("sub") is not None and userinfo.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("the userinfo's sub is not the ID token's")
        # Entra ID puts app roles in the ID token only; userinfo's claims are the fresher.
        claims = {**payload, **userinfo}
        page = self.request.path if getattr(self, "request", None) is not None else ""
        try:
            return sign_in_user(claims, page=page)
        except OIDCRefused as refusal:
            _log_refusal(getattr(self, "request", None), refusal)
            raise


class SignInView(OIDCAuthenticationRequestView):  # type: ignore[misc]
    """Sends the browser to the provider's sign-in page."""

    heltid_permission = PUBLIC

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.HELTID_OIDC_ENABLED:
            raise Http404
        response: HttpResponse = super().get(request)
        return response


class CallbackView(OIDCAuthenticationCallbackView):  # type: ignore[misc]
    """Where the provider sends the browser back. A refusal is not a failed login (the
    provider has authenticated the person): it shows why, and does not count towards lockout."""

    heltid_permission = PUBLIC

    @property
    def failure_url(self) -> str:
        self.request.session.setdefault(REFUSAL_SESSION_KEY, Refusal.NOT_COMPLETED.value)
        return reverse("oidc_refused")

    def get(self, request: HttpRequest) -> HttpResponse:
        if not settings.HELTID_OIDC_ENABLED:
            raise Http404
        try:
            response: HttpResponse = super().get(request)
            return response
        except OIDCRefused as refusal:
            reason = refusal.reason
        except (requests.RequestException, jwt.PyJWTError, ValueError) as error:
            logger.warning("OIDC sign-in failed at the provider: %s", error)
            reason = Refusal.PROVIDER_ERROR
        self.request.session[REFUSAL_SESSION_KEY] = reason.value
        return HttpResponseRedirect(reverse("oidc_refused"))


@public
def refused(request: HttpRequest) -> HttpResponse:
    """Why the sign-in through the municipality's account was refused (403)."""
    try:
        reason = Refusal(request.session.pop(REFUSAL_SESSION_KEY, Refusal.NOT_COMPLETED))
    except ValueError:
        reason = Refusal.NOT_COMPLETED
    context = {"message": REFUSAL_TEXT[reason], "about_claims": reason in ABOUT_CLAIMS}
    return render(request, "accounts/oidc_refused.html", context, status=403)


urlpatterns = [
    path("logga-in/", SignInView.as_view(), name="oidc_authentication_init"),
    path("callback/", CallbackView.as_view(), name="oidc_authentication_callback"),
    path("nekad/", refused, name="oidc_refused"),
]
