"""Plan pages: who may see and change them, forms whose errors change nothing, the activity
status flow, the hours against the weekly target, the version history, the PDF and the
person page's plan panel."""

from __future__ import annotations

import io
import re
import threading
from datetime import date, timedelta
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from heltid.accounts.models import Role
from heltid.audit.models import AccessLog
from heltid.casework.forms.plan import add_errors
from heltid.casework.models import (
    ActivityKind,
    ActivityStatus,
    Assessment,
    Childcare,
    Health,
    Plan,
    PlanActivity,
    PlanVersion,
    SwedishLevel,
)
from heltid.casework.services.plan import NewActivity, plan_create, plan_sign
from heltid.casework.views.plan import ChangeLine, describe, render_pdf
from heltid.registry.models import Person
from tests.catalog.factories import InterventionFactory
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory, add_child

TODAY = suite_today()


def in_days(days: int) -> date:
    """The day so many days after the suite's day (before it when negative)."""
    return TODAY + timedelta(days=days)


def sv(msgid: str, **params: Any) -> str:
    """A source string as the Swedish pages show it (whether or not it is translated yet)."""
    with translation.override("sv"):
        text = translation.gettext(msgid)
    return text % params if params else text


def url(person: Any, tail: str = "") -> str:
    return f"/personer/{person.pk}/plan/{tail}"


@pytest.fixture
def own(staff: Any, person: Any) -> Person:
    """The case manager's own participant (no children: a weekly target of 40 hours)."""
    Person.objects.filter(pk=person.pk).update(case_manager=staff.case_manager)
    person.refresh_from_db()
    return person


def make_plan(person: Any, user: Any, *activities: NewActivity, goal: str = "Arbete") -> Plan:
    return plan_create(
        person=person,
        goal=goal,
        exit_target="work",
        acting_user=user,
        today=timezone.localdate(),
        activities=list(activities),
    )


def activity(kind: str, title: str, hours: int, **kwargs: Any) -> NewActivity:
    return NewActivity(kind=kind, title=title, hours_per_week=Decimal(hours), **kwargs)


def new_plan_data(**overrides: str) -> dict[str, str]:
    data = {
        "goal": "Arbete inom lager",
        "exit_target": "work",
        "aktivitet-TOTAL_FORMS": "3",
        "aktivitet-INITIAL_FORMS": "0",
        "aktivitet-MIN_NUM_FORMS": "0",
        "aktivitet-MAX_NUM_FORMS": "3",
    }
    for n in range(3):
        data[f"aktivitet-{n}-status"] = "planned"
    data.update(overrides)
    return data


def snapshot_counts() -> tuple[int, int, int]:
    return Plan.objects.count(), PlanActivity.objects.count(), PlanVersion.objects.count()


# --- Who may see and change the plan ----------------------------------------------------------


