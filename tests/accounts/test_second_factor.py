"""The second sign-in step: a TOTP code for every role that sees persons (decision 0017)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.contrib.auth import BACKEND_SESSION_KEY
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from heltid.accounts.models import Role
from heltid.accounts.second_factor import OIDC_BACKEND, needs_second_factor
from heltid.audit.models import AccessLog
from tests.conftest import verified_device
from tests.factories import UserFactory

PASSWORD = "demo-losen-123"
SECOND_FACTOR = "/tvastegsverifiering/"
ENROL = "/tvastegsverifiering/aktivera/"


def code_now(device: TOTPDevice) -> str:
    """The code the user's app shows at this moment (the suite's clock)."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device: TOTPDevice) -> str:
    right = {code_now(device)}
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    for offset in (-1, 1):  # codes within the tolerance are right too
        totp.drift = device.drift + offset
        right.add(f"{totp.token():0{device.digits}d}")
    return next(c for c in ("000000", "111111", "222222", "333333") if c not in right)


def sign_in_with_password(client: Client, username: str) -> Any:
    return client.post("/logga-in/", {"username": username, "password": PASSWORD})


def text(response: Any) -> str:
    return str(response.content.decode())


def test_needs_second_factor__every_role_that_sees_persons(staff: Any) -> None:
    asked = {
        role: needs_second_factor(UserFactory(role=role, unit=staff.unit)) for role in Role.values
    }
    assert asked == {
        Role.BENEFIT_OFFICER: True,
        Role.CASE_MANAGER: True,
        Role.PROVIDER: True,
        Role.ANALYST: False,
        Role.ADMIN: True,
    }


def test_password_alone__every_person_page_redirects_to_the_second_step(
    staff: Any, person: Any, client: Client
) -> None:
    verified_device(staff.officer)
    response = sign_in_with_password(client, "handlaggare")
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)
    assert "_auth_user_id" in client.session and DEVICE_ID_SESSION_KEY not in client.session

    for url in [
        "/",
        "/personer/",
        f"/personer/?q={person.last_name}",
        f"/personer/{person.pk}/",
        "/personer/import/",
        "/signaler/",
        "/insatser/",
        "/admin/",
    ]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(SECOND_FACTOR), url
        assert person.last_name not in text(response), url
        assert person.personnummer_display not in text(response), url

    page = client.get(SECOND_FACTOR)
    assert page.status_code == 200
    assert person.last_name not in text(page)
    assert "<nav" not in text(page)  # no menu before the second step
    posted = client.post(f"/personer/{person.pk}/", {})
    assert posted.status_code == 302 and posted["Location"].startswith(SECOND_FACTOR)
    htmx = client.get("/personer/", headers={"HX-Request": "true"})
    assert htmx["HX-Redirect"].startswith(SECOND_FACTOR)


