"""Reads of casework that depend on the user: the caseload and the unit's caseload.

Two kinds of read. The lists (the caseload, the unit view, the start page's counts) read the
stored worklist (:mod:`heltid.casework.worklist`, decision record 0023): filtered, sorted,
counted and paged in SQL, with only the shown page's persons loaded — the same few queries
and the same work for 10 persons or 10,000.

The live answer — :func:`case_state`, :func:`rows_for`, :func:`caseload_for` — runs the rules
for the persons asked about (one person's page: the follow-up panel), in a fixed number of
queries whatever their number: one for the persons with their casework dates (see
:func:`heltid.casework.facts.with_casework_dates`), four prefetches for the rules (support
periods, exemptions, the household's children, dated facts) and the signals hook. The worklist
stores exactly what it answers.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Role, User
from heltid.accounts.permissions import is_team_lead, may_see_protected_identity
from heltid.casework.facts import casework_facts, with_casework_dates
from heltid.casework.models import (
    ActivityStatus,
    Exit,
    PlanActivity,
    Worklist,
    WorklistItem,
    WorklistQuerySet,
)
from heltid.casework.models.worklist import overdue_q
from heltid.referrals.models import OPEN, Referral, ReferralStatus
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Child, Exemption, Person, SupportPeriod
from heltid.rules import (
    CoverageFacts,
    Deadline,
    DeadlineKind,
    DeadlineState,
    Explanation,
    ParameterError,
    casework_deadlines,
    explain,
)
from heltid.rules.explanation import activation_from
from heltid.rules.policy import load_policy


class TodoKind(StrEnum):
    ASSESSMENT = "assessment"
    PLAN = "plan"
    FIRST_ACTIVITY = "first_activity"
    FOLLOW_UP = "follow_up"
    SIGNAL = "signal"


TODO_LABELS: dict[str, Promise] = {
    TodoKind.ASSESSMENT: _("Assessment missing"),
    TodoKind.PLAN: _("Plan missing"),
    TodoKind.FIRST_ACTIVITY: _("No activity started"),
    TodoKind.FOLLOW_UP: _("Follow-up"),
    TodoKind.SIGNAL: _("Signal"),
}
DEADLINE_LABELS: dict[str, Promise] = {
    DeadlineKind.ASSESSMENT: _("Assessment"),
    DeadlineKind.PLAN: _("Plan"),
    DeadlineKind.FIRST_ACTIVITY: _("First activity"),
    DeadlineKind.FOLLOW_UP: _("Follow-up"),
}
STATE_LABELS: dict[str, Promise] = {
    DeadlineState.OVERDUE: _("Overdue"),
    DeadlineState.DUE: _("Due"),
    DeadlineState.UPCOMING: _("Upcoming"),
    DeadlineState.DONE: _("Done"),
}
# Overdue before due; the order the to-do list and the table sort by.
_URGENCY = {
    DeadlineState.OVERDUE: 0,
    DeadlineState.DUE: 1,
    DeadlineState.UPCOMING: 2,
    DeadlineState.DONE: 3,
}


class SignalKind(StrEnum):
    """What the referral flow asks of the case manager (see :func:`signals_of`)."""

    OFFERED = "offered"
    COMPLETED = "completed"
    GAP = "gap"


SIGNAL_TEXTS: dict[str, Promise] = {
    SignalKind.OFFERED: _("Offered a place in %(intervention)s: tell the participant"),
    SignalKind.COMPLETED: _("%(intervention)s completed: choose the next step"),
    SignalKind.GAP: _("Gap: no ongoing activity since %(day)s"),
}


@dataclass(frozen=True)
class Todo:
    """Something to do for a person: an open deadline (due or overdue) or a signal."""

    kind: str
    state: DeadlineState
    due_on: date | None
    signal: str = ""  # a signal's kind (SignalKind); empty for deadlines
    subject: str = ""  # a signal's intervention, or the day a gap began (YYYY-MM-DD)

    @property
    def text(self) -> str:
        """A signal's own words, in the active language; deadlines use TODO_LABELS."""
        if not self.signal:
            return ""
        return str(SIGNAL_TEXTS[self.signal]) % {"intervention": self.subject, "day": self.subject}

    @property
    def label(self) -> str:
        return self.text or str(TODO_LABELS[self.kind])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def urgency(self) -> tuple[int, date]:
        return (_URGENCY[self.state], self.due_on or date.max)


