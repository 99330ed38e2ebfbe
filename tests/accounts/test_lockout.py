"""Lockout after repeated failed sign-ins, per account and per address (decision 0017)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import time_machine
from django.conf import settings
from django.test import Client, RequestFactory
from django.utils import timezone

from heltid.accounts.second_factor import client_address
from heltid.audit.models import AccessLog, Action
from tests.accounts.test_second_factor import code_now, wrong_code
from tests.conftest import verified_device

PASSWORD = "demo-losen-123"
LIMIT = settings.HELTID_LOCKOUT_FAILURES
LOCKED_HEADING = "<h1>Inloggningen är låst</h1>"


def attempt(username: str, password: str, address: str = "10.0.0.1") -> Any:
    return Client(REMOTE_ADDR=address).post(
        "/logga-in/", {"username": username, "password": password}, REMOTE_ADDR=address
    )


def page_text(response: Any) -> str:
    """The page without its CSRF token (different on every answer)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def test_settings__five_failures_lock_per_account_and_per_address_separately() -> None:
    assert settings.HELTID_LOCKOUT_FAILURES == 5
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username", "ip_address"]
    cooloff = timedelta(minutes=settings.HELTID_LOCKOUT_MINUTES)
    assert cooloff == settings.AXES_COOLOFF_TIME
    assert settings.AUTHENTICATION_BACKENDS[0].startswith("axes.backends.")
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"


def test_wrong_passwords__lock_the_account__even_the_right_password_from_another_address(
    staff: Any,
) -> None:
    answers = [attempt("handlaggare", f"fel-{n}") for n in range(LIMIT)]
    assert [a.status_code for a in answers[:-1]] == [200] * (LIMIT - 1)
    assert answers[-1].status_code == 429

    right = attempt("handlaggare", PASSWORD)
    wrong = attempt("handlaggare", "fel-igen")
    elsewhere = attempt("handlaggare", PASSWORD, address="192.0.2.77")
    assert right.status_code == wrong.status_code == elsewhere.status_code == 429
    assert LOCKED_HEADING in page_text(right)
    assert page_text(right) == page_text(wrong) == page_text(elsewhere)
    assert "handlaggare" not in page_text(right)

    # a colleague at the same desk is not locked out by someone else's account
    assert attempt("kollega", PASSWORD, address="10.0.0.2").status_code == 302


def test_lockout_page__is_swedish_and_says_nothing_about_the_password(staff: Any) -> None:
    for n in range(LIMIT):
        attempt("handlaggare", f"fel-{n}")
    body = page_text(attempt("handlaggare", PASSWORD))
    assert '<html lang="sv">' in body
    assert (
        "För många misslyckade inloggningsförsök. Inloggningen är låst i "
        f"{settings.HELTID_LOCKOUT_MINUTES} minuter" in body
    )
    assert "lösenord" not in body.lower()


def test_one_address__many_usernames__locks_the_address(staff: Any) -> None:
    for name in ["anna", "bertil", "cesar", "david", "erik", "filip"][:LIMIT]:
        attempt(name, "gissning", address="203.0.113.9")
    from_there = attempt("kollega", PASSWORD, address="203.0.113.9")
    assert from_there.status_code == 429 and LOCKED_HEADING in page_text(from_there)
    assert attempt("kollega", PASSWORD, address="10.0.0.3").status_code == 302


def test_lockout__ends_after_the_configured_minutes(staff: Any) -> None:
    for n in range(LIMIT):
        attempt("handlaggare", f"fel-{n}")
    assert attempt("handlaggare", PASSWORD).status_code == 429
    later = timezone.now() + timedelta(minutes=settings.HELTID_LOCKOUT_MINUTES, seconds=30)
    with time_machine.travel(later, tick=True):
        assert attempt("handlaggare", PASSWORD).status_code == 302


def test_wrong_codes__count_toward_the_lockout(staff: Any) -> None:
    device = verified_device(staff.officer)
    client = Client(REMOTE_ADDR="10.0.0.1")
    client.post("/logga-in/", {"username": "handlaggare", "password": PASSWORD})
    start = timezone.now()
    answers = []
    for n in range(LIMIT):
        # past the device's own throttling (1, 2, 4, 8 … seconds after each wrong code)
        with time_machine.travel(start + timedelta(seconds=20 * n), tick=True):
            answers.append(client.post("/tvastegsverifiering/", {"code": wrong_code(device)}))
    assert [a.status_code for a in answers[:-1]] == [200] * (LIMIT - 1)
    assert answers[-1].status_code == 429 and LOCKED_HEADING in page_text(answers[-1])
    assert "_auth_user_id" not in client.session  # the half-signed-in session has ended
    # the password alone, even with a right code after it, no longer gets in
    assert attempt("handlaggare", PASSWORD, address="192.0.2.5").status_code == 429
    assert code_now(device)  # the device itself is untouched


def test_failures_and_lockouts__are_in_the_access_log(staff: Any) -> None:
    for n in range(LIMIT):
        attempt("handlaggare", f"fel-{n}")
    attempt("nobody-such", "x", address="10.9.9.9")
    denied = AccessLog.objects.filter(action=Action.DENIED, actor="sign-in")
    failed = denied.filter(detail__event="sign_in_failed")
    assert failed.filter(detail__account="handlaggare").count() == LIMIT
    assert denied.filter(detail__event="locked_out", detail__account="handlaggare").exists()
    unknown = failed.get(detail__address="10.9.9.9")
    assert "account" not in unknown.detail  # what was typed as a username is not kept
    assert all(PASSWORD not in str(e.detail) for e in denied)


def test_client_address__proxy_header_only_in_production(settings: Any) -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.7"
    )
    settings.PRODUCTION = False
    assert client_address(request) == "10.0.0.254"
    settings.PRODUCTION = True
    settings.HELTID_PROXY_COUNT = 1
    assert client_address(request) == "198.51.100.7"  # what the proxy saw, not what was sent
    bare = RequestFactory().get("/", REMOTE_ADDR="10.0.0.254")
    assert client_address(bare) == "10.0.0.254"
