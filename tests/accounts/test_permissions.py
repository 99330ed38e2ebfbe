"""Every view declares its permission; each role reaches exactly its pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver

from heltid.accounts.admin import HeltidAdminSite
from heltid.accounts.middleware import PermissionDeclaredMiddleware
from heltid.accounts.models import Role
from heltid.accounts.permissions import ROLE_PERMISSIONS, Perm, declared_permission, has_perm


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                yield prefix + str(entry.pattern), entry
                continue
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_url__declares_a_permission() -> None:
    undeclared = []
    walked = 0
    for route, target in _walk(get_resolver().url_patterns):
        walked += 1
        if isinstance(target, URLResolver):
            # the admin site guards itself: only our site class, which admits the admin role only
            from heltid.accounts.admin import site

            assert isinstance(site, HeltidAdminSite), route
            continue
        if declared_permission(target) is None:
            undeclared.append(route)
    assert walked > 10
    assert undeclared == []


def test_middleware__refuses_a_view_without_declaration() -> None:
    from django.core.exceptions import PermissionDenied

    def naked(request: Any) -> None:
        return None

    request = RequestFactory().get("/")
    request.resolver_match = None
    middleware = PermissionDeclaredMiddleware(lambda r: None)  # type: ignore[arg-type, return-value]
    with pytest.raises(PermissionDenied):
        middleware.process_view(request, naked, (), {})


def test_every_role__has_a_permission_set() -> None:
    assert set(ROLE_PERMISSIONS) == {r.value for r in Role}
    assert all(Perm.HOME in perms for perms in ROLE_PERMISSIONS.values())


def test_anonymous__has_no_permission() -> None:
    from django.contrib.auth.models import AnonymousUser

    assert not any(has_perm(AnonymousUser(), p) for p in Perm)


ROLE_PAGES = {
    # username: {url: expected status}
    "handlaggare": {
        "/": 200,
        "/personer/": 200,
        "/personer/import/": 200,
        "/statistik/": 403,
        "/planering/": 403,
        "/logg/": 403,
    },
    "casemanager": {
        "/": 200,
        "/personer/": 200,
        "/personer/import/": 403,
        "/personer/ny/": 403,
        "/logg/": 403,
    },
    "utforare": {"/": 200, "/personer/": 403, "/statistik/": 403, "/logg/": 403},
    "analytiker": {
        "/": 200,
        "/personer/": 403,
        "/statistik/": 200,
        "/planering/": 200,
        "/logg/": 403,
    },
    "admin": {"/": 200, "/personer/": 403, "/logg/": 200, "/statistik/": 200, "/admin/": 200},
}


@pytest.mark.parametrize("username", ROLE_PAGES)
def test_role__reaches_only_its_pages(staff: Any, client: Client, username: str) -> None:
    client.force_login(
        getattr(
            staff,
            {
                "handlaggare": "officer",
                "casemanager": "case_manager",
                "utforare": "provider",
                "analytiker": "analyst",
                "admin": "admin",
            }[username],
        )
    )
    got = {url: client.get(url).status_code for url in ROLE_PAGES[username]}
    assert got == ROLE_PAGES[username]


def test_admin_site__refuses_other_roles(staff: Any, client: Client) -> None:
    client.force_login(staff.officer)
    response = client.get("/admin/")
    assert response.status_code == 302  # to the admin login, which this role cannot pass
    assert "/admin/login/" in response["Location"]


def test_anonymous__is_sent_to_login(db: None, client: Client) -> None:
    response = client.get("/personer/")
    assert response.status_code == 302
    assert response["Location"].startswith("/logga-in/")


def test_login_page__is_swedish_by_default(db: None, client: Client) -> None:
    response = client.get("/logga-in/")
    assert response.status_code == 200
    assert '<html lang="sv">' in response.content.decode()
    assert "Logga in i Heltid" in response.content.decode()


def test_login_page__english_when_chosen(db: None, client: Client) -> None:
    client.post("/sprak/", {"language": "en", "next": "/logga-in/"})
    body = client.get("/logga-in/").content.decode()
    assert '<html lang="en">' in body
    assert "Log in to Heltid" in body


def test_login__wrong_password__shows_an_error(staff: Any, client: Client) -> None:
    response = client.post("/logga-in/", {"username": "handlaggare", "password": "fel"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_then_logout(staff: Any, client: Client) -> None:
    # the analyst signs in with the password alone; the other roles' second step is in
    # tests/accounts/test_second_factor.py
    response = client.post("/logga-in/", {"username": "analytiker", "password": "demo-losen-123"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    client.post("/logga-ut/")
    assert client.get("/").status_code == 302


def test_session__times_out_after_inactivity(settings: Any) -> None:
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
