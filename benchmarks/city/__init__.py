"""A benchmark city: 35,000 recipients (by default) with three years of casework, referrals,
attendance, signals and decisions, for the load test (issue 13) and any benchmark that needs a
city rather than a registry.

``build_city(recipients, day=…)`` writes it into the default database (``DATABASE_URL``) in one
transaction, set-based: ids are reserved from the tables' sequences and the rows are written
with ``COPY`` on PostgreSQL (``executemany`` on SQLite). The same size, day and seed always
give the same rows (one ``random.Random``, consumed in a fixed order; only the ids depend on
what the database held before). ``python -m benchmarks.city build --recipients N`` builds it
into ``DATABASE_URL`` (migrating first, and reusing a city already built for the same size and
day, see :func:`ensure_city`); ``cast`` writes the load test's logins and ids.

Persons have generated personnummer born in the 1890s
(``heltid.demo.recipient_files.synthetic_personnummer``) — never a living person; their
``birth_date`` is spread over working ages instead, so the rules see a realistic population.
All staff share one password (:data:`PASSWORD`) and have confirmed TOTP devices whose keys are
derived from the seed and the user name: a benchmark city is never a production database, and
``build_city`` refuses to run when ``HELTID_PRODUCTION`` is on.

Assumptions (the volumes, reasoned from /work/shared/design/PRODUCT.md and the seeds; each
scales with the number of recipients N, shown here for N = 35,000):

* **Recipients and support.** 70 % are on support on the day (one ongoing support period,
  since 3–60 months; a third of them had an earlier period too), 30 % left during the three
  years. Households: 15 % of adults share a cohabiting household with another recipient,
  30 % of households have one to three children. 1 % protected identity, 8 % part-time work.
* **Target group.** The seeds' Linköping figures: ~1,800 of ~4,000 adult recipients (45 %) are
  in the target group. Here the reason codes are drawn so that ~61 % have a work-related
  reason (unemployment, social reasons, part-time work); 12 % of the current ones have an
  explicit exemption (parental leave, health investigation, pending Försäkringskassan
  application, addiction care, probation); JOB/UGA participants are activated after 450 days
  in the programme (Linköping's policy); activation starts three months after support began
  (the statute's three consecutive months) but not before Heltid's go-live, three years before
  the day. That leaves ~45–50 % of recipients activated at some point.
* **Staff.** Six benefit units (fewer for a small city). One case manager per ~45 persons on
  support (every current recipient without an exemption has one, and those who left in the
  last 90 days keep theirs: ~480 at 35 k, caseloads from ~15 to ~100, ~50 on average; the
  ratio municipalities aim at), one team lead (a case manager who may read the unit) per ten case
  managers, one benefit officer per ~115 recipients (~300), one analyst per 5,000 recipients,
  one administrator. Providers: one organisation per ~3.5 interventions (~43), each with its
  own unit and one staff login.
* **Catalogue.** ~150 interventions (one per ~233 recipients) over the four default steps
  (sysselsättning 30 %, arbetsinriktad rehabilitering 35 %, arbete med samhällsstöd 20 %,
  arbete/studier 15 %). Places are set from the demand on the day: 0–25 % free where no one
  waits, full where someone does — the seeds' insight that *arbete med samhällsstöd* has too
  few places shows as its long waiting lists (55 % of referrals there wait, 2–6 months).
* **Casework per activated person.** An assessment within two weeks of activation (another
  after a year), a plan a week later (a new version whenever an intervention is added), a
  follow-up every 21–30 days (15 % of current persons overdue by 1–2 months), a step change
  whenever a placement starts on another step, an exit with follow-ups after 3, 6 and 12
  months when support ended.
* **Referrals.** A chain of placements while activated: sent to an intervention of the
  person's step; the provider answers in 1–7 days (10 % declined, 25 % to the waiting list —
  55 % in *arbete med samhällsstöd* —, the others accepted); start 3–14 days after the
  acceptance; 10–36 weeks in the place (8 % withdrawn early); then 0–21 days to the next
  referral, a step up after 40 % of completions. That is ~1.8 referrals per activated person
  and year; on the day the open ones are sent, waiting, offered, accepted or started.
* **Attendance.** One row per weekday in a started place (the model's grain; providers save a
  week at a time), up to the Sunday before the day: present, sick (5 %), excused (3 %), other
  planned activity (2 %) and unexcused absence, which is rare for most (0.3 % of days for
  75 % of placements, 3 % for 20 %, 15 % for 5 %).
* **Signals, decisions, notifications.** The policy raises a signal for every unexcused day
  (one per referral and week saved); the benefit officer decides within 1–10 days (older than
  ten days all decided, newer ones 40 %): an acceptable reason (55 %) or not declining (15 %)
  give no action; without one (30 %) support is reduced (80 %, 300–2,500 SEK) or refused.
  Arbetsförmedlingen is told of every start, end, signal and decision (and of persons who may
  be covered, from 1 July 2026), exported weekly.

Not written: the access log (its chain is being redesigned; the city starts with an empty log),
django-auditlog's change history, statistics snapshots (``heltid snapshot`` makes them) and
planning scenarios.
"""

