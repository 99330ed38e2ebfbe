"""Sign-in through the municipality's identity provider, end to end (decision 0018).

A real OpenID Connect provider (npm's oidc-provider, tests/oidc/provider.mjs) runs on
127.0.0.1 beside the live server; Chromium signs in there by typing the account's id, and comes
back to Heltid's callback, which fetches the tokens and the userinfo from the provider.

The provider is another process, on the real clock, and checks of the ID token's times
(``iat``, ``exp``) are real: while signing in, this process lives on the real clock too.
"""

from __future__ import annotations

import json
import os
import selectors
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Page, expect

from heltid.accounts.models import Role, User
from heltid.accounts.oidc import BACKEND_PATH
from tests.browser.support import BROWSER_MARKS, REPO_ROOT
from tests.factories import UnitFactory

pytestmark = BROWSER_MARKS

PROVIDER_SCRIPT = REPO_ROOT / "tests" / "oidc" / "provider.mjs"
CLIENT_ID = "heltid-test"
CLIENT_SECRET = "heltid-test-secret-0123456789"
UNIT_CODE = "ekb-centrum"
# The accounts the provider knows, by the id typed at its sign-in page (their `sub`).
ACCOUNTS = {
    "anna": {
        "given_name": "Anna",
        "family_name": "Lindqvist",
        "email": "anna.lindqvist@kommun.example",
        "roles": ["Other.App.Reader", "Heltid.Handlaggare"],
        "heltid_unit": UNIT_CODE,
    },
    "olle": {
        "given_name": "Olle",
        "family_name": "Berg",
        "roles": ["Other.App.Reader"],
        "heltid_unit": UNIT_CODE,
    },
}
ROLE_MAP = {"Heltid.Handlaggare": Role.BENEFIT_OFFICER.value, "Heltid.Analys": Role.ANALYST.value}
READY_SECONDS = 30


def _wait_for_port(process: subprocess.Popen[str], log: Any) -> int:
    """The port from the provider's `oidc-provider listening on PORT` line."""
    assert process.stdout is not None
    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            if line.startswith("oidc-provider listening on "):
                return int(line.rsplit(" ", 1)[1])
    log.seek(0)
    pytest.fail(f"the test OIDC provider did not start:\n{log.read()}")


@pytest.fixture(scope="module")
def oidc_provider(live_server: Any) -> Iterator[str]:
    """Starts tests/oidc/provider.mjs for the live server's callback; yields its issuer URL
    and stops it after the module's tests."""
    node = shutil.which("node")
    if node is None:
        pytest.fail("node is missing: install Node.js (make install runs npm install)")
    if not (REPO_ROOT / "node_modules" / "oidc-provider").is_dir():
        pytest.fail("node_modules/oidc-provider is missing: run npm install (make install does)")
    with tempfile.TemporaryFile(mode="w+") as log:
        process = subprocess.Popen(
            [
                node,
                str(PROVIDER_SCRIPT),
                "--port=0",
                f"--client-id={CLIENT_ID}",
                f"--client-secret={CLIENT_SECRET}",
                f"--redirect-uri={live_server.url}/oidc/callback/",
                f"--accounts={json.dumps(ACCOUNTS)}",
            ],
            cwd=REPO_ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
            env={**os.environ, "NODE_ENV": "test"},
        )
        try:
            port = _wait_for_port(process, log)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()


@pytest.fixture
def oidc_settings(settings: Any, oidc_provider: str) -> Any:
    """Heltid's OIDC settings, as the environment would give them, pointed at the provider."""
    settings.HELTID_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{oidc_provider}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{oidc_provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{oidc_provider}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{oidc_provider}/jwks"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.HELTID_OIDC_ROLE_MAP = ROLE_MAP
    return settings


@pytest.fixture
def real_clock() -> Iterator[None]:
    """This process on the real clock, as the provider is (see the module's docstring)."""
    now = datetime.fromtimestamp(time_machine.escape_hatch.time.time(), tz=UTC)
    with time_machine.travel(now, tick=True):
        yield


def _sign_in_at_the_provider(page: Page, account: str) -> None:
    # oidc-provider's development sign-in page asks for a web font; the network is closed
    page.route("https://**/*", lambda route: route.fulfill(status=200, body=""))
    page.goto("/logga-in/")
    page.get_by_role("link", name="Logga in med kommunens konto").click()
    page.wait_for_url("http://127.0.0.1:*/interaction/*")
    page.fill("input[name=login]", account)
    page.fill("input[name=password]", "vilket-som-helst")
    with page.expect_navigation(url=lambda url: "127.0.0.1" not in url.split("/")[2]):
        page.click("button[type=submit]")
    page.wait_for_load_state()


def test_oidc__a_benefit_officer_signs_in_and_lands_on_the_start_page_with_role_and_unit(
    page: Page, oidc_settings: Any, real_clock: None
) -> None:
    unit = UnitFactory(code=UNIT_CODE, name="Ekonomiskt bistånd centrum")
    assert not User.objects.filter(username="anna").exists()

    _sign_in_at_the_provider(page, "anna")

    expect(page.locator("h1")).to_have_text("Välkommen, Anna")
    assert urlsplit(page.url).path == "/"
    main = page.locator("main")
    expect(main).to_contain_text("Du är inloggad som Handläggare ekonomiskt bistånd.")
    expect(main).to_contain_text("Enhet: Ekonomiskt bistånd centrum.")
    expect(page.locator("header nav a").first).to_be_visible()

    user = User.objects.get(username="anna")
    assert (user.role, user.unit_id) == (Role.BENEFIT_OFFICER, unit.pk)
    assert (user.first_name, user.last_name, user.email) == (
        "Anna",
        "Lindqvist",
        "anna.lindqvist@kommun.example",
    )
    assert not user.has_usable_password()

    # the session is the SSO backend's (the second factor's middleware exempts exactly it)
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=session_cookie["value"])
    assert session["_auth_user_backend"] == BACKEND_PATH
    assert session["_auth_user_id"] == str(user.pk)

    # a person page of the unit opens: the role's menu and scoping are those of an officer
    page.goto("/personer/")
    assert "/logga-in/" not in page.url and "tvastegsverifiering" not in page.url


def test_oidc__claims_without_a_known_role_are_refused_in_swedish_and_create_no_user(
    page: Page, oidc_settings: Any, real_clock: None
) -> None:
    UnitFactory(code=UNIT_CODE)

    _sign_in_at_the_provider(page, "olle")

    assert "/oidc/nekad/" in page.url
    expect(page.locator("h1")).to_have_text("Inloggningen nekades")
    expect(page.locator("#oidc-refusal")).to_have_text(
        "Ditt konto i kommunens inloggning har ingen roll i Heltid."
    )
    assert not User.objects.filter(username="olle").exists()
    page.goto("/")
    assert "/logga-in/" in page.url  # not signed in
