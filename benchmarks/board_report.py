"""Issue 6: the board report (PDF and Excel) for a year is generated in under 10 s on the demo
(4,000 recipients). Builds the demo inside a transaction that is rolled back afterwards, so
the benchmarks after it start from the database they expect."""

from __future__ import annotations

import time
from datetime import timedelta

from benchmarks.budgets import Result


class _RollBack(Exception):
    """Leaves the database as it was."""


def bench_board_report() -> list[Result]:
    from django.db import transaction
    from django.utils import timezone

    from heltid.demo.generator import build_demo
    from heltid.insights.board_report import (
        board_report_data,
        board_report_pdf,
        board_report_xlsx,
    )
    from heltid.insights.filters import InsightFilter

    today = timezone.localdate()
    period = InsightFilter(start=today - timedelta(days=364), end=today)
    results: list[Result] = []
    try:
        with transaction.atomic():
            build_demo(seed=1, on=today, recipients=4000)
            for name, render, magic in (
                ("PDF", board_report_pdf, b"%PDF"),
                ("Excel", board_report_xlsx, b"PK"),
            ):
                started = time.perf_counter()
                data = render(board_report_data(period))
                elapsed = time.perf_counter() - started
                if not data.startswith(magic):
                    raise SystemExit(f"the board report ({name}) is not a {name} file")
                results.append(Result(f"board report, {name} (demo, one year)", 10.0, elapsed, "s"))
            raise _RollBack
    except _RollBack:
        pass
    return results