def test_plan_page__no_plan__case_manager_gets_the_form(
    staff: Any, own: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    assert 'name="goal"' in body and 'name="aktivitet-0-kind"' in body
    assert AccessLog.objects.filter(action="view", person_id=own.pk, page=url(own)).exists()


def test_plan_page__no_plan__benefit_officer_sees_no_plan_and_no_form(
    staff: Any, own: Any, client: Client
) -> None:
    client.force_login(staff.officer)
    response = client.get(url(own))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="no-plan"' in body and 'name="goal"' not in body


def test_plan_create__benefit_officer_post__404_logged_and_nothing_saved(
    staff: Any, own: Any, client: Client
) -> None:
    client.force_login(staff.officer)
    assert client.post(url(own), new_plan_data()).status_code == 404
    assert snapshot_counts() == (0, 0, 0)
    assert AccessLog.objects.filter(action="denied", person_id=own.pk).exists()


@pytest.mark.parametrize(
    "tail",
    ["", "andra/", "aktivitet/ny/", "aktivitet/1/", "signera/", "versioner/", "pdf/"],
)
def test_plan_pages__outside_the_caseload__404_and_logged(
    staff: Any, person: Any, client: Client, tail: str
) -> None:
    plan = make_plan(person, staff.case_manager, activity("health", "Promenad", 5))
    tail = tail.replace("aktivitet/1/", f"aktivitet/{plan.activities.get().pk}/")
    client.force_login(staff.case_manager)  # person is not on this case manager's caseload
    assert client.get(url(person, tail)).status_code == 404
    assert AccessLog.objects.filter(action="denied", page=url(person, tail)).count() == 1


@pytest.mark.parametrize("who", ["provider", "analyst", "admin"])
def test_plan_page__roles_without_casework__403(
    staff: Any, own: Any, client: Client, who: str
) -> None:
    client.force_login(getattr(staff, who))
    assert client.get(url(own)).status_code == 403


@pytest.mark.parametrize("tail", ["andra/", "aktivitet/ny/", "signera/"])
def test_plan_forms__benefit_officer__403_nothing_changes(
    staff: Any, own: Any, client: Client, tail: str
) -> None:
    make_plan(own, staff.case_manager)
    client.force_login(staff.officer)
    before = snapshot_counts()
    assert client.get(url(own, tail)).status_code == 403
    assert client.post(url(own, tail), {"goal": "x", "reason": "y"}).status_code == 403
    assert snapshot_counts() == before


def test_plan_page__benefit_officer__sees_the_plan_without_edit_links(
    staff: Any, own: Any, client: Client
) -> None:
    make_plan(own, staff.case_manager, activity("health", "Promenadgrupp", 5))
    client.force_login(staff.officer)
    body = client.get(url(own)).content.decode()
    assert "Promenadgrupp" in body
    assert url(own, "andra/") not in body and url(own, "aktivitet/ny/") not in body
    assert url(own, "pdf/") in body and url(own, "versioner/") in body


# --- Making a plan ------------------------------------------------------------------------------


def test_plan_create__goal_and_first_activities__version_one(
    staff: Any, own: Any, client: Client
) -> None:
    lager = InterventionFactory(name="Lagerträning", places=5, occupied=2)
    client.force_login(staff.case_manager)
    response = client.post(
        url(own),
        new_plan_data(
            **{
                "aktivitet-0-kind": "intervention",
                "aktivitet-0-intervention": str(lager.pk),
                "aktivitet-0-hours_per_week": "20",
                "aktivitet-0-agreed": "on",
                "aktivitet-1-kind": "job_search",
                "aktivitet-1-title": "Söka jobb",
                "aktivitet-1-hours_per_week": "5",
                "aktivitet-1-status": "proposed",
            }
        ),
    )
    assert response.status_code == 302 and response["Location"] == url(own)
    plan = Plan.objects.get(person=own)
    assert (plan.goal, plan.exit_target, plan.version) == ("Arbete inom lager", "work", 1)
    rows = list(plan.activities.order_by("pk").values_list("title", "status", "agreed"))
    assert rows == [("Lagerträning", "planned", True), ("Söka jobb", "proposed", False)]
    assert plan.activities.get(kind="intervention").added_by == staff.case_manager


def test_plan_create__errors__beside_the_fields_and_nothing_saved(
    staff: Any, own: Any, client: Client
) -> None:
    client.force_login(staff.case_manager)
    response = client.post(
        url(own),
        new_plan_data(
            goal="   ",
            exit_target="retirement",
            **{
                "aktivitet-0-kind": "intervention",
                "aktivitet-0-hours_per_week": "41",
                "aktivitet-1-kind": "health",
                "aktivitet-1-hours_per_week": "5",
                "aktivitet-1-start_on": in_days(10).isoformat(),
                "aktivitet-1-end_on": in_days(9).isoformat(),  # before the start
            },
        ),
    )
    body = response.content.decode()
    assert response.status_code == 200
    for field in (
        "goal",
        "exit_target",
        "aktivitet-0-intervention",
        "aktivitet-0-hours_per_week",
        "aktivitet-1-title",
        "aktivitet-1-end_on",
    ):
        assert f'id="id_{field}_error"' in body, field
    assert sv("Choose the intervention from the catalogue.") in body
    assert snapshot_counts() == (0, 0, 0)


def test_plan_page__post_with_a_plan__creates_nothing(staff: Any, own: Any, client: Client) -> None:
    make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    assert client.post(url(own), new_plan_data()).status_code == 302
    assert snapshot_counts() == (1, 0, 1)


# --- The page: schedule, hours, family ------------------------------------------------------


def test_plan_page__schedule_shows_who_added_what(staff: Any, own: Any, client: Client) -> None:
    lager = InterventionFactory(name="Lagerträning")
    make_plan(
        own,
        staff.case_manager,
        activity("intervention", "", 20, intervention=lager, agreed=True),
        activity("studies", "SFI", 10, status="proposed"),
    )
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    assert f'href="/insatser/{lager.pk}/">Lagerträning</a>' in body
    assert sv("Proposed") in body and sv("SFI or studies held by others") in body
    assert staff.case_manager.get_full_name() in body
    assert timezone.localdate().isoformat() in body
    entry = AccessLog.objects.filter(action="view", person_id=own.pk).latest("pk")
    assert entry.detail["plan"] == Plan.objects.get().pk


def test_plan_page__hours_match_the_target__no_warning(
    staff: Any, own: Any, client: Client
) -> None:
    make_plan(
        own,
        staff.case_manager,
        activity("health", "Promenadgrupp", 10),
        activity("other", "Arbetsträning", 30),
    )
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    assert 'id="hours-matches"' in body
    assert sv("The plan's assigned hours match the target of %(t)s hours a week.", t=40) in body
    assert 'id="hours-warning"' not in body and 'id="job-search-warning"' not in body


def test_plan_page__hours_missing__warns_how_many(staff: Any, own: Any, client: Client) -> None:
    make_plan(
        own,
        staff.case_manager,
        activity("health", "Promenadgrupp", 10),
        activity("other", "Föreslagen praktik", 20, status="proposed"),  # does not count yet
    )
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    expected = sv(
        "%(m)s hours a week are missing: the plan assigns %(a)s of the target %(t)s hours.",
        m=30,
        a=10,
        t=40,
    )
    assert 'id="hours-warning"' in body and expected in body
    assert 'id="hours-matches"' not in body


def test_plan_page__hours_over__warns_how_many(staff: Any, own: Any, client: Client) -> None:
    make_plan(own, staff.case_manager, activity("other", "Heltid", 40), activity("health", "x", 5))
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    expected = sv(
        "The plan assigns %(o)s hours a week more than the target: %(a)s of %(t)s hours.",
        o=5,
        a=45,
        t=40,
    )
    assert expected in body


def test_plan_page__job_search_planned__separate_warning_and_not_counted(
    staff: Any, own: Any, client: Client
) -> None:
    make_plan(
        own,
        staff.case_manager,
        activity("other", "Arbetsträning", 30),
        activity("job_search", "Söka jobb", 10),
    )
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    assert 'id="job-search-warning"' in body
    assert (
        sv(
            "Own job search, %(j)s hours a week, is planned but does not count as an assigned "
            "activity: it is not part of the assigned hours.",
            j=10,
        )
        in body
    )
    # 30 + 10 would be 40, but job search does not count: 10 hours are missing.
    assert 'id="hours-warning"' in body and 'id="hours-matches"' not in body


def test_plan_page__child_under_eight__ages_childcare_and_lower_target(
    staff: Any, own: Any, client: Client
) -> None:
    today = timezone.localdate()
    three_years_old = date(today.year - 3, 1, 1)
    add_child(own.household, three_years_old)
    add_child(own.household, date(today.year - 12, 1, 1))
    Assessment.objects.create(
        person=own,
        assessed_on=today - timedelta(days=40),
        swedish_level=SwedishLevel.MODERATE,
        health=Health.NONE,
        childcare=Childcare.MISSING,
    )
    Assessment.objects.create(
        person=own,
        assessed_on=today - timedelta(days=5),
        swedish_level=SwedishLevel.MODERATE,
        health=Health.NONE,
        childcare=Childcare.PARTLY,
    )
    make_plan(own, staff.case_manager, activity("other", "Arbetsträning", 30))
    client.force_login(staff.case_manager)
    body = client.get(url(own)).content.decode()
    with translation.override("sv"):
        three = translation.ngettext(
            "%(age)s year old, born %(born)s", "%(age)s years old, born %(born)s", 3
        ) % {"age": 3, "born": three_years_old.isoformat()}
    assert three in body
    assert sv("Childcare partly arranged") in body  # the latest assessment's
    assert sv("Childcare missing") not in body
    assert "barn under 8 år" in body  # the rules' reason for the lower target
    assert 'id="hours-matches"' in body  # 40 less 10 for the young child: 30 match


# --- Changing the plan ---------------------------------------------------------------------------


def test_plan_edit__goal_and_reason__new_version(staff: Any, own: Any, client: Client) -> None:
    plan = make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    response = client.post(
        url(own, "andra/"),
        {"goal": "Studier på komvux", "exit_target": "studies", "reason": "Ny inriktning"},
    )
    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.goal, plan.exit_target, plan.version) == ("Studier på komvux", "studies", 2)
    assert plan.versions.get(number=2).reason == "Ny inriktning"


