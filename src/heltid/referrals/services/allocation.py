"""Batch allocation of the waiting list: the proposal from the database, and applying it.

Who takes part: every referral on a waiting list — of the team lead's unit's persons on the
page, of the whole municipality from ``heltid allocate``. A waiting person is eligible for the
intervention they wait for and for the other active interventions on the same step whose
criteria they meet (``criteria_match_q``) and to which they have no open referral yet. The
free places are the catalogue's (``with_capacity``); the assignment is
:func:`heltid.planning.allocation.allocate`'s, shown next to a greedy first-come allocation of
the same input.

A person on several waiting lists takes part once: with their highest priority points and
their longest wait; a place on another intervention resolves their waiting referral on that
step (the first by priority, then waiting time).

Applying offers the places in the proposal's order, each through ``services/places.py``: a
place in the intervention waited for offers that referral it; a place elsewhere withdraws the
waiting referral and makes an offered referral to the other intervention. A row that no longer
fits — the referral is no longer waiting, the place was taken, the intervention is no longer
active, the person was referred there meanwhile — is skipped and reported."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from heltid.accounts.permissions import persons_visible_q
from heltid.audit.models import Action
from heltid.audit.services import log_access
from heltid.casework.models import Assessment
from heltid.catalog.matching import (
    AssessmentFacts,
    CriteriaFacts,
    Thresholds,
    criteria_facts,
    criteria_match_q,
)
from heltid.catalog.models import Intervention, InterventionStatus
from heltid.clock import moment_of
from heltid.planning.allocation import (
    FreePlaces,
    WaitingPerson,
    allocate,
    greedy_first_come,
    total_priority,
)
from heltid.referrals.models import OPEN, WAITING_ORDER, Referral, ReferralStatus
from heltid.referrals.services.places import free_slot, transition
from heltid.registry.models import Person

# How many sets of facts one query checks (one boolean column each).
_FACTS_PER_QUERY = 200

# Why a row of a proposal was not applied (codes in the JSON, labels on the page).
SKIP_REASONS: dict[str, Any] = {
    "not_waiting": gettext_lazy("The referral is no longer on the waiting list."),
    "full": gettext_lazy("The place was taken meanwhile."),
    "not_active": gettext_lazy("The intervention is no longer active."),
    "already_referred": gettext_lazy("The person already has a referral to the intervention."),
}


@dataclass(frozen=True)
class ProposalRow:
    """One place proposed: the waiting ``referral`` it resolves, its person, the intervention
    offered (``waits_for``: the referral's own intervention) and the person's priority."""

    referral: int
    person: int
    intervention: int
    priority: int
    waits_for: int

    @property
    def moves(self) -> bool:
        return self.intervention != self.waits_for

    def as_json(self) -> dict[str, int]:
        return {
            "referral": self.referral,
            "person": self.person,
            "intervention": self.intervention,
            "priority": self.priority,
        }


@dataclass(frozen=True)
class Proposal:
    on: date
    rows: tuple[ProposalRow, ...]
    total_priority: int
    greedy_total_priority: int
    unassigned: tuple[int, ...]  # persons left waiting, in the policy's order

    @property
    def waiting(self) -> int:
        return len(self.rows) + len(self.unassigned)

    @property
    def fingerprint(self) -> str:
        """Names this proposal: a page applies only the proposal it showed."""
        text = ";".join(f"{r.referral}:{r.intervention}" for r in self.rows)
        return hashlib.sha256(f"{self.on.isoformat()}|{text}".encode()).hexdigest()[:32]

    def as_json(self) -> dict[str, Any]:
        return {
            "proposal": [row.as_json() for row in self.rows],
            "total_priority": self.total_priority,
            "greedy_total_priority": self.greedy_total_priority,
            "unassigned": list(self.unassigned),
        }


@dataclass(frozen=True)
class Skipped:
    row: ProposalRow
    reason: str  # a key of SKIP_REASONS

    @property
    def text(self) -> str:
        return str(SKIP_REASONS[self.reason])


@dataclass(frozen=True)
class Applied:
    """What applying did: ``offered`` pairs a row with the referral now offered its place."""

    offered: tuple[tuple[ProposalRow, int], ...]
    skipped: tuple[Skipped, ...]

    def as_json(self) -> dict[str, Any]:
        return {
            "applied": [{**row.as_json(), "offered": pk} for row, pk in self.offered],
            "skipped": [{**s.row.as_json(), "reason": s.reason} for s in self.skipped],
        }


@dataclass(frozen=True)
class _Waiting:
    pk: int
    person: int
    intervention: int
    step: int
    priority: int
    since: datetime


def _waiting_referrals(persons: Any) -> list[_Waiting]:
    rows = (
        Referral.objects.filter(status=ReferralStatus.WAITING, person__in=persons)
        .order_by(*WAITING_ORDER)
        .values_list(
            "pk",
            "person_id",
            "intervention_id",
            "intervention__step_id",
            "priority",
            "waiting_since",
            "created_at",
        )
    )
    return [
        _Waiting(pk, person, item, step, max(priority, 0), waiting_since or created_at)
        for pk, person, item, step, priority, waiting_since, created_at in rows
    ]


def _matching(persons: Any, candidates: set[int], *, on: date) -> dict[int, set[int]]:
    """The candidate interventions whose criteria each person meets: one query for all the
    kinds of facts (many persons share them), each a boolean column of its own
    (``criteria_match_q``, the one definition), not one query per person."""
    assessments: dict[int, list[AssessmentFacts]] = defaultdict(list)
    for person_id, *assessment in Assessment.objects.filter(person__in=persons).values_list(
        "person_id", "assessed_on", "pk", "activity_capacity_hours", "swedish_level"
    ):
        assessments[person_id].append(tuple(assessment))  # type: ignore[arg-type]
    facts: dict[int, CriteriaFacts] = {
        pk: criteria_facts(
            birth_date=birth_date, reason_group=group, assessments=assessments[pk], on=on
        )
        for pk, birth_date, group in Person.objects.filter(pk__in=persons).values_list(
            "pk", "birth_date", "reason_code__group"
        )
    }
    # One representative of each set of facts that meets the same criteria (usually a few
    # dozen for a unit's hundreds of waiting persons).
    thresholds = Thresholds.of(Intervention.objects.filter(pk__in=candidates))
    same_as: dict[tuple[object, ...], CriteriaFacts] = {}
    for each in facts.values():
        same_as.setdefault(thresholds.key(each), each)
    by_facts: dict[CriteriaFacts, set[int]] = {}
    distinct = list(same_as.values())
    for start in range(0, len(distinct), _FACTS_PER_QUERY):
        chunk = distinct[start : start + _FACTS_PER_QUERY]
        columns = {
            f"meets_{i}": ExpressionWrapper(criteria_match_q(same), output_field=BooleanField())
            for i, same in enumerate(chunk)
        }
        by_facts.update({same: set() for same in chunk})
        for pk, *meets in (
            Intervention.objects.filter(pk__in=candidates)
            .annotate(**columns)
            .values_list("pk", *columns)
        ):
            for same, yes in zip(chunk, meets, strict=True):
                if yes:
                    by_facts[same].add(pk)
    return {pk: by_facts[same_as[thresholds.key(f)]] for pk, f in facts.items()}


def _scope(user: Any) -> Any:
    """The persons whose waiting referrals take part: the user's unit (as far as they may
    see it), or everyone for the command line (no user)."""
    if user is None:
        return Person.objects.all()
    return Person.objects.filter(persons_visible_q(user), unit_id=user.unit_id)


def allocation_input(
    *, today: date, user: Any = None
) -> tuple[list[WaitingPerson], list[FreePlaces], dict[tuple[int, int], _Waiting]]:
    """The allocation's input from the database, and for each (person, intervention) the
    waiting referral that a place there resolves."""
    scope = _scope(user).values("pk")
    waiting = _waiting_referrals(scope)
    if not waiting:
        return [], [], {}
    candidates = (
        Intervention.objects.with_capacity(on=today)
        .filter(  # type: ignore[misc]
            status=InterventionStatus.ACTIVE, step_id__in={w.step for w in waiting}, free__gt=0
        )
        .order_by("pk")
        .values_list("pk", "free", "step_id")
    )
    free: dict[int, int] = {}
    step_of: dict[int, int] = {}
    for pk, count, step in candidates:
        free[pk], step_of[pk] = count, step
    by_person: dict[int, list[_Waiting]] = defaultdict(list)
    for w in waiting:
        by_person[w.person].append(w)
    persons = sorted(by_person)  # those waiting, in scope: a few hundred ids for a unit
    matching = _matching(persons, set(free), on=today) if free else {}
    open_to: dict[int, set[int]] = defaultdict(set)
    for person_id, intervention_id in Referral.objects.filter(
        person__in=persons, status__in=OPEN
    ).values_list("person_id", "intervention_id"):
        open_to[person_id].add(intervention_id)

    people: list[WaitingPerson] = []
    source: dict[tuple[int, int], _Waiting] = {}
    for person_id, referrals in by_person.items():
        resolves: dict[int, _Waiting] = {}
        for w in referrals:  # the highest priority first: the first on a step resolves it
            if w.intervention in free:
                resolves.setdefault(w.intervention, w)
        wanted = frozenset(resolves)
        first_on_step: dict[int, _Waiting] = {}
        for w in referrals:
            first_on_step.setdefault(w.step, w)
        for j in sorted(matching.get(person_id, set()) - open_to[person_id]):
            on_step = first_on_step.get(step_of[j])
            if on_step is not None:
                resolves[j] = on_step
        source.update({(person_id, j): w for j, w in resolves.items()})
        people.append(
            WaitingPerson(
                id=person_id,
                priority=max(w.priority for w in referrals),
                waiting_since=min(w.since for w in referrals),
                eligible=frozenset(resolves),
                wanted=wanted,
            )
        )
    places = [FreePlaces(id=pk, free=count) for pk, count in free.items()]
    return people, places, source


def allocation_proposal(*, today: date, user: Any = None) -> Proposal:
    """The proposal for the user's unit (a team lead's page), or for everyone (``user=None``:
    the command line)."""
    people, places, source = allocation_input(today=today, user=user)
    best = allocate(people, places)
    greedy = greedy_first_come(people, places)
    rows = []
    for placement in best.placements:
        resolved = source[(placement.person, placement.intervention)]
        rows.append(
            ProposalRow(
                referral=resolved.pk,
                person=placement.person,
                intervention=placement.intervention,
                priority=placement.priority,
                waits_for=resolved.intervention,
            )
        )
    return Proposal(
        on=today,
        rows=tuple(rows),
        total_priority=total_priority(best),
        greedy_total_priority=total_priority(greedy),
        unassigned=best.unassigned,
    )


def _move(
    referral: Referral,
    row: ProposalRow,
    *,
    slot: int,
    acting_user: Any,
    today: date,
    page: str,
    name: str,
) -> Referral:
    """Withdraw the waiting referral and offer the person a place in the other intervention."""
    transition(
        referral,
        ReferralStatus.WITHDRAWN,
        acting_user=acting_user,
        note=_("Offered a place in %(intervention)s by the batch allocation instead.")
        % {"intervention": name},
        page=page,
        today=today,
    )
    moved = Referral.objects.create(
        person_id=row.person,
        intervention_id=row.intervention,
        plan_activity_id=referral.plan_activity_id,
        priority=referral.priority,
        note=referral.note,
        created_by=acting_user if getattr(acting_user, "pk", None) else None,
        created_at=moment_of(today),
    )
    log_access(
        user=acting_user,
        action=Action.CREATE,
        person_id=row.person,
        page=page,
        detail={"referral": moved.pk, "allocation": True, "replaces": referral.pk},
    )
    note = _("Batch allocation.")
    for to in (ReferralStatus.SENT, ReferralStatus.WAITING):
        transition(moved, to, acting_user=acting_user, note=note, page=page, today=today)
    moved.slot = slot
    transition(
        moved, ReferralStatus.OFFERED, acting_user=acting_user, note=note, page=page, today=today
    )
    return moved


def _apply_row(
    row: ProposalRow, target: Intervention | None, *, acting_user: Any, today: date, page: str
) -> tuple[Referral | None, str]:
    referral = Referral.objects.select_for_update().filter(pk=row.referral).first()
    if (
        referral is None
        or referral.status != ReferralStatus.WAITING
        or referral.person_id != row.person
    ):
        return None, "not_waiting"
    if target is None or target.status != InterventionStatus.ACTIVE:
        return None, "not_active"
    if referral.intervention_id != row.intervention and (
        Referral.objects.filter(
            person_id=row.person, intervention_id=row.intervention, status__in=OPEN
        ).exists()
    ):
        return None, "already_referred"
    slot = free_slot(row.intervention, on=today)
    if slot is None:
        return None, "full"
    if referral.intervention_id == row.intervention:
        referral.slot = slot
        transition(
            referral,
            ReferralStatus.OFFERED,
            acting_user=acting_user,
            note=_("Offered a place by the batch allocation."),
            page=page,
            today=today,
        )
        return referral, ""
    moved = _move(
        referral,
        row,
        slot=slot,
        acting_user=acting_user,
        today=today,
        page=page,
        name=target.name,
    )
    return moved, ""


@transaction.atomic
def allocation_apply(
    *, proposal: Proposal, acting_user: Any, today: date, page: str = ""
) -> Applied:
    """Offer the proposal's places in one transaction, in its order; skip and report the rows
    that no longer fit. The interventions are locked first, in id order."""
    targets = {
        item.pk: item
        for item in Intervention.objects.select_for_update()
        .filter(pk__in={row.intervention for row in proposal.rows})
        .order_by("pk")
    }
    offered: list[tuple[ProposalRow, int]] = []
    skipped: list[Skipped] = []
    for row in proposal.rows:
        referral, reason = _apply_row(
            row, targets.get(row.intervention), acting_user=acting_user, today=today, page=page
        )
        if referral is None:
            skipped.append(Skipped(row=row, reason=reason))
        else:
            offered.append((row, referral.pk))
    return Applied(offered=tuple(offered), skipped=tuple(skipped))
