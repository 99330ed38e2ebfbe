"""Two-factor sign-in for local accounts (decision 0017).

Who must give a second factor is defined here, once: every role that sees persons — all but
the analyst, who sees aggregates only. Sessions signed in through the municipality's single
sign-on are exempt: its identity provider does the multi-factor authentication.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest
from django_otp.plugins.otp_totp.models import TOTPDevice

from heltid.accounts.models import Role

if TYPE_CHECKING:
    from heltid.accounts.models import User

# The single sign-on backend (OpenID Connect); its sessions bring the identity provider's MFA.
OIDC_BACKEND = "heltid.accounts.oidc.HeltidOIDCBackend"

# Roles that never see a person: aggregates only.
ROLES_WITHOUT_PERSONS = frozenset({Role.ANALYST})

DEVICE_NAME = "Heltid"


def needs_second_factor(user: Any) -> bool:
    """Whether this user must give a second factor after the password: every role that sees
    persons (and any superuser, who reaches everything through the admin site)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    return user.role not in ROLES_WITHOUT_PERSONS


def signed_in_through_sso(request: HttpRequest) -> bool:
    return bool(request.session.get(BACKEND_SESSION_KEY) == OIDC_BACKEND)


def second_factor_pending(request: HttpRequest) -> bool:
    """Signed in with a password, but the second factor this user needs is not verified yet."""
    user = getattr(request, "user", None)
    if not needs_second_factor(user) or signed_in_through_sso(request):
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (callable(is_verified) and is_verified())


def confirmed_device(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user: User) -> TOTPDevice:
    """The unconfirmed device being enrolled (made on first need; its secret stays until
    confirmed, so a reload shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def reset_devices(user: User) -> int:
    """Remove every TOTP device of the user: they enrol anew at their next sign-in."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    return int(count)


def qr_code_svg(data: str) -> str:
    """The otpauth URL as an inline SVG (no script, no style attribute)."""
    import qrcode
    import qrcode.image.svg

    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathFillImage, border=2)
    svg = image.to_string(encoding="unicode")
    return str(svg).replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)


def client_address(request: HttpRequest) -> str | None:
    """The client's address for the lockout: in production behind the TLS proxy, the address
    that proxy appended to X-Forwarded-For (the right-most entry; earlier ones are whatever
    the client sent); otherwise REMOTE_ADDR — a header is never trusted without the proxy."""
    if settings.PRODUCTION:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        count = settings.HELTID_PROXY_COUNT
        if count and len(hops) >= count:
            return hops[-count]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None


def reset_second_factor(user: User, *, by: Any = None, actor: str | None = None) -> int:
    """An administrator's reset: the user's devices go, they enrol anew at the next sign-in.
    Written to the access log."""
    from heltid.audit.models import Action
    from heltid.audit.services import log_access

    count = reset_devices(user)
    log_access(
        user=by,
        action=Action.CHANGE,
        page="admin:reset_second_factor" if by is not None else "cli:reset_totp",
        detail={"event": "second_factor_reset", "account": user.get_username(), "devices": count},
        actor=actor,
    )
    return count
