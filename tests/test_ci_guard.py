"""CI's contract: `.ci/run` runs the suite with `make test`, and once more on PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path

CI_RUN = Path(__file__).resolve().parents[1] / ".ci" / "run"


def test_ci_run__runs_make_test_on_sqlite_and_on_postgresql() -> None:
    script = CI_RUN.read_text(encoding="utf-8")
    assert script.startswith("#!/usr/bin/env bash\n") or script.startswith("#!/bin/bash\n")
    assert "set -euo pipefail" in script
    assert "make test" in script
    assert "DATABASE_URL" in script
    assert os.access(CI_RUN, os.X_OK), ".ci/run must be executable"
