"""CI's contract: `.ci/run` runs the suite with `make test` on SQLite on today's date, once more
on PostgreSQL on a date far from today, and then installs the wheel outside the checkout and
checks it over HTTP in production mode."""

from __future__ import annotations

import os
import re
import subprocess
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CI_RUN = ROOT / ".ci" / "run"


def _script() -> str:
    return CI_RUN.read_text(encoding="utf-8")


def test_ci_run__runs_make_test_on_sqlite_and_on_postgresql() -> None:
    script = _script()
    assert script.startswith("#!/usr/bin/env bash\n") or script.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in script
    assert "make test" in script
    assert "DATABASE_URL" in script
    assert os.access(CI_RUN, os.X_OK), ".ci/run must be executable"
    subprocess.run(["bash", "-n", str(CI_RUN)], check=True, timeout=30)


def test_ci_run__the_postgresql_pass_lives_on_a_far_date_and_both_dates_are_printed() -> None:
    script = _script()
    assert 'run_pass sqlite "$SQLITE_SKIP_ALLOWED"\n' in script  # today's date
    assert 'run_pass postgresql "" "$FAR_DATE"' in script
    assert "--today=$day" in script
    assert 'FAR_DATE="$(($(TZ=Europe/Stockholm date +%Y) + 1))-12-31"' in script
    # the date each pass really used, read back from the suite's own summary line
    assert "suite date \\(--today\\)" in script
    assert "PASS_DATES+=" in script
    far = date(date.today().year + 1, 12, 31)
    assert (far - date.today()).days > 365 and far.month == 12 and far.day == 31


def test_ci_run__installs_the_wheel_outside_the_checkout_and_checks_it_over_http() -> None:
    script = _script()
    steps = [  # in the order they run
        "-m build --outdir",
        "python3 -m venv",
        'pip" install --quiet --no-compile',
        "check --deploy --fail-level WARNING",
        "migrate --noinput",
        "collectstatic --noinput",
        'heltid" demo',
        "scripts/smoke_data.py",
        'gunicorn" heltid.wsgi:application',
        "scripts/smoke_http.py",
    ]
    positions = [script.find(step) for step in steps]
    assert -1 not in positions, [s for s, p in zip(steps, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "the wheel step's commands are out of order"
    assert "HELTID_PRODUCTION=true" in script
    assert 'createdb" -h 127.0.0.1 -p "$PG_PORT" -U heltid heltid_wheel' in script
    # the wheel step runs after the PostgreSQL pass, on its cluster, and is timed
    main = script[script.rindex('\nif [ -z "$CI_ONLY" ]') :]
    assert main.index('run_pass postgresql "" "$FAR_DATE"') < main.index("\nwheel_step\n")
    assert re.search(r'timed "wheel: [^"]+" wheel_http', script)
    for name in ("smoke_data.py", "smoke_http.py"):
        assert (ROOT / "scripts" / name).is_file()
