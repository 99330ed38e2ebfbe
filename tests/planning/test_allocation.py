"""The batch allocation (pure): known optima by hand, and properties on random input — the
min-cost flow's total priority is the best there is (so never below first-come's), every
placement is eligible and within capacity, and nobody is placed twice."""

from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from heltid.planning.allocation import (
    Assignment,
    FreePlaces,
    WaitingPerson,
    allocate,
    greedy_first_come,
    problems,
    total_priority,
)

T0 = datetime(2026, 1, 1, 9, 0)


def person(
    pk: int, priority: int, eligible: set[int], *, day: int = 0, wanted: set[int] | None = None
) -> WaitingPerson:
    return WaitingPerson(
        id=pk,
        priority=priority,
        waiting_since=T0 + timedelta(days=day),
        eligible=frozenset(eligible),
        wanted=frozenset(wanted or ()),
    )


def places(**free: int) -> list[FreePlaces]:
    """places(i1=2, i7=0): intervention 1 with 2 free places, intervention 7 with none."""
    return [FreePlaces(id=int(key[1:]), free=count) for key, count in free.items()]


def test_allocate__first_come_takes_the_only_place_of_the_urgent__optimum_moves_it() -> None:
    people = [person(1, 1, {10, 20}, day=0), person(2, 10, {10}, day=5)]
    free = places(i10=1, i20=1)
    greedy = greedy_first_come(people, free)
    assert greedy.by_person() == {1: 10} and total_priority(greedy) == 1
    best = allocate(people, free)
    assert best.by_person() == {2: 10, 1: 20}
    assert total_priority(best) == 11 and best.unassigned == ()


def test_allocate__too_few_places__the_highest_priorities_get_them() -> None:
    people = [person(1, 5, {1}), person(2, 3, {1}), person(3, 8, {1})]
    best = allocate(people, places(i1=2))
    assert [(p.person, p.priority) for p in best.placements] == [(3, 8), (1, 5)]
    assert best.unassigned == (2,) and total_priority(best) == 13


def test_allocate__a_chain_of_moves__reaches_the_optimum() -> None:
    # 3 can only go to A; 2 to A or B; 1 to B or C. Best: 3→A, 2→B, 1→C (everyone).
    people = [person(1, 2, {1, 2, 3}), person(2, 4, {1, 2}), person(3, 9, {1})]
    best = allocate(people, places(i1=1, i2=1, i3=1))
    assert best.by_person() == {3: 1, 2: 2, 1: 3}
    assert total_priority(best) == 15
    greedy = greedy_first_come(people, places(i1=1, i2=1, i3=1))
    assert greedy.by_person() == {1: 1, 2: 2} and total_priority(greedy) == 6


def test_allocate__equal_priority__the_longest_wait_wins() -> None:
    people = [person(1, 7, {1}, day=3), person(2, 7, {1}, day=1), person(3, 7, {1}, day=2)]
    best = allocate(people, places(i1=1))
    assert best.by_person() == {2: 1}
    assert best.unassigned == (3, 1)  # the policy's order: then the wait


def test_allocate__equal_priority_and_wait__the_lower_id_wins() -> None:
    people = [person(9, 7, {1}), person(4, 7, {1})]
    assert allocate(people, places(i1=1)).by_person() == {4: 1}


def test_allocate__the_intervention_waited_for__preferred_when_it_makes_no_difference() -> None:
    people = [person(1, 5, {1, 2, 3}, wanted={3})]
    assert allocate(people, places(i1=1, i2=1, i3=1)).by_person() == {1: 3}


def test_allocate__no_priority_points__still_placed_when_there_is_room() -> None:
    people = [person(1, 0, {1}), person(2, 0, {1, 2})]
    best = allocate(people, places(i1=1, i2=1))
    assert best.by_person() == {1: 1, 2: 2} and total_priority(best) == 0


def test_allocate__nothing_eligible_free_or_known__nobody_placed() -> None:
    people = [person(1, 5, set()), person(2, 5, {1}), person(3, 5, {99})]
    for result in (allocate(people, places(i1=0)), greedy_first_come(people, places(i1=0))):
        assert result.placements == () and result.unassigned == (1, 2, 3)
    assert allocate([], places(i1=3)) == Assignment(placements=(), unassigned=())
    assert allocate(people, []).unassigned == (1, 2, 3)


def test_allocate__the_order_of_the_input__does_not_change_the_answer() -> None:
    rng = random.Random(7)
    people = [person(k, rng.randint(0, 3), set(rng.sample(range(6), 3))) for k in range(30)]
    free = [FreePlaces(id=j, free=rng.randint(0, 3)) for j in range(6)]
    first = allocate(people, free)
    for _ in range(5):
        rng.shuffle(people)
        rng.shuffle(free)
        assert allocate(people, free) == first


@pytest.mark.parametrize(
    ("people", "free", "message"),
    [
        ([person(1, 1, {1}), person(1, 2, {1})], places(i1=1), "person appears twice"),
        ([person(1, 1, {1})], [FreePlaces(1, 1), FreePlaces(1, 2)], "intervention appears"),
        ([person(1, -1, {1})], places(i1=1), "never negative"),
        ([person(1, 1, {1})], [FreePlaces(1, -1)], "never negative"),
    ],
)
def test_allocate__bad_input__refused(
    people: list[WaitingPerson], free: list[FreePlaces], message: str
) -> None:
    for solve in (allocate, greedy_first_come):
        with pytest.raises(ValueError, match=message):
            solve(people, free)


