"""python -m benchmarks.city build|cast (see the package docstring)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date

from benchmarks.city import DEFAULT_RECIPIENTS, SEED, ensure_city
from benchmarks.city.cast import cast


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.city", description=__doc__.split("\n")[0]
    )
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser(
        "build", help="migrate and build the city into DATABASE_URL (or reuse it)"
    )
    build.add_argument("--recipients", type=int, default=DEFAULT_RECIPIENTS)
    build.add_argument("--day", type=date.fromisoformat, default=None, help="default: today")
    build.add_argument("--seed", type=int, default=SEED)
    out = sub.add_parser("cast", help="write the load test's logins and ids as JSON")
    out.add_argument("path")
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heltid.settings")
    import django

    django.setup()
    if options.command == "build":
        from django.utils import timezone

        ensure_city(options.recipients, day=options.day or timezone.localdate(), seed=options.seed)
    else:
        with open(options.path, "w", encoding="utf-8") as handle:
            json.dump(cast(), handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
