from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from heltid.accounts.permissions import Perm, has_perm


def heltid(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "municipality": settings.HELTID_MUNICIPALITY,
        "can": {perm.name.lower(): has_perm(user, perm) for perm in Perm},
    }