@pytest.mark.parametrize(
    ("data", "fields"),
    [
        ({"goal": "Nytt mål", "exit_target": "work", "reason": ""}, ["reason"]),
        ({"goal": " ", "exit_target": "work", "reason": "x"}, ["goal"]),
        ({"goal": "Nytt", "exit_target": "moon", "reason": "x"}, ["exit_target"]),
        ({"goal": "x" * 2001, "exit_target": "work", "reason": "y" * 301}, ["goal", "reason"]),
    ],
)
def test_plan_edit__errors__nothing_changes(
    staff: Any, own: Any, client: Client, data: dict[str, str], fields: list[str]
) -> None:
    plan = make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    response = client.post(url(own, "andra/"), data)
    body = response.content.decode()
    assert response.status_code == 200
    for field in fields:
        assert f'id="id_{field}_error"' in body
    plan.refresh_from_db()
    assert (plan.goal, plan.version, PlanVersion.objects.count()) == ("Arbete", 1, 1)


def test_activity_add__intervention_select_shows_free_places(
    staff: Any, own: Any, client: Client
) -> None:
    InterventionFactory(name="Lagerträning", places=7, occupied=3)
    InterventionFactory(name="Pausad verkstad", status="paused")
    make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    body = client.get(url(own, "aktivitet/ny/")).content.decode()
    with translation.override("sv"):
        free = translation.ngettext(
            "%(name)s (%(provider)s) – %(free)s free place",
            "%(name)s (%(provider)s) – %(free)s free places",
            4,
        )
    assert re.search(
        re.escape(free % {"name": "Lagerträning", "provider": "X", "free": 4}).replace("X", ".*?"),
        body,
    )
    assert "Pausad verkstad" not in body


