"""Standing test users per role, as healthchecks and tilavarauspalvelu do. Their names are
fixed (and unlike any person's), so a test that a name is absent cannot meet it by chance."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest

from heltid.accounts.models import Role, UnitKind, User
from tests import clock
from tests.factories import PersonFactory, UnitFactory, UserFactory, deadlines_passed_day
from tests.transactional import as_migrated, triggers_off

_STASH_BLOCKER = pytest.StashKey[Any]()

os.environ.setdefault(
    "DJANGO_ALLOW_ASYNC_UNSAFE", "true"
)  # Playwright's sync API runs an event loop


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--today",
        metavar="YYYY-MM-DD",
        default=os.environ.get("HELTID_TEST_TODAY") or None,
        help="the date the whole suite lives on (default: the real date; see tests/clock.py)",
    )


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    """Start the suite's clock before any test module is imported (tests/clock.py)."""
    option = config.getoption("--today")
    try:
        day = clock.parse_day(option) if option else clock.real_today()
    except ValueError as error:
        raise pytest.UsageError(str(error)) from None
    clock.start(day)

    from django.conf import settings

    # importing settings creates nothing; whitenoise warns (an error here) without STATIC_ROOT
    settings.STATIC_ROOT = os.path.join(tempfile.gettempdir(), "heltid-test-static")
    os.makedirs(settings.STATIC_ROOT, exist_ok=True)

    # the real hasher is deliberately slow; tests log in dozens of standing users
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_unconfigure(config: pytest.Config) -> None:
    clock.stop()


def pytest_report_header(config: pytest.Config) -> str:
    return f"suite date (--today): {clock.suite_today().isoformat()}"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    terminalreporter.write_line(f"suite date (--today): {clock.suite_today().isoformat()}")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests skip in the SQLite pass (and run in the PostgreSQL pass of CI)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: runs in CI's PostgreSQL pass")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


def _transactional(request: pytest.FixtureRequest) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction"))


@pytest.fixture(autouse=True)
def _transactional_database(
    request: pytest.FixtureRequest, django_db_blocker: Any
) -> Iterator[None]:
    """For tests on the transactional database: set up after pytest-django's database, and
    torn down before its flush (see tests/transactional.py)."""
    if not _transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    as_migrated()
    request.node.stash[_STASH_BLOCKER] = django_db_blocker
    yield
    triggers_off()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """After the flush, leave the database as the migrations made it for the tests to come.

    Not after the session's last test, whose teardown also destroys the test database."""
    try:
        return (yield)
    finally:
        blocker = item.stash.get(_STASH_BLOCKER, None)
        if blocker is not None and nextitem is not None:
            with blocker.unblock():
                as_migrated()


def verified_device(user: Any) -> Any:
    """The user's confirmed TOTP device, made as enrolment would if there is none yet."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Heltid", confirmed=True)
    return device


@pytest.fixture(autouse=True)
def _force_login_verifies_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """``client.force_login(user)`` signs in as the user would with both factors: for a user
    who needs the second factor, a confirmed TOTP device and, in the session, that device as
    verified — what django_otp.login stores (decision 0017). The product is not changed; a
    session signed in through single sign-on (``backend=OIDC_BACKEND``) gets no device."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from heltid.accounts.second_factor import OIDC_BACKEND, needs_second_factor

    force_login = Client.force_login

    def force_login_with_second_factor(self: Client, user: Any, backend: str | None = None) -> None:
        force_login(self, user, backend)
        if backend == OIDC_BACKEND or not needs_second_factor(user):
            return  # single sign-on brings the identity provider's multi-factor instead
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = verified_device(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login_with_second_factor)


@dataclass
class Staff:
    unit: object
    other_unit: object
    officer: User
    colleague: User
    outsider: User
    case_manager: User
    provider: User
    analyst: User
    admin: User


@pytest.fixture
def staff(db: None) -> Staff:
    unit = UnitFactory(code="ekb-nord", name="Ekonomiskt bistånd Nord", kind=UnitKind.BENEFIT)
    other = UnitFactory(code="ekb-syd", name="Ekonomiskt bistånd Syd", kind=UnitKind.BENEFIT)
    return Staff(
        unit=unit,
        other_unit=other,
        officer=UserFactory(
            username="handlaggare",
            first_name="Hanna",
            last_name="Handläggarsson",
            role=Role.BENEFIT_OFFICER,
            unit=unit,
        ),
        colleague=UserFactory(
            username="kollega",
            first_name="Kalle",
            last_name="Kollegasson",
            role=Role.BENEFIT_OFFICER,
            unit=unit,
        ),
        outsider=UserFactory(
            username="utomstaende",
            first_name="Ulla",
            last_name="Utomståndare",
            role=Role.BENEFIT_OFFICER,
            unit=other,
        ),
        case_manager=UserFactory(
            username="casemanager",
            first_name="Cecilia",
            last_name="Casesson",
            role=Role.CASE_MANAGER,
            unit=unit,
        ),
        provider=UserFactory(
            username="utforare",
            first_name="Ulf",
            last_name="Utförarsson",
            role=Role.PROVIDER,
            unit=UnitFactory(code="amc", name="AMC", kind=UnitKind.PROVIDER),
        ),
        analyst=UserFactory(
            username="analytiker",
            first_name="Alva",
            last_name="Analysdotter",
            role=Role.ANALYST,
            unit=UnitFactory(code="ledning", name="Ledning", kind=UnitKind.MANAGEMENT),
        ),
        admin=UserFactory(
            username="admin", first_name="Adam", last_name="Adminsson", role=Role.ADMIN, unit=None
        ),
    )


@pytest.fixture
def deadlines_passed() -> Iterator[date]:
    """A page test lives on :func:`tests.factories.deadlines_passed_day`: the pages read today's
    date from the clock, so when that is later than the suite's day (the activity requirement is
    younger than a month), the clock travels there for the test (tests.clock.living_on)."""
    with clock.living_on(deadlines_passed_day()) as day:
        yield day


@pytest.fixture
def person(staff: Staff) -> object:
    return PersonFactory(unit=staff.unit, first_name="Anna", last_name="Andersson")