@dataclass(frozen=True)
class CaseloadRow:
    person: Person
    visible: bool  # may the user see the name (protected identity)
    name: str  # as the user may see it
    covered: bool
    covered_from: date | None
    target_group: bool
    weekly_hours: Decimal | None  # None when the rules could not be applied
    deadlines: tuple[Deadline, ...]
    todos: tuple[Todo, ...]
    exited_on: date | None  # the case was closed by an exit (deadlines do not run)
    problem: str = ""  # the rules refused the registry facts (shown, never a 500)

    @property
    def next_deadline(self) -> Deadline | None:
        """The earliest deadline not yet met."""
        return next_deadline_of(self.deadlines)

    @property
    def next_state(self) -> str:
        """The next deadline's state, or "none" when no deadline runs."""
        deadline = self.next_deadline
        return deadline.state.value if deadline else "none"

    @property
    def overdue(self) -> int:
        return sum(1 for t in self.todos if t.state == DeadlineState.OVERDUE)

    @property
    def sort_key(self) -> tuple[int, date, str, str, int]:
        deadline = self.next_deadline
        return (
            _URGENCY[deadline.state] if deadline else 4,
            deadline.due_on if deadline else date.max,
            self.person.last_name.casefold() if self.visible else "",
            self.person.first_name.casefold() if self.visible else "",
            self.person.pk,
        )


def next_deadline_of(deadlines: Iterable[Deadline]) -> Deadline | None:
    """The earliest deadline not yet met (the first listed of those on the same day)."""
    pending = [d for d in deadlines if d.state != DeadlineState.DONE]
    return min(pending, key=lambda d: (d.due_on, _URGENCY[d.state]), default=None)


# --- The signals hook ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Signals:
    """A person's signals on a day, and the first later day on which they may change with the
    calendar alone (a gap opening, a completed activity's end counting); None: only a write
    changes them."""

    todos: list[Todo]
    changes_on: date | None


def caseload_signals(*, persons: list[Person], today: date) -> dict[int, list[Todo]]:
    """The to-dos of :func:`signals_of`, per person id, for the persons that have any."""
    return {
        pk: signals.todos
        for pk, signals in signals_of(persons=persons, today=today).items()
        if signals.todos
    }


