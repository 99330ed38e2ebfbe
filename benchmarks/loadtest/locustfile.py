"""A working day at a benchmark city (issue 13), for Locust: the five roles in the proportions
of a municipality's staff, each doing what that role does all day (docs/loadtest.md).

Run by ``benchmarks/loadtest/run.py`` (``make loadtest``), which builds the city, starts the
server and reads the results; by hand::

    LOADTEST_CAST=cast.json locust -f benchmarks/loadtest/locustfile.py --headless \\
        --host http://127.0.0.1:8000 -u 50 -r 2 --run-time 120s

Environment: ``LOADTEST_CAST`` (the JSON of ``python -m benchmarks.city cast``: logins and the
ids each works with), ``LOADTEST_RESULTS`` (where the per-page response times are written at
the end), ``LOADTEST_MAX_REQUESTS`` (stop after that many requests), ``LOADTEST_WAIT`` (think
time between two clicks in seconds, ``0.5-1.5`` by default), ``LOADTEST_WARMUP`` (seconds after
the first sign-in before the steady state may begin, 15 by default).

The results keep apart the sign-in pages, the requests made while users still arrive (and the
server's workers warm up: templates, the chart renderer) and the steady state, which begins
when every user has signed in and the warm-up has passed.

Every user signs in as a browser would: the login form, then — every role but the analyst —
the six-digit code of the login's authenticator, computed from its key with django-otp's TOTP.
Each simulated user has a login of its own (a code is accepted once per login and 30 seconds).
The server runs as in production behind the TLS proxy, so every request carries
``X-Forwarded-Proto: https`` and each form post its ``Origin``. Pages are named by their route
(``/personer/[id]/plan/``), so the statistics group per page, not per person. Only 127.0.0.1 is
ever asked.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import time
import urllib.parse
from collections import defaultdict
from html.parser import HTMLParser
from http.cookiejar import DefaultCookiePolicy
from typing import Any

import gevent
from django_otp.oath import totp
from locust import FastHttpUser, between, events, task
from locust.env import Environment

CAST: dict[str, Any] = {}
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SEARCH_TOKEN = re.compile(r"[?&]sok=([A-Za-z0-9_-]+)")
UNIT_CASE_MANAGER = re.compile(r"[?&]visa=(\d+)")
ATTENDANCE_CELL = re.compile(r"r\d+-\d{8}")
SIGN_IN_PAGES = ("/logga-in/", "/tvastegsverifiering/")
NOTES = "Uppföljning: närvaron stämmer med planen, nästa steg diskuterat."


def _wait() -> Any:
    low, _, high = os.environ.get("LOADTEST_WAIT", "0.5-1.5").partition("-")
    return between(float(low), float(high or low))


# --- the results, in the run's own terms ----------------------------------------------------


class Results:
    """Response times per page name, apart for the arrival (users still signing in) and the
    steady state; failures with their first messages. Written as JSON at the end."""

    def __init__(self) -> None:
        self.times: dict[str, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
        self.failures: dict[str, int] = defaultdict(int)
        self.messages: list[str] = []
        self.started = time.monotonic()
        self.steady_from: float | None = None
        self.stopped: float | None = None
        self.count = 0
        self.limit = int(os.environ.get("LOADTEST_MAX_REQUESTS", "0") or 0)
        self.warm_up = float(os.environ.get("LOADTEST_WARMUP", "15") or 0)
        self.users: int | None = None  # how many arrive, known when all have spawned
        self.signed_in = 0
        self.first_sign_in: float | None = None

    def user_signed_in(self) -> None:
        self.signed_in += 1
        if self.first_sign_in is None:
            self.first_sign_in = time.monotonic()
        self.maybe_steady()

    def maybe_steady(self) -> None:
        """The steady state begins once every user has signed in and the warm-up is over."""
        if self.steady_from is not None or self.users is None or self.signed_in < self.users:
            return
        assert self.first_sign_in is not None
        wait = self.first_sign_in + self.warm_up - time.monotonic()
        if wait > 0:
            gevent.spawn_later(wait, self.begin)
        else:
            self.begin()

    def begin(self) -> None:
        if self.steady_from is None:
            self.steady_from = time.monotonic()

    def record(self, name: str, method: str, ms: float, exception: Any) -> None:
        if name.startswith(SIGN_IN_PAGES):
            phase = "sign-in"
        else:
            phase = "steady" if self.steady_from is not None else "arrival"
        self.times[name][phase].append(ms)
        self.count += 1
        if exception is not None:
            self.failures[name] += 1
            if len(self.messages) < 20:
                self.messages.append(f"{method} {name}: {str(exception)[:300]}")

    def as_json(self) -> dict[str, Any]:
        end = self.stopped or time.monotonic()
        steady = end - self.steady_from if self.steady_from is not None else 0.0
        return {
            "pages": {name: dict(phases) for name, phases in self.times.items()},
            "failures": dict(self.failures),
            "messages": self.messages,
            "seconds": end - self.started,
            "steady_seconds": steady,
            "users": self.users,
            "signed_in": self.signed_in,
        }


RESULTS = Results()


@events.init.add_listener
def _load_cast(environment: Environment, **_kwargs: Any) -> None:
    path = os.environ.get("LOADTEST_CAST", "")
    if not path:
        raise SystemExit("LOADTEST_CAST: the cast file (python -m benchmarks.city cast FILE)")
    with open(path, encoding="utf-8") as handle:
        CAST.update(json.load(handle))


@events.test_start.add_listener
def _only_localhost(environment: Environment, **_kwargs: Any) -> None:
    host = urllib.parse.urlsplit(environment.host or "").hostname
    if host != "127.0.0.1":
        raise SystemExit(f"the load test asks 127.0.0.1 only, not {host!r}")


@events.spawning_complete.add_listener
def _all_arrived(user_count: int, **_kwargs: Any) -> None:
    RESULTS.users = user_count
    RESULTS.maybe_steady()


@events.request.add_listener
def _request(
    request_type: str,
    name: str,
    response_time: float,
    exception: Any,
    context: Any = None,
    **_kwargs: Any,
) -> None:
    RESULTS.record(name, request_type, response_time, exception)
    if RESULTS.limit and RESULTS.count == RESULTS.limit:
        runner = _ENV.runner if _ENV is not None else None
        if runner is not None:
            gevent.spawn(runner.quit)


_ENV: Environment | None = None


@events.init.add_listener
def _keep_environment(environment: Environment, **_kwargs: Any) -> None:
    global _ENV
    _ENV = environment


@events.test_stop.add_listener
def _write(environment: Environment, **_kwargs: Any) -> None:
    RESULTS.stopped = time.monotonic()
    path = os.environ.get("LOADTEST_RESULTS", "")
    if path:
        with open(path, "w", encoding="utf-8") as handle:
            json.dump(RESULTS.as_json(), handle)


# --- forms ----------------------------------------------------------------------------------


class FormFields(HTMLParser):
    """The fields of the page's forms as a browser would post them untouched: inputs with
    their values (checkboxes and radios when checked), each select's selected option (else
    its first), textareas' text. Per form, keyed by the form's action."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, list[tuple[str, str]]] = {}
        self._form: list[tuple[str, str]] | None = None
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._form = self.forms.setdefault(a.get("action", ""), [])
        elif self._form is None or ("name" not in a and tag != "option"):
            return
        elif tag == "input" and a.get("type", "text") not in ("submit", "button", "file"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form.append((a["name"], a.get("value", "on" if "checked" in a else "")))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], []

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            if chosen:
                self._form.append((self._select, chosen[0]))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            self._form.append((self._textarea, "".join(self._text).strip()))
            self._textarea = None
        elif tag == "form":
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, action_contains: str) -> list[tuple[str, str]] | None:
    """The fields of the page's form that posts to an address containing ``action_contains``,
    or to the page itself (no action); None when there is none."""
    parser = FormFields()
    parser.feed(html)
    for action, fields in parser.forms.items():
        if (not action or action_contains in action) and any(
            n == "csrfmiddlewaretoken" for n, _ in fields
        ):
            return fields
    return None


