"""Response headers for pages with personal data, and searches kept out of the URL.

Every response but a static file gets ``Cache-Control: no-store`` (with ``Pragma: no-cache`` for
old proxies): a page is personal data for as long as anyone is logged in, and a shared computer's
browser cache or a proxy must not keep it. Every response gets a strict Content-Security-Policy
(scripts and styles from our own origin only, nothing inline) and a Permissions-Policy that turns
off the browser features Heltid never uses. See decision record 0019.

A search whose terms are personal data (a personal identity number, a name) is sent by POST and
kept in the session under a random, short-lived token; the pages of the result are addressed by
that token (``?sok=<token>&sida=2``), so the terms reach neither the address bar, the browser
history, a proxy's log nor the ``Referer`` of the next request.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    ]
)

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)

NO_STORE = "no-store"


def _is_static(path: str) -> bool:
    static_url = settings.STATIC_URL or "/static/"
    prefix = static_url if static_url.startswith("/") else "/" + static_url
    return path.startswith(prefix)


class SecurityHeadersMiddleware:
    """Cache-Control, Content-Security-Policy and Permissions-Policy on every response.

    Placed right after Django's SecurityMiddleware, so it also sees the responses of the
    middleware inside it (redirects, CSRF failures). Static files (``STATIC_URL``) keep the
    caching WhiteNoise gives them: they hold no personal data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not _is_static(request.path):
            response["Cache-Control"] = NO_STORE
            response["Pragma"] = "no-cache"
            response["Expires"] = "0"
        response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


# --- Searches by token --------------------------------------------------------------------

SEARCHES_SESSION_KEY = "heltid_searches"
SEARCH_TOKEN_PARAMETER = "sok"
SEARCH_LIFETIME_SECONDS = 30 * 60
SEARCHES_KEPT = 20


def remember_search(request: HttpRequest, terms: Mapping[str, str], *, scope: str) -> str:
    """Keep a search's terms in the session; the random token to address them by.

    ``scope`` (the page's name) keeps one page's token from being replayed on another. Only the
    newest :data:`SEARCHES_KEPT` searches are kept, each for :data:`SEARCH_LIFETIME_SECONDS`."""
    now = time.time()
    searches: dict[str, Any] = {
        token: entry
        for token, entry in request.session.get(SEARCHES_SESSION_KEY, {}).items()
        if now - float(entry.get("at", 0)) < SEARCH_LIFETIME_SECONDS
    }
    token = secrets.token_urlsafe(12)
    searches[token] = {"scope": scope, "at": now, "terms": {k: str(v) for k, v in terms.items()}}
    newest = sorted(searches.items(), key=lambda item: float(item[1]["at"]))[-SEARCHES_KEPT:]
    request.session[SEARCHES_SESSION_KEY] = dict(newest)
    return token


def recalled_search(request: HttpRequest, *, scope: str) -> dict[str, str] | None:
    """The terms behind the request's ``?sok=`` token, or None when there is none, it expired,
    or it belongs to another page or session."""
    token = request.GET.get(SEARCH_TOKEN_PARAMETER, "")
    if not token:
        return None
    entry = request.session.get(SEARCHES_SESSION_KEY, {}).get(token)
    if not isinstance(entry, dict) or entry.get("scope") != scope:
        return None
    if time.time() - float(entry.get("at", 0)) >= SEARCH_LIFETIME_SECONDS:
        return None
    terms = entry.get("terms")
    return dict(terms) if isinstance(terms, dict) else None


def search_expired(request: HttpRequest, *, scope: str) -> bool:
    """A ``?sok=`` token was given but no longer leads to a search."""
    return bool(request.GET.get(SEARCH_TOKEN_PARAMETER)) and (
        recalled_search(request, scope=scope) is None
    )


def search_redirect(request: HttpRequest, terms: Mapping[str, str], *, scope: str) -> HttpResponse:
    """After a search form's POST: to the same page with the terms behind a token (or without
    any, when every term is empty), so reloading and the back button work (POST/redirect/GET)."""
    if not any(str(value).strip() for value in terms.values()):
        return HttpResponseRedirect(request.path)
    token = remember_search(request, terms, scope=scope)
    return HttpResponseRedirect(f"{request.path}?{SEARCH_TOKEN_PARAMETER}={token}")