from __future__ import annotations

import sys
import time
from datetime import date
from typing import Any

from benchmarks.city.data import (
    CITY_VERSION,
    DEFAULT_RECIPIENTS,
    MARKER_TABLE,
    PASSWORD,
    SEED,
    USER_PREFIX,
    CitySummary,
    Sizes,
    totp_key,
)
from benchmarks.city.plan import City

__all__ = [
    "DEFAULT_RECIPIENTS",
    "PASSWORD",
    "SEED",
    "USER_PREFIX",
    "CitySummary",
    "Sizes",
    "build_city",
    "built_city",
    "ensure_city",
    "totp_key",
]

# --- building, reusing, the load test's cast ------------------------------------------------


def build_city(recipients: int = DEFAULT_RECIPIENTS, *, day: date, seed: int = SEED) -> CitySummary:
    """Write the city into the default database, in one transaction; returns what was made."""
    from django.conf import settings
    from django.db import connection, transaction

    from heltid.registry.models import ReasonCode

    if getattr(settings, "PRODUCTION", False):
        raise SystemExit("A benchmark city is never built with HELTID_PRODUCTION on.")
    started = time.perf_counter()
    city = City(recipients, day=day, seed=seed)
    with transaction.atomic():
        city.reason_ids = dict(ReasonCode.objects.values_list("label", "pk"))
        staff = city.staff()
        city.catalogue(staff)
        city.population(staff)
        city.casework(staff)
        city.write_casework(staff)
        city.write_referrals(staff)
        city.write_attendance(staff)
        city.write_signals(staff)
        _mark(recipients, day, seed)
    _refresh_worklists(day)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as autovacuum would have them
    summary = CitySummary(recipients, day, time.perf_counter() - started, dict(city.writer.counts))
    return summary


def _refresh_worklists(day: date) -> int:
    """The stored worklists as the nightly refresh leaves them (decision 0023): the city is
    written around the models' signals, so every row is made here, and a reused city gets the
    rows a newer release computes otherwise. Returns how many rows were written."""
    from heltid.casework.worklist import refresh_due

    return refresh_due(today=day)


def _mark(recipients: int, day: date, seed: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
            "(recipients integer NOT NULL, day date NOT NULL, seed integer NOT NULL, "
            "version integer NOT NULL)"
        )
        cursor.execute(f"DELETE FROM {MARKER_TABLE}")
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} VALUES (%s, %s, %s, %s)",
            [recipients, day, seed, CITY_VERSION],
        )


def built_city() -> tuple[int, date, int, int] | None:
    """(recipients, day, seed, version) of the city in the database, or None."""
    from django.db import connection

    if MARKER_TABLE not in connection.introspection.table_names():
        return None
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT recipients, day, seed, version FROM {MARKER_TABLE}")
        row = cursor.fetchone()
    if row is None:
        return None
    day = row[1] if isinstance(row[1], date) else date.fromisoformat(row[1])
    return int(row[0]), day, int(row[2]), int(row[3])


def ensure_city(recipients: int, *, day: date, seed: int = SEED, out: Any = sys.stdout) -> bool:
    """Migrate, and build the city unless the database holds this very one; True when built.

    A database that holds another city is emptied first (PostgreSQL: its ``public`` schema is
    dropped and made anew); one that holds persons but no city is refused, never emptied."""
    from django.core.management import call_command
    from django.db import connection

    wanted = (recipients, day, seed, CITY_VERSION)
    found = built_city()
    if found == wanted:
        call_command("migrate", verbosity=0)  # migrations newer than the city, as in production
        _refresh_worklists(day)  # and the refresh after a migrate, as in production
        print(f"city: reusing the city of {recipients:,} recipients on {day}", file=out)
        return False
    tables = connection.introspection.table_names()
    if found is not None:
        if connection.vendor != "postgresql":
            raise SystemExit("city: the SQLite database holds another city; use a new file")
        print(f"city: the database holds another city {found}: emptying it", file=out)
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE")
            cursor.execute("CREATE SCHEMA public")
    elif "registry_person" in tables:
        with connection.cursor() as cursor:
            cursor.execute("SELECT EXISTS (SELECT 1 FROM registry_person)")
            if cursor.fetchone()[0]:
                raise SystemExit("city: the database holds persons that are not a benchmark city")
    call_command("migrate", verbosity=0)
    summary = build_city(recipients, day=day, seed=seed)
    print("\n".join(summary.lines()), file=out)
    return True
