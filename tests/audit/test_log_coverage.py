"""Every page that shows a person writes exactly one access-log entry naming them, and every
refusal writes a "denied" entry — for every URL pattern, derived from the resolver.

A new URL pattern fails :func:`test_every_pattern_is_classified` until it is either a person
page (then the walk below opens it, as a user allowed to see the person and as one of another
unit) or listed, with the reason, among the pages that show no person or list many.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from heltid.accounts.models import Role
from heltid.accounts.permissions import PUBLIC, declared_permission, has_perm
from heltid.audit.models import AccessLog, AccessLogPerson, Action
from heltid.casework.services.plan import NewActivity, plan_create
from heltid.casework.services.progression import exit_record
from heltid.registry.models import Person, PersonFact
from tests.factories import PersonFactory, UserFactory
from tests.referrals.factories import ReferralFactory


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    view: Callable[..., Any]
    kwargs: tuple[str, ...]


def _patterns() -> list[Pattern]:
    found: list[Pattern] = []

    def walk(resolver: URLResolver, prefix: str) -> None:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                if item.namespace == "admin":
                    continue  # the admin site: administrators only, no person models
                walk(item, prefix + str(item.pattern))
            elif isinstance(item, URLPattern):
                route = prefix + str(item.pattern)
                kwargs = tuple(re.findall(r"<(?:\w+:)?(\w+)>", route))
                found.append(Pattern(str(item.name), route, item.callback, kwargs))

    walk(get_resolver(), "")
    return found


PATTERNS = {p.name: p for p in _patterns()}

# Query parameters by which a page is asked about one person.
_PERSON_QUERY = re.compile(r"""GET\.get\(\s*["'](person|deltagare)["']""")

# Pages asked about one person by a query parameter that their view does not read itself
# (a form field): name -> the parameter.
PERSON_QUERY_BY_FORM = {"catalogue_list": "deltagare"}

# Pages about one person whose address names another object of that person.
PERSON_BY_OTHER_ID = {"referral_detail", "decision_new"}

# Patterns that show no person's data.
NO_PERSON = {
    "home",  # counts and links; the caseload's persons are on /arende/
    "healthz",
    "login",
    "logout",
    "set_language",
    "person_register",  # an empty form; the registration is logged as "create"
    "recipient_import",  # the upload form; the import logs each created or changed person
    "intervention_create",
    "intervention_detail",  # an intervention: places and history, no participants
    "intervention_edit",
    "staircase",
    "actor_list",
    "actor_detail",
    "catalogue_export",  # the catalogue's interventions only
    "catalogue_import",
    "catalogue_public",
    # analysts' aggregates, counts under 5 suppressed; the pseudonymised export logs "export"
    "statistics",
    "dashboard",
    "equality",
    "board_report",
    "analyst_export",
    "scenario_list",
    "scenario_ready",
    "scenario_compare",
    "scenario_detail",
    "scenario_copy",
    "scenario_excel",
    "support_versus_wages",
}

# Signing in (some only when single sign-on or two-factor sign-in is configured): the user's
# own account, no person's data.
SIGN_IN = {
    "second_factor",
    "second_factor_enrol",
    "oidc_authentication_callback",
    "oidc_authentication_init",
    "oidc_refused",
}

# Pages that list many persons: each writes its own entries naming the persons it shows
# (checked in their apps' tests); the persons come from the user's own scope, so there is
# no person to refuse.
LISTS = {
    "person_list",  # search: one "search" entry with the persons shown, never the text
    "my_caseload",
    "unit_caseload",
    "signal_list",
    "af_notifications",
    "af_export",
    "allocation",
    "provider_home",
    "provider_intervention",
    "attendance_week",
    "provider_referral",  # provider staff: scoped by referral to their organisation
    "audit_search",  # the log itself; a look-up by personnummer is logged as "search"
}


def _reads_person_query(pattern: Pattern) -> bool:
    try:
        source = inspect.getsource(inspect.unwrap(pattern.view))
    except (OSError, TypeError):
        return False
    return bool(_PERSON_QUERY.search(source))


PERSON_PAGES = sorted(
    name
    for name, p in PATTERNS.items()
    if "person_id" in p.kwargs
    or _reads_person_query(p)
    or name in PERSON_QUERY_BY_FORM
    or name in PERSON_BY_OTHER_ID
)


def test_every_pattern_is_classified() -> None:
    unknown = set(PATTERNS) - set(PERSON_PAGES) - NO_PERSON - LISTS - SIGN_IN
    assert not unknown, (
        f"new URL patterns {sorted(unknown)}: a page showing a person must log (and take "
        "person_id or ?person=); otherwise list it in NO_PERSON or LISTS with the reason"
    )
    stale = (NO_PERSON | LISTS | PERSON_BY_OTHER_ID | set(PERSON_QUERY_BY_FORM)) - set(PATTERNS)
    assert not stale, f"listed patterns that no longer exist: {sorted(stale)}"
    assert not (set(PERSON_PAGES) & (NO_PERSON | LISTS | SIGN_IN))


def test_the_walk_finds_the_person_pages() -> None:
    """The pages the attacker found without a log entry are among those walked."""
    assert {
        "assessment_new",
        "reassign",
        "weekly_hours_edit",
        "exemption_add",
        "person_detail",
        "plan_pdf",
        "catalogue_list",
    } <= set(PERSON_PAGES)


# --- The walk ---------------------------------------------------------------------------------


@dataclass
class World:
    person: Person
    values: dict[str, int]
    officer: Any
    case_manager: Any
    outsider_officer: Any
    outsider_case_manager: Any


@pytest.fixture
def world(staff: Any) -> World:
    today = timezone.localdate()
    person = PersonFactory(
        unit=staff.unit,
        first_name="Ingegerd",
        last_name="Zetterqvistsdotter",
        case_manager=staff.case_manager,
    )
    plan = plan_create(
        person=person,
        goal="Arbete",
        exit_target="work",
        acting_user=staff.case_manager,
        today=today,
        activities=[NewActivity(kind="job_search", title="Söka", hours_per_week=Decimal(10))],
    )
    exit_ = exit_record(
        person=person,
        exit_on=today - timedelta(days=120),
        reason="work_regular",
        note="Anställning.",
        follow_up_months=[3],
        acting_user=staff.case_manager,
        page="/test/",
        today=today,
    )
    referral = ReferralFactory(person=person)
    from heltid.referrals.models import Signal

    signal = Signal.objects.create(
        person=person, kind="refusal", referral=referral, text="Tackade nej."
    )
    fact = PersonFact.objects.filter(person=person, superseded_on__isnull=True).first()
    assert fact is not None
    return World(
        person=person,
        values={
            "person_id": person.pk,
            "activity_id": plan.activities.first().pk,  # type: ignore[union-attr]
            "exit_id": exit_.pk,
            "months": 3,
            "fact_id": fact.pk,
            "referral_id": referral.pk,
            "signal_id": signal.pk,
        },
        officer=staff.officer,
        case_manager=staff.case_manager,
        outsider_officer=staff.outsider,
        outsider_case_manager=UserFactory(
            username="annan-enhet",
            role=Role.CASE_MANAGER,
            unit=staff.other_unit,
            unit_read_access=True,
        ),
    )


def _url(pattern: Pattern, world: World) -> str:
    path = "/" + pattern.route
    for name in pattern.kwargs:
        assert name in world.values, f"{pattern.name}: no test object for <{name}>"
        path = re.sub(rf"<(?:\w+:)?{name}>", str(world.values[name]), path)
    query = ""
    if pattern.name in PERSON_QUERY_BY_FORM:
        query = f"?{PERSON_QUERY_BY_FORM[pattern.name]}={world.person.pk}"
    elif _reads_person_query(pattern):
        query = f"?person={world.person.pk}"
    return path + query


def _users(pattern: Pattern, world: World) -> tuple[Any, Any]:
    """A user allowed to open the page for the person, and one of the same role elsewhere."""
    perm = declared_permission(pattern.view)
    assert perm is not None and perm != PUBLIC, f"{pattern.name} shows a person without login"
    for allowed, outsider in (
        (world.officer, world.outsider_officer),
        (world.case_manager, world.outsider_case_manager),
    ):
        if has_perm(allowed, perm):  # type: ignore[arg-type]
            return allowed, outsider
    raise AssertionError(f"{pattern.name}: no test user has {perm}")


def _naming(entries: list[AccessLog], person_id: int) -> list[AccessLog]:
    """The entries naming the person: one access to them, a bulk operation listing them, or a
    search that showed them."""
    listed = set(
        AccessLogPerson.objects.filter(entry__in=entries, person_id=person_id).values_list(
            "entry_id", flat=True
        )
    )
    return [
        e
        for e in entries
        if e.person_id == person_id
        or e.pk in listed
        or person_id in (e.detail or {}).get("shown", [])
    ]


def _new_entries(after: int) -> list[AccessLog]:
    return list(AccessLog.objects.filter(pk__gt=after).order_by("pk"))


def _last_seq() -> int:
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


# GET answers a redirect (the page only takes a POST, which logs its change): nothing shown.
POST_ONLY = {"exemption_end"}


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_person_page__allowed_user__exactly_one_entry_naming_the_person(
    name: str, world: World, deadlines_passed: Any
) -> None:
    pattern = PATTERNS[name]
    allowed, _outsider = _users(pattern, world)
    client = Client()
    client.force_login(allowed)
    before = _last_seq()
    response = client.get(_url(pattern, world))
    entries = _new_entries(before)
    if name in POST_ONLY:
        assert response.status_code == 302
        assert _naming(entries, world.person.pk) == []
        return
    assert response.status_code == 200, (name, response.status_code)
    naming = _naming(entries, world.person.pk)
    assert len(naming) == 1, (name, [(e.action, e.person_id, e.detail) for e in entries])
    assert naming[0].action in {Action.VIEW, Action.EXPORT}
    assert naming[0].user_id == allowed.pk
    assert not [e for e in entries if e.action == Action.DENIED]


@pytest.mark.parametrize("name", PERSON_PAGES)
def test_person_page__user_of_another_unit__denied_logged_and_nothing_shown(
    name: str, world: World, deadlines_passed: Any
) -> None:
    pattern = PATTERNS[name]
    _allowed, outsider = _users(pattern, world)
    client = Client()
    client.force_login(outsider)
    before = _last_seq()
    response = client.get(_url(pattern, world))
    entries = _new_entries(before)
    denied = [e for e in entries if e.action == Action.DENIED]
    assert len(denied) == 1, (name, response.status_code, [(e.action, e.detail) for e in entries])
    assert denied[0].user_id == outsider.pk and denied[0].person_id == world.person.pk
    assert not [e for e in entries if e.action != Action.DENIED]
    if name in PERSON_QUERY_BY_FORM:
        assert response.status_code == 200  # the filter form says "not found"
    else:
        assert response.status_code == 404, (name, response.status_code)
    body = response.content.decode(errors="replace") if not response.streaming else ""
    assert world.person.last_name not in body
    assert world.person.personnummer not in body


@pytest.mark.parametrize("name", ["person_detail", "weekly_hours_edit", "reassign"])
def test_person_page__permission_denied__logged(name: str, world: World, staff: Any) -> None:
    """A role without the page's permission: 403, and a "denied" entry naming the person."""
    pattern = PATTERNS[name]
    client = Client()
    client.force_login(staff.analyst)
    before = _last_seq()
    response = client.get(_url(pattern, world))
    assert response.status_code == 403
    [entry] = _new_entries(before)
    assert (entry.action, entry.person_id, entry.user_id) == (
        Action.DENIED,
        world.person.pk,
        staff.analyst.pk,
    )


def test_missing_person__denied_by_number_only(world: World, staff: Any) -> None:
    client = Client()
    client.force_login(staff.officer)
    before = _last_seq()
    missing = Person.objects.order_by("-pk").values_list("pk", flat=True).first() + 1000  # type: ignore[operator]
    assert client.get(f"/personer/{missing}/timmar/").status_code == 404
    [entry] = _new_entries(before)
    assert entry.action == Action.DENIED and entry.person_id is None
    assert entry.detail["person_id"] == missing


def test_anonymous__redirected_to_login__nothing_logged(world: World) -> None:
    before = _last_seq()
    response = Client().get(f"/personer/{world.person.pk}/")
    assert response.status_code == 302
    assert _new_entries(before) == []