class BehindTheProxy(DefaultCookiePolicy):
    """The server sees https (``X-Forwarded-Proto``) and sets its cookies Secure; the users talk
    plain http to 127.0.0.1, where the TLS-terminating proxy would stand: send them anyway."""

    def return_ok_secure(self, cookie: Any, request: Any) -> bool:
        return True


# --- the roles ------------------------------------------------------------------------------

_NEXT: dict[str, itertools.count[int]] = defaultdict(itertools.count)
_USED_STEP: dict[str, int] = {}


class Staff(FastHttpUser):
    """Signs in with its own login of the role, then works; every request as through the
    TLS proxy. Subclasses are the roles."""

    abstract = True
    role = ""
    wait_time = _wait()
    default_headers = {"X-Forwarded-Proto": "https", "Accept-Language": "sv"}

    def on_start(self) -> None:
        accounts = CAST["accounts"].get(self.role) or []
        if not accounts:
            raise SystemExit(f"the cast has no login for the role {self.role}")
        self.account = accounts[next(_NEXT[self.role]) % len(accounts)]
        self.rng = random.Random()
        self.client.cookiejar.set_policy(BehindTheProxy())
        self.sign_in()
        RESULTS.user_signed_in()

    # -- requests --------------------------------------------------------------------------

    def page(self, path: str, name: str, **params: str) -> str:
        """GET a page that must answer 200; its HTML ('' on failure)."""
        url = path + ("?" + urllib.parse.urlencode(params) if params else "")
        with self.client.get(
            url, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code}, expected 200")
                return ""
            return response.text or ""

    def post(self, path: str, name: str, data: list[tuple[str, str]] | dict[str, str]) -> str:
        """POST a form that must answer with a redirect; the redirect's location ('' if not)."""
        origin = "https://" + urllib.parse.urlsplit(str(self.host)).netloc
        headers = {
            "Origin": origin,
            "Referer": origin + path,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urllib.parse.urlencode(data)
        with self.client.post(
            path, data=body, name=name, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code not in (301, 302, 303):
                response.failure(f"{response.status_code}, expected a redirect: form refused?")
                return ""
            return str(response.headers.get("Location", ""))

    def sign_in(self) -> None:
        login = self.page("/logga-in/", "/logga-in/")
        token = TOKEN.search(login)
        if not token:
            return
        fields = {
            "csrfmiddlewaretoken": token.group(1),
            "username": self.account["username"],
            "password": CAST["password"],
            "next": "",
        }
        if not self.post("/logga-in/", "/logga-in/ (POST)", fields):
            return
        key = self.account.get("totp_key")
        if not key:
            return  # analysts see aggregates only: no second factor
        form = self.page("/tvastegsverifiering/", "/tvastegsverifiering/")
        token = TOKEN.search(form)
        if not token:
            return
        step = int(time.time()) // 30
        if _USED_STEP.get(self.account["username"]) == step:
            gevent.sleep(30 - time.time() % 30 + 0.5)  # a code is accepted once per login and step
        _USED_STEP[self.account["username"]] = int(time.time()) // 30
        code = f"{totp(bytes.fromhex(key)):06d}"
        data = {"csrfmiddlewaretoken": token.group(1), "code": code, "next": "/"}
        self.post("/tvastegsverifiering/", "/tvastegsverifiering/ (POST)", data)

    def search(self) -> None:
        """The person search: terms by POST, the results behind a token (decision 0019)."""
        html = self.page("/personer/", "/personer/")
        token = TOKEN.search(html)
        if not token:
            return
        name = self.rng.choice(CAST["surnames"])
        data = {"csrfmiddlewaretoken": token.group(1), "q": name}
        location = self.post("/personer/", "/personer/ (search POST)", data)
        found = SEARCH_TOKEN.search(location)
        if found:
            self.page("/personer/", "/personer/?sok=[token]", sok=found.group(1))

    def person(self) -> int:
        return int(self.rng.choice(self.account["persons"]))


class CaseManager(Staff):
    """Case managers: the caseload, their persons' pages, plans, referrals and follow-ups."""

    role = "case_manager"
    weight = 60

    @task(2)
    def home(self) -> None:
        self.page("/", "/")

    @task(4)
    def caseload(self) -> None:
        variant = self.rng.choice(({}, {}, {"att_gora": "on"}, {"lage": "overdue"}, {"sida": "2"}))
        self.page("/arende/", "/arende/", **variant)

    @task(6)
    def person_page(self) -> None:
        pk = self.person()
        self.page(f"/personer/{pk}/", "/personer/[id]/")
        if self.rng.random() < 0.5:
            self.page(f"/personer/{pk}/plan/", "/personer/[id]/plan/")
        if self.rng.random() < 0.4:
            self.page(f"/personer/{pk}/anvisningar/", "/personer/[id]/anvisningar/")

    @task(1)
    def follow_ups(self) -> None:
        self.page(f"/personer/{self.person()}/uppfoljning/", "/personer/[id]/uppfoljning/")

    @task(2)
    def find(self) -> None:
        self.search()

    @task(1)
    def catalogue(self) -> None:
        self.page("/insatser/", "/insatser/")

    @task(1)
    def matching(self) -> None:
        self.page(f"/personer/{self.person()}/matchning/", "/personer/[id]/matchning/")

    @task(1)
    def record_follow_up(self) -> None:
        """A follow-up held today, the plan's activities as they are."""
        pk = self.person()
        path = f"/personer/{pk}/uppfoljning/ny/"
        html = self.page(path, "/personer/[id]/uppfoljning/ny/")
        fields = form_fields(html, "uppfoljning/ny") if html else None
        if fields is None:
            return
        changed = {"mode": "phone", "notes": NOTES}
        data = [(n, changed.pop(n, v)) for n, v in fields] + list(changed.items())
        self.post(path, "/personer/[id]/uppfoljning/ny/ (POST)", data)


class BenefitOfficer(Staff):
    """Benefit officers: signals and decisions, their unit's persons, the notifications."""

    role = "benefit_officer"
    weight = 15

    @task(2)
    def home(self) -> None:
        self.page("/", "/")

    @task(4)
    def signals(self) -> None:
        self.page("/signaler/", "/signaler/", **self.rng.choice(({}, {}, {"sida": "2"})))

    @task(2)
    def decision_form(self) -> None:
        signals = self.account.get("signals") or []
        if signals:
            pk = self.rng.choice(signals)
            self.page(f"/signaler/{pk}/beslut/", "/signaler/[id]/beslut/")

    @task(4)
    def person_page(self) -> None:
        self.page(f"/personer/{self.person()}/", "/personer/[id]/")

    @task(3)
    def find(self) -> None:
        self.search()

    @task(1)
    def notifications(self) -> None:
        self.page("/af-underrattelser/", "/af-underrattelser/")


class Provider(Staff):
    """Provider staff: their referrals, an intervention's participants, a week's attendance."""

    role = "provider"
    weight = 12

    def intervention(self) -> int:
        return int(self.rng.choice(self.account["interventions"]))

    @task(4)
    def home(self) -> None:
        self.page("/utforare/", "/utforare/")

    @task(3)
    def intervention_page(self) -> None:
        self.page(f"/utforare/insatser/{self.intervention()}/", "/utforare/insatser/[id]/")

    @task(3)
    def attendance(self) -> None:
        pk = self.intervention()
        self.page(f"/utforare/insatser/{pk}/narvaro/", "/utforare/insatser/[id]/narvaro/")

    @task(1)
    def save_attendance(self) -> None:
        """This week's attendance for the whole group, a few days marked absent."""
        path = f"/utforare/insatser/{self.intervention()}/narvaro/"
        html = self.page(path, "/utforare/insatser/[id]/narvaro/")
        fields = form_fields(html, "narvaro") if html else None
        if not fields or len(fields) < 2:
            return  # no one to mark this week

        def mark(name: str, value: str) -> str:
            if not ATTENDANCE_CELL.fullmatch(name):
                return value
            roll = self.rng.random()
            return "sick" if roll < 0.03 else "unexcused" if roll < 0.04 else value

        data = [(n, mark(n, v)) for n, v in fields]
        self.post(path, "/utforare/insatser/[id]/narvaro/ (POST)", data)

    @task(1)
    def catalogue(self) -> None:
        self.page("/insatser/", "/insatser/")


class TeamLead(Staff):
    """Team leads (case managers who may read the unit): the unit view, reassignment's lists,
    the waiting lists' allocation, the unit's persons."""

    role = "team_lead"
    weight = 8

    @task(1)
    def home(self) -> None:
        self.page("/", "/")

    @task(4)
    def unit(self) -> None:
        html = self.page("/arende/enhet/", "/arende/enhet/")
        managers = UNIT_CASE_MANAGER.findall(html)
        if managers and self.rng.random() < 0.5:
            self.page("/arende/enhet/", "/arende/enhet/?visa=[id]", visa=self.rng.choice(managers))

    @task(3)
    def person_page(self) -> None:
        self.page(f"/personer/{self.person()}/", "/personer/[id]/")

    @task(1)
    def allocation(self) -> None:
        self.page("/arende/fordelning/", "/arende/fordelning/")


class Analyst(Staff):
    """Analysts: the dashboard with its filters, target group, equality, planning."""

    role = "analyst"
    weight = 5
    FILTERS: tuple[dict[str, str], ...] = (
        {},
        {"enhet": "sthlm-soder"},
        {"kon": "F"},
        {"alder": "30-44"},
        {"steg": "arbetsinriktad-rehabilitering"},
        {"enhet": "sthlm-soder", "kon": "F", "alder": "30-44"},
    )

    @task(4)
    def dashboard(self) -> None:
        self.page("/statistik/oversikt/", "/statistik/oversikt/", **self.rng.choice(self.FILTERS))

    @task(2)
    def statistics(self) -> None:
        self.page("/statistik/", "/statistik/")

    @task(1)
    def equality(self) -> None:
        self.page("/statistik/jamstalldhet/", "/statistik/jamstalldhet/")

    @task(1)
    def planning(self) -> None:
        self.page("/planering/", "/planering/")

    @task(1)
    def staircase(self) -> None:
        self.page("/insatser/trappan/", "/insatser/trappan/")
