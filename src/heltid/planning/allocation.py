"""Batch allocation of a waiting list: who gets which free place.

Pure: people waiting (priority points, waiting since, the interventions they are eligible for)
and interventions (free places) in, an assignment out. Each person gets at most one place,
only where eligible, and no intervention more than its free places.

:func:`allocate` maximises the total priority of the people placed, as a minimum-cost flow
(OR-Tools' ``SimpleMinCostFlow``)::

    source ─(1)→ person ─(1)→ intervention ─(free)→ sink,   source ─(n)→ sink (unplaced)

Choosing *which people* to place is a matroid problem (a transversal matroid: the sets of
people who can all be placed together), so the best set depends only on the order of the
people, never on the sizes of their weights. The order is the policy's: priority points,
highest first, then the longest wait, then the id. Each person's arc is therefore worth their
rank in that order (1 … n, all distinct), which keeps the costs small; with distinct weights
the best set is unique, it is the one the greedy algorithm on that order would choose, and so
it has the highest total priority there is (priority never increases along the order). Below
that, as a strictly smaller term, each person placed in an intervention they asked for (their
``wanted`` ones, the waiting list they are on) counts one, so that nobody is moved to another
intervention when the one they wait for has room for the same result. The solver is
deterministic and the network is built in id order: the same input gives the same answer.

:func:`greedy_first_come` is the comparison: people in order of waiting time, each to the
first eligible intervention (by id) that still has a free place."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass(frozen=True)
class WaitingPerson:
    """Someone on a waiting list. ``eligible``: the interventions they may be placed in;
    ``wanted``: those among them they wait for (preferred when it makes no difference)."""

    id: int
    priority: int
    waiting_since: datetime
    eligible: frozenset[int]
    wanted: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class FreePlaces:
    """An intervention and how many places it has free."""

    id: int
    free: int


@dataclass(frozen=True)
class Placement:
    person: int
    intervention: int
    priority: int


@dataclass(frozen=True)
class Assignment:
    """Who goes where, in the policy's order (priority, then waiting time), and who is left."""

    placements: tuple[Placement, ...]
    unassigned: tuple[int, ...]

    def by_person(self) -> dict[int, int]:
        return {p.person: p.intervention for p in self.placements}


class AllocationError(RuntimeError):
    """The solver did not find an optimal flow (it always should: unplaced is allowed)."""


def total_priority(assignment: Assignment) -> int:
    """The sum of the priority points of the people placed."""
    return sum(p.priority for p in assignment.placements)


def _validated(
    people: Sequence[WaitingPerson], interventions: Sequence[FreePlaces]
) -> tuple[list[WaitingPerson], dict[int, int]]:
    if len({p.id for p in people}) != len(people):
        raise ValueError("a person appears twice")
    if len({i.id for i in interventions}) != len(interventions):
        raise ValueError("an intervention appears twice")
    if any(p.priority < 0 for p in people):
        raise ValueError("priority points are never negative")
    if any(i.free < 0 for i in interventions):
        raise ValueError("free places are never negative")
    free = {i.id: i.free for i in sorted(interventions, key=lambda i: i.id) if i.free > 0}
    return list(people), free


def policy_order(people: Iterable[WaitingPerson]) -> list[WaitingPerson]:
    """Priority points, highest first; then the longest wait; then the id."""
    return sorted(people, key=lambda p: (-p.priority, p.waiting_since, p.id))


def _result(
    people: list[WaitingPerson], chosen: dict[int, int], *, order: list[WaitingPerson]
) -> Assignment:
    placements = tuple(
        Placement(person=p.id, intervention=chosen[p.id], priority=p.priority)
        for p in order
        if p.id in chosen
    )
    unassigned = tuple(p.id for p in order if p.id not in chosen)
    return Assignment(placements=placements, unassigned=unassigned)


