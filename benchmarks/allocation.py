"""A large synthetic waiting list for the allocation benchmark (issue 5: 5,000 waiting people
and 300 interventions allocated in under 2 s, never below first come, first served).

Seeded, so every run measures the same input: each person is eligible for 10–30 interventions
(one of them the one they wait for), has 0–91 priority points (the policy's range) and waited
up to a year; each intervention has 0–12 free places."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from heltid.planning.allocation import FreePlaces, WaitingPerson

EPOCH = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)


def waiting_list(
    people: int = 5000, interventions: int = 300, *, seed: int = 5
) -> tuple[list[WaitingPerson], list[FreePlaces]]:
    rng = random.Random(seed)
    ids = list(range(1, interventions + 1))
    places = [FreePlaces(id=j, free=rng.randint(0, 12)) for j in ids]
    waiting = []
    for pk in range(1, people + 1):
        eligible = rng.sample(ids, rng.randint(10, 30))
        waiting.append(
            WaitingPerson(
                id=pk,
                priority=rng.randint(0, 91),
                waiting_since=EPOCH + timedelta(minutes=rng.randint(0, 525_600)),
                eligible=frozenset(eligible),
                wanted=frozenset(eligible[:1]),
            )
        )
    return waiting, places