def signals_of(*, persons: list[Person], today: date) -> dict[int, Signals]:
    """What the referral flow asks of the case manager, per person id, as to-dos — in one
    query for all ``persons`` (pass them from :func:`caseload_queryset`, whose prefetches the
    coverage check reads):

    - a place was offered from the waiting list: tell the participant (one per offer);
    - an intervention was completed and no next step is chosen yet (no open referral, no
      planned or ongoing activity added since): choose the next step;
    - a gap: a covered person has had no referral accepted or started and no ongoing plan
      activity since their last activity ended, for more than the policy's ``gap_days``.

    Nothing for a person whose case was closed by an exit after it happened."""
    if not persons:
        return {}
    latest_completed = Referral.objects.filter(
        person=OuterRef("pk"), status=ReferralStatus.COMPLETED, ended_at__isnull=False
    ).order_by("-ended_at", "-pk")
    last_referral_end = Referral.objects.filter(
        person=OuterRef("pk"), started_on__isnull=False, ended_at__isnull=False
    ).order_by("-ended_at", "-pk")
    completed_activities = PlanActivity.objects.filter(
        plan__person=OuterRef("pk"), status=ActivityStatus.COMPLETED, end_on__isnull=False
    )
    last_activity_end = completed_activities.filter(end_on__lte=today).order_by("-end_on", "-pk")
    next_activity_end = completed_activities.filter(end_on__gt=today).order_by("end_on", "pk")
    rows = (
        Person.objects.filter(pk__in=[p.pk for p in persons])
        .annotate(
            offered=FilteredRelation(
                "referrals", condition=Q(referrals__status=ReferralStatus.OFFERED)
            ),
            completed_name=Subquery(latest_completed.values("intervention__name")[:1]),
            completed_at=Subquery(latest_completed.values("ended_at")[:1]),
            last_referral_end=Subquery(last_referral_end.values("ended_at")[:1]),
            last_activity_end=Subquery(last_activity_end.values("end_on")[:1]),
            next_activity_end=Subquery(next_activity_end.values("end_on")[:1]),
        )
        .annotate(
            has_open=Exists(Referral.objects.filter(person=OuterRef("pk"), status__in=OPEN)),
            next_activity=Exists(
                PlanActivity.objects.filter(
                    plan__person=OuterRef("pk"),
                    status__in=[ActivityStatus.PLANNED, ActivityStatus.ONGOING],
                    added_at__gt=OuterRef("completed_at"),
                )
            ),
            in_referral=Exists(
                Referral.objects.filter(
                    person=OuterRef("pk"),
                    status__in=[ReferralStatus.ACCEPTED, ReferralStatus.STARTED],
                )
            ),
            in_activity=Exists(
                PlanActivity.objects.filter(
                    plan__person=OuterRef("pk"), status=ActivityStatus.ONGOING
                )
            ),
        )
        .order_by("pk", "offered__offered_at", "offered__pk")
        .values_list(
            "pk",
            "offered__intervention__name",
            "offered__offered_at",
            "completed_name",
            "completed_at",
            "has_open",
            "next_activity",
            "in_referral",
            "in_activity",
            "last_referral_end",
            "last_activity_end",
            "next_activity_end",
        )
    )
    try:
        gap_days: int | None = load_policy(settings.HELTID_POLICY, today).referrals.gap_days.value
    except ParameterError:
        gap_days = None
    by_pk = {p.pk: p for p in persons}
    todos: dict[int, list[Todo]] = {}
    changes: dict[int, date | None] = {}
    for (
        pk,
        offered_name,
        offered_at,
        completed_name,
        completed_at,
        has_open,
        next_activity,
        in_referral,
        in_activity,
        referral_end,
        activity_end,
        activity_ends_later,
    ) in rows:
        person = by_pk[pk]
        exited_on = getattr(person, "exited_on", None)
        found = todos.setdefault(pk, [])
        if offered_name is not None:
            found.append(
                Todo(
                    kind=TodoKind.SIGNAL,
                    state=DeadlineState.DUE,
                    due_on=timezone.localdate(offered_at) if offered_at else today,
                    signal=SignalKind.OFFERED,
                    subject=offered_name,
                )
            )
        if pk in changes:
            continue  # the rest is per person, repeated on each offered row
        # a completed activity that ends later counts from its last day
        changes[pk] = activity_ends_later
        if completed_at is not None and not has_open and not next_activity:
            ended = timezone.localdate(completed_at)
            if exited_on is None or exited_on < ended:
                found.append(
                    Todo(
                        kind=TodoKind.SIGNAL,
                        state=DeadlineState.DUE,
                        due_on=ended,
                        signal=SignalKind.COMPLETED,
                        subject=completed_name or "",
                    )
                )
        ends = [d for d in (_local(referral_end), activity_end) if d is not None]
        if gap_days is None or in_referral or in_activity or not ends:
            continue
        last_end = max(ends)
        if (today - last_end).days <= gap_days:
            gap_opens = last_end + timedelta(days=gap_days + 1)
            changes[pk] = min(d for d in (gap_opens, changes[pk]) if d is not None)
            continue
        if exited_on is not None and exited_on >= last_end:
            continue
        if not _covered(person, today):
            continue
        found.append(
            Todo(
                kind=TodoKind.SIGNAL,
                state=DeadlineState.OVERDUE,
                due_on=last_end + timedelta(days=gap_days),
                signal=SignalKind.GAP,
                subject=last_end.isoformat(),
            )
        )
    return {pk: Signals(todos=todos[pk], changes_on=changes.get(pk)) for pk in todos}