def test_activity_add__intervention__added_with_its_name(
    staff: Any, own: Any, client: Client
) -> None:
    lager = InterventionFactory(name="Lagerträning")
    plan = make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    response = client.post(
        url(own, "aktivitet/ny/"),
        {
            "kind": "intervention",
            "intervention": str(lager.pk),
            "hours_per_week": "20",
            "status": "planned",
            "start_on": in_days(7).isoformat(),
        },
    )
    assert response.status_code == 302
    added = plan.activities.get()
    assert (added.title, added.intervention, added.start_on) == ("Lagerträning", lager, in_days(7))
    assert plan.versions.get(number=2).created_by == staff.case_manager


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "intervention", "hours_per_week": "10", "status": "planned"}, "intervention"),
        (
            {"kind": "intervention", "intervention": "999999", "hours_per_week": "1"},
            "intervention",
        ),
        ({"kind": "health", "hours_per_week": "10", "status": "planned"}, "title"),
        ({"kind": "health", "title": "x", "hours_per_week": "-1"}, "hours_per_week"),
        ({"kind": "health", "title": "x", "hours_per_week": "40.5"}, "hours_per_week"),
        ({"kind": "health", "title": "x", "hours_per_week": "NaN"}, "hours_per_week"),
        ({"kind": "health", "title": "x", "hours_per_week": "5", "status": "ongoing"}, "status"),
        ({"kind": "dance", "title": "x", "hours_per_week": "5"}, "kind"),
        (
            {"kind": "health", "title": "x", "hours_per_week": "5", "start_on": "2026-02-30"},
            "start_on",
        ),
        (
            {
                "kind": "health",
                "title": "x",
                "hours_per_week": "5",
                "start_on": in_days(14).isoformat(),
                "end_on": in_days(13).isoformat(),
            },
            "end_on",
        ),
    ],
)
def test_activity_add__errors__beside_the_field_and_nothing_changes(
    staff: Any, own: Any, client: Client, data: dict[str, str], field: str
) -> None:
    make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    response = client.post(url(own, "aktivitet/ny/"), {"status": "planned", **data})
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    assert snapshot_counts() == (1, 0, 1)


def status_options(body: str) -> list[str]:
    select = re.search(r'<select name="status".*?</select>', body, re.S)
    assert select is not None
    return re.findall(r'<option value="(\w+)"', select.group(0))


