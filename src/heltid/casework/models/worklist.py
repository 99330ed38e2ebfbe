"""The stored worklist: per person, what the rules said about the case on the day it was
computed, kept up to date when facts change (decision record 0023).

A ``Worklist`` row holds the answers that do not move with the calendar until ``valid_until``
(covered, the target group, the weekly hours, the due date of every casework deadline not yet
met); a ``WorklistItem`` is one deadline not yet met or one signal from the referral flow.
Whether a deadline is overdue, due or upcoming is not stored: it is read in SQL from its due
date and the day asked about (:meth:`WorklistQuerySet.with_state`), so a row stays right every
day until ``valid_until`` without being recomputed. The rows are written only by
:mod:`heltid.casework.worklist`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import connection, models
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Collate
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Unit
from heltid.registry.models import Person
from heltid.rules import DeadlineKind, DeadlineState

# A valid_until that has always come: the row is recomputed by the next refresh or read.
STALE = date(1, 1, 1)

# Overdue before due before upcoming; a row with no deadline running last.
URGENCY = {
    DeadlineState.OVERDUE: 0,
    DeadlineState.DUE: 1,
    DeadlineState.UPCOMING: 2,
    DeadlineState.DONE: 3,
}
NO_DEADLINE = 4


def state_of(due_on: str, due_from: str, today: date) -> Case:
    """The state of a deadline on ``today`` from its stored dates, as
    :func:`heltid.rules.casework_deadlines` gives it: overdue after its day, due from
    ``due_from`` (the policy's due-soon days before), else upcoming; "none" without one."""
    return Case(
        When(**{f"{due_on}__isnull": True}, then=Value("none")),
        When(**{f"{due_on}__lt": today}, then=Value(DeadlineState.OVERDUE.value)),
        When(**{f"{due_from}__lte": today}, then=Value(DeadlineState.DUE.value)),
        default=Value(DeadlineState.UPCOMING.value),
    )


def urgency_of(due_on: str, due_from: str, today: date) -> Case:
    """:func:`state_of` as the number the lists sort by (``URGENCY``)."""
    return Case(
        When(**{f"{due_on}__isnull": True}, then=Value(NO_DEADLINE)),
        When(**{f"{due_on}__lt": today}, then=Value(URGENCY[DeadlineState.OVERDUE])),
        When(**{f"{due_from}__lte": today}, then=Value(URGENCY[DeadlineState.DUE])),
        default=Value(URGENCY[DeadlineState.UPCOMING]),
        output_field=IntegerField(),
    )


def _codepoint_order(expression: Any) -> Any:
    """Names sort as Python compares casefolded strings (code point order) on both databases:
    SQLite compares bytes already; PostgreSQL's default collation would not."""
    if connection.vendor == "postgresql":
        return Collate(expression, "C")
    return expression


def _name_as_seen(prefix: str, field: str, *, sees_protected: bool) -> Any:
    """A stored sort name as the user may see it: a protected name the user may not see sorts
    as empty (as it shows: "Protected identity")."""
    name: Any = F(f"{prefix}{field}")
    if not sees_protected:
        name = Case(When(**{f"{prefix}protected_identity": True}, then=Value("")), default=name)
    return _codepoint_order(name)


def overdue_q(today: date, prefix: str = "") -> Q:
    """Items overdue on ``today``: deadlines past their day, and signals that are overdue."""
    return Q(**{f"{prefix}state": DeadlineState.OVERDUE.value}) | Q(
        **{f"{prefix}state": "", f"{prefix}due_on__lt": today}
    )


# The order of a person's to-dos that share a state and a day: as the rules list the deadlines
# (assessment, plan, first activity, follow-up), then the signals.
KIND_ORDER = {kind.value: i for i, kind in enumerate(DeadlineKind)}


class WorklistQuerySet(models.QuerySet["Worklist"]):
    def stale(self, today: date) -> WorklistQuerySet:
        """Rows whose stored answer may have changed by ``today`` (or was marked stale)."""
        return self.filter(valid_until__lte=today)

    def in_unit_view(self, unit_id: int) -> WorklistQuerySet:
        """The unit view's persons: every person of the unit with a case manager, and those
        without one who are on support and covered or in the target group."""
        return self.filter(unit_id=unit_id).filter(
            Q(case_manager__isnull=False) | Q(open_case=True)
        )

    def with_state(self, today: date) -> WorklistQuerySet:
        """Annotate ``next_state`` and ``urgency`` (of the next deadline) on ``today`` and
        ``has_todo`` (a deadline due or overdue, or a signal)."""
        return self.annotate(
            next_state=state_of("next_due_on", "next_due_from", today),
            urgency=urgency_of("next_due_on", "next_due_from", today),
            has_todo=Exists(WorklistItem.objects.filter(worklist=OuterRef("pk")).open(today)),
        )

    def in_caseload_order(self, today: date, *, sees_protected: bool) -> WorklistQuerySet:
        """Most urgent first, then the earliest next deadline, then by name as the user may see
        it, then by id."""
        return self.annotate(
            order_urgency=urgency_of("next_due_on", "next_due_from", today),
            order_last=_name_as_seen("", "sort_last", sees_protected=sees_protected),
            order_first=_name_as_seen("", "sort_first", sees_protected=sees_protected),
        ).order_by("order_urgency", "next_due_on", "order_last", "order_first", "person_id")


class Worklist(models.Model):
    """One person's case as the rules saw it on ``computed_on``, valid until ``valid_until``."""

    person = models.OneToOneField(
        Person,
        verbose_name=_("person"),
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="worklist",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("case manager"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # on support and covered or in the target group: the unit view lists the person even
    # without a case manager
    open_case = models.BooleanField(_("open case"), default=False)
    covered = models.BooleanField(_("covered"), default=False)
    covered_from = models.DateField(_("covered from"), null=True, blank=True)
    target_group = models.BooleanField(_("in the target group"), default=False)
    weekly_hours = models.DecimalField(
        _("weekly hours"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    exited_on = models.DateField(_("exited on"), null=True, blank=True)
    problem = models.TextField(_("why the rules could not be applied"), blank=True)
    # the earliest deadline not yet met
    next_kind = models.CharField(_("next deadline"), max_length=20, blank=True)
    next_due_on = models.DateField(_("next deadline's day"), null=True, blank=True)
    next_due_from = models.DateField(_("next deadline due from"), null=True, blank=True)
    signals = models.PositiveSmallIntegerField(_("signals"), default=0)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    sort_last = models.CharField(_("last name, casefolded"), max_length=100, blank=True)
    sort_first = models.CharField(_("first name, casefolded"), max_length=100, blank=True)
    computed_on = models.DateField(_("computed on"))
    valid_until = models.DateField(_("valid until"))  # the first day the answer may change
    fingerprint = models.CharField(_("rules and policy"), max_length=32, blank=True)

    objects = WorklistQuerySet.as_manager()

    class Meta:
        verbose_name = _("worklist row")
        verbose_name_plural = _("worklist")
        indexes = [
            # a caseload and its catch-up; a unit's lists; a unit's catch-up; the nightly run
            models.Index(fields=["case_manager", "valid_until"], name="worklist_manager_idx"),
            models.Index(fields=["unit", "case_manager"], name="worklist_unit_idx"),
            models.Index(fields=["unit", "valid_until"], name="worklist_unit_valid_idx"),
            models.Index(fields=["valid_until"], name="worklist_valid_until_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.computed_on:%Y-%m-%d})"


class WorklistItemQuerySet(models.QuerySet["WorklistItem"]):
    def open(self, today: date) -> WorklistItemQuerySet:
        """To-dos on ``today``: deadlines due or overdue, and signals."""
        return self.filter(Q(due_from__lte=today) | ~Q(state=""))

    def overdue(self, today: date) -> WorklistItemQuerySet:
        return self.filter(overdue_q(today))

    def with_state(self, today: date) -> WorklistItemQuerySet:
        """Annotate ``item_state`` and ``item_urgency`` on ``today`` (a signal's is its own)."""
        return self.annotate(
            item_state=Case(
                When(~Q(state=""), then=F("state")),
                default=state_of("due_on", "due_from", today),
            ),
            item_urgency=Case(
                When(state=DeadlineState.OVERDUE.value, then=Value(URGENCY[DeadlineState.OVERDUE])),
                When(state=DeadlineState.DUE.value, then=Value(URGENCY[DeadlineState.DUE])),
                default=urgency_of("due_on", "due_from", today),
                output_field=IntegerField(),
            ),
        )

    def in_caseload_order(self, today: date, *, sees_protected: bool) -> WorklistItemQuerySet:
        """Overdue first, then due; the earliest first within each; then in the order of their
        rows (:meth:`WorklistQuerySet.in_caseload_order`) and, within a row, as the rules list
        the deadlines, then the signals. Call after :meth:`with_state`."""
        return self.annotate(
            row_urgency=urgency_of("worklist__next_due_on", "worklist__next_due_from", today),
            row_last=_name_as_seen("worklist__", "sort_last", sees_protected=sees_protected),
            row_first=_name_as_seen("worklist__", "sort_first", sees_protected=sees_protected),
            kind_order=Case(
                *(When(kind=kind, then=Value(i)) for kind, i in KIND_ORDER.items()),
                default=Value(len(KIND_ORDER)),
                output_field=IntegerField(),
            ),
        ).order_by(  # type: ignore[misc]  # item_urgency: annotated by with_state
            "item_urgency",
            "due_on",
            "row_urgency",
            "worklist__next_due_on",
            "row_last",
            "row_first",
            "worklist_id",
            "kind_order",
            "pk",
        )


class WorklistItem(models.Model):
    """A casework deadline not yet met, or a signal of the referral flow (``kind`` "signal",
    with its own ``state`` and the words to show: ``signal`` and ``subject``)."""

    worklist = models.ForeignKey(
        Worklist, verbose_name=_("worklist row"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20)
    signal = models.CharField(_("signal"), max_length=20, blank=True)
    subject = models.CharField(_("about"), max_length=300, blank=True)
    due_on = models.DateField(_("deadline"))
    due_from = models.DateField(_("due from"), null=True, blank=True)  # deadlines only
    state = models.CharField(_("state"), max_length=10, blank=True)  # signals only

    objects = WorklistItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("worklist item")
        verbose_name_plural = _("worklist items")
        indexes = [models.Index(fields=["worklist", "due_from"], name="worklist_item_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="", due_from__isnull=False)
                | (~Q(state="") & Q(due_from__isnull=True)),
                name="worklist_item_deadline_or_signal",
            )
        ]

    def __str__(self) -> str:
        return f"{self.worklist_id}: {self.kind} {self.due_on:%Y-%m-%d}"
