"""Playwright against Debian's Chromium and pytest-django's live server.

Every browser test is marked ``browser`` and put in one xdist group, so that under
``-n 2 --dist loadgroup`` a single worker starts Chromium once and runs them all.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import connections
from django_otp.oath import TOTP
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from heltid.accounts.second_factor import needs_second_factor
from tests.browser.support import CHROMIUM, CHROMIUM_ARGS, PASSWORD, TIMEOUT_MS
from tests.conftest import verified_device


@pytest.fixture(scope="session")
def playwright_driver() -> Iterator[Playwright]:
    # Playwright's sync API runs its event loop in a greenlet of this thread, and Django's
    # connections are context-local: a connection opened before the switch (or inside it) is
    # no longer reachable after, stays open, and PostgreSQL then refuses to drop the test
    # database at the end ("is being accessed by other users"). Close them at both edges.
    connections.close_all()
    with sync_playwright() as driver:
        yield driver
        connections.close_all()


@pytest.fixture(scope="session")
def browser(playwright_driver: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (make install does)")
    chromium = playwright_driver.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
    )
    yield chromium
    chromium.close()


@pytest.fixture
def page(browser: Browser, live_server: Any) -> Iterator[Page]:
    """A fresh browser context per test (no shared cookies), Swedish like the users'.

    Fails the test if a static file (stylesheet, htmx) could not be served."""
    context = browser.new_context(base_url=live_server.url, locale="sv-SE")
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    broken: list[str] = []
    context.on(
        "response",
        lambda r: (
            broken.append(f"{r.status} {r.url}")
            if "/static/" in r.url and r.status >= 400
            else None
        ),
    )
    context.on(
        "requestfailed",
        lambda r: (
            broken.append(f"{r.failure} {r.url}")
            if "ERR_ABORTED" not in (r.failure or "")  # a load cut short by the next navigation
            else None
        ),
    )
    tab = context.new_page()
    yield tab
    context.close()
    assert not broken, f"static files not served: {broken}"


def current_code(device: Any) -> str:
    """The code the user's authenticator app shows now — or, when the device already took
    that one (it never takes a code twice: a second login within 30 seconds), the next step's,
    which it accepts within its tolerance."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    while totp.t() + device.tolerance <= device.last_t:
        time.sleep(1)
    ahead = max(0, device.last_t + 1 - totp.t())
    totp.time = time.time() + ahead * device.step
    return f"{totp.token():0{device.digits}d}"


@pytest.fixture
def login(page: Page) -> Callable[[Any], Page]:
    """Log in through the real login form (as a new visitor), give the one-time code from the
    user's TOTP device where the role needs the second factor, and land on the start page."""

    def log_in(user: Any) -> Page:
        page.context.clear_cookies()
        page.goto("/logga-in/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        device = verified_device(user) if needs_second_factor(user) else None
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        if device is not None:
            assert "/tvastegsverifiering/" in page.url, f"no second step for {user.username}"
            page.fill("input[name=code]", current_code(device))
            with page.expect_navigation():
                page.click("main form button[type=submit]")
        assert "/logga-in/" not in page.url, f"login failed for {user.username}: {page.url}"
        assert "/tvastegsverifiering/" not in page.url, f"code refused: {user.username}"
        assert page.locator("header nav a").count() > 0, f"no menu after login: {page.url}"
        return page

    return log_in


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    """Users are made by the dozen here; PBKDF2's deliberate slowness would cost seconds each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# --- One xdist worker for the browser tests ---------------------------------------------------
#
# pytest-xdist's --dist loadgroup groups tests by appending "@group" to their node id, writing
# `item._nodeid`; pytest 9.2 keeps node ids in `item._id`, so the grouping is silently lost
# (pytest-dev/pytest-xdist#1386). Until xdist writes the new field, do it for the tests here.
# A no-op where xdist's own suffix took effect, or without loadgroup.


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not getattr(config.option, "loadgroup", False):  # set on xdist's workers only
        return
    here = Path(__file__).parent
    for item in items:
        groups = sorted({str(m.args[0]) for m in item.iter_markers("xdist_group") if m.args})
        if not groups or "@" in item.nodeid or here not in item.path.parents:
            continue
        node_id = getattr(item, "_id", None)
        if node_id is not None and hasattr(node_id, "parse"):
            item._id = type(node_id).parse(f"{item.nodeid}@{'_'.join(groups)}")
