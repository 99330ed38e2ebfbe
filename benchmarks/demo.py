"""The demo municipality (4,000 recipients, its catalogue, casework and staircase history) is
built in under 30 s: the budget tests/demo/test_demo_full.py used to assert. Builds it inside a
transaction that is rolled back afterwards, so the benchmarks after it start from the database
they expect."""

from __future__ import annotations

import time

from benchmarks.budgets import Result

RECIPIENTS = 4000


class _RollBack(Exception):
    """Leaves the database as it was."""


def bench_demo_build() -> list[Result]:
    from django.db import transaction
    from django.utils import timezone

    from heltid.demo.generator import build_demo
    from heltid.registry.models import Person

    if Person.objects.exists():
        raise SystemExit("the demo benchmark needs an empty registry")
    today = timezone.localdate()
    elapsed = 0.0
    try:
        with transaction.atomic():
            started = time.perf_counter()
            summary = build_demo(seed=1, on=today, recipients=RECIPIENTS)
            elapsed = time.perf_counter() - started
            if summary.recipients != RECIPIENTS:
                raise SystemExit(
                    f"the demo benchmark built {summary.recipients} recipients, not {RECIPIENTS}"
                )
            raise _RollBack
    except _RollBack:
        pass
    return [Result(f"demo municipality build ({RECIPIENTS:,} recipients)", 30.0, elapsed, "s")]
