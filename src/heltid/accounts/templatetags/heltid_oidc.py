"""The login page's sign-in through the municipality's identity provider (decision 0018)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

register = template.Library()


@register.inclusion_tag("accounts/oidc_sign_in.html", takes_context=True)
def oidc_sign_in(context: template.Context) -> dict[str, Any]:
    """The "Logga in med kommunens konto" link, when OIDC is configured; keeps ``next``."""
    return {"enabled": settings.HELTID_OIDC_ENABLED, "next": context.get("next", "")}