def test_activity_change__offers_only_allowed_statuses_and_moves_along(
    staff: Any, own: Any, client: Client
) -> None:
    plan = make_plan(own, staff.case_manager, activity("other", "Arbetsträning", 20))
    item = plan.activities.get()
    page = url(own, f"aktivitet/{item.pk}/")
    client.force_login(staff.case_manager)
    assert status_options(client.get(page).content.decode()) == [
        "planned",
        "proposed",
        "ongoing",
        "cancelled",
    ]
    response = client.post(
        page,
        {"status": "ongoing", "agreed": "on", "hours_per_week": "25", "reason": "Har börjat"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.agreed, item.hours_per_week) == ("ongoing", True, Decimal(25))
    assert plan.versions.get(number=2).reason == "Har börjat"
    assert status_options(client.get(page).content.decode()) == [
        "ongoing",
        "completed",
        "cancelled",
    ]


def test_activity_change__forbidden_transition__error_and_nothing_changes(
    staff: Any, own: Any, client: Client
) -> None:
    plan = make_plan(
        own, staff.case_manager, activity("other", "Arbetsträning", 20, status="proposed")
    )
    item = plan.activities.get()
    client.force_login(staff.case_manager)
    response = client.post(
        url(own, f"aktivitet/{item.pk}/"),
        {"status": "completed", "hours_per_week": "20", "reason": "Klar"},
    )
    assert response.status_code == 200
    assert 'id="id_status_error"' in response.content.decode()
    item.refresh_from_db()
    assert item.status == "proposed" and PlanVersion.objects.count() == 1


def test_activity_change__finished_activity__only_its_own_status(
    staff: Any, own: Any, client: Client
) -> None:
    plan = make_plan(own, staff.case_manager, activity("other", "Praktik", 20))
    item = plan.activities.get()
    PlanActivity.objects.filter(pk=item.pk).update(status=ActivityStatus.CANCELLED)
    client.force_login(staff.case_manager)
    body = client.get(url(own, f"aktivitet/{item.pk}/")).content.decode()
    assert status_options(body) == ["cancelled"]


def test_activity_change__missing_reason_or_bad_dates__nothing_changes(
    staff: Any, own: Any, client: Client
) -> None:
    plan = make_plan(own, staff.case_manager, activity("other", "Praktik", 20))
    item = plan.activities.get()
    client.force_login(staff.case_manager)
    response = client.post(
        url(own, f"aktivitet/{item.pk}/"),
        {
            "status": "ongoing",
            "hours_per_week": "20",
            "start_on": in_days(-10).isoformat(),
            "end_on": in_days(-40).isoformat(),
            "reason": "",
        },
    )
    body = response.content.decode()
    assert 'id="id_reason_error"' in body and 'id="id_end_on_error"' in body
    item.refresh_from_db()
    assert item.status == "planned" and PlanVersion.objects.count() == 1


def test_activity_change__activity_of_another_plan__404(
    staff: Any, own: Any, client: Client
) -> None:
    make_plan(own, staff.case_manager)
    other = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    theirs = make_plan(other, staff.case_manager, activity("health", "x", 5)).activities.get()
    client.force_login(staff.case_manager)
    assert client.get(url(own, f"aktivitet/{theirs.pk}/")).status_code == 404
    assert client.get(url(own, "aktivitet/99999999999999999999/")).status_code == 404


def test_plan_sign__records_the_date_as_a_version(staff: Any, own: Any, client: Client) -> None:
    plan = make_plan(own, staff.case_manager)
    today = timezone.localdate()
    client.force_login(staff.case_manager)
    assert client.post(url(own, "signera/"), {"signed_on": today.isoformat()}).status_code == 302
    plan.refresh_from_db()
    assert (plan.signed_on, plan.signed_version, plan.version) == (today, 2, 2)
    body = client.get(url(own)).content.decode()
    assert sv("Signed by the participant on %(d)s (version %(n)s).", d=today.isoformat(), n=2) in (
        body
    )


@pytest.mark.parametrize("when", ["future", "before_plan", "garbage", "empty"])
def test_plan_sign__bad_date__error_and_nothing_changes(
    staff: Any, own: Any, client: Client, when: str
) -> None:
    plan = make_plan(own, staff.case_manager)
    today = timezone.localdate()
    value = {
        "future": (today + timedelta(days=1)).isoformat(),
        "before_plan": (today - timedelta(days=1)).isoformat(),
        "garbage": "igår",
        "empty": "",
    }[when]
    client.force_login(staff.case_manager)
    response = client.post(url(own, "signera/"), {"signed_on": value})
    assert response.status_code == 200
    assert 'id="id_signed_on_error"' in response.content.decode()
    plan.refresh_from_db()
    assert (plan.signed_on, plan.version) == (None, 1)


@pytest.mark.parametrize("days", [1, -1])
def test_plan_sign_service__future_or_before_the_plan__refused_and_nothing_changes(
    staff: Any, own: Any, days: int
) -> None:
    plan = make_plan(own, staff.case_manager)
    with pytest.raises(ValidationError) as refused:
        plan_sign(
            plan=plan,
            signed_on=timezone.localdate() + timedelta(days=days),
            acting_user=staff.case_manager,
        )
    assert "signed_on" in refused.value.message_dict
    plan.refresh_from_db()
    assert (plan.signed_on, plan.version, PlanVersion.objects.count()) == (None, 1, 1)


def test_add_errors__service_errors_go_beside_the_fields() -> None:
    class Small(forms.Form):
        hours_per_week = forms.DecimalField()

    form = Small({"hours_per_week": "5"})
    assert form.is_valid()
    add_errors(form, ValidationError({"hours_per_week": "För många", "start_on": "Fel datum"}))
    add_errors(form, ValidationError("Planen är avslutad"))
    assert form.errors["hours_per_week"] == ["För många"]
    assert form.non_field_errors() == ["Fel datum", "Planen är avslutad"]


# --- Versions ------------------------------------------------------------------------------------


def test_versions__show_exactly_what_changed_by_whom_and_when(
    staff: Any, own: Any, client: Client
) -> None:
    lead = UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )
    lager = InterventionFactory(name="Lagerträning")
    make_plan(own, staff.case_manager, activity("job_search", "Söka jobb", 5))
    client.force_login(staff.case_manager)
    client.post(
        url(own, "aktivitet/ny/"),
        {
            "kind": "intervention",
            "intervention": lager.pk,
            "hours_per_week": "20",
            "status": "planned",
        },
    )
    client.force_login(lead)
    client.post(
        url(own, "andra/"), {"goal": "Studier", "exit_target": "studies", "reason": "Ny inriktning"}
    )
    item = PlanActivity.objects.get(kind=ActivityKind.INTERVENTION)
    client.force_login(staff.case_manager)
    client.post(
        url(own, f"aktivitet/{item.pk}/"),
        {"status": "ongoing", "agreed": "on", "hours_per_week": "20", "reason": "Har börjat"},
    )
    versions = {v.number: v for v in PlanVersion.objects.all()}
    assert sorted(versions) == [1, 2, 3, 4]

    names = {lager.pk: "Lagerträning"}
    with translation.override("sv"):
        assert describe(versions[2].snapshot, versions[3].snapshot, names) == [
            ChangeLine(sv("The plan"), sv("Goal"), "Arbete", "Studier"),
            ChangeLine(sv("The plan"), sv("Exit target"), sv("Work"), sv("Studies")),
        ]
        assert describe(versions[3].snapshot, versions[4].snapshot, names) == [
            ChangeLine("Lagerträning", sv("Status"), sv("Planned"), sv("Ongoing")),
            ChangeLine("Lagerträning", sv("Agreed with the participant"), sv("No"), sv("Yes")),
        ]
        added = describe(versions[1].snapshot, versions[2].snapshot, names)
        assert [(line.subject, line.what, line.old) for line in added] == [
            ("Lagerträning", sv("Activity added"), "–")
        ]
        assert "Lagerträning (" in added[0].new and sv("Intervention from the catalogue") in (
            added[0].new
        )

    body = client.get(url(own, "versioner/")).content.decode()
    for number, version in versions.items():
        when = timezone.localtime(version.created_at).strftime("%Y-%m-%d %H:%M")
        assert f'<td class="num">{number}</td>\n    <td>{when}</td>' in body
    assert "Ny inriktning" in body and "Har börjat" in body
    assert lead.get_full_name() in body and staff.case_manager.get_full_name() in body
    assert sv("Version %(new)s compared with version %(old)s", new=4, old=3) in body
    assert f"<td>{sv('Planned')}</td><td>{sv('Ongoing')}</td>" in body
    assert f"<td>{sv('Work')}</td><td>{sv('Studies')}</td>" in body
    assert AccessLog.objects.filter(action="view", page=url(own, "versioner/")).exists()


