"""Refuse to run any view that has not declared the permission it needs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from heltid.accounts.permissions import declared_permission


class PermissionDeclaredMiddleware:
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
    ) -> None:
        match = request.resolver_match
        if match is not None and match.namespace == "admin":
            return None  # the admin site checks the administrator role itself
        if declared_permission(view_func) is None:
            raise PermissionDenied("view declares no permission")
        return None
