from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from heltid.accounts.permissions import Perm, has_perm


def heltid(request: HttpRequest) -> dict[str, Any]:
    """The municipality's name and what the user may do (``can.person_view`` …): computed
    once a request, however many templates the page renders with it (the person page's
    panels render their own)."""
    user = getattr(request, "user", None)
    cached: tuple[Any, dict[str, Any]] | None = getattr(request, "_heltid_context", None)
    if cached is not None and cached[0] is user:
        return cached[1]
    values = {
        "municipality": settings.HELTID_MUNICIPALITY,
        "can": {perm.name.lower(): has_perm(user, perm) for perm in Perm},
    }
    request._heltid_context = (user, values)  # type: ignore[attr-defined]
    return values
