"""The demo municipality's units and staff logins, one shared demo password."""

from __future__ import annotations

from dataclasses import dataclass

from heltid.accounts.models import Role, Unit, UnitKind, User
from heltid.demo import names

DEMO_PASSWORD = "heltid-demo"


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    unit: str | None
    primary: bool = False  # the login `heltid demo_logins` shows for the role
    protected_identity_access: bool = False
    unit_read_access: bool = False
    is_staff: bool = False


DEMO_UNITS: tuple[DemoUnit, ...] = (
    DemoUnit("ekb-nord", "Ekonomiskt bistånd Nord", UnitKind.BENEFIT),
    DemoUnit("ekb-syd", "Ekonomiskt bistånd Syd", UnitKind.BENEFIT),
    DemoUnit("amc", "Arbetsmarknadscentrum AMC", UnitKind.LABOUR_MARKET),
    DemoUnit("leanlink", "Leanlink Support- och arbetsteamet", UnitKind.PROVIDER),
    DemoUnit("ledning", "Ledning och analys", UnitKind.MANAGEMENT),
)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(
        "handlaggare.nord",
        Role.BENEFIT_OFFICER,
        "ekb-nord",
        primary=True,
        protected_identity_access=True,
    ),
    DemoUser("handlaggare.syd", Role.BENEFIT_OFFICER, "ekb-syd"),
    DemoUser("casemanager.nord", Role.CASE_MANAGER, "ekb-nord", primary=True),
    DemoUser("casemanager.syd", Role.CASE_MANAGER, "ekb-syd", unit_read_access=True),
    DemoUser("utforare.amc", Role.PROVIDER, "amc", primary=True),
    DemoUser("utforare.leanlink", Role.PROVIDER, "leanlink"),
    DemoUser("analytiker", Role.ANALYST, "ledning", primary=True),
    DemoUser("admin", Role.ADMIN, None, primary=True, is_staff=True),
)

# The benefit officer who decides the exemptions of each benefit unit.
DECIDING_OFFICER = {"ekb-nord": "handlaggare.nord", "ekb-syd": "handlaggare.syd"}


def ensure_units() -> tuple[dict[str, Unit], int]:
    """The demo units by code, and how many were created; existing units are left alone."""
    units = {}
    created = 0
    for spec in DEMO_UNITS:
        unit, new = Unit.objects.get_or_create(
            code=spec.code, defaults={"name": spec.name, "kind": spec.kind}
        )
        units[spec.code] = unit
        created += new
    return units, created


def ensure_users(units: dict[str, Unit]) -> tuple[dict[str, User], int]:
    """The demo users by username, and how many were created; existing users are left alone."""
    existing = {
        u.username: u for u in User.objects.filter(username__in=[s.username for s in DEMO_USERS])
    }
    missing = [spec for spec in DEMO_USERS if spec.username not in existing]
    if missing:
        template = User()
        template.set_password(DEMO_PASSWORD)  # hashing is slow: once, then the hash is reused
        created = User.objects.bulk_create(
            [_user(spec, units, template.password) for spec in missing]
        )
        existing.update({u.username: u for u in created})
    return existing, len(missing)


def _user(spec: DemoUser, units: dict[str, Unit], password_hash: str) -> User:
    first_name, last_name = names.STAFF_NAMES[spec.username]
    return User(
        username=spec.username,
        password=password_hash,
        first_name=first_name,
        last_name=last_name,
        email=f"{spec.username}@demo.heltid.invalid",
        role=spec.role,
        unit=units[spec.unit] if spec.unit else None,
        protected_identity_access=spec.protected_identity_access,
        unit_read_access=spec.unit_read_access,
        is_staff=spec.is_staff,
    )


def primary_logins() -> list[DemoUser]:
    """One demo login per role, in the order of ``Role``."""
    by_role = {spec.role: spec for spec in DEMO_USERS if spec.primary}
    return [by_role[role] for role in Role.values if role in by_role]
