"""Running the real worker in tests: ``heltid db_worker --batch`` on the test database, which
runs every task in the queue and stops (decision 0022)."""

from __future__ import annotations

import signal
from unittest import mock

from django.core.management import call_command

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


def run_worker() -> None:
    """Every queued task, run by django-tasks' own worker command until the queue is empty.

    Two things of a long-running process are kept out of the test process: the worker's
    signal handlers (pytest's are put back afterwards) and its closing of old database
    connections between tasks, which would close the connection holding the test's
    transaction (the test database is rolled back, not committed, after each test)."""
    handlers = {s: signal.getsignal(s) for s in SIGNALS}
    try:
        with mock.patch(
            "django_tasks_db.management.commands.db_worker.close_old_connections",
            lambda: None,
        ):
            call_command(
                "db_worker",
                batch=True,
                interval=0,
                startup_delay=False,
                reload=False,
                verbosity=0,
            )
    finally:
        for s, handler in handlers.items():
            signal.signal(s, handler)
