"""The `heltid` command: Django's manage.py under our own name."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def ensure_sqlite_folder() -> None:
    """Make the folder of a SQLite database (by default var/), which the settings never do:
    importing them writes nothing. Other databases need nothing on disk."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    name = str(database.get("NAME") or "")
    if database.get("ENGINE") == "django.db.backends.sqlite3" and name and name != ":memory:":
        Path(name).parent.mkdir(parents=True, exist_ok=True)


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "heltid.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv[1:]
    if args and not args[0].startswith("-"):
        args[0] = args[0].replace("-", "_")  # `heltid import-recipients` runs import_recipients
    if args and not args[0].startswith("-") and args[0] not in {"help", "version"}:
        ensure_sqlite_folder()
    execute_from_command_line(["heltid", *args])


if __name__ == "__main__":
    main()
