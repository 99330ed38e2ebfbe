"""Lockout after repeated failed sign-ins (django-axes, decision 0017).

Failures count per account and per client address separately; a wrong one-time code counts
like a wrong password. The locked-out answer is one Swedish page, the same whether the
password given was right or not. Failures and lockouts are written to the access log.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_credentials
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from heltid.accounts.second_factor import client_address
from heltid.audit.models import Action
from heltid.audit.services import log_access

log = logging.getLogger(__name__)


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: the same page for everyone locked out (no username, no hint)."""
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": settings.HELTID_LOCKOUT_MINUTES},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def is_locked_out(request: HttpRequest, username: str) -> bool:
    return bool(AxesProxyHandler.is_locked(request, get_credentials(username)))


def record_failure(request: HttpRequest, username: str) -> bool:
    """Count a failed second step (a wrong one-time code) like a failed password; returns
    whether the account or address is now locked out."""
    user_login_failed.send(sender=__name__, credentials=get_credentials(username), request=request)
    return bool(getattr(request, "axes_locked_out", False))


def _known_user(username: str | None) -> Any:
    if not username:
        return None
    return get_user_model().objects.filter(username=username).first()


def _log(request: HttpRequest | None, username: str | None, event: str) -> None:
    """Denied sign-ins in the access log: the account only when it exists (a mistyped
    password in the username field is never written down)."""
    user = _known_user(username)
    detail: dict[str, Any] = {"event": event}
    if user is not None:
        detail["account"] = user.get_username()
    if request is not None:
        detail["address"] = client_address(request) or ""
    try:
        log_access(
            user=None,
            action=Action.DENIED,
            page=request.path if request is not None else "",
            detail=detail,
            actor="sign-in",
        )
    except Exception:  # the sign-in answer must not fail because the log could not be written
        log.exception("could not write a sign-in failure to the access log")


@receiver(user_login_failed, dispatch_uid="heltid_sign_in_failed")
def _sign_in_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    _log(request, credentials.get("username"), "sign_in_failed")


@receiver(user_locked_out, dispatch_uid="heltid_locked_out")
def _locked_out(
    sender: Any, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
) -> None:
    _log(request, username, "locked_out")


def unlock(username: str) -> int:
    """Forget the account's failed sign-ins (its lockout); addresses stay as they are."""
    return int(AxesProxyHandler.reset_attempts(username=username))