def test_second_step__right_code_signs_in_and_returns_to_the_page(
    staff: Any, person: Any, client: Client
) -> None:
    device = verified_device(staff.officer)
    sign_in_with_password(client, "handlaggare")
    first = client.get(f"/personer/{person.pk}/")
    assert first["Location"] == f"{SECOND_FACTOR}?next=%2Fpersoner%2F{person.pk}%2F"

    page = text(client.get(first["Location"]))
    assert 'autocomplete="one-time-code"' in page and 'inputmode="numeric"' in page
    assert '<label for="id_code">Kod från din autentiseringsapp' in page

    response = client.post(
        SECOND_FACTOR, {"code": code_now(device), "next": f"/personer/{person.pk}/"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/personer/{person.pk}/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    shown = client.get(f"/personer/{person.pk}/")
    assert shown.status_code == 200 and person.last_name in text(shown)


def test_second_step__wrong_code__refused_with_a_swedish_field_error(
    staff: Any, person: Any, client: Client
) -> None:
    device = verified_device(staff.officer)
    sign_in_with_password(client, "handlaggare")
    response = client.post(SECOND_FACTOR, {"code": wrong_code(device)})
    assert response.status_code == 200
    body = text(response)
    assert 'role="alert"' in body
    assert '<p class="error" id="id_code_error">Koden stämmer inte.' in body
    assert DEVICE_ID_SESSION_KEY not in client.session
    assert client.get("/personer/")["Location"].startswith(SECOND_FACTOR)

    letters = client.post(SECOND_FACTOR, {"code": "abc"})
    assert "Koden är sex siffror" in text(letters)


def test_second_step__a_code_is_taken_once(staff: Any, client: Client) -> None:
    device = verified_device(staff.officer)
    sign_in_with_password(client, "handlaggare")
    code = code_now(device)
    assert client.post(SECOND_FACTOR, {"code": code}).status_code == 302

    other = Client()
    sign_in_with_password(other, "handlaggare")
    replayed = other.post(SECOND_FACTOR, {"code": code})
    assert replayed.status_code == 200 and "Koden stämmer inte." in text(replayed)


def test_enrolment__shows_the_secret_and_confirms_only_with_a_right_code(
    staff: Any, client: Client
) -> None:
    assert not TOTPDevice.objects.filter(user=staff.officer).exists()
    sign_in_with_password(client, "handlaggare")
    response = client.get(SECOND_FACTOR)
    assert response.status_code == 302 and response["Location"].startswith(ENROL)

    page = client.get(response["Location"])
    body = text(page)
    device = TOTPDevice.objects.get(user=staff.officer)
    assert not device.confirmed
    assert "<svg" in body and "<h1>Aktivera tvåstegsverifiering</h1>" in body
    secret = page.context["secret"].replace(" ", "")
    from base64 import b32encode

    assert secret == b32encode(device.bin_key).decode()
    assert page.context["secret"] in body
    # the strict Content-Security-Policy: no inline script, style or event handler
    assert "<script>" not in body and "style=" not in body and " onclick=" not in body
    assert text(client.get(ENROL)).count(page.context["secret"]) == 1  # same secret on reload

    refused = client.post(ENROL, {"code": wrong_code(device)})
    assert refused.status_code == 200 and "Koden stämmer inte." in text(refused)
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get("/personer/")["Location"].startswith(SECOND_FACTOR)

    # after a wrong code the device waits a moment before it takes another (throttling)
    with time_machine.travel(timezone.now() + timedelta(seconds=5), tick=True):
        confirmed = client.post(ENROL, {"code": code_now(device), "next": "/personer/"})
        assert confirmed.status_code == 302 and confirmed["Location"] == "/personer/"
        device.refresh_from_db()
        assert device.confirmed
        assert client.get("/personer/").status_code == 200
    assert AccessLog.objects.filter(detail__event="second_factor_enrolled").count() == 1


def test_analyst__is_not_asked(staff: Any, client: Client) -> None:
    response = sign_in_with_password(client, "analytiker")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.get("/statistik/").status_code == 200
    assert not TOTPDevice.objects.filter(user=staff.analyst).exists()


def test_single_sign_on_session__is_not_asked(
    staff: Any, person: Any, client: Client, settings: Any
) -> None:
    if OIDC_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, OIDC_BACKEND]
    client.force_login(staff.officer, backend=OIDC_BACKEND)
    assert client.session[BACKEND_SESSION_KEY] == OIDC_BACKEND
    assert DEVICE_ID_SESSION_KEY not in client.session
    response = client.get(f"/personer/{person.pk}/")
    assert response.status_code == 200 and person.last_name in text(response)
    assert not TOTPDevice.objects.filter(user=staff.officer).exists()


def test_reset_totp__command_removes_the_device_and_is_logged(staff: Any, client: Client) -> None:
    verified_device(staff.officer)
    out = StringIO()
    call_command("reset_totp", "handlaggare", stdout=out)
    assert "1 device(s) removed" in out.getvalue()
    assert not TOTPDevice.objects.filter(user=staff.officer).exists()
    entry = AccessLog.objects.get(detail__event="second_factor_reset")
    assert entry.detail["account"] == "handlaggare" and entry.actor == "cli"

    sign_in_with_password(client, "handlaggare")
    assert client.get(SECOND_FACTOR)["Location"].startswith(ENROL)  # enrols anew


def test_reset__admin_action_is_logged(staff: Any, client: Client) -> None:
    verified_device(staff.officer)
    client.force_login(staff.admin)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "reset_two_step_verification", "_selected_action": [staff.officer.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=staff.officer).exists()
    entry = AccessLog.objects.get(detail__event="second_factor_reset")
    assert entry.user_id == staff.admin.pk and entry.detail["account"] == "handlaggare"


@pytest.mark.parametrize("username", ["handlaggare", "casemanager", "utforare", "admin"])
def test_force_login__in_tests_verifies_the_second_factor_the_real_way(
    staff: Any, client: Client, username: str
) -> None:
    user = next(u for u in vars(staff).values() if getattr(u, "username", None) == username)
    client.force_login(user)
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get("/").status_code == 200
