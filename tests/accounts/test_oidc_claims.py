"""Sign-in through the municipality's identity provider: claims to role and unit (decision 0018)."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from heltid.accounts.models import Role, User
from heltid.accounts.oidc import (
    REFUSAL_SESSION_KEY,
    HeltidOIDCBackend,
    OIDCRefused,
    Refusal,
    map_claims,
    sign_in_user,
)
from heltid.audit.models import AccessLog, Action
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.kommun.example/auth",
    "OIDC_OP_TOKEN_ENDPOINT": "https://idp.kommun.example/token",
    "OIDC_OP_USER_ENDPOINT": "https://idp.kommun.example/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": "https://idp.kommun.example/jwks",
}


@pytest.fixture
def oidc_on(settings: Any) -> Any:
    settings.HELTID_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "heltid"
    settings.OIDC_RP_CLIENT_SECRET = "hemligt"
    for name, url in ENDPOINTS.items():
        setattr(settings, name, url)
    return settings


def _claims(**extra: Any) -> dict[str, Any]:
    return {
        "sub": "a1b2c3",
        "preferred_username": "anna.handlaggare",
        "given_name": "Anna",
        "family_name": "Handläggare",
        "email": "anna@kommun.example",
        "roles": ["benefit_officer"],
        "heltid_unit": "ekb-norr",
        **extra,
    }


def _refusal(claims: dict[str, Any]) -> Refusal:
    with pytest.raises(OIDCRefused) as refused:
        map_claims(claims)
    return refused.value.reason


# --- Claims to role and unit ----------------------------------------------------------------


def test_map_claims__default_map_takes_heltid_role_codes_and_the_unit_by_code() -> None:
    unit = UnitFactory(code="ekb-norr")
    mapped = map_claims(_claims())
    assert (mapped.username, mapped.role, mapped.unit) == ("a1b2c3", Role.BENEFIT_OFFICER, unit)
    assert (mapped.first_name, mapped.last_name, mapped.email) == (
        "Anna",
        "Handläggare",
        "anna@kommun.example",
    )


def test_map_claims__the_role_map_translates_the_providers_values(settings: Any) -> None:
    UnitFactory(code="ekb-norr")
    settings.HELTID_OIDC_ROLE_MAP = {
        "Heltid.Handlaggare": "benefit_officer",
        "Heltid.Analys": "analyst",
    }
    mapped = map_claims(_claims(roles=["Other.App.Reader", "Heltid.Handlaggare"]))
    assert mapped.role == Role.BENEFIT_OFFICER
    # with a map, only the map counts: Heltid's own codes are not roles of the provider
    assert _refusal(_claims(roles=["benefit_officer"])) == Refusal.NO_ROLE


def test_map_claims__a_single_role_as_a_string_and_claims_in_nested_objects(settings: Any) -> None:
    UnitFactory(code="ekb-norr")
    settings.HELTID_OIDC_ROLE_CLAIM = "realm_access.roles"  # Keycloak's realm roles
    claims = _claims(realm_access={"roles": ["offline_access", "case_manager"]})
    del claims["roles"]
    assert map_claims(claims).role == Role.CASE_MANAGER
    settings.HELTID_OIDC_ROLE_CLAIM = "roles"
    assert map_claims(_claims(roles="case_manager")).role == Role.CASE_MANAGER


def test_map_claims__no_known_role_or_more_than_one_is_refused() -> None:
    UnitFactory(code="ekb-norr")
    assert _refusal(_claims(roles=["Other.App.Reader"])) == Refusal.NO_ROLE
    assert _refusal(_claims(roles=[])) == Refusal.NO_ROLE
    assert _refusal({k: v for k, v in _claims().items() if k != "roles"}) == Refusal.NO_ROLE
    assert _refusal(_claims(roles=["benefit_officer", "admin"])) == Refusal.SEVERAL_ROLES


def test_map_claims__an_unknown_unit_or_none_for_a_role_with_persons_is_refused() -> None:
    UnitFactory(code="ekb-norr")
    assert _refusal(_claims(heltid_unit="ekb-soder")) == Refusal.UNKNOWN_UNIT
    assert _refusal(_claims(heltid_unit=["ekb-norr", "ekb-soder"])) == Refusal.UNKNOWN_UNIT
    for role in ("benefit_officer", "case_manager", "provider"):
        assert _refusal(_claims(roles=[role], heltid_unit="")) == Refusal.NO_UNIT
    analyst = map_claims(_claims(roles=["analyst"], heltid_unit=None))
    assert (analyst.role, analyst.unit) == (Role.ANALYST, None)


def test_map_claims__the_username_claim_is_configurable_and_falls_back_to_sub(
    settings: Any,
) -> None:
    UnitFactory(code="ekb-norr")
    settings.HELTID_OIDC_USERNAME_CLAIM = "preferred_username"
    assert map_claims(_claims()).username == "anna.handlaggare"
    assert map_claims(_claims(preferred_username="")).username == "a1b2c3"
    assert _refusal(_claims(preferred_username=None, sub="")) == Refusal.NO_USERNAME


def test_map_claims__a_role_map_to_an_unknown_code_is_a_configuration_error(
    settings: Any,
) -> None:
    settings.HELTID_OIDC_ROLE_MAP = {"Heltid.Chef": "boss"}
    with pytest.raises(ImproperlyConfigured, match="boss"):
        map_claims(_claims(roles=["Heltid.Chef"]))


# --- Creating and updating users ------------------------------------------------------------


def test_sign_in_user__creates_the_user_without_a_password(rf: Any, client: Client) -> None:
    UnitFactory(code="ekb-norr")
    user = sign_in_user(_claims(), page="/oidc/callback/")
    user.refresh_from_db()
    assert (user.username, user.role, user.unit.code) == ("a1b2c3", "benefit_officer", "ekb-norr")
    assert (user.first_name, user.last_name, user.email) == (
        "Anna",
        "Handläggare",
        "anna@kommun.example",
    )
    assert not user.has_usable_password()
    assert not user.is_staff and not user.is_superuser
    # the password form never signs an SSO user in, whatever is typed
    assert authenticate(rf.post("/logga-in/"), username="a1b2c3", password="") is None
    response = client.post("/logga-in/", {"username": "a1b2c3", "password": "!"})
    assert response.status_code == 200  # the form again, with its error
    assert "_auth_user_id" not in client.session
    entry = AccessLog.objects.get(action=Action.CREATE)
    assert entry.user_id == user.pk
    assert entry.detail == {
        "sign_in": "oidc",
        "user": "a1b2c3",
        "role": "benefit_officer",
        "unit": "ekb-norr",
    }


def test_sign_in_user__refreshes_role_and_unit_from_the_claims_at_every_sign_in() -> None:
    UnitFactory(code="ekb-norr")
    UnitFactory(code="arbetsmarknad")
    first = sign_in_user(_claims())
    again = sign_in_user(_claims(roles=["case_manager"], heltid_unit="arbetsmarknad"))
    assert again.pk == first.pk
    again.refresh_from_db()
    assert (again.role, again.unit.code) == ("case_manager", "arbetsmarknad")
    change = AccessLog.objects.get(action=Action.CHANGE)
    assert change.detail["before"] == {"role": "benefit_officer", "unit": "ekb-norr"}
    sign_in_user(_claims(roles=["case_manager"], heltid_unit="arbetsmarknad"))
    assert AccessLog.objects.filter(action=Action.CHANGE).count() == 1  # nothing changed
    assert User.objects.count() == 1


def test_sign_in_user__a_refused_sign_in_creates_and_changes_nothing() -> None:
    UnitFactory(code="ekb-norr")
    with pytest.raises(OIDCRefused):
        sign_in_user(_claims(roles=["Other.App.Reader"]))
    assert not User.objects.exists()
    user = sign_in_user(_claims())
    with pytest.raises(OIDCRefused):
        sign_in_user(_claims(heltid_unit="finns-inte", given_name="Annika"))
    user.refresh_from_db()
    assert (user.role, user.unit.code, user.first_name) == ("benefit_officer", "ekb-norr", "Anna")


def test_sign_in_user__never_takes_over_a_password_account_nor_wakes_a_deactivated_one() -> None:
    unit = UnitFactory(code="ekb-norr")
    local = UserFactory(username="a1b2c3", role=Role.ADMIN, unit=unit)
    with pytest.raises(OIDCRefused) as refused:
        sign_in_user(_claims())
    assert refused.value.reason == Refusal.LOCAL_ACCOUNT
    local.refresh_from_db()
    assert local.role == Role.ADMIN and local.has_usable_password()

    sso = sign_in_user(_claims(sub="x9"))
    User.objects.filter(pk=sso.pk).update(is_active=False)
    with pytest.raises(OIDCRefused) as refused:
        sign_in_user(_claims(sub="x9"))
    assert refused.value.reason == Refusal.INACTIVE


# --- The backend and the pages when OIDC is off or on -----------------------------------------


def test_backend__answers_none_unless_on_and_called_from_the_callback(
    rf: Any, settings: Any
) -> None:
    request = rf.get("/oidc/callback/", {"code": "c", "state": "s"})
    backend = HeltidOIDCBackend()
    settings.HELTID_OIDC_ENABLED = False
    assert backend.authenticate(request, nonce="n", code_verifier="v") is None
    settings.HELTID_OIDC_ENABLED = True
    assert backend.authenticate(request, username="anna", password="x") is None
    assert backend.authenticate(None, nonce="n") is None


def test_pages__off_by_default_the_login_page_has_no_sso_and_its_addresses_404(
    client: Client,
) -> None:
    assert "oidc-sign-in" not in client.get("/logga-in/").content.decode()
    assert client.get("/oidc/logga-in/").status_code == 404
    assert client.get("/oidc/callback/").status_code == 404


def test_pages__on_the_login_page_offers_the_municipalitys_account(
    client: Client, oidc_on: Any
) -> None:
    page = client.get("/logga-in/?next=/personer/").content.decode()
    assert 'href="/oidc/logga-in/?next=/personer/"' in page
    assert "Logga in med kommunens konto" in page
    response = client.get("/oidc/logga-in/?next=/personer/")
    assert response.status_code == 302
    assert response["Location"].startswith(ENDPOINTS["OIDC_OP_AUTHORIZATION_ENDPOINT"] + "?")
    assert "code_challenge_method=S256" in response["Location"]


def test_pages__the_refusal_page_says_why_in_swedish(client: Client, oidc_on: Any) -> None:
    session = client.session
    session[REFUSAL_SESSION_KEY] = Refusal.NO_ROLE.value
    session.save()
    response = client.get("/oidc/nekad/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "Inloggningen nekades" in text
    assert "Ditt konto i kommunens inloggning har ingen roll i Heltid." in text
    # an error sent back by the provider (the person cancelled) is not completed
    response = client.get("/oidc/callback/?error=access_denied&state=x", follow=True)
    assert response.status_code == 403
    assert "Inloggningen med kommunens konto slutfördes inte." in response.content.decode()


# --- Settings -----------------------------------------------------------------------------------


def _import_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("HELTID_OIDC_")}
    return subprocess.run(
        [sys.executable, "-c", "import heltid.settings"],
        env={**clean, "PYTHONDONTWRITEBYTECODE": "1", **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_settings__a_client_id_needs_the_endpoints_and_a_role_map_must_be_json() -> None:
    result = _import_settings({"HELTID_OIDC_CLIENT_ID": "heltid"})
    assert result.returncode != 0
    assert "HELTID_OIDC_CLIENT_SECRET must be set" in result.stderr
    result = _import_settings({"HELTID_OIDC_ROLE_MAP": "[1, 2]"})
    assert result.returncode != 0
    assert "HELTID_OIDC_ROLE_MAP" in result.stderr
