"""The stored worklist (decision record 0023): each write path recomputes the person's row
after commit, the calendar alone moves it (coverage starting tomorrow shows tomorrow, deadline
states read in SQL), the pages filter, sort and page in SQL with a fixed number of queries, and
scoping and protected identities are as before. A sweep over the coming months checks the
stored answer against the rules' live answer on every day."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, reset_queries
from django.test import Client
from django.test.utils import CaptureQueriesContext

from heltid.accounts.models import Role
from heltid.casework.models import (
    STALE,
    ActivityKind,
    ActivityStatus,
    Exit,
    FollowUp,
    Plan,
    Worklist,
    WorklistItem,
)
from heltid.casework.selectors import (
    ScopedWorklist,
    as_rows,
    as_todos,
    caseload_for,
    caseload_worklist,
    todos_of,
    unit_worklist,
    worklist_counts,
    worklist_rows,
    worklist_todos,
)
from heltid.casework.services.assessment import assessment_record
from heltid.casework.services.caseload import case_manager_assign
from heltid.casework.services.follow_up import follow_up_record
from heltid.casework.services.plan import NewActivity, PlanChanges, plan_create, plan_revise
from heltid.casework.services.progression import exit_record
from heltid.casework.worklist import catch_up, fingerprint, mark_stale, refresh, refresh_due
from heltid.referrals.services.referral import (
    referral_accept,
    referral_complete,
    referral_create,
    referral_start,
)
from heltid.registry.models import FactKind, Person, SupportPeriod
from heltid.registry.services import (
    exemption_decide,
    exemption_end,
    fact_end,
    fact_record,
    person_update,
)
from heltid.rules.dates import add_months, month_start
from heltid.rules.requirement import activity_requirement
from tests.catalog.factories import InterventionFactory
from tests.clock import living_on, suite_today
from tests.factories import PersonFactory, UserFactory, add_child

TODAY = suite_today()
MONTHS = activity_requirement(TODAY).min_consecutive_months.value


@pytest.fixture
def lead(staff: Any) -> Any:
    return UserFactory(
        username="teamlead", role=Role.CASE_MANAGER, unit=staff.unit, unit_read_access=True
    )


def _mine(staff: Any, **kwargs: Any) -> Any:
    return PersonFactory(unit=staff.unit, case_manager=staff.case_manager, **kwargs)


def _row(person: Any) -> Worklist:
    return Worklist.objects.get(person_id=person.pk)


def _items(person: Any) -> list[tuple[str, str]]:
    return sorted(WorklistItem.objects.filter(worklist_id=person.pk).values_list("kind", "signal"))


def _stored_rows(scoped: ScopedWorklist, user: Any, day: date) -> list[tuple[Any, ...]]:
    return [
        (
            r.person.pk,
            r.name,
            r.covered,
            r.covered_from if r.covered else None,
            r.weekly_hours,
            (r.next_deadline.kind, r.next_deadline.due_on, r.next_deadline.state)
            if r.next_deadline
            else None,
            r.exited_on,
            bool(r.problem),
        )
        for r in as_rows(worklist_rows(scoped, today=day), user=user)
    ]


def _live_rows(rows: list[Any]) -> list[tuple[Any, ...]]:
    return [
        (
            r.person.pk,
            r.name,
            r.covered,
            r.covered_from if r.covered else None,
            r.weekly_hours,
            (r.next_deadline.kind.value, r.next_deadline.due_on, r.next_deadline.state.value)
            if r.next_deadline
            else None,
            r.exited_on,
            bool(r.problem),
        )
        for r in rows
    ]


def _todo_list(pairs: list[tuple[Any, Any]]) -> list[tuple[Any, ...]]:
    return [(row.person.pk, t.kind, t.state.value, t.due_on, t.label, row.name) for t, row in pairs]


def assert_as_live(user: Any, day: date) -> None:
    """The caseload read from the stored rows on ``day`` is the rules' live answer: the same
    rows in the same order with the same values, and the same to-dos in the same order."""
    scoped = ScopedWorklist(
        Worklist.objects.filter(case_manager_id=user.pk),
        sees_protected=bool(user.protected_identity_access),
    )
    live = caseload_for(user=user, today=day)
    assert _stored_rows(scoped, user, day) == _live_rows(live), day
    stored_todos = as_todos(worklist_todos(scoped, today=day), user=user)
    assert _todo_list(stored_todos) == _todo_list(todos_of(live)), day


def _plan(staff: Any, person: Any, *, started: bool) -> Plan:
    return plan_create(
        person=person,
        goal="Arbete",
        exit_target="work",
        acting_user=staff.case_manager,
        today=TODAY,
        activities=[
            NewActivity(
                kind=ActivityKind.OTHER,
                title="Arbetsträning",
                hours_per_week=Decimal(20),
                status=ActivityStatus.ONGOING if started else ActivityStatus.PLANNED,
                start_on=TODAY if started else None,
            )
        ],
    )


# --- Each write path: the row is recomputed after commit ----------------------------------------


def _support_ends(staff: Any, person: Any) -> None:
    period = SupportPeriod.objects.get(person=person)
    period.last_month = add_months(month_start(TODAY), -1)
    period.save()


def _exemption(staff: Any, person: Any) -> None:
    exemption_decide(
        person=person,
        group="parental_leave",
        decided_on=TODAY,
        review_on=TODAY + timedelta(days=90),
        note="Föräldraledig",
        acting_user=staff.officer,
    )


def _sick_pay(staff: Any, person: Any) -> None:
    fact_record(
        person=person,
        kind=FactKind.BENEFIT,
        value="sjukpenning",
        hours=None,
        starts_on=TODAY,
        ends_on=None,
        acting_user=staff.officer,
        today=TODAY,
    )


def _work_ends(staff: Any, person: Any) -> None:
    fact = person.facts.get(kind=FactKind.OCCUPATION)
    fact_end(fact=fact, ends_on=TODAY - timedelta(days=1), acting_user=staff.officer, today=TODAY)


def _individual_hours(staff: Any, person: Any) -> None:
    person_update(
        person=person,
        changes={"individual_weekly_hours": Decimal(20), "individual_hours_reason": "Hälsan"},
        acting_user=staff.officer,
    )


def _child_moves_in(staff: Any, person: Any) -> None:
    add_child(person.household, TODAY - timedelta(days=365 * 2))


def _assessed(staff: Any, person: Any) -> None:
    assessment_record(
        person=person,
        data={"assessed_on": TODAY, "swedish_level": "none", "health": "none"},
        acting_user=staff.case_manager,
        today=TODAY,
    )


def _planned(staff: Any, person: Any) -> None:
    _plan(staff, person, started=True)


def _activity_starts(staff: Any, person: Any) -> None:
    plan = Plan.objects.get(person=person)
    activity = plan.activities.get()
    plan_revise(
        plan=plan,
        changes=PlanChanges(
            activity_changes={activity.pk: {"status": ActivityStatus.ONGOING, "start_on": TODAY}}
        ),
        acting_user=staff.case_manager,
        reason="Har börjat",
        today=TODAY,
    )


def _followed_up(staff: Any, person: Any) -> None:
    follow_up_record(
        person=person,
        held_on=TODAY,
        mode="phone",
        with_others=[],
        notes="Samtal",
        next_on=TODAY + timedelta(days=20),
        plan_changes=None,
        revision_reason="",
        acting_user=staff.case_manager,
        page="",
        today=TODAY,
    )


def _followed_up_by_hand(staff: Any, person: Any) -> None:
    FollowUp.objects.create(
        person=person, held_on=TODAY, mode="phone", notes="Samtal", next_on=TODAY + timedelta(3)
    )


def _exited(staff: Any, person: Any) -> None:
    exit_record(
        person=person,
        exit_on=TODAY,
        reason="work_regular",
        note="",
        follow_up_months=[],
        acting_user=staff.case_manager,
        page="",
        today=TODAY,
    )


def _reassigned(staff: Any, person: Any) -> None:
    other = UserFactory(username="casemanager2", role=Role.CASE_MANAGER, unit=staff.unit)
    case_manager_assign(
        persons=[person], case_manager=other, reason="Flytt", acting_user=staff.officer
    )


def _protected(staff: Any, person: Any) -> None:
    person_update(person=person, changes={"protected_identity": True}, acting_user=staff.officer)


def _renamed(staff: Any, person: Any) -> None:
    person_update(person=person, changes={"last_name": "Åberg"}, acting_user=staff.officer)


def _intervention_completed(staff: Any, person: Any) -> None:
    item = InterventionFactory(name="Lagerträning")
    referral = referral_create(
        person=person, intervention=item, send=True, acting_user=staff.case_manager, today=TODAY
    )
    referral = referral_accept(referral=referral, acting_user=staff.provider, today=TODAY)
    referral_start(referral=referral, started_on=TODAY, acting_user=staff.provider, today=TODAY)
    referral_complete(referral=referral, acting_user=staff.provider, today=TODAY)


def _planned_not_started(staff: Any, person: Any) -> None:
    _plan(staff, person, started=False)


def _follow_up_due(row: Worklist) -> date:
    return row.items.get(kind="follow_up").due_on


def _field(name: str) -> Callable[[Worklist], Any]:
    return lambda row: getattr(row, name)


# name: (setup, write, what it changes)
WRITES: dict[str, tuple[Any, Callable[[Any, Any], None], Callable[[Worklist], Any]]] = {
    "support period ends": (None, _support_ends, _field("open_case")),
    "exemption decided": (None, _exemption, _field("target_group")),
    "benefit recorded": (None, _sick_pay, _field("covered")),
    "dated fact ended": ({"part_time_hours": Decimal(10)}, _work_ends, _field("weekly_hours")),
    "individual hours": (None, _individual_hours, _field("weekly_hours")),
    "child moves in": (None, _child_moves_in, _field("weekly_hours")),
    "assessment recorded": (None, _assessed, _items),
    "plan made": (None, _planned, _items),
    "activity started": (_planned_not_started, _activity_starts, _items),
    "follow-up recorded": (None, _followed_up, _follow_up_due),
    "follow-up written directly": (None, _followed_up_by_hand, _follow_up_due),
    "exit recorded": (None, _exited, _field("exited_on")),
    "case manager assigned": (None, _reassigned, _field("case_manager_id")),
    "protected identity": (None, _protected, _field("protected_identity")),
    "name changed": (None, _renamed, _field("sort_last")),
    "intervention completed": (None, _intervention_completed, _items),
}


@pytest.mark.parametrize("name", list(WRITES))
def test_worklist__write__row_recomputed_after_commit(
    staff: Any, django_capture_on_commit_callbacks: Any, name: str
) -> None:
    setup, write, changes = WRITES[name]
    person = _mine(staff, **(setup if isinstance(setup, dict) else {}))
    if callable(setup):
        setup(staff, person)
    refresh([person.pk], today=TODAY)
    before = changes(_row(person))

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        write(staff, person)
        assert _row(person).valid_until == STALE  # marked in the write's transaction

    assert callbacks
    row = _row(person)
    assert (row.computed_on, row.fingerprint) == (TODAY, fingerprint())
    assert row.valid_until > TODAY
    assert changes(row) != before
    person.refresh_from_db()
    assert (row.unit_id, row.case_manager_id) == (person.unit_id, person.case_manager_id)
    for user in {person.case_manager, staff.case_manager} - {None}:
        assert_as_live(user, TODAY)


def test_worklist__new_person__has_a_row_in_the_same_transaction(staff: Any) -> None:
    person = _mine(staff)
    row = _row(person)  # made stale by the person's save; the commit would compute it
    assert (row.unit_id, row.case_manager_id, row.valid_until) == (
        staff.unit.pk,
        staff.case_manager.pk,
        STALE,
    )
    # a page reads it recomputed
    assert catch_up(Worklist.objects.filter(pk=person.pk), today=TODAY) == 0
    assert _row(person).computed_on == TODAY


# --- The calendar alone -------------------------------------------------------------------------


def test_worklist__coverage_starts_tomorrow__shows_tomorrow_without_a_write(
    staff: Any, client: Client
) -> None:
    person = _mine(staff, first_name="Morgan", last_name="Imorgon")
    _sick_pay(staff, person)
    sick = person.facts.get(kind=FactKind.BENEFIT)
    fact_end(fact=sick, ends_on=TODAY, acting_user=staff.officer, today=TODAY)
    refresh_due(today=TODAY)
    client.force_login(staff.case_manager)

    row = _row(person)
    assert (row.covered, row.next_due_on, row.valid_until) == (False, None, TODAY + timedelta(1))
    today_page = client.get("/arende/").content.decode()
    assert '<tr class="todo' not in today_page

    tomorrow = TODAY + timedelta(days=1)
    with living_on(tomorrow):
        client.force_login(staff.case_manager)  # a day later: a new session
        page = client.get("/arende/").content.decode()
        row = _row(person)
        assert (row.covered, row.covered_from, row.computed_on) == (True, tomorrow, tomorrow)
        assert f'data-person="{person.pk}" data-state="upcoming"' in page
        assert_as_live(staff.case_manager, tomorrow)
    # and the nightly refresh is what recomputes such rows when no page does
    Worklist.objects.filter(pk=person.pk).update(valid_until=tomorrow, computed_on=TODAY)
    assert refresh_due(today=tomorrow) == 1


def test_worklist__deadline_states__move_with_the_day_in_sql(staff: Any) -> None:
    person = _mine(staff)
    _assessed(staff, person)
    _planned(staff, person)
    FollowUp.objects.create(
        person=person, held_on=TODAY, mode="phone", notes="x", next_on=TODAY + timedelta(10)
    )
    refresh([person.pk], today=TODAY)
    scoped = ScopedWorklist(Worklist.objects.filter(pk=person.pk), sees_protected=False)

    def state_on(day: date) -> str:
        [row] = as_rows(worklist_rows(scoped, today=day), user=staff.case_manager)
        return row.next_state

    assert [state_on(TODAY + timedelta(days=d)) for d in (0, 2, 3, 10, 11)] == [
        "upcoming",
        "upcoming",
        "due",  # the policy's 7 days before
        "due",
        "overdue",
    ]
    assert _row(person).computed_on == TODAY  # read, never recomputed


# --- The pages: SQL filters, order and paging ---------------------------------------------------


def _caseload(staff: Any, count: int) -> list[Any]:
    """Persons in every state: new (all overdue), half-done, and done with the next follow-up
    overdue, due or upcoming; every ninth protected."""
    persons = []
    for i in range(count):
        person = _mine(staff, protected_identity=i % 9 == 0)
        if i % 3:
            _assessed(staff, person)
            _plan(staff, person, started=True)
            held = TODAY - timedelta(days=10)
            FollowUp.objects.create(
                person=person,
                held_on=held,
                mode="phone",
                notes="x",
                next_on=held + timedelta(days=5 + (i * 7) % 25),
            )
        elif i % 2:
            _assessed(staff, person)
        persons.append(person)
    return persons


def _listed(body: str) -> list[int]:
    """The persons of the caseload table, in order (none without the table)."""
    table = body.split('class="caseload"')
    return (
        [int(pk) for pk in re.findall(r'<tr data-person="(\d+)"', table[-1])]
        if len(table) > 1
        else []
    )


def test_my_caseload__a_page_of_25_of_60__in_sql_with_fixed_queries(
    staff: Any, client: Client
) -> None:
    _caseload(staff, 30)
    client.force_login(staff.case_manager)
    client.get("/arende/")  # warm up; recomputes the rows the writes marked stale
    reset_queries()
    with CaptureQueriesContext(connection) as thirty:
        assert client.get("/arende/").status_code == 200
    _caseload(staff, 30)
    client.get("/arende/")

    pages, counts, sql = [], [], []
    for number in (1, 2, 3):
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/arende/", {"sida": number})
        pages.append(_listed(response.content.decode()))
        counts.append(len(queries))
        sql += [q["sql"] for q in queries.captured_queries]

    assert [len(p) for p in pages] == [25, 25, 10]
    live = [r.person.pk for r in caseload_for(user=staff.case_manager, today=TODAY)]
    assert [pk for page in pages for pk in page] == live
    assert counts == [len(thirty)] * 3
    # only the page's persons are read (the rows, the to-dos: LIMIT), never the whole caseload
    person_reads = [q for q in sql if '"registry_person"."first_name"' in q]
    assert len(person_reads) == 2 * 3
    limits = [re.search(r"LIMIT (\d+)( OFFSET \d+)?$", q) for q in person_reads]
    assert all(limit and int(limit.group(1)) <= 50 for limit in limits)


def test_my_caseload__filters_in_sql__as_the_live_rows(staff: Any, client: Client) -> None:
    _caseload(staff, 12)
    client.force_login(staff.case_manager)
    live = caseload_for(user=staff.case_manager, today=TODAY)
    for params, wanted in (
        ({"att_gora": "on"}, [r.person.pk for r in live if r.todos]),
        ({"lage": "due"}, [r.person.pk for r in live if r.next_state == "due"]),
        ({"lage": "upcoming"}, [r.person.pk for r in live if r.next_state == "upcoming"]),
        ({"lage": "none"}, [r.person.pk for r in live if r.next_state == "none"]),
    ):
        assert wanted or params == {"lage": "none"}
        assert _listed(client.get("/arende/", params).content.decode()) == wanted, params


def test_home__counts_from_sql__as_the_live_rows(staff: Any, client: Client) -> None:
    _caseload(staff, 8)
    live = caseload_for(user=staff.case_manager, today=TODAY)
    counts = worklist_counts(caseload_worklist(user=staff.case_manager, today=TODAY), today=TODAY)
    assert (counts.persons, counts.todos, counts.overdue) == (
        len(live),
        sum(len(r.todos) for r in live),
        sum(r.overdue for r in live),
    )


# --- Scoping and protected identities ----------------------------------------------------------


def test_unit_view__another_units_persons_never_appear(
    staff: Any, lead: Any, client: Client
) -> None:
    ours = PersonFactory(unit=staff.unit, first_name="Vår", last_name="Enhetsson")
    theirs = PersonFactory(unit=staff.other_unit, first_name="Annan", last_name="Enhet")
    theirs_assigned = PersonFactory(
        unit=staff.other_unit,
        case_manager=UserFactory(username="cm-syd", role=Role.CASE_MANAGER, unit=staff.other_unit),
    )
    client.force_login(lead)

    body = client.get("/arende/enhet/").content.decode()

    assert "Vår Enhetsson" in body and "Annan Enhet" not in body
    rows = unit_worklist(user=lead, today=TODAY).rows
    assert set(rows.values_list("person_id", flat=True)) == {ours.pk}
    assert theirs.pk not in rows.values_list("person_id", flat=True)
    assert theirs_assigned.pk not in rows.values_list("person_id", flat=True)
    # a case manager's caseload is their own persons only
    assert not caseload_worklist(user=staff.case_manager, today=TODAY).rows.exists()


def test_worklists__protected_identity__hidden_and_sorted_as_empty(
    staff: Any, lead: Any, client: Client
) -> None:
    hidden = _mine(staff, first_name="Hemlig", last_name="Aaberg", protected_identity=True)
    _mine(staff, first_name="Öppen", last_name="Andersson")
    client.force_login(staff.case_manager)

    body = client.get("/arende/").content.decode()
    assert "Hemlig" not in body and "Aaberg" not in body and "Skyddad identitet" in body
    client.force_login(lead)
    unit = client.get("/arende/enhet/", {"visa": staff.case_manager.pk}).content.decode()
    assert "Hemlig" not in unit and "Skyddad identitet" in unit

    staff.case_manager.protected_identity_access = True
    staff.case_manager.save()
    assert_as_live(staff.case_manager, TODAY)  # sorted by the name it may now see
    client.force_login(staff.case_manager)
    assert "Hemlig Aaberg" in client.get("/arende/").content.decode()
    assert hidden.pk in _listed(client.get("/arende/").content.decode())


# --- Maintenance: the command, bulk writes, the catch-up's bound -------------------------------


def test_command__refresh__stale_other_rules_and_missing_rows(staff: Any) -> None:
    fresh, stale, foreign, missing = (_mine(staff) for _ in range(4))
    refresh([fresh.pk, stale.pk, foreign.pk, missing.pk], today=TODAY)
    Worklist.objects.filter(pk=stale.pk).update(valid_until=TODAY)
    Worklist.objects.filter(pk=foreign.pk).update(fingerprint="other rules")
    Worklist.objects.filter(pk=missing.pk).delete()
    out = StringIO()

    call_command("worklist", "refresh", "--json", stdout=out)

    result = json.loads(out.getvalue())
    assert (result["on"], result["all"], result["refreshed"]) == (TODAY.isoformat(), False, 3)
    assert Worklist.objects.filter(fingerprint=fingerprint(), computed_on=TODAY).count() == 4
    out = StringIO()
    call_command("worklist", "refresh", "--all", "--json", stdout=out)
    assert json.loads(out.getvalue())["refreshed"] == Person.objects.count()


def test_mark_stale__bulk_written_persons__get_rows_a_page_fills(staff: Any) -> None:
    person = _mine(staff)
    Worklist.objects.filter(pk=person.pk).delete()  # as if written around the model's save
    Person.objects.filter(pk=person.pk).update(case_manager=None)

    mark_stale([person.pk])

    row = _row(person)
    assert (row.case_manager_id, row.unit_id, row.valid_until) == (None, staff.unit.pk, STALE)
    assert catch_up(Worklist.objects.filter(unit_id=staff.unit.pk), today=TODAY) == 0
    assert _row(person).computed_on == TODAY


def test_my_caseload__person_without_a_row__shown_and_given_one(staff: Any, client: Client) -> None:
    person = _mine(staff, first_name="Utan", last_name="Rad")
    Worklist.objects.filter(pk=person.pk).delete()  # written around the model's save
    client.force_login(staff.case_manager)

    assert "Utan Rad" in client.get("/arende/").content.decode()
    assert _row(person).computed_on == TODAY


def test_catch_up__bounded__the_rest_is_said_on_the_page(
    staff: Any, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    persons = [_mine(staff) for _ in range(5)]
    monkeypatch.setattr("heltid.casework.worklist.CATCH_UP", 2)
    client.force_login(staff.case_manager)

    body = client.get("/arende/").content.decode()

    assert "uppdateras" in body or "being updated" in body
    assert Worklist.objects.filter(computed_on=TODAY).count() == 2
    client.get("/arende/")
    client.get("/arende/")
    assert Worklist.objects.filter(computed_on=TODAY).count() == len(persons)
    assert "being updated" not in client.get("/arende/").content.decode()


def test_person_deleted__row_goes_with_it(staff: Any) -> None:
    person = PersonFactory(unit=staff.unit)
    Worklist.objects.filter(pk=person.pk).update(valid_until=TODAY + timedelta(days=5))
    person.facts.all().delete()
    SupportPeriod.objects.filter(person=person).delete()
    person.delete()
    assert not Worklist.objects.filter(pk=person.pk).exists()


# --- Every day of the coming months: stored as live ---------------------------------------------


def _sweep_persons(staff: Any) -> list[Any]:
    """Persons whose answer changes with the calendar alone, each in a different way."""
    soon = add_months(month_start(TODAY), 1)
    persons = [
        _mine(staff, support_since=add_months(soon, -MONTHS)),  # covered from next month
        _mine(staff),
        _mine(staff, af_programme="JOB", af_programme_since=TODAY - timedelta(days=440)),
        _mine(staff),
        _mine(staff),
        _mine(staff, protected_identity=True),
        _mine(staff),
        PersonFactory(unit=staff.unit),  # no case manager: the unit view only
    ]
    sick, exempt, child, exits, gap = persons[1], persons[3], persons[4], persons[5], persons[6]
    fact_record(
        person=sick,
        kind=FactKind.BENEFIT,
        value="sjukpenning",
        hours=None,
        starts_on=TODAY - timedelta(days=20),
        ends_on=TODAY + timedelta(days=10),
        acting_user=staff.officer,
        today=TODAY - timedelta(days=20),
    )
    exemption = exemption_decide(
        person=exempt,
        group="parental_leave",
        decided_on=TODAY - timedelta(days=5),
        review_on=TODAY + timedelta(days=40),
        note="",
        acting_user=staff.officer,
    )
    exemption_end(
        exemption=exemption, ended_on=TODAY + timedelta(days=25), acting_user=staff.officer
    )
    add_child(child.household, add_months(TODAY, -8 * 12) + timedelta(days=30))  # turns 8 soon
    _assessed(staff, child)
    _planned(staff, child)
    _followed_up(staff, child)
    Exit.objects.create(person=exits, exit_on=TODAY + timedelta(days=45), reason="moved")
    item = InterventionFactory(name="Lagerträning")
    referral = referral_create(
        person=gap, intervention=item, send=True, acting_user=staff.case_manager, today=TODAY
    )
    referral = referral_accept(referral=referral, acting_user=staff.provider, today=TODAY)
    referral_start(referral=referral, started_on=TODAY, acting_user=staff.provider, today=TODAY)
    referral_complete(referral=referral, acting_user=staff.provider, today=TODAY)
    return persons


@pytest.mark.slow
def test_worklist__every_day_of_five_months__stored_as_live(staff: Any, lead: Any) -> None:
    persons = _sweep_persons(staff)
    refresh([p.pk for p in persons], today=TODAY)
    recomputed = 0
    for offset in range(0, 150):
        day = TODAY + timedelta(days=offset)
        # what the nightly refresh does: only rows whose valid_until has come
        recomputed += refresh_due(today=day)
        assert_as_live(staff.case_manager, day)
        live_unit = {r.person.pk for r in caseload_for(user=lead, today=day, unit=True)}
        stored_unit = set(Worklist.objects.in_unit_view(staff.unit.pk).values_list("pk", flat=True))
        assert stored_unit == live_unit, day
    # the calendar alone recomputes a row only on the days its answer may change
    assert recomputed < 150 * len(persons) / 4