def test_problems__finds_what_is_wrong() -> None:
    from heltid.planning.allocation import Placement

    people = [person(1, 1, {1}), person(2, 1, {2})]
    bad = Assignment(
        placements=(Placement(1, 1, 1), Placement(1, 1, 1), Placement(2, 1, 1)),
        unassigned=(2,),
    )
    found = problems(bad, people, places(i1=2, i2=1))
    assert found == [
        "person 1 is placed twice",
        "person 2 is not eligible for 1",
        "intervention 1 has 3 placed for 2 free places",
        "person 2 is both placed and unassigned",
    ]


# --- Properties ------------------------------------------------------------------------------


@st.composite
def instances(
    draw: st.DrawFn, *, max_people: int, max_interventions: int, max_free: int
) -> tuple[list[WaitingPerson], list[FreePlaces]]:
    count = draw(st.integers(min_value=1, max_value=max_interventions))
    ids = draw(st.lists(st.integers(1, 10_000), min_size=count, max_size=count, unique=True))
    free = [FreePlaces(id=j, free=draw(st.integers(0, max_free))) for j in ids]
    pool = [*ids, 10_001]  # one intervention the input does not know
    people = draw(
        st.lists(
            st.builds(
                lambda pk, priority, minutes, eligible, wanted: WaitingPerson(
                    id=pk,
                    priority=priority,
                    waiting_since=T0 + timedelta(minutes=minutes),
                    eligible=frozenset(eligible),
                    wanted=frozenset(eligible) & frozenset(wanted),
                ),
                st.integers(1, 10_000),
                st.integers(0, 60),
                st.integers(0, 50),  # few distinct times: ties happen
                st.sets(st.sampled_from(pool), max_size=len(pool)),
                st.sets(st.sampled_from(pool), max_size=2),
            ),
            max_size=max_people,
            unique_by=lambda p: p.id,
        )
    )
    return people, free


def best_possible(people: list[WaitingPerson], free: list[FreePlaces]) -> int:
    """The highest total priority, by trying everything (small inputs only)."""
    ids = [i.id for i in free]

    @cache
    def best(k: int, left: tuple[int, ...]) -> int:
        if k == len(people):
            return 0
        result = best(k + 1, left)  # k stays unplaced
        for n, j in enumerate(ids):
            if j in people[k].eligible and left[n] > 0:
                rest = (*left[:n], left[n] - 1, *left[n + 1 :])
                result = max(result, people[k].priority + best(k + 1, rest))
        return result

    return best(0, tuple(i.free for i in free))


def assert_sound(result: Assignment, people: list[WaitingPerson], free: list[FreePlaces]) -> None:
    """Eligible, within capacity, nobody twice, everyone accounted for — checked here rather
    than trusting ``problems``."""
    placed = [p.person for p in result.placements]
    assert len(placed) == len(set(placed))
    assert sorted(placed + list(result.unassigned)) == sorted(p.id for p in people)
    eligible = {p.id: p.eligible for p in people}
    priority = {p.id: p.priority for p in people}
    for placement in result.placements:
        assert placement.intervention in eligible[placement.person]
        assert placement.priority == priority[placement.person]
    used = Counter(p.intervention for p in result.placements)
    capacity = {i.id: i.free for i in free}
    assert all(count <= capacity.get(j, 0) for j, count in used.items())
    assert problems(result, people, free) == []


@pytest.mark.slow  # hundreds of examples
@settings(database=None, max_examples=300, deadline=None)
@given(instances(max_people=7, max_interventions=4, max_free=2))
def test_allocate__small_inputs__the_best_total_there_is(
    instance: tuple[list[WaitingPerson], list[FreePlaces]],
) -> None:
    people, free = instance
    best = allocate(people, free)
    greedy = greedy_first_come(people, free)
    assert_sound(best, people, free)
    assert_sound(greedy, people, free)
    assert total_priority(best) == best_possible(people, free)
    assert total_priority(best) >= total_priority(greedy)


@pytest.mark.slow  # hundreds of examples
@settings(database=None, max_examples=150, deadline=None)
@given(instances(max_people=80, max_interventions=12, max_free=6))
def test_allocate__larger_inputs__never_below_first_come_and_always_sound(
    instance: tuple[list[WaitingPerson], list[FreePlaces]],
) -> None:
    people, free = instance
    best = allocate(people, free)
    greedy = greedy_first_come(people, free)
    assert_sound(best, people, free)
    assert_sound(greedy, people, free)
    assert total_priority(best) >= total_priority(greedy)
    # as many placed as possible: no one left waiting has an eligible place still free
    used = Counter(p.intervention for p in best.placements)
    capacity = {i.id: i.free for i in free}
    waiting = {p.id: p for p in people}
    for pk in best.unassigned:
        assert all(used[j] >= capacity.get(j, 0) for j in waiting[pk].eligible)
    assert allocate(people, free) == best  # deterministic