def _local(moment: Any) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def _covered(person: Person, today: date) -> bool:
    try:
        return explain(
            coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY
        ).covered
    except (ValueError, ParameterError):
        return False


# --- The caseload -------------------------------------------------------------------------------


def on_support_now(today: date) -> Exists:
    """On support in ``today``'s month (an annotation or filter on persons)."""
    month = today.replace(day=1)
    return Exists(
        SupportPeriod.objects.filter(person=OuterRef("pk"), first_month__lte=today).filter(
            Q(last_month__isnull=True) | Q(last_month__gte=month)
        )
    )


def caseload_queryset(persons: QuerySet[Person], *, today: date) -> QuerySet[Any]:
    """``persons`` with what a caseload row needs, in a fixed number of queries."""
    latest_exit = Exit.objects.filter(person=OuterRef("pk"), exit_on__lte=today).order_by(
        "-exit_on", "-pk"
    )
    annotated: QuerySet[Any] = (
        with_casework_dates(persons)
        .annotate(exited_on=Subquery(latest_exit.values("exit_on")[:1]))
        .select_related("household", "reason_code", "unit", "case_manager")
        .prefetch_related(
            Prefetch("support_periods", queryset=SupportPeriod.objects.order_by("-first_month")),
            Prefetch("exemptions", queryset=Exemption.objects.order_by("-decided_on")),
            Prefetch("household__children", queryset=Child.objects.order_by("birth_date")),
            "facts",
        )
        .order_by("last_name", "first_name", "pk")
    )
    return annotated


@dataclass(frozen=True)
class CaseState:
    """What the rules say about a person's case on a day, whoever asks (the stored worklist
    keeps exactly this); ``facts`` and ``explanation`` are what it was computed from (None when
    the rules refused the facts: see ``problem``)."""

    covered: bool
    covered_from: date | None
    target_group: bool
    weekly_hours: Decimal | None  # None when the rules could not be applied
    deadlines: tuple[Deadline, ...]
    todos: tuple[Todo, ...]  # open deadlines and signals, most urgent first
    exited_on: date | None  # the case was closed by an exit (deadlines do not run)
    problem: str = ""
    activation_from: date | None = None  # the deadlines run from this day
    facts: CoverageFacts | None = None
    explanation: Explanation | None = None


def case_state(person: Any, *, today: date, signals: list[Todo]) -> CaseState:
    """The case of a person fetched with :func:`caseload_queryset` on ``today``, with its
    ``signals`` (:func:`signals_of`)."""
    try:
        facts = coverage_facts(person, on=today)
        explanation = explain(facts, on=today, policy=settings.HELTID_POLICY)
    except (ValueError, ParameterError) as exc:
        return CaseState(
            covered=False,
            covered_from=None,
            target_group=False,
            weekly_hours=None,
            deadlines=(),
            todos=tuple(signals),
            exited_on=person.exited_on,
            problem=str(exc),
        )
    # deadlines run from the start of the municipality's activation: coverage by the statute,
    # or a JOB/UGA participant's day under the policy (rules.activation_from)
    starts = activation_from(explanation)
    exited_on = person.exited_on
    closed = exited_on is not None and (starts is None or exited_on >= starts)
    deadlines = (
        ()
        if closed
        else casework_deadlines(
            casework_facts(person, covered_from=starts),
            today=today,
            policy=settings.HELTID_POLICY,
        )
    )
    todos = [Todo(kind=d.kind.value, state=d.state, due_on=d.due_on) for d in deadlines if d.open]
    todos.extend(signals)
    todos.sort(key=lambda t: t.urgency)
    return CaseState(
        covered=explanation.covered,
        covered_from=explanation.covered_from,
        target_group=explanation.target_group,
        weekly_hours=explanation.weekly_hours,
        deadlines=deadlines,
        todos=tuple(todos),
        exited_on=exited_on if closed else None,
        activation_from=starts,
        facts=facts,
        explanation=explanation,
    )


