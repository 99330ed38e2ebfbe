"""What the planning and the writing of a city share (:class:`benchmarks.city.plan.City`)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from benchmarks.city.data import Item, Placement, Resident, Sizes
from benchmarks.city.writer import Writer


class State:
    """The city being built: its size and day, the random generator all choices come from (in
    a fixed order), the writer, and what is planned before it is written."""

    sizes: Sizes
    day: date
    go_live: date  # Heltid's first day, three years before the day
    last_reported: date  # attendance is reported up to this Sunday
    rng: random.Random
    seed: int
    writer: Writer
    reason_ids: dict[str, int]
    provider_units: list[Any]
    residents: list[Resident]
    items: list[Item]
    by_step: dict[int, list[Item]]
    step_ids: list[int]
    step_codes: list[str]
    placements: list[Placement]
    plan_ids: dict[int, int]
    next_activity: int
    next_referral: int
    # rows planned, written by Rows
    activities: list[tuple[Any, ...]]
    plans: list[tuple[Any, ...]]
    versions: list[tuple[Any, ...]]
    assessments: list[tuple[Any, ...]]
    follow_ups: list[tuple[Any, ...]]
    exits: list[tuple[Resident, date, str, int]]
    unexcused: list[tuple[Placement, list[date]]]