def allocate(people: Sequence[WaitingPerson], interventions: Sequence[FreePlaces]) -> Assignment:
    """The assignment with the highest total priority (see the module's docstring)."""
    members, free = _validated(people, interventions)
    order = policy_order(members)
    by_id = sorted(members, key=lambda p: p.id)
    options = [sorted(j for j in p.eligible if j in free) for p in by_id]
    placeable = [k for k, choices in enumerate(options) if choices]
    if not placeable:
        return _result(members, {}, order=order)

    # Nodes: 0 the source, 1…n the people (in id order), then the interventions, then the sink.
    n = len(by_id)
    column = {j: n + 1 + k for k, j in enumerate(free)}
    sink = n + 1 + len(free)
    rank = {p.id: n - position for position, p in enumerate(order)}  # n … 1, distinct
    most_placed = min(len(placeable), sum(free.values()))
    scale = most_placed + 1  # one rank step outweighs every "wanted" bonus together

    tails: list[int] = []
    heads: list[int] = []
    costs: list[int] = []
    for k in placeable:
        person = by_id[k]
        for j in options[k]:
            tails.append(k + 1)
            heads.append(column[j])
            costs.append(-(rank[person.id] * scale + (1 if j in person.wanted else 0)))
    choice_arcs = len(tails)
    for k in placeable:
        tails.append(0)
        heads.append(k + 1)
        costs.append(0)
    for node in column.values():
        tails.append(node)
        heads.append(sink)
        costs.append(0)
    tails.append(0)  # the bypass: a person may stay unplaced
    heads.append(sink)
    costs.append(0)
    capacities = [1] * (choice_arcs + len(placeable)) + list(free.values()) + [len(placeable)]

    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(
        np.array(tails, dtype=np.int32),
        np.array(heads, dtype=np.int32),
        np.array(capacities, dtype=np.int64),
        np.array(costs, dtype=np.int64),
    )
    solver.set_nodes_supplies(
        np.array([0, sink], dtype=np.int32), np.array([len(placeable), -len(placeable)], np.int64)
    )
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise AllocationError(f"the minimum-cost flow was not solved: {status}")
    flows = np.asarray(solver.flows(np.arange(choice_arcs, dtype=np.int32)))
    intervention_of = {node: j for j, node in column.items()}
    chosen = {
        by_id[tails[arc] - 1].id: intervention_of[heads[arc]]
        for arc in np.flatnonzero(flows > 0).tolist()
    }
    return _result(members, chosen, order=order)


def greedy_first_come(
    people: Sequence[WaitingPerson], interventions: Sequence[FreePlaces]
) -> Assignment:
    """First come, first served: by waiting time (then id), each person to the first eligible
    intervention (by id) with a place left."""
    members, free = _validated(people, interventions)
    left = dict(free)
    chosen: dict[int, int] = {}
    for person in sorted(members, key=lambda p: (p.waiting_since, p.id)):
        target = next((j for j in sorted(person.eligible) if left.get(j, 0) > 0), None)
        if target is not None:
            chosen[person.id] = target
            left[target] -= 1
    return _result(members, chosen, order=policy_order(members))


def problems(
    assignment: Assignment,
    people: Sequence[WaitingPerson],
    interventions: Sequence[FreePlaces],
) -> list[str]:
    """What is wrong with an assignment: someone placed twice or where not eligible, an
    intervention over its free places, someone both placed and unassigned. Empty: sound."""
    found: list[str] = []
    eligible = {p.id: p.eligible for p in people}
    free = {i.id: i.free for i in interventions}
    seen: set[int] = set()
    used: dict[int, int] = {}
    for placement in assignment.placements:
        if placement.person in seen:
            found.append(f"person {placement.person} is placed twice")
        seen.add(placement.person)
        if placement.intervention not in eligible.get(placement.person, frozenset()):
            found.append(f"person {placement.person} is not eligible for {placement.intervention}")
        used[placement.intervention] = used.get(placement.intervention, 0) + 1
    found += [
        f"intervention {j} has {count} placed for {free.get(j, 0)} free places"
        for j, count in sorted(used.items())
        if count > free.get(j, 0)
    ]
    found += [
        f"person {p} is both placed and unassigned" for p in assignment.unassigned if p in seen
    ]
    return found
