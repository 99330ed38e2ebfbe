"""Issue 6: the board report (PDF and Excel) for a year is generated in under 10 s on the demo
(4,000 recipients). To be called from ``benchmarks.budgets.run_all`` on an empty database."""

from __future__ import annotations

import time
from datetime import timedelta

from benchmarks.budgets import Result


def bench_board_report() -> list[Result]:
    from django.utils import timezone

    from heltid.demo.generator import build_demo
    from heltid.insights.board_report import (
        board_report_data,
        board_report_pdf,
        board_report_xlsx,
    )
    from heltid.insights.filters import InsightFilter

    today = timezone.localdate()
    build_demo(seed=1, on=today, recipients=4000)
    period = InsightFilter(start=today - timedelta(days=364), end=today)
    results = []
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
    return results
