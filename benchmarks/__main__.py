"""Run every benchmark on a throwaway database and compare with its budget.

The database is a fresh SQLite file (the budgets are for SQLite, the pilot's database) unless
BENCH_DATABASE_URL points elsewhere. Benchmark data may use generated personnummer born in the
1890s (see heltid.demo.recipient_files.synthetic_personnummer); they never reach a real database.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="heltid-bench-"))
    os.environ["HELTID_VAR_DIR"] = str(workdir)
    (workdir / "static").mkdir()  # STATIC_ROOT: importing the settings creates nothing
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heltid.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from benchmarks.budgets import run_all

    results = run_all(workdir, tuple(sys.argv[1:]))
    width = max(len(r.name) for r in results)
    print(f"\n{'benchmark'.ljust(width)}  {'budget':>12}  {'measured':>12}  result")
    for r in results:
        verdict = "ok" if r.ok else "OVER BUDGET"
        print(f"{r.name.ljust(width)}  {r.budget_text:>12}  {r.measured_text:>12}  {verdict}")
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