def test_versions__chosen_pair__one_comparison_with_every_change(
    staff: Any, own: Any, client: Client
) -> None:
    plan = make_plan(own, staff.case_manager, activity("health", "Promenad", 5))
    client.force_login(staff.case_manager)
    client.post(url(own, "andra/"), {"goal": "A", "exit_target": "work", "reason": "1"})
    client.post(url(own, "andra/"), {"goal": "B", "exit_target": "studies", "reason": "2"})
    assert plan.versions.count() == 3
    body = client.get(url(own, "versioner/"), {"fran": "1", "till": "3"}).content.decode()
    assert body.count('class="card comparison"') == 1
    assert "<td>Arbete</td><td>B</td>" in body  # goal: from version 1 straight to 3


@pytest.mark.parametrize(
    "query",
    [
        {"fran": "abc", "till": "2"},
        {"fran": "1", "till": "99999999999999999999"},
        {"fran": "2", "till": "2"},
        {"till": "-1"},
    ],
)
def test_versions__garbage_query__errors_and_the_default_list(
    staff: Any, own: Any, client: Client, query: dict[str, str]
) -> None:
    make_plan(own, staff.case_manager)
    client.force_login(staff.case_manager)
    client.post(url(own, "andra/"), {"goal": "A", "exit_target": "work", "reason": "1"})
    response = client.get(url(own, "versioner/"), query)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'class="error"' in body
    assert body.count('class="card comparison"') == 2  # each version against the one before