def _row(person: Any, *, user: User, today: date, signals: list[Todo]) -> CaseloadRow:
    visible = may_see_protected_identity(user, person)
    state = case_state(person, today=today, signals=signals)
    return CaseloadRow(
        person=person,
        visible=visible,
        name=display_name(person, visible=visible),
        covered=state.covered,
        covered_from=state.covered_from,
        target_group=state.target_group,
        weekly_hours=state.weekly_hours,
        deadlines=state.deadlines,
        todos=state.todos,
        exited_on=state.exited_on,
        problem=state.problem,
    )


def display_name(person: Person, *, visible: bool) -> str:
    """The name as the user may see it (protected identity)."""
    return f"{person.first_name} {person.last_name}" if visible else gettext("Protected identity")


def rows_for(persons: Iterable[Any], *, user: User, today: date) -> list[CaseloadRow]:
    """Caseload rows of persons fetched with :func:`caseload_queryset`."""
    people = list(persons)
    signals = caseload_signals(persons=people, today=today)
    rows = [_row(p, user=user, today=today, signals=signals.get(p.pk, [])) for p in people]
    rows.sort(key=lambda r: r.sort_key)
    return rows


def caseload_for(*, user: User, today: date, unit: bool = False) -> list[CaseloadRow]:
    """The user's caseload (persons whose case manager the user is), most urgent first.

    With ``unit=True``, for a team lead only (else PermissionDenied): every person of the
    lead's unit who is covered or in the target group, or has a case manager."""
    if unit:
        if not is_team_lead(user) or user.unit_id is None:
            raise PermissionDenied
        persons = Person.objects.filter(unit_id=user.unit_id).filter(
            Q(case_manager__isnull=False) | on_support_now(today)
        )
        rows = rows_for(caseload_queryset(persons, today=today), user=user, today=today)
        return [r for r in rows if r.person.case_manager_id or r.covered or r.target_group]
    if user.role != Role.CASE_MANAGER:
        return []
    persons = Person.objects.filter(case_manager_id=user.pk)
    return rows_for(caseload_queryset(persons, today=today), user=user, today=today)


def todos_of(rows: Iterable[CaseloadRow]) -> list[tuple[Todo, CaseloadRow]]:
    """Every to-do of the rows, overdue first, then due; earliest first within each."""
    pairs = [(todo, row) for row in rows for todo in row.todos]
    pairs.sort(key=lambda pair: (*pair[0].urgency, pair[1].sort_key))
    return pairs


@dataclass(frozen=True)
class CaseManagerLoad:
    case_manager: User
    persons: int
    todos: int
    overdue: int


def unit_case_managers(*, unit_id: int | None) -> QuerySet[User]:
    """The active case managers of a unit, the ones its persons may be assigned to."""
    if unit_id is None:
        return User.objects.none()
    return User.objects.filter(role=Role.CASE_MANAGER, unit_id=unit_id, is_active=True).order_by(
        "last_name", "first_name", "username"
    )


# --- The stored worklist: what the pages read ---------------------------------------------------


@dataclass(frozen=True)
class ScopedWorklist:
    """The worklist rows a user's page reads, brought up to date first (at most
    ``heltid.casework.worklist.CATCH_UP`` rows a request); ``behind``: rows still to be
    recomputed (the page says so)."""

    rows: WorklistQuerySet
    sees_protected: bool
    behind: int = 0


def caseload_worklist(*, user: User, today: date) -> ScopedWorklist:
    """The user's caseload (persons whose case manager the user is) in the stored worklist."""
    from heltid.casework.worklist import catch_up  # it computes rows with this module

    if user.role != Role.CASE_MANAGER:
        return ScopedWorklist(Worklist.objects.none(), sees_protected=False)
    rows = Worklist.objects.filter(case_manager_id=user.pk)
    behind = catch_up(rows, today=today, persons=Person.objects.filter(case_manager_id=user.pk))
    return ScopedWorklist(rows, sees_protected=_sees_protected(user), behind=behind)


