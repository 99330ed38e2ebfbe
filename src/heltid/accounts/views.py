"""Login (password, then the one-time code), logout and language choice."""

from __future__ import annotations

from base64 import b32encode
from typing import Any
from urllib.parse import urlencode

import django_otp
from django.conf import settings
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.i18n import set_language as django_set_language
from django_otp.plugins.otp_totp.models import TOTPDevice

from heltid.accounts.forms import OneTimeCodeForm
from heltid.accounts.lockout import is_locked_out, lockout_response, record_failure
from heltid.accounts.permissions import PUBLIC, public
from heltid.accounts.second_factor import (
    confirmed_device,
    enrolment_device,
    qr_code_svg,
    second_factor_pending,
)
from heltid.audit.models import Action
from heltid.audit.services import log_access


def second_factor_url(next_url: str = "") -> str:
    url = reverse("second_factor")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


class LoginView(auth_views.LoginView):
    heltid_permission = PUBLIC
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        if second_factor_pending(self.request):
            return HttpResponseRedirect(second_factor_url(self.get_success_url()))
        return response


class LogoutView(auth_views.LogoutView):
    heltid_permission = PUBLIC


set_language = public(django_set_language)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse(settings.LOGIN_REDIRECT_URL)


def _with_next(name: str, request: HttpRequest) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next_url(request)})}"


def _check_code(
    request: HttpRequest, device: TOTPDevice, form: OneTimeCodeForm, *, confirm: bool = False
) -> HttpResponse | None:
    """Verify the code; on success (confirming an enrolled device) sign the device into the
    session and return None. A wrong code counts toward the lockout like a wrong password;
    locked out, the session ends and the lockout page is returned."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        form.add_error("code", _("Too many tries in a row. Wait a minute and give a new code."))
        return None
    if device.verify_token(form.cleaned_data["code"]):
        if confirm:
            device.confirmed = True
            device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        return None
    username = request.user.get_username()
    if record_failure(request, username):
        auth_logout(request)
        return lockout_response(request)
    form.add_error(
        "code",
        _(
            "The code is not right. Give the code your app shows now, and check that the "
            "phone's clock is right."
        ),
    )
    return None


def _refuse_or_redirect(request: HttpRequest) -> HttpResponse | None:
    """What every second-factor page answers before its own work."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    if not second_factor_pending(request):
        return redirect(_next_url(request))
    if is_locked_out(request, request.user.get_username()):
        auth_logout(request)
        return lockout_response(request)
    return None


def _page(request: HttpRequest, template: str, form: Form, **context: Any) -> HttpResponse:
    context.update(form=form, next=_next_url(request), second_factor_pending=True)
    return render(request, template, context)


@public
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def second_factor(request: HttpRequest) -> HttpResponse:
    """The second step: the six-digit code from the user's authenticator app."""
    early = _refuse_or_redirect(request)
    if early is not None:
        return early
    device = confirmed_device(request.user)  # type: ignore[arg-type]
    if device is None:
        return redirect(_with_next("second_factor_enrol", request))
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        locked = _check_code(request, device, form)
        if locked is not None:
            return locked
        if not form.errors:
            return redirect(_next_url(request))
    return _page(request, "accounts/second_factor.html", form)


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@public
@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def second_factor_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in without a device: the secret (QR code and text), confirmed by a code."""
    early = _refuse_or_redirect(request)
    if early is not None:
        return early
    user = request.user
    if confirmed_device(user) is not None:  # type: ignore[arg-type]
        return redirect(_with_next("second_factor", request))
    device = enrolment_device(user)  # type: ignore[arg-type]
    form = OneTimeCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        locked = _check_code(request, device, form, confirm=True)
        if locked is not None:
            return locked
        if not form.errors:
            log_access(
                user=user,
                action=Action.CHANGE,
                page=request.path,
                detail={"event": "second_factor_enrolled", "account": user.get_username()},
            )
            return redirect(_next_url(request))
    secret = b32encode(device.bin_key).decode("ascii")
    return _page(
        request,
        "accounts/second_factor_enrol.html",
        form,
        qr_svg=qr_code_svg(device.config_url),
        secret=_grouped(secret),
    )