# --- PDF -----------------------------------------------------------------------------------------


def pdf_text(content: bytes) -> str:
    pages = PdfReader(io.BytesIO(content)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_plan_pdf__the_plan_in_swedish_and_logged(staff: Any, own: Any, client: Client) -> None:
    lager = InterventionFactory(name="Lagerträning")
    make_plan(
        own,
        staff.case_manager,
        activity("intervention", "", 20, intervention=lager),
        activity("health", "Promenadgrupp", 15),
        activity("job_search", "Söka jobb", 5),
        goal="Arbete inom lager och logistik",
    )
    client.force_login(staff.case_manager)
    response = client.get(url(own, "pdf/"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "genomf%C3%B6randeplan" in response["Content-Disposition"]
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    for expected in (
        "Arbete inom lager och logistik",
        "Lagerträning",
        "Promenadgrupp",
        "Söka jobb",
        "Anna Andersson",
        own.personnummer_display,
        staff.case_manager.get_full_name(),
        sv("%(h)s hours a week", h=40),  # the target
        sv("%(h)s hours a week", h=35),  # assigned
        sv("Participant's signature"),
    ):
        assert expected in text, expected
    entry = AccessLog.objects.get(action="export")
    assert (entry.person_id, entry.page, entry.detail["format"]) == (
        own.pk,
        url(own, "pdf/"),
        "pdf",
    )


def test_plan_pdf__hours__law_reading_and_municipal_policy_apart_with_sources(
    staff: Any, own: Any, client: Client
) -> None:
    today = timezone.localdate()
    add_child(own.household, date(today.year - 3, 1, 1))
    make_plan(own, staff.case_manager, activity("other", "Arbetsträning", 30))
    client.force_login(staff.case_manager)
    text = " ".join(pdf_text(client.get(url(own, "pdf/")).content).split())
    law, reading, policy = (
        sv("The law: the activity requirement"),
        sv("Heltid's reading of the law"),
        sv("The municipality's policy (not law)"),
    )
    assert law in text and reading in text and policy in text
    # the reduction for a young child stands under the municipality's heading, with its source
    child = text.index("10 timmar mindre eftersom ett barn under 8 år")
    assert text.index(policy) < child
    assert "Kommunens riktlinje (Linköping" in text[child:]
    assert "arbetstidslagen (1982:673) 5 §" in text  # the source of our reading of full time
    assert "verifiera" not in text.lower()


def test_plan_pdf__protected_identity__no_name(staff: Any, client: Client) -> None:
    hidden = PersonFactory(
        unit=staff.unit,
        first_name="Hemlig",
        last_name="Xylofonsdotter",  # a name no factory-made user can have
        protected_identity=True,
        case_manager=staff.case_manager,
    )
    make_plan(hidden, staff.case_manager, activity("health", "Promenadgrupp", 10))
    client.force_login(staff.case_manager)
    text = pdf_text(client.get(url(hidden, "pdf/")).content)
    assert "Skyddad identitet" in text
    assert "Hemlig" not in text and "Xylofonsdotter" not in text
    assert "Promenadgrupp" in text


def test_plan_pdf__signed__shows_the_date(staff: Any, own: Any, client: Client) -> None:
    make_plan(own, staff.case_manager)
    today = timezone.localdate().isoformat()
    client.force_login(staff.case_manager)
    client.post(url(own, "signera/"), {"signed_on": today})
    text = pdf_text(client.get(url(own, "pdf/")).content)
    assert today in text and "2" in text


def test_render_pdf__fetches_nothing_from_anywhere() -> None:
    asked: list[str] = []

    class Recorder(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        pdf = render_pdf(
            f'<link rel="stylesheet" href="{base}/x.css"><img src="{base}/x.png" alt="">'
            '<img src="file:///etc/hostname" alt=""><p>Plan</p>'
        )
    finally:
        server.shutdown()
        server.server_close()
    assert pdf.startswith(b"%PDF") and asked == []


def test_plan_pdf__no_plan__back_to_the_plan_page(staff: Any, own: Any, client: Client) -> None:
    client.force_login(staff.case_manager)
    response = client.get(url(own, "pdf/"))
    assert response.status_code == 302 and response["Location"] == url(own)
    assert not AccessLog.objects.filter(action="export").exists()


# --- No 500 on anything ----------------------------------------------------------------------


GARBAGE = [
    {"goal": "\x00", "exit_target": "x" * 1000, "reason": "\x00"},
    {"hours_per_week": "1e400", "kind": "health", "title": "x"},
    {"hours_per_week": "Infinity", "status": "completed"},
    {"intervention": "99999999999999999999999", "kind": "intervention", "hours_per_week": "1"},
    {"signed_on": "99999-01-01"},
    {"signed_on": "0000-00-00", "start_on": "2026-13-01"},
    {"aktivitet-TOTAL_FORMS": "1000000", "aktivitet-INITIAL_FORMS": "0", "goal": "x"},
    {"aktivitet-TOTAL_FORMS": "x", "aktivitet-INITIAL_FORMS": "-1"},
    {"aktivitet-0-kind": ["health", "other"], "aktivitet-0-hours_per_week": "½"},
    {},
]


@pytest.mark.parametrize("data", GARBAGE)
@pytest.mark.parametrize("tail", ["", "andra/", "aktivitet/ny/", "activity", "signera/"])
def test_plan_forms__garbage__no_500_and_nothing_changes(
    staff: Any, client: Client, tail: str, data: dict[str, Any]
) -> None:
    someone = PersonFactory(unit=staff.unit, case_manager=staff.case_manager)
    if tail != "":
        make_plan(someone, staff.case_manager, activity("health", "x", 5))
    if tail == "activity":
        tail = f"aktivitet/{PlanActivity.objects.get().pk}/"
    before = snapshot_counts()
    client.force_login(staff.case_manager)
    response = client.post(url(someone, tail), data)
    assert response.status_code in (200, 302)
    assert snapshot_counts() == before


# --- The person page's panel --------------------------------------------------------------------


def test_plan_panel__plan_in_short_on_the_person_page(staff: Any, own: Any, client: Client) -> None:
    make_plan(own, staff.case_manager, activity("other", "Arbetsträning", 25), goal="Lagerjobb")
    client.force_login(staff.case_manager)
    body = client.get(f"/personer/{own.pk}/").content.decode()
    assert "Lagerjobb" in body
    assert sv("%(a)s of %(t)s hours a week assigned", a=25, t=40) in body
    assert sv("%(m)s hours missing", m=15) in body
    assert sv("Not signed yet.") in body
    assert f'href="{url(own)}"' in body and f'href="{url(own, "pdf/")}"' in body


def test_plan_panel__no_plan__link_to_make_one(staff: Any, own: Any, client: Client) -> None:
    client.force_login(staff.case_manager)
    body = client.get(f"/personer/{own.pk}/").content.decode()
    assert sv("Make a plan") in body


class _Target:
    weekly_hours = Decimal(40)


def render_panel(person: Any, user: Any) -> str:
    return Template("{% load plan_panel %}{% plan_panel person %}").render(
        Context({"person": person, "user": user, "explanation": _Target()})
    )


def test_plan_panel__two_queries_whatever_the_plan_holds(
    staff: Any, own: Any, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(2):
        render_panel(own, staff.case_manager)
    plan = make_plan(own, staff.case_manager, activity("health", "a", 5))
    with django_assert_num_queries(2):
        render_panel(own, staff.case_manager)
    for n in range(12):
        PlanActivity.objects.create(
            plan=plan, kind="other", title=f"Aktivitet {n}", hours_per_week=Decimal(1)
        )
    with CaptureQueriesContext(connection) as captured:
        html = render_panel(own, staff.case_manager)
    assert len(captured) == 2
    assert sv("%(a)s of %(t)s hours a week assigned", a=17, t=40) in html