def unit_worklist(*, user: User, today: date) -> ScopedWorklist:
    """For a team lead only (else PermissionDenied): every person of the lead's unit who is
    covered or in the target group, or has a case manager."""
    from heltid.casework.worklist import catch_up  # it computes rows with this module

    if not is_team_lead(user) or user.unit_id is None:
        raise PermissionDenied
    # Persons without a row (written around the models' save) are looked for at most once a
    # minute per process and unit: the look-up reads the whole unit.
    look = _missing_check_due(user.unit_id)
    behind = catch_up(
        Worklist.objects.filter(unit_id=user.unit_id),
        today=today,
        persons=Person.objects.filter(unit_id=user.unit_id) if look else None,
    )
    rows = Worklist.objects.in_unit_view(user.unit_id)
    return ScopedWorklist(rows, sees_protected=_sees_protected(user), behind=behind)


UNIT_MISSING_CHECK_SECONDS = 60
_unit_checked: dict[int, float] = {}


def _missing_check_due(unit_id: int) -> bool:
    now = time.monotonic()
    if now - _unit_checked.get(unit_id, -UNIT_MISSING_CHECK_SECONDS) < UNIT_MISSING_CHECK_SECONDS:
        return False
    _unit_checked[unit_id] = now
    return True


def _sees_protected(user: User) -> bool:
    """Whether the user sees protected names among persons in their scope (the scopes above
    only hold persons the user may view; see accounts.permissions.may_see_protected_identity)."""
    return bool(user.protected_identity_access)


@dataclass(frozen=True)
class NextDeadline:
    kind: str
    due_on: date
    state: str  # DeadlineState value on the day asked about


@dataclass(frozen=True)
class WorklistRow:
    """A person's row on the caseload or the unit view, from the stored worklist."""

    person: Person
    visible: bool  # may the user see the name (protected identity)
    name: str  # as the user may see it
    covered: bool
    covered_from: date | None
    weekly_hours: Decimal | None
    next_deadline: NextDeadline | None
    exited_on: date | None
    problem: str
    todo_count: int

    @property
    def next_state(self) -> str:
        """The next deadline's state, or "none" when no deadline runs."""
        return self.next_deadline.state if self.next_deadline else "none"


@dataclass(frozen=True)
class PersonShown:
    """Who a to-do is about, as the user may see them."""

    person: Person
    visible: bool
    name: str


def _shown(person: Person, user: User) -> PersonShown:
    visible = may_see_protected_identity(user, person)
    return PersonShown(person=person, visible=visible, name=display_name(person, visible=visible))


def worklist_rows(
    scoped: ScopedWorklist, *, today: date, todo_only: bool = False, state: str = ""
) -> WorklistQuerySet:
    """The rows, most urgent first (then the next deadline's day, the name as the user sees
    it), with only those with something to do (``todo_only``) or whose next deadline is in
    ``state`` ("none": no deadline runs); the persons selected for the page's names."""
    rows = scoped.rows.with_state(today).in_caseload_order(
        today, sees_protected=scoped.sees_protected
    )
    if todo_only:
        rows = rows.filter(Q(has_todo=True))
    if state:
        rows = rows.filter(Q(next_state=state))
    return rows.select_related("person")


