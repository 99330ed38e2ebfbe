"""The Content-Security-Policy in the real browser (decision 0019): a walk of the main pages of
each role — the menu, and the links of each menu page — meets no violation of the policy.

Chromium reports a refused script or style on the console ("Refused to …") and fires a
``securitypolicyviolation`` event; both are collected. A control test proves the listeners hear
a violation when there is one."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error, Page

from heltid.audit.models import Action
from heltid.audit.services import log_access
from tests.browser.support import BROWSER_MARKS
from tests.catalog.factories import InterventionFactory
from tests.factories import PersonFactory

pytestmark = BROWSER_MARKS

PAGES_PER_ROLE = 30
# never walked: leaving, switching language, and files (a download is no page)
SKIP = ("/logga-ut/", "/sprak/", "/static/", "/admin/logout/", "export", ".pdf", ".xlsx", ".csv")

# Registered before any page script runs (init scripts are outside the page's policy).
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`
));
"""


class Violations:
    def __init__(self, page: Page) -> None:
        self.page = page
        self.found: list[str] = []
        page.add_init_script(LISTEN)
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.found.append(f"{page.url}: error {error}"))

    def _console(self, message: Any) -> None:
        text = message.text
        if "Refused to" in text or "Content Security Policy" in text:
            self.found.append(f"{self.page.url}: {text}")

    def collect(self) -> None:
        events = self.page.evaluate("window.__csp || []")
        self.found.extend(f"{self.page.url}: {event}" for event in events)


@pytest.fixture
def violations(page: Page) -> Iterator[Violations]:
    yield Violations(page)


def _local(page: Page, href: str | None) -> str | None:
    if not href:
        return None
    parts = urlsplit(href)
    if parts.netloc and parts.netloc != urlsplit(page.url).netloc:
        return None
    path = parts.path or "/"
    if not path.startswith("/") or any(skip in path for skip in SKIP):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _visit(page: Page, url: str, violations: Violations) -> bool:
    try:
        response = page.goto(url)
    except Error as error:  # a download starting is no page
        if "Download is starting" in str(error):
            return False
        raise
    page.wait_for_load_state("load")
    violations.collect()
    headers = response.all_headers() if response is not None else {}
    if "text/html" not in headers.get("content-type", ""):
        return False
    assert "content-security-policy" in headers, f"{url}: no Content-Security-Policy"
    return True


def walk(page: Page, violations: Violations) -> list[str]:
    """The menu pages, then the links in the main part of each; as many as PAGES_PER_ROLE."""
    menu = [_local(page, a.get_attribute("href")) for a in page.locator("header nav a").all()]
    queue = [url for url in dict.fromkeys(menu) if url]
    seen = set(queue)
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        url = queue.pop(0)
        if not _visit(page, url, violations):
            continue
        visited.append(url)
        if url not in menu:
            continue
        for link in page.locator("main a").all()[:40]:
            target = _local(page, link.get_attribute("href"))
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
    return visited


@pytest.fixture
def data(staff: Any) -> Any:
    person = PersonFactory(unit=staff.unit, first_name="Anna", last_name="Andersson")
    for n in range(3):
        InterventionFactory(name=f"Verkstad {n}", places=5 + n, occupied=n, waiting=n)
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/personer/")
    return person


@pytest.mark.parametrize("role", ["officer", "case_manager", "provider", "analyst", "admin"])
def test_csp__main_pages_of_each_role__no_violation(
    role: str,
    staff: Any,
    data: Any,
    login: Callable[[Any], Page],
    violations: Violations,
) -> None:
    page = login(getattr(staff, role))
    violations.collect()
    visited = walk(page, violations)
    if role in ("officer", "case_manager"):
        _visit(page, f"/personer/{data.pk}/", violations)
        page.goto("/personer/")
        page.fill("main form[role=search] input[name=q]", data.personnummer_display)
        with page.expect_navigation():
            page.click("main form[role=search] button[type=submit]")
        assert data.personnummer not in page.url.replace("-", "")
        violations.collect()
    assert len(visited) >= 3, visited
    assert not violations.found, "\n".join(violations.found)


def test_csp__public_and_login_pages__no_violation(
    page: Page, violations: Violations, data: Any
) -> None:
    for url in ("/logga-in/", "/offentlig/insatser/"):
        assert _visit(page, url, violations)
    assert not violations.found, "\n".join(violations.found)


def test_csp__an_inline_style__is_refused_and_heard(
    staff: Any, login: Callable[[Any], Page], violations: Violations
) -> None:
    """The control: the policy is on in the browser and the listeners hear a violation."""
    page = login(staff.officer)
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend',"
        " '<p id=inline-style style=\"color: rgb(255, 0, 0)\">x</p>')"
    )
    page.wait_for_timeout(200)
    colour = page.evaluate("getComputedStyle(document.getElementById('inline-style')).color")
    assert colour != "rgb(255, 0, 0)"  # the style attribute was not applied
    violations.collect()
    assert any("style-src" in v or "Refused to apply inline style" in v for v in violations.found)
