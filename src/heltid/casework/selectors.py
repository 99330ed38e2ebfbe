"""Reads of casework that depend on the user: the caseload and the unit's caseload.

Every read takes the user, so scoping cannot be forgotten, and runs a fixed number of queries
whatever the size of the caseload: one for the persons with their casework dates (see
:func:`heltid.casework.facts.with_casework_dates`), three prefetches for the rules (support
periods, exemptions, the household's children) and the signals hook.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Role, User
from heltid.accounts.permissions import is_team_lead, may_see_protected_identity
from heltid.casework.facts import casework_facts, with_casework_dates
from heltid.casework.models import ActivityStatus, Exit, PlanActivity
from heltid.referrals.models import OPEN, Referral, ReferralStatus
from heltid.registry.facts import coverage_facts
from heltid.registry.models import Child, Exemption, Person, SupportPeriod
from heltid.rules import (
    Deadline,
    DeadlineKind,
    DeadlineState,
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


@dataclass(frozen=True)
class Todo:
    """Something to do for a person: an open deadline (due or overdue) or a signal."""

    kind: str
    state: DeadlineState
    due_on: date | None
    text: str = ""  # a signal's own words; deadlines use TODO_LABELS

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
        pending = [d for d in self.deadlines if d.state != DeadlineState.DONE]
        return min(pending, key=lambda d: (d.due_on, _URGENCY[d.state]), default=None)

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


# --- The signals hook ---------------------------------------------------------------------------


def caseload_signals(*, persons: list[Person], today: date) -> dict[int, list[Todo]]:
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
    last_activity_end = PlanActivity.objects.filter(
        plan__person=OuterRef("pk"),
        status=ActivityStatus.COMPLETED,
        end_on__isnull=False,
        end_on__lte=today,
    ).order_by("-end_on", "-pk")
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
        )
    )
    try:
        gap_days: int | None = load_policy(settings.HELTID_POLICY, today).referrals.gap_days.value
    except ParameterError:
        gap_days = None
    by_pk = {p.pk: p for p in persons}
    todos: dict[int, list[Todo]] = {}
    seen: set[int] = set()
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
                    text=gettext("Offered a place in %(intervention)s: tell the participant")
                    % {"intervention": offered_name},
                )
            )
        if pk in seen:
            continue  # the rest is per person, repeated on each offered row
        seen.add(pk)
        if completed_at is not None and not has_open and not next_activity:
            ended = timezone.localdate(completed_at)
            if exited_on is None or exited_on < ended:
                found.append(
                    Todo(
                        kind=TodoKind.SIGNAL,
                        state=DeadlineState.DUE,
                        due_on=ended,
                        text=gettext("%(intervention)s completed: choose the next step")
                        % {"intervention": completed_name},
                    )
                )
        ends = [d for d in (_local(referral_end), activity_end) if d is not None]
        if gap_days is None or in_referral or in_activity or not ends:
            continue
        last_end = max(ends)
        if (today - last_end).days <= gap_days:
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
                text=gettext("Gap: no ongoing activity since %(day)s")
                % {"day": last_end.isoformat()},
            )
        )
    return {pk: found for pk, found in todos.items() if found}


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


def _on_support_now(today: date) -> Exists:
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


def _row(person: Any, *, user: User, today: date, signals: list[Todo]) -> CaseloadRow:
    visible = may_see_protected_identity(user, person)
    name = f"{person.first_name} {person.last_name}" if visible else gettext("Protected identity")
    try:
        explanation = explain(
            coverage_facts(person, on=today), on=today, policy=settings.HELTID_POLICY
        )
    except (ValueError, ParameterError) as exc:
        return CaseloadRow(
            person=person,
            visible=visible,
            name=name,
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
    covered_from = activation_from(explanation)
    exited_on = person.exited_on
    closed = exited_on is not None and (covered_from is None or exited_on >= covered_from)
    deadlines = (
        ()
        if closed
        else casework_deadlines(
            casework_facts(person, covered_from=covered_from),
            today=today,
            policy=settings.HELTID_POLICY,
        )
    )
    todos = [Todo(kind=d.kind.value, state=d.state, due_on=d.due_on) for d in deadlines if d.open]
    todos.extend(signals)
    todos.sort(key=lambda t: t.urgency)
    return CaseloadRow(
        person=person,
        visible=visible,
        name=name,
        covered=explanation.covered,
        covered_from=explanation.covered_from,
        target_group=explanation.target_group,
        weekly_hours=explanation.weekly_hours,
        deadlines=deadlines,
        todos=tuple(todos),
        exited_on=exited_on if closed else None,
    )


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
            Q(case_manager__isnull=False) | _on_support_now(today)
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


def open_todo_count(*, user: User, today: date) -> int:
    """How many to-dos the user's caseload has (for the start page)."""
    return sum(len(r.todos) for r in caseload_for(user=user, today=today))


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


def loads_of(rows: list[CaseloadRow], case_managers: Iterable[User]) -> list[CaseManagerLoad]:
    """Caseload size and open to-dos per case manager, including any case manager of the rows
    who is not in ``case_managers`` (moved or deactivated)."""
    managers: dict[int, User] = {cm.pk: cm for cm in case_managers}
    for row in rows:
        cm = row.person.case_manager
        if cm is not None and cm.pk not in managers:
            managers[cm.pk] = cm
    counts = {pk: [0, 0, 0] for pk in managers}
    for row in rows:
        if row.person.case_manager_id in counts:
            count = counts[row.person.case_manager_id]
            count[0] += 1
            count[1] += len(row.todos)
            count[2] += row.overdue
    return [
        CaseManagerLoad(case_manager=cm, persons=c[0], todos=c[1], overdue=c[2])
        for cm, c in ((managers[pk], counts[pk]) for pk in managers)
    ]