def with_todo_count(rows: WorklistQuerySet, *, today: date) -> WorklistQuerySet:
    """Annotate each row's number of open to-dos (for the rows of one page)."""
    counted = (
        WorklistItem.objects.filter(worklist=OuterRef("pk"))
        .open(today)
        .order_by()
        .values("worklist")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return rows.annotate(todo_count=Coalesce(Subquery(counted), 0))


def as_rows(entries: Iterable[Worklist], *, user: User) -> list[WorklistRow]:
    """Display rows of worklist rows fetched by :func:`worklist_rows` (one page of them)."""
    result = []
    for entry in entries:
        shown = _shown(entry.person, user)
        state = getattr(entry, "next_state", "none")
        result.append(
            WorklistRow(
                person=entry.person,
                visible=shown.visible,
                name=shown.name,
                covered=entry.covered,
                covered_from=entry.covered_from,
                weekly_hours=entry.weekly_hours,
                next_deadline=NextDeadline(entry.next_kind, entry.next_due_on, state)
                if entry.next_due_on is not None
                else None,
                exited_on=entry.exited_on,
                problem=entry.problem,
                todo_count=getattr(entry, "todo_count", 0),
            )
        )
    return result


def worklist_todos(scoped: ScopedWorklist, *, today: date) -> QuerySet[WorklistItem]:
    """Every to-do of the rows — deadlines due or overdue, and signals — overdue first, then
    due; earliest first within each; then in the rows' order."""
    items = (
        WorklistItem.objects.filter(worklist__in=scoped.rows.values("pk"))
        .open(today)
        .with_state(today)
    )
    return items.in_caseload_order(today, sees_protected=scoped.sees_protected).select_related(
        "worklist__person"
    )


def as_todos(items: Iterable[WorklistItem], *, user: User) -> list[tuple[Todo, PersonShown]]:
    """(to-do, person) pairs of items fetched by :func:`worklist_todos` (one page of them)."""
    return [
        (
            Todo(
                kind=item.kind,
                state=DeadlineState(item.item_state),  # type: ignore[attr-defined]
                due_on=item.due_on,
                signal=item.signal,
                subject=item.subject,
            ),
            _shown(item.worklist.person, user),
        )
        for item in items
    ]


@dataclass(frozen=True)
class CaseloadCounts:
    persons: int
    todos: int
    overdue: int


def worklist_counts(scoped: ScopedWorklist, *, today: date) -> CaseloadCounts:
    """How many persons, open to-dos and overdue to-dos the rows have — two aggregates."""
    items = WorklistItem.objects.filter(worklist__in=scoped.rows.values("pk")).open(today)
    totals = items.aggregate(todos=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
    return CaseloadCounts(
        persons=scoped.rows.count(), todos=totals["todos"], overdue=totals["overdue"]
    )


def open_todo_count(*, user: User, today: date) -> int:
    """How many to-dos the user's caseload has (for the start page)."""
    return worklist_counts(caseload_worklist(user=user, today=today), today=today).todos


def unit_loads(
    scoped: ScopedWorklist, *, today: date, case_managers: Iterable[User]
) -> tuple[list[CaseManagerLoad], int]:
    """Caseload size and open to-dos per case manager of the unit view's rows — including any
    case manager of the rows who is not in ``case_managers`` (moved or deactivated) — and how
    many of its persons have no case manager. SQL aggregates."""
    persons: dict[int | None, int] = dict(
        scoped.rows.order_by()
        .values("case_manager_id")
        .annotate(n=Count("pk"))
        .values_list("case_manager_id", "n")
    )
    todos: dict[int | None, tuple[int, int]] = {
        pk: (count, overdue)
        for pk, count, overdue in WorklistItem.objects.filter(
            worklist__in=scoped.rows.filter(case_manager__isnull=False).values("pk")
        )
        .open(today)
        .order_by()
        .values("worklist__case_manager_id")
        .annotate(todos=Count("pk"), overdue=Count("pk", filter=overdue_q(today)))
        .values_list("worklist__case_manager_id", "todos", "overdue")
    }
    managers: dict[int, User] = {cm.pk: cm for cm in case_managers}
    missing = [pk for pk in persons if pk is not None and pk not in managers]
    if missing:
        managers.update((u.pk, u) for u in User.objects.filter(pk__in=missing).order_by("pk"))
    loads = [
        CaseManagerLoad(
            case_manager=cm,
            persons=persons.get(pk, 0),
            todos=todos.get(pk, (0, 0))[0],
            overdue=todos.get(pk, (0, 0))[1],
        )
        for pk, cm in managers.items()
    ]
    return loads, persons.get(None, 0)
