"""The `heltid` command: Django's manage.py under our own name."""

from __future__ import annotations

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heltid.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `heltid import-recipients` runs import_recipients
    execute_from_command_line(["heltid", *args])


if __name__ == "__main__":
    main()
