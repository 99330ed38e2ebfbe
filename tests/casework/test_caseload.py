"""The caseload: rows and to-dos from the policy's deadlines, the page and its fixed query count,
the unit view for team leads and the reassignment rules."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from heltid.accounts.models import Role
from heltid.audit.models import AccessLog
from heltid.audit.selectors import persons_named
from heltid.casework.models import ActivityKind, ActivityStatus, CaseAssignment, Exit, FollowUp
from heltid.casework.selectors import caseload_for, todos_of
from heltid.casework.services.assessment import assessment_record
from heltid.casework.services.caseload import case_manager_assign
from heltid.casework.services.plan import NewActivity, plan_create
from heltid.registry.models import Person, SupportPeriod
from heltid.rules.dates import add_months, month_start
from tests.clock import suite_today
from tests.factories import PersonFactory, UserFactory, covered_from, deadlines_passed_day

TODAY = suite_today()
COVERED_FROM = covered_from()  # of a factory person (tests/factories.py)
DEADLINES_PASSED = deadlines_passed_day()  # see the deadlines_passed fixture


@pytest.fixture
def lead(staff: Any) -> Any:
    return UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )


@pytest.fixture
def other_manager(staff: Any) -> Any:
    return UserFactory(username="casemanager2", role=Role.CASE_MANAGER, unit=staff.unit)


def _mine(staff: Any, **kwargs: Any) -> Any:
    return PersonFactory(unit=staff.unit, case_manager=staff.case_manager, **kwargs)


def _assess(person: Any, user: Any, on: date) -> None:
    assessment_record(
        person=person,
        data={"assessed_on": on, "swedish_level": "none", "health": "none"},
        acting_user=user,
        today=on,
    )


def _plan(person: Any, user: Any, on: date, *, started: bool = True) -> None:
    plan_create(
        person=person,
        goal="Arbete",
        exit_target="work",
        acting_user=user,
        today=on,
        activities=[
            NewActivity(
                kind=ActivityKind.OTHER,
                title="Arbetsträning",
                hours_per_week=Decimal(20),
                status=ActivityStatus.ONGOING if started else ActivityStatus.PLANNED,
                start_on=on if started else None,
            )
        ],
    )


def _follow_up(person: Any, held_on: date, next_on: date) -> None:
    FollowUp.objects.create(
        person=person, held_on=held_on, mode="phone", notes="Samtal", next_on=next_on
    )


# --- The selector ---------------------------------------------------------------------------


def test_caseload_for__new_person__every_start_deadline_is_an_overdue_todo(staff: Any) -> None:
    person = _mine(staff, first_name="Nora", last_name="Ny")
    PersonFactory(unit=staff.unit)  # someone else's (nobody's) person

    rows = caseload_for(user=staff.case_manager, today=DEADLINES_PASSED)

    assert [r.person.pk for r in rows] == [person.pk]
    row = rows[0]
    assert (row.name, row.covered, row.covered_from, row.weekly_hours) == (
        "Nora Ny",
        True,
        COVERED_FROM,
        Decimal(40),
    )
    assert [(t.kind, t.state.value) for t in row.todos] == [
        ("assessment", "overdue"),
        ("plan", "overdue"),
        ("first_activity", "overdue"),
        ("follow_up", "overdue"),
    ]
    assert row.next_deadline is not None and row.next_deadline.kind == "assessment"


def test_caseload_for__casework_done__no_todos_and_next_follow_up_upcoming(staff: Any) -> None:
    person = _mine(staff)
    _assess(person, staff.case_manager, TODAY - timedelta(days=20))
    _plan(person, staff.case_manager, TODAY - timedelta(days=20))
    _follow_up(person, TODAY - timedelta(days=2), TODAY + timedelta(days=20))

    [row] = caseload_for(user=staff.case_manager, today=TODAY)

    assert row.todos == ()
    assert row.next_deadline is not None
    assert (row.next_deadline.kind, row.next_state) == ("follow_up", "upcoming")
    assert row.next_deadline.due_on == TODAY + timedelta(days=20)


def test_caseload_for__follow_ups__overdue_before_due(staff: Any) -> None:
    due, overdue = _mine(staff, last_name="Adamsson"), _mine(staff, last_name="Berg")
    for person in (due, overdue):
        _assess(person, staff.case_manager, TODAY - timedelta(days=60))
        _plan(person, staff.case_manager, TODAY - timedelta(days=60))
    _follow_up(due, TODAY - timedelta(days=25), TODAY + timedelta(days=3))
    _follow_up(overdue, TODAY - timedelta(days=40), TODAY - timedelta(days=5))

    rows = caseload_for(user=staff.case_manager, today=TODAY)
    todos = todos_of(rows)

    assert [(t.kind, t.state.value, r.person.pk) for t, r in todos] == [
        ("follow_up", "overdue", overdue.pk),
        ("follow_up", "due", due.pk),
    ]
    assert [r.person.pk for r in rows] == [overdue.pk, due.pk]


def test_caseload_for__protected_identity__name_hidden_without_access(staff: Any) -> None:
    _mine(staff, first_name="Hemlig", last_name="Person", protected_identity=True)

    [row] = caseload_for(user=staff.case_manager, today=TODAY)
    assert (row.visible, row.name) == (False, "Skyddad identitet")

    staff.case_manager.protected_identity_access = True
    [row] = caseload_for(user=staff.case_manager, today=TODAY)
    assert (row.visible, row.name) == (True, "Hemlig Person")


def test_caseload_for__exited__no_deadlines(staff: Any) -> None:
    person = _mine(staff)
    # an exit after coverage began closes the case: three days ago, or today when the person
    # became covered only today
    exit_on = max(TODAY - timedelta(days=3), COVERED_FROM)
    Exit.objects.create(person=person, exit_on=exit_on, reason="work_regular")

    [row] = caseload_for(user=staff.case_manager, today=TODAY)

    assert (row.todos, row.deadlines, row.exited_on) == ((), (), exit_on)


def test_caseload_for__unit__team_lead_only(staff: Any, lead: Any) -> None:
    with pytest.raises(PermissionDenied):
        caseload_for(user=staff.case_manager, today=TODAY, unit=True)
    with pytest.raises(PermissionDenied):
        caseload_for(user=staff.officer, today=TODAY, unit=True)


def test_caseload_for__unit__covered_or_assigned_persons_of_the_unit(staff: Any, lead: Any) -> None:
    assigned = _mine(staff)
    unassigned = PersonFactory(unit=staff.unit)
    off_support = PersonFactory(unit=staff.unit)
    last_month = add_months(month_start(TODAY), -1)  # off support since the 1st of this month
    SupportPeriod.objects.filter(person=off_support).update(last_month=last_month)
    PersonFactory(unit=staff.other_unit)

    rows = caseload_for(user=lead, today=TODAY, unit=True)

    assert sorted(r.person.pk for r in rows) == sorted([assigned.pk, unassigned.pk])


# --- The service ------------------------------------------------------------------------------


def test_case_manager_assign__writes_person_history_and_log(
    staff: Any, lead: Any, other_manager: Any
) -> None:
    first, second = _mine(staff), PersonFactory(unit=staff.unit)

    changed = case_manager_assign(
        persons=[first, second],
        case_manager=other_manager,
        reason="  Jämnare  fördelning ",
        acting_user=lead,
        page="/arende/omfordela/",
    )

    assert changed == 2
    assert set(Person.objects.values_list("case_manager_id", flat=True)) == {other_manager.pk}
    history = CaseAssignment.objects.order_by("person_id")
    assert [(h.person_id, h.case_manager_id, h.assigned_by_id, h.reason) for h in history] == [
        (p.pk, other_manager.pk, lead.pk, "Jämnare fördelning")
        for p in sorted([first, second], key=lambda p: p.pk)
    ]
    log = persons_named(action="change")
    assert [(e.person_id, e.detail["from"], e.detail["to"]) for e in log] == [
        (first.pk, staff.case_manager.pk, other_manager.pk),
        (second.pk, None, other_manager.pk),
    ]


@pytest.mark.parametrize("case", ["person of another unit", "case manager of another unit"])
def test_case_manager_assign__outside_the_unit__nothing_changes(
    staff: Any, lead: Any, other_manager: Any, case: str
) -> None:
    ours = _mine(staff)
    if case == "person of another unit":
        persons, target = [ours, PersonFactory(unit=staff.other_unit)], other_manager
    else:
        persons = [ours]
        target = UserFactory(username="cm-syd", role=Role.CASE_MANAGER, unit=staff.other_unit)

    with pytest.raises(ValidationError):
        case_manager_assign(persons=persons, case_manager=target, reason="Flytt", acting_user=lead)

    ours.refresh_from_db()
    assert ours.case_manager_id == staff.case_manager.pk
    assert not CaseAssignment.objects.exists()
    assert not AccessLog.objects.filter(action="change").exists()


@pytest.mark.parametrize("who", ["case_manager", "outsider", "provider"])
def test_case_manager_assign__user_who_may_not_assign__refused(
    staff: Any, other_manager: Any, who: str
) -> None:
    person = _mine(staff)
    with pytest.raises(ValidationError):
        case_manager_assign(
            persons=[person],
            case_manager=other_manager,
            reason="Flytt",
            acting_user=getattr(staff, who),
        )
    person.refresh_from_db()
    assert person.case_manager_id == staff.case_manager.pk


def test_case_manager_assign__empty_reason__refused(staff: Any, lead: Any) -> None:
    person = PersonFactory(unit=staff.unit)
    with pytest.raises(ValidationError):
        case_manager_assign(
            persons=[person], case_manager=staff.case_manager, reason="   ", acting_user=lead
        )
    assert Person.objects.get(pk=person.pk).case_manager_id is None


# --- The pages --------------------------------------------------------------------------------


def test_my_caseload__lists_todos_and_the_whole_caseload_and_logs(
    staff: Any, client: Client, deadlines_passed: date
) -> None:
    today = timezone.localdate()
    overdue = _mine(staff, first_name="Olle", last_name="Sen")
    done = _mine(staff, first_name="Klara", last_name="Klar")
    _assess(done, staff.case_manager, today - timedelta(days=5))
    _plan(done, staff.case_manager, today - timedelta(days=5))
    _follow_up(done, today - timedelta(days=1), today + timedelta(days=25))
    PersonFactory(unit=staff.unit, first_name="Inte", last_name="Min")
    client.force_login(staff.case_manager)

    response = client.get("/arende/")

    body = response.content.decode()
    assert response.status_code == 200
    todo_rows = re.findall(r'<tr class="todo [a-z]+" data-person="(\d+)"', body)
    assert set(todo_rows) == {str(overdue.pk)}
    assert len(todo_rows) == 4  # assessment, plan, first activity, follow-up
    assert "Olle Sen" in body and "Klara Klar" in body and "Inte Min" not in body
    assert f'href="/personer/{done.pk}/plan/"' in body
    entry = AccessLog.objects.filter(action="view").latest("pk")
    assert entry.detail["list"] == "caseload"
    assert entry.detail["shown"] == sorted([overdue.pk, done.pk])


def test_my_caseload__filters(staff: Any, client: Client, deadlines_passed: date) -> None:
    today = timezone.localdate()
    overdue = _mine(staff)
    done = _mine(staff)
    _assess(done, staff.case_manager, today - timedelta(days=5))
    _plan(done, staff.case_manager, today - timedelta(days=5))
    _follow_up(done, today - timedelta(days=1), today + timedelta(days=25))
    client.force_login(staff.case_manager)

    def listed(params: dict[str, str]) -> set[int]:
        response = client.get("/arende/", params)
        assert response.status_code == 200
        table = response.content.decode().split('class="caseload"')
        return (
            {int(pk) for pk in re.findall(r'data-person="(\d+)"', table[1])}
            if len(table) > 1
            else set()
        )

    assert listed({}) == {overdue.pk, done.pk}
    assert listed({"att_gora": "on"}) == {overdue.pk}
    assert listed({"lage": "upcoming"}) == {done.pk}
    assert listed({"lage": "due"}) == set()
    # bad input is shown beside its field and filters nothing
    response = client.get("/arende/", {"lage": "<script>", "sida": "x"})
    assert response.status_code == 200
    assert 'id="id_lage_error"' in response.content.decode()


@pytest.mark.parametrize("who", ["officer", "provider", "analyst", "admin"])
def test_my_caseload__other_roles__403(staff: Any, client: Client, who: str) -> None:
    client.force_login(getattr(staff, who))
    assert client.get("/arende/").status_code == 403


def test_home__case_manager__links_to_the_caseload_with_the_todo_count(
    staff: Any, client: Client, deadlines_passed: date
) -> None:
    _mine(staff)
    client.force_login(staff.case_manager)
    body = client.get("/").content.decode()
    link = re.search(r'<a href="/arende/" id="caseload-link">([^<]*)</a>', body)
    assert link is not None and "4" in link.group(1)
    assert '<a href="/arende/">' in body  # the menu


def _seed_caseload(staff: Any, count: int, today: date) -> None:
    for i in range(count):
        person = _mine(staff, protected_identity=i % 7 == 0)
        if i % 2:
            _assess(person, staff.case_manager, today - timedelta(days=10))
        if i % 3 == 0:
            _plan(person, staff.case_manager, today - timedelta(days=10), started=i % 2 == 0)
        if i % 4 == 0:
            _follow_up(person, today - timedelta(days=3), today + timedelta(days=2 + i % 30))


def test_my_caseload__query_count_constant__5_vs_40_persons(staff: Any, client: Client) -> None:
    today = timezone.localdate()
    client.force_login(staff.case_manager)
    _seed_caseload(staff, 5, today)
    client.get("/arende/")  # warm up: session, the log's chain head
    with CaptureQueriesContext(connection) as small:
        assert client.get("/arende/").status_code == 200
    _seed_caseload(staff, 35, today)
    # the writes marked their rows stale, and the test's transaction never commits: the first
    # read recomputes them (tests/casework/test_worklist.py), the next reads only read
    client.get("/arende/")
    reset_queries()  # the log keeps 9,000 queries: a full one counts none
    with CaptureQueriesContext(connection) as large:
        assert client.get("/arende/").status_code == 200
    assert Person.objects.filter(case_manager=staff.case_manager).count() == 40
    assert len(large) == len(small)
    with CaptureQueriesContext(connection) as home:
        assert client.get("/").status_code == 200
    home_queries = len(home)
    _seed_caseload(staff, 10, today)
    client.get("/")
    reset_queries()
    with CaptureQueriesContext(connection) as home_larger:
        assert client.get("/").status_code == 200
    assert len(home_larger) == home_queries


def test_unit_caseload__team_lead_sees_loads_and_persons_without_case_manager(
    staff: Any, lead: Any, client: Client, deadlines_passed: date
) -> None:
    _mine(staff)
    _mine(staff)
    free = PersonFactory(unit=staff.unit, first_name="Fri", last_name="Fransson")
    PersonFactory(unit=staff.other_unit, first_name="Annan", last_name="Enhet")
    client.force_login(lead)

    response = client.get("/arende/enhet/")

    body = response.content.decode()
    assert response.status_code == 200
    row = re.search(
        rf'<tr data-case-manager="{staff.case_manager.pk}">(.*?)</tr>', body, flags=re.S
    )
    assert row is not None
    assert re.findall(r'<td class="num">(\d+)</td>', row.group(1)) == ["2", "8", "8"]
    assert "Fri Fransson" in body and "Annan Enhet" not in body
    assert f'value="{free.pk}"' in body  # a checkbox to move the person

    mine = client.get("/arende/enhet/", {"visa": str(staff.case_manager.pk)}).content.decode()
    assert "Fri Fransson" not in mine
    assert len(re.findall(r'name="persons"', mine)) == 2
    assert client.get("/arende/enhet/", {"visa": "x1", "sida": "-3"}).status_code == 200


@pytest.mark.parametrize("who", ["case_manager", "officer"])
def test_unit_caseload__not_a_team_lead__403(staff: Any, client: Client, who: str) -> None:
    client.force_login(getattr(staff, who))
    assert client.get("/arende/enhet/").status_code == 403


def test_reassign__team_lead_moves_chosen_persons(
    staff: Any, lead: Any, other_manager: Any, client: Client
) -> None:
    first, second, stays = _mine(staff), _mine(staff), _mine(staff)
    client.force_login(lead)

    response = client.post(
        "/arende/omfordela/",
        {
            "persons": [first.pk, second.pk],
            "case_manager": other_manager.pk,
            "reason": "Föräldraledighet",
            "next": "/arende/enhet/?visa=ingen",
        },
    )

    assert response.status_code == 302 and response["Location"] == "/arende/enhet/?visa=ingen"
    assert set(Person.objects.filter(case_manager=other_manager).values_list("pk", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert Person.objects.get(pk=stays.pk).case_manager_id == staff.case_manager.pk
    assert CaseAssignment.objects.filter(reason="Föräldraledighet").count() == 2
    assert len(persons_named(action="change")) == 2


@pytest.mark.parametrize(
    "change",
    [
        {"reason": ""},
        {"case_manager": ""},
        {"persons": []},
        {"persons": ["abc"]},
        {"next": "https://evil.example/"},
    ],
)
def test_reassign__bad_input__field_errors_and_nothing_changes(
    staff: Any, lead: Any, other_manager: Any, client: Client, change: dict[str, Any]
) -> None:
    person = _mine(staff)
    client.force_login(lead)
    data = {
        "persons": [person.pk],
        "case_manager": other_manager.pk,
        "reason": "Flytt",
        "next": "/arende/enhet/",
        **change,
    }

    response = client.post("/arende/omfordela/", data)

    if "next" in change:  # a foreign address is ignored, the move itself is fine
        assert response.status_code == 302 and response["Location"] == "/arende/enhet/"
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="error-summary"' in body
    assert Person.objects.get(pk=person.pk).case_manager_id == staff.case_manager.pk
    assert not CaseAssignment.objects.exists()


def test_reassign__person_or_case_manager_of_another_unit__nothing_changes(
    staff: Any, lead: Any, other_manager: Any, client: Client
) -> None:
    ours = _mine(staff)
    theirs = PersonFactory(unit=staff.other_unit)
    elsewhere = UserFactory(username="cm-syd", role=Role.CASE_MANAGER, unit=staff.other_unit)
    client.force_login(lead)

    mixed = client.post(
        "/arende/omfordela/",
        {"persons": [ours.pk, theirs.pk], "case_manager": other_manager.pk, "reason": "Flytt"},
    )
    foreign = client.post(
        "/arende/omfordela/",
        {"persons": [ours.pk], "case_manager": elsewhere.pk, "reason": "Flytt"},
    )

    assert mixed.status_code == foreign.status_code == 200
    assert 'id="id_case_manager_error"' in foreign.content.decode()
    assert Person.objects.get(pk=ours.pk).case_manager_id == staff.case_manager.pk
    assert Person.objects.get(pk=theirs.pk).case_manager_id is None
    assert not CaseAssignment.objects.exists()


def test_reassign__benefit_officer_assigns_one_person_from_the_person_page(
    staff: Any, person: Any, client: Client
) -> None:
    client.force_login(staff.officer)
    page = client.get(f"/personer/{person.pk}/").content.decode()
    assert 'action="/arende/omfordela/"' in page
    assert f'<option value="{staff.case_manager.pk}"' in page

    response = client.post(
        "/arende/omfordela/",
        {
            "persons": [person.pk],
            "case_manager": staff.case_manager.pk,
            "reason": "Nyinskriven",
            "next": f"/personer/{person.pk}/",
        },
    )

    assert response.status_code == 302 and response["Location"] == f"/personer/{person.pk}/"
    assert Person.objects.get(pk=person.pk).case_manager_id == staff.case_manager.pk
    assignment = CaseAssignment.objects.get()
    assert (assignment.assigned_by_id, assignment.reason) == (staff.officer.pk, "Nyinskriven")
    # the form page for one person, from the person page's link
    assert client.get("/arende/omfordela/", {"person": person.pk}).status_code == 200


@pytest.mark.parametrize("who", ["case_manager", "provider", "analyst"])
def test_reassign__users_who_may_not_assign__refused(
    staff: Any, person: Any, other_manager: Any, client: Client, who: str
) -> None:
    client.force_login(getattr(staff, who))
    response = client.post(
        "/arende/omfordela/",
        {"persons": [person.pk], "case_manager": other_manager.pk, "reason": "Flytt"},
    )
    assert response.status_code == 403
    assert Person.objects.get(pk=person.pk).case_manager_id is None


def test_reassign__officer_of_another_unit__nothing_changes(
    staff: Any, person: Any, client: Client
) -> None:
    client.force_login(staff.outsider)
    response = client.post(
        "/arende/omfordela/",
        {"persons": [person.pk], "case_manager": staff.case_manager.pk, "reason": "Flytt"},
    )
    assert response.status_code == 200
    assert Person.objects.get(pk=person.pk).case_manager_id is None
    # and the one-person form does not open a person of another unit
    assert client.get("/arende/omfordela/", {"person": person.pk}).status_code == 404
    assert AccessLog.objects.filter(action="denied", person_id=person.pk).exists()
