"""The stored worklist, kept up to date (decision record 0023).

Every person has one :class:`~heltid.casework.models.Worklist` row: what
:func:`heltid.casework.selectors.case_state` — the rules, one definition — said about the
case on the day it was computed, and ``valid_until``, the first day on which that answer may
change with the calendar alone. Whether a deadline is overdue, due or upcoming is read in SQL
from the stored due dates, so nothing needs recomputing from one day to the next until then.

How rows stay right:

- **When facts change.** Saving or deleting anything the rules read about a person (the
  person, support periods, exemptions, dated facts, children, assessments, plans and their
  activities, follow-ups, exits, referrals) marks the person's row stale in the same
  transaction and recomputes it after commit (:func:`changed`; the receivers are connected by
  :func:`connect`). Bulk writes that bypass model signals (the recipient import) call
  :func:`mark_stale` in their transaction, and :func:`refresh` after it or leave the rows to
  the next refresh.
- **When the calendar moves.** ``heltid worklist refresh`` (nightly, after midnight)
  recomputes the rows whose ``valid_until`` has come, those computed under other rules or
  another policy (:func:`fingerprint`) and persons without a row: :func:`refresh_due`, also
  the function a background task calls.
- **Before a page reads.** :func:`catch_up` recomputes the stale rows a page is about to
  show, at most ``CATCH_UP`` of them, so a page is right even before the nightly run (and
  inside a test's transaction, whose commit never comes).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterable, Iterator
from contextlib import suppress
from datetime import date, timedelta
from decimal import Decimal
from functools import cache, partial
from importlib import import_module, resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from heltid.background.services import Built, Due, builder, scheduled
from heltid.casework.models import (
    STALE,
    Assessment,
    Exit,
    FollowUp,
    Plan,
    PlanActivity,
    Worklist,
    WorklistItem,
    WorklistQuerySet,
)
from heltid.casework.selectors import (
    CaseState,
    Signals,
    case_state,
    caseload_queryset,
    next_deadline_of,
    on_support_now,
    signals_of,
)
from heltid.registry.models import (
    Child,
    Exemption,
    FactKind,
    Person,
    PersonFact,
    ReasonCode,
    SupportPeriod,
)
from heltid.registry.signals import persons_written
from heltid.rules import DeadlineState, ParameterError
from heltid.rules.coverage import earliest_day
from heltid.rules.dates import add_months, age_on
from heltid.rules.exclusions import birthday, boundary_days
from heltid.rules.parameters import load_versions
from heltid.rules.policy import load_policy
from heltid.rules.requirement import PENSION_AGE_FILE, activity_requirement

BATCH = 500  # persons recomputed per transaction, in a fixed number of queries
CATCH_UP = 200  # stale rows a page recomputes before it reads, at most
MARK_BATCH = 2000  # persons marked stale per statement
# Bump when what is stored, or how it is computed, changes without a change of the files
# the fingerprint reads: every row is then recomputed by the next refresh.
WORKLIST_VERSION = "1"
# Without any later change day found (never: every person has a next birthday), recompute
# after this many days.
LONGEST = 366


# --- Recomputing ---------------------------------------------------------------------------------


def refresh(person_ids: Iterable[int], *, today: date, batch_size: int = BATCH) -> int:
    """Recompute the stored worklist of these persons as of ``today``: one transaction and a
    fixed number of queries per ``batch_size`` persons. Ids of persons that no longer exist are
    skipped. Returns how many rows were written."""
    ids = sorted({int(pk) for pk in person_ids})
    written = 0
    for start in range(0, len(ids), batch_size):
        written += _refresh_batch(ids[start : start + batch_size], today=today)
    return written


def refresh_due(*, today: date, everything: bool = False, batch_size: int = BATCH) -> int:
    """The nightly refresh, and the function a background task runs: recompute every row whose
    ``valid_until`` has come or that was computed under other rules or another policy, and
    make the rows of persons without one; with ``everything``, every person's. Returns how many
    rows were written."""
    if everything:
        ids: Iterable[int] = Person.objects.order_by("pk").values_list("pk", flat=True)
    else:
        due = Worklist.objects.filter(Q(valid_until__lte=today) | ~Q(fingerprint=fingerprint()))
        missing = Person.objects.filter(worklist__isnull=True)
        ids = sorted(
            {*due.values_list("person_id", flat=True), *missing.values_list("pk", flat=True)}
        )
    return refresh(list(ids), today=today, batch_size=batch_size)


def catch_up(
    rows: WorklistQuerySet,
    *,
    today: date,
    persons: QuerySet[Person] | None = None,
    limit: int | None = None,
) -> int:
    """Before a page reads ``rows``: recompute those whose stored answer may have changed by
    ``today`` (or that a write marked stale) and make the rows of ``persons`` (the page's scope)
    that have none (written around the models' save), at most ``limit`` (default ``CATCH_UP``)
    in all. Returns how many are still to do (0 unless more than ``limit`` were): two indexed
    queries when there are none."""
    limit = CATCH_UP if limit is None else limit
    due = list(rows.stale(today).order_by().values_list("person_id", flat=True)[: limit + 1])
    missing = persons.filter(worklist__isnull=True).order_by() if persons is not None else None
    if missing is not None and len(due) <= limit:
        due += list(missing.values_list("pk", flat=True)[: limit + 1 - len(due)])
    if not due:
        return 0
    refresh(due[:limit], today=today)
    if len(due) <= limit:
        return 0
    return rows.stale(today).count() + (missing.count() if missing is not None else 0)


def _refresh_batch(ids: list[int], *, today: date) -> int:
    with transaction.atomic():
        # Refreshes of one person take turns, and each reads the facts after it has its turn:
        # the last one to write has read every change committed before it (PostgreSQL; on
        # SQLite every write transaction takes turns anyway). NO KEY: inserts that refer to the
        # person are not held up.
        locked = list(
            Person.objects.filter(pk__in=ids)
            .select_for_update(no_key=True)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not locked:
            return 0
        next_exit = Exit.objects.filter(person=OuterRef("pk"), exit_on__gt=today).order_by(
            "exit_on"
        )
        persons = list(
            caseload_queryset(Person.objects.filter(pk__in=locked), today=today).annotate(
                on_support=on_support_now(today),
                next_exit_on=Subquery(next_exit.values("exit_on")[:1]),
            )
        )
        signals = signals_of(persons=persons, today=today)
        stamp = fingerprint()
        rows: list[tuple[Any, ...]] = []
        items: list[tuple[Any, ...]] = []
        for person in persons:
            found = signals.get(person.pk) or Signals(todos=[], changes_on=None)
            state = case_state(person, today=today, signals=found.todos)
            valid_until = next_change(person, state, today=today, also=[found.changes_on])
            row, row_items = _stored(person, state, today=today, valid_until=valid_until)
            rows.append((*row, stamp))
            items.extend(row_items)
        _write(locked, rows, items)
        return len(rows)


# The stored columns, in the order _stored gives them (the fingerprint last).
_ROW = (
    "person_id",
    "unit_id",
    "case_manager_id",
    "open_case",
    "covered",
    "covered_from",
    "target_group",
    "weekly_hours",
    "exited_on",
    "problem",
    "next_kind",
    "next_due_on",
    "next_due_from",
    "signals",
    "protected_identity",
    "sort_last",
    "sort_first",
    "computed_on",
    "valid_until",
    "fingerprint",
)
_ITEM = ("worklist_id", "kind", "signal", "subject", "due_on", "due_from", "state")


def _write(ids: list[int], rows: list[tuple[Any, ...]], items: list[tuple[Any, ...]]) -> None:
    """Upsert the rows and replace the items of ``ids``: three statements (the inserts sent as
    one batch each), straight to the database — the ORM's per-object work would cost more
    than the rules."""
    row_table, item_table = Worklist._meta.db_table, WorklistItem._meta.db_table
    updates = ", ".join(f"{column} = excluded.{column}" for column in _ROW[1:])
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {row_table} ({', '.join(_ROW)}) "
            f"VALUES ({', '.join(['%s'] * len(_ROW))}) "
            f"ON CONFLICT (person_id) DO UPDATE SET {updates}",
            [_adapted(row) for row in rows],
        )
        cursor.execute(
            f"DELETE FROM {item_table} WHERE worklist_id IN ({', '.join(['%s'] * len(ids))})",
            ids,
        )
        if items:
            cursor.executemany(
                f"INSERT INTO {item_table} ({', '.join(_ITEM)}) "
                f"VALUES ({', '.join(['%s'] * len(_ITEM))})",
                [_adapted(item) for item in items],
            )


def _adapted(values: tuple[Any, ...]) -> tuple[Any, ...]:
    ops = connection.ops
    return tuple(
        ops.adapt_datefield_value(v)
        if isinstance(v, date)
        else ops.adapt_decimalfield_value(v)
        if isinstance(v, Decimal)
        else v
        for v in values
    )


def _stored(
    person: Any, state: CaseState, *, today: date, valid_until: date
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The row (the columns of ``_ROW`` but the fingerprint) and the items (``_ITEM``) of a
    person's case state."""
    soon = 0
    if state.activation_from is not None and state.deadlines:
        # a deadline is due this many days before its day (rules.casework_deadlines)
        policy = load_policy(settings.HELTID_POLICY, state.activation_from)
        soon = policy.casework.due_soon_days.value
    items: list[tuple[Any, ...]] = [
        (person.pk, d.kind.value, "", "", d.due_on, d.due_on - timedelta(days=soon), "")
        for d in state.deadlines
        if d.state != DeadlineState.DONE
    ]
    signals = [t for t in state.todos if t.signal]
    items.extend(
        (person.pk, t.kind, t.signal, t.subject[:300], t.due_on or today, None, t.state.value)
        for t in signals
    )
    following = next_deadline_of(state.deadlines)
    row = (
        person.pk,
        person.unit_id,
        person.case_manager_id,
        bool(person.on_support and (state.covered or state.target_group)),
        state.covered,
        state.covered_from,
        state.target_group,
        state.weekly_hours,
        state.exited_on,
        state.problem,
        following.kind.value if following else "",
        following.due_on if following else None,
        following.due_on - timedelta(days=soon) if following else None,
        min(len(signals), 32767),
        person.protected_identity,
        person.last_name.casefold()[:100],
        person.first_name.casefold()[:100],
        today,
        valid_until,
    )
    return row, items


# --- When the answer may change with the calendar alone ------------------------------------------


def next_change(
    person: Any, state: CaseState, *, today: date, also: Iterable[date | None] = ()
) -> date:
    """The first day after ``today`` on which ``state`` may change without any write: the
    earliest day after ``today`` among

    - the days the person's records start or stop applying, are recorded or replaced (support
      periods, exemptions and their review, dated facts), and a later exit;
    - the next birthday of the person and of every child (every age limit of the rules), and
      a child's birth;
    - the days the rules name for these facts (the statute's boundary days and earliest day,
      the day coverage would begin, the policy's activation day for JOB/UGA);
    - the days a new version of the parameter files applies from;
    - ``also`` (the signals': a gap opening, a completed activity's end counting).

    Deadline states need no day here: they are read from the stored due dates."""
    days: list[date | None] = [*also, getattr(person, "next_exit_on", None)]
    for period in person.support_periods.all():
        days.append(period.first_month)
        if period.last_month is not None:
            days.append(add_months(period.last_month.replace(day=1), 1))
    for exemption in person.exemptions.all():
        days += [exemption.decided_on, exemption.ended_on, exemption.review_on]
    born = [person.birth_date, *(c.birth_date for c in person.household.children.all())]
    for fact in person.facts.all():
        days += [fact.starts_on, fact.recorded_on, fact.superseded_on]
        if fact.ends_on is not None:
            days.append(fact.ends_on + timedelta(days=1))
        if fact.kind == FactKind.CHILD:
            with suppress(ValueError):  # a child's fact holds the birth date
                born.append(date.fromisoformat(fact.value))
    days += [_next_birthday(day, today) for day in born]
    if state.facts is not None:
        requirement = activity_requirement(today)
        days += [*boundary_days(state.facts, requirement), earliest_day(state.facts, requirement)]
    if state.explanation is not None:
        days += [state.explanation.covered_from, state.explanation.priority.activate_by]
    days += _parameter_days(settings.HELTID_POLICY)
    later = [day for day in days if day is not None and day > today]
    return min(later, default=today + timedelta(days=LONGEST))


def _next_birthday(born: date, today: date) -> date:
    """The day after ``today`` on which someone born on ``born`` is a year older (or born)."""
    if born > today:
        return born
    return birthday(born, age_on(born, today) + 1)


@cache
def _parameter_days(policy: str) -> tuple[date, ...]:
    """Every day a version of the parameter files the worklist reads applies from."""
    days: list[date] = []
    for name in ("activity_requirement", PENSION_AGE_FILE, f"policy_{policy}"):
        try:
            days += [version.valid_from for version in load_versions(name)]
        except ParameterError:
            continue
    return tuple(sorted(set(days)))


# The code whose answer the rows store: a change in any of it is a change of the rules.
_CODE = (
    "heltid.casework.worklist",
    "heltid.casework.selectors",
    "heltid.casework.facts",
    "heltid.registry.facts",
    "heltid.registry.fact_history",
)


def fingerprint() -> str:
    """What the stored answers were computed under: the policy's name, the parameter files
    and the rules' code (so a deploy or a new policy file makes every row stale)."""
    return _fingerprint(settings.HELTID_POLICY)


@cache
def _fingerprint(policy: str) -> str:
    digest = hashlib.sha256(f"{WORKLIST_VERSION}\0{policy}\0".encode())
    parameters = resources.files("heltid.rules.parameters")
    rules = resources.files("heltid.rules")
    for folder, suffix in ((parameters, ".toml"), (rules, ".py")):
        for entry in sorted(folder.iterdir(), key=lambda e: e.name):
            if entry.name.endswith(suffix) and entry.is_file():
                digest.update(entry.name.encode() + b"\0" + entry.read_bytes())
    for name in _CODE:
        source = import_module(name).__file__
        if source is not None:
            digest.update(name.encode() + b"\0" + Path(source).read_bytes())
    return digest.hexdigest()[:32]


# --- Marking rows stale when facts change ------------------------------------------------------


def mark_stale(person_ids: Iterable[int]) -> None:
    """Mark these persons' rows stale, in the caller's transaction, and give persons without a
    row one (keeping each row's unit and case manager those of the person, so the lists that
    scope by them find it): one statement per ``MARK_BATCH`` persons. For bulk writes; the rows are
    recomputed by :func:`refresh`, the nightly refresh or the next page that shows them."""
    ids = sorted({int(pk) for pk in person_ids})
    for start in range(0, len(ids), MARK_BATCH):
        _upsert_stale(ids[start : start + MARK_BATCH])


def _upsert_stale(ids: list[int]) -> None:
    row, person = Worklist._meta.db_table, Person._meta.db_table
    stale = connection.ops.adapt_datefield_value(STALE)
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {row} (person_id, unit_id, case_manager_id, open_case, covered,
                target_group, problem, next_kind, signals, protected_identity, sort_last,
                sort_first, computed_on, valid_until, fingerprint)
            SELECT p.id, p.unit_id, p.case_manager_id, %s, %s, %s, '', '', 0,
                p.protected_identity, '', '', %s, %s, ''
            FROM {person} p WHERE p.id IN ({marks})
            ON CONFLICT (person_id) DO UPDATE SET unit_id = excluded.unit_id,
                case_manager_id = excluded.case_manager_id, valid_until = excluded.valid_until""",
            [False, False, False, stale, stale, *ids],
        )


_after = threading.local()


def changed(person_ids: Iterable[int | None], *, make_missing: bool = True) -> None:
    """Facts of these persons changed in the current transaction: mark their rows stale now
    (giving a person without a row one, unless ``make_missing`` is off) and recompute them after
    commit. Outside a transaction (autocommit) the rows are only marked: the next page that
    shows them, or the nightly refresh, recomputes them."""
    ids = {int(pk) for pk in person_ids if pk is not None}
    if not ids:
        return
    if make_missing:
        mark_stale(ids)
    else:
        Worklist.objects.filter(person_id__in=ids).update(valid_until=STALE)
    if not connection.in_atomic_block:
        return
    # One set of ids per thread, emptied by the first callback that runs: a transaction that
    # saves ten rows of one person recomputes it once.
    pending: set[int] = getattr(_after, "pending", None) or set()
    _after.pending = pending
    pending |= ids
    transaction.on_commit(partial(_refresh_pending, pending), robust=True)


def _refresh_pending(pending: set[int]) -> None:
    ids = set(pending)
    pending.clear()
    if ids:
        refresh(ids, today=timezone.localdate())


# --- The receivers: what the rules read about a person -----------------------------------------


def _person_ids(instance: Model) -> Iterator[int | None]:
    if isinstance(instance, Person):
        yield instance.pk
    elif isinstance(instance, PlanActivity):
        if PlanActivity.plan.is_cached(instance):  # the caller's plan
            yield instance.plan.person_id
        else:
            yield from Plan.objects.filter(pk=instance.plan_id).values_list("person_id", flat=True)
    elif isinstance(instance, Child):
        yield from Person.objects.filter(household_id=instance.household_id).values_list(
            "pk", flat=True
        )
    else:
        yield getattr(instance, "person_id", None)


def _saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    changed(_person_ids(instance))


def _deleted(sender: type[Model], instance: Model, **kwargs: Any) -> None:
    """Like a save, but never gives a person a row: the person may be being deleted."""
    changed(_person_ids(instance), make_missing=False)


def _reason_code_saved(sender: type[Model], instance: ReasonCode, **kwargs: Any) -> None:
    """A reason code's group decides exemptions: the rows of persons with it are stale (the
    next refresh or page recomputes them; there may be thousands)."""
    if kwargs.get("raw") or kwargs.get("created"):
        return
    Worklist.objects.filter(
        person__in=Person.objects.filter(
            Q(reason_code=instance)
            | Q(facts__kind=FactKind.REASON_CODE, facts__value=instance.label)
        ).values("pk")
    ).update(valid_until=STALE)


def watched_models() -> tuple[type[Model], ...]:
    """The models whose rows the worklist is computed from (the referral flow's signals
    read referrals and plan activities)."""
    from heltid.referrals.models import Referral  # a higher layer; its rows feed the signals

    return (
        Person,
        SupportPeriod,
        Exemption,
        PersonFact,
        Child,
        Assessment,
        Plan,
        PlanActivity,
        FollowUp,
        Exit,
        Referral,
    )


def connect() -> None:
    """Connect the receivers (CaseworkConfig.ready)."""
    for model in watched_models():
        post_save.connect(_saved, sender=model, dispatch_uid=f"worklist-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"worklist-del-{model.__name__}")
    post_save.connect(_reason_code_saved, sender=ReasonCode, dispatch_uid="worklist-reason")
    persons_written.connect(_written, dispatch_uid="worklist-bulk")


def _written(sender: Any, *, person_ids: Iterable[int], **kwargs: Any) -> None:
    mark_stale(person_ids)


# --- The schedule (decision 0022) ----------------------------------------------------------------

WORKLISTS = "worklists"


@builder(WORKLISTS, keep=timedelta(days=2))
def build_refresh(day: date, params: dict[str, Any]) -> Built:
    """The background task ``heltid schedule`` asks for: :func:`refresh_due` as of ``day``."""
    return Built(payload={"written": refresh_due(today=day)})


@scheduled
def refresh_daily(today: date) -> Iterator[Due]:
    """Today's refresh: enqueued after midnight, and again when the last run is older than
    ``HELTID_STATISTICS_MAX_AGE_MINUTES`` (cheap when nothing is due)."""
    yield Due(WORKLISTS, "", today, {})
