"""Headers and URLs (decision 0019): a crawl of every page each role reaches.

From the start page, breadth-first along the links within the site (GET only), as each role of a
small demo municipality and as the standing test users: no personal identity number in any
address visited or in any page title, ``Cache-Control: no-store`` on every response, the
Content-Security-Policy on every page, and nothing inline that the policy would refuse.
"""

from __future__ import annotations

import re
import time
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from django.test import Client

from heltid.accounts.models import User
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.demo.generator import build_demo
from heltid.demo.staff import DEMO_USERS
from heltid.registry.models import Person
from heltid.registry.selectors import persons_for
from heltid.web.security import (
    CONTENT_SECURITY_POLICY,
    PERMISSIONS_POLICY,
    SEARCH_LIFETIME_SECONDS,
    SEARCHES_SESSION_KEY,
)
from tests.clock import suite_today

PERSONNUMMER = re.compile(r"\d{6,8}[-+]?\d{4}")
MAX_PAGES = 300
PER_PATH = 3  # addresses per path (the admin's filters combine without end)
# never followed: the other language (the same pages again) and the admin's history of objects
SKIP = re.compile(r"^/(static|media)/|^/i18n/|/history/$|^/admin/logout/|^/logga-ut/")


@dataclass
class Page:
    """What the crawl reads from one HTML page."""

    links: list[str] = field(default_factory=list)
    title: str = ""
    inline: list[str] = field(default_factory=list)  # what a strict CSP refuses


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self._in_title = False
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name, _value in attrs:
            if name == "style" or name.startswith("on") or name.startswith("hx-on"):
                self.page.inline.append(f"<{tag} {name}=…>")
        if tag == "a" and values.get("href"):
            self.page.links.append(str(values["href"]))
        elif tag == "title":
            self._in_title = True
        elif tag == "style":
            self.page.inline.append("<style> element")
        elif tag == "script":
            kind = (values.get("type") or "").lower()
            if not values.get("src") and kind not in ("application/json", "application/ld+json"):
                self.page.inline.append("<script> without src")
        if (values.get("href") or "").lower().startswith("javascript:"):
            self.page.inline.append(f"<{tag} href=javascript:…>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.page.title += data


def read_html(body: str) -> Page:
    reader = _Reader()
    reader.feed(body)
    return reader.page


@dataclass
class Crawl:
    visited: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _internal(url: str, base: str) -> str | None:
    absolute = urldefrag(urljoin(base, url))[0]
    parts = urlsplit(absolute)
    if parts.scheme not in ("", "http") or parts.netloc not in ("", "testserver"):
        return None
    path = parts.path or "/"
    if SKIP.search(path):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def _check(url: str, response: Any) -> list[str]:
    """What is wrong with one response: its address, headers and (for a page) its title and
    anything inline the policy would refuse."""
    where = f"{url} ({response.status_code})"
    problems = []
    if PERSONNUMMER.search(url):
        problems.append(f"{where}: a personal identity number in the address")
    if "no-store" not in response.get("Cache-Control", ""):
        problems.append(f"{where}: no Cache-Control: no-store")
    if response.get("Content-Security-Policy") != CONTENT_SECURITY_POLICY:
        problems.append(f"{where}: not the Content-Security-Policy")
    if PERSONNUMMER.search(response.get("Location", "")):
        problems.append(f"{where}: redirects to a personal identity number")
    return problems


def _next(url: str, response: Any, result: Crawl) -> list[str]:
    """The addresses a response leads to: its redirect, or the links of its page."""
    if response.status_code in (301, 302, 303, 307, 308):
        return [t for t in [_internal(response["Location"], url)] if t]
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    page = read_html(response.content.decode())
    where = f"{url} ({response.status_code})"
    if PERSONNUMMER.search(page.title):
        result.problems.append(f"{where}: a personal identity number in the title")
    result.problems.extend(f"{where}: {i} (refused by the CSP)" for i in sorted(set(page.inline)))
    targets = [t for t in (_internal(link, url) for link in page.links) if t]
    result.problems.extend(f"{where}: links to {t}" for t in targets if PERSONNUMMER.search(t))
    return [t for t in targets if not PERSONNUMMER.search(t)]


def crawl(client: Client, starts: list[str], *, limit: int = MAX_PAGES) -> Crawl:
    """Visit, breadth-first, what is reachable from ``starts``; check every response."""
    result = Crawl()
    queue: deque[str] = deque(starts)
    seen: set[str] = set(starts)
    per_path: Counter[str] = Counter()
    while queue and len(result.visited) < limit:
        url = queue.popleft()
        path = urlsplit(url).path
        if per_path[path] >= PER_PATH:
            continue
        per_path[path] += 1
        result.visited.append(url)
        response = client.get(url)
        result.problems.extend(_check(url, response))
        for target in _next(url, response, result):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return result


# --- The demo municipality, crawled as each role -------------------------------------------

DAY = suite_today()


@pytest.fixture
def demo(db: None) -> None:
    build_demo(seed=5, on=DAY, recipients=120)


def _starts(client: Client, user: User) -> list[str]:
    """The start page, and the result pages of the searches that take a personal identity
    number (searched by POST, so only their token is in the address)."""
    starts = ["/"]
    someone = persons_for(user=user).order_by("pk").first() or Person.objects.order_by("pk").first()
    assert someone is not None
    searches = [
        ("/personer/", {"q": someone.personnummer_display}),
        ("/logg/", {"personnummer": someone.personnummer}),
        ("/insatser/", {"personnummer": someone.personnummer}),
    ]
    for url, data in searches:
        response = client.post(url, data)
        if response.status_code == 302:
            starts.append(response["Location"])
    return starts


ROLES = [u.username for u in DEMO_USERS if u.primary] + ["casemanager.syd"]


@pytest.mark.slow
@pytest.mark.parametrize("username", ROLES)
def test_crawl__demo_role__no_personnummer_in_urls_or_titles_and_never_cached(
    demo: None, username: str
) -> None:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    result = crawl(client, _starts(client, user))
    assert len(result.visited) > 10, result.visited  # the crawl got somewhere
    if user.role in ("benefit_officer", "case_manager"):  # and to pages about persons
        assert any(re.match(r"/personer/\d+/", url) for url in result.visited), result.visited
        assert any("sok=" in url for url in result.visited), result.visited
    assert not result.problems, "\n".join(result.problems[:40])


def test_crawl__standing_users__same_rules(staff: Any, person: Any) -> None:
    """The standing test users (tests/conftest.py) on the pages of one person of their unit."""
    log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/p/")
    for user in (staff.officer, staff.case_manager, staff.provider, staff.analyst, staff.admin):
        client = Client()
        client.force_login(user)
        starts = [*_starts(client, user), f"/personer/{person.pk}/"]
        result = crawl(client, starts, limit=120)
        assert not result.problems, (user.username, result.problems[:40])


def test_crawl__anonymous__login_and_public_pages(db: None) -> None:
    result = crawl(Client(), ["/", "/logga-in/", "/offentlig/insatser/"], limit=40)
    assert not result.problems, result.problems


# --- The headers themselves --------------------------------------------------------------


def test_headers__a_page__no_store_csp_and_permissions_policy(staff: Any, client: Client) -> None:
    client.force_login(staff.officer)
    response = client.get("/")
    assert response["Cache-Control"] == "no-store"
    assert response["Pragma"] == "no-cache"
    policy = dict(part.split(" ", 1) for part in response["Content-Security-Policy"].split("; "))
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in response["Permissions-Policy"]


def test_headers__a_download__no_store(staff: Any, client: Client) -> None:
    client.force_login(staff.admin)
    response = client.get("/insatser/export/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_headers__login_redirect_and_404__no_store(client: Client) -> None:
    for url in ("/personer/", "/finns-inte/"):
        response = client.get(url)
        assert response["Cache-Control"] == "no-store", url


# --- Searches by token -------------------------------------------------------------------


def _persons_named(staff: Any, n: int) -> Iterator[Person]:
    from tests.factories import PersonFactory

    for _ in range(n):
        yield PersonFactory(unit=staff.unit, last_name="Tokensson")


def test_person_search__by_post__token_in_url_and_pagination_works(
    staff: Any, client: Client
) -> None:
    people = list(_persons_named(staff, 30))
    client.force_login(staff.officer)
    response = client.post("/personer/", {"q": people[0].personnummer_display})
    assert response.status_code == 302
    location = response["Location"]
    assert re.fullmatch(r"/personer/\?sok=[\w-]{16}", location), location
    assert people[0].personnummer_display in client.get(location).content.decode()
    by_name = client.post("/personer/", {"q": "Tokensson"})["Location"]
    first = client.get(by_name).content.decode()
    assert "30 träffar" in first
    next_link = re.search(r'href="(\?sok=[^"]+&amp;sida=2)"', first)
    assert next_link, "no link to the next page"
    second = client.get("/personer/" + next_link.group(1).replace("&amp;", "&"))
    assert second.context["page"].number == 2


def test_person_search__query_string__never_searched(staff: Any, client: Client) -> None:
    person = next(_persons_named(staff, 1))
    client.force_login(staff.officer)
    response = client.get("/personer/", {"q": person.personnummer_display})
    assert response.context["query"] == "" and response.context["rows"] == []


def test_search_token__another_session_or_page_or_expired__not_found(
    staff: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = next(_persons_named(staff, 1))
    client.force_login(staff.officer)
    location = client.post("/personer/", {"q": person.personnummer_display})["Location"]
    token = location.split("sok=")[1]
    other = Client()
    other.force_login(staff.colleague)
    assert person.personnummer_display not in other.get(location).content.decode()
    admin = Client()
    admin.force_login(staff.admin)
    on_another_page = admin.get(f"/logg/?sok={token}")
    assert on_another_page.context["expired"]
    later = time.time() + SEARCH_LIFETIME_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)
    expired = client.get(location)
    assert expired.context["expired"]
    assert "Sökningen har gått ut" in expired.content.decode()
    assert person.personnummer_display not in expired.content.decode()


def test_search_tokens__session_keeps_only_the_newest(staff: Any, client: Client) -> None:
    client.force_login(staff.officer)
    for n in range(30):
        client.post("/personer/", {"q": f"namn{n}"})
    assert len(client.session[SEARCHES_SESSION_KEY]) == 20


def test_audit_search__by_post__token_and_pagination(staff: Any, client: Client) -> None:
    person = next(_persons_named(staff, 1))
    for _ in range(60):
        log_access(user=staff.officer, action=Action.VIEW, person_id=person.pk, page="/p/")
    client.force_login(staff.admin)
    response = client.post("/logg/", {"personnummer": person.personnummer})
    location = response["Location"]
    assert person.personnummer not in location and "sok=" in location
    first = client.get(location)
    assert first.context["page"].paginator.count >= 60
    token = location.split("sok=")[1]
    assert f"?sok={token}&amp;sida=2" in first.content.decode()
    second = client.get(f"{location}&sida=2")
    assert second.context["page"].number == 2
