"""Refuse to run any view that has not declared the permission it needs; and see that every
person a page shows, and every refusal, reaches the access log (:mod:`heltid.audit.context`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from heltid.accounts.permissions import PUBLIC, declared_permission
from heltid.accounts.second_factor import second_factor_pending
from heltid.audit import context as access_trace


class PermissionDeclaredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with access_trace.tracing() as trace:
            response = self.get_response(request)
            access_trace.settle(request, response, trace)
        return response

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            return None  # the admin site checks the administrator role itself
        if declared_permission(view_func) is None:
            raise PermissionDenied("view declares no permission")
        return None


class SecondFactorMiddleware:
    """Until the second factor is verified, every page but the public ones (login, logout,
    language, the second-factor pages themselves, the public catalogue) redirects to the
    second-factor page. After AuthenticationMiddleware and django-otp's OTPMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not second_factor_pending(request):
            return None
        match = request.resolver_match
        is_admin = match is not None and match.namespace == "admin"
        if not is_admin and declared_permission(view_func) == PUBLIC:
            return None  # pages without personal data, the sign-in steps among them
        url = reverse("second_factor")
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
