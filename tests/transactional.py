"""The transactional test database, for browser tests (the live server needs committed data)
and concurrency tests (each thread its own connection).

Django empties the database after each such test (DELETE on SQLite, TRUNCATE on PostgreSQL).
Things the migrations made need help with that:
- the access log's append-only triggers refuse the flush: they are switched off for it only,
  and put back exactly as migrations audit 0002 and 0004 made them (with the lane heads);
- the rows data migrations loaded (reason codes, the default staircase, decline reasons) would
  be gone: they are loaded again before each test and after the flush, so later tests find the
  database as migrated.
"""

from __future__ import annotations

import importlib

from django.apps import apps as django_apps
from django.db import connection

# the access log's triggers as they stand (0004 makes them all again, 0002's included)
_TRIGGERS = importlib.import_module("heltid.audit.migrations.0004_access_log_lanes")
_REASON_CODES = importlib.import_module("heltid.registry.migrations.0002_default_reason_codes")
_STAIRCASE = importlib.import_module("heltid.catalog.migrations.0002_default_staircase")
_DECLINE_REASONS = importlib.import_module(
    "heltid.referrals.migrations.0002_default_decline_reasons"
)


def triggers_off() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in _TRIGGERS.GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            for statement in _TRIGGERS.SQLITE_REVERSE:
                cursor.execute(statement)


def as_migrated() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for table in _TRIGGERS.GUARDED_TABLES:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            for statement in _TRIGGERS.SQLITE_REVERSE + _TRIGGERS.SQLITE:
                cursor.execute(statement)
    _TRIGGERS.create_lanes(django_apps, None)
    _REASON_CODES.load(django_apps, None)
    _STAIRCASE.create_steps(django_apps, None)
    _DECLINE_REASONS.load(django_apps, None)
