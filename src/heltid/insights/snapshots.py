"""Statistics snapshots: the population of a day, explained once and stored (decision 0009).

The figures of a day come from that day's latest snapshot edition. The first time a past day is
asked for, its snapshot is taken and kept: a report on the period gives the same numbers every
time it is run afterwards, whatever is edited later. A correction is a new, dated edition with a
reason (``heltid snapshot --on DAY --correction REASON``). The figures of today are provisional:
taken at most once per ``HELTID_STATISTICS_MAX_AGE_MINUTES`` and replaced when older.

Flows (exits, step changes, attendance) are counted as recorded when the snapshot was taken
(``InsightFilter.known_at``), so events registered afterwards reach a report only through a
correction.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from heltid.accounts.models import User
from heltid.clock import moment_of
from heltid.insights import metrics
from heltid.insights.filters import InsightFilter, age_span
from heltid.insights.models import Snapshot, SnapshotRow

BATCH = 2000

# SnapshotRow's columns in PersonFacts' order (person_id is PersonFacts.pk).
FIELDS: tuple[str, ...] = (
    "person_id",
    "sex",
    "household_id",
    "unit_code",
    "age",
    "step_code",
    "af_programme",
    "target_group",
    "covered",
    "covered_from",
    "exemption",
    "weekly_hours",
    "assessed_on",
    "plan_on",
    "first_activity_on",
    "last_follow_up_on",
    "next_follow_up_on",
    "health",
    "requested_step_id",
    "plan_hours",
    "has_ongoing",
    "reason_code",
)


def max_age() -> timedelta:
    return timedelta(minutes=settings.HELTID_STATISTICS_MAX_AGE_MINUTES)


def latest(on: date) -> Snapshot | None:
    """The edition the figures of ``on`` come from now (a correction before the first run)."""
    return Snapshot.objects.filter(on=on).order_by("-edition").first()


def editions(on: date) -> list[Snapshot]:
    """Every edition of ``on``, oldest first (the report lists them)."""
    return list(Snapshot.objects.filter(on=on, provisional=False).order_by("edition"))


def take(
    on: date, *, by: User | None = None, reason: str = "", today: date | None = None
) -> Snapshot:
    """Explain everyone on support on ``on`` and store it as the next edition.

    A day not yet over gives a provisional snapshot (edition 0), which replaces the previous
    provisional one. A final edition after an earlier final one is a correction and needs a
    reason; without one, the day's existing figures are returned unchanged. The snapshot is
    stamped on ``today`` (the business day; default: now), the moment its flows are known at."""
    today = today or timezone.localdate()
    provisional = on >= today
    pop = metrics.population(InsightFilter(start=on, end=on))
    with transaction.atomic():
        previous = Snapshot.objects.filter(on=on, provisional=False).aggregate(n=Max("edition"))
        edition = 0 if provisional else (previous["n"] or 0) + 1
        if edition > 1 and not reason.strip():
            # another request (or the nightly command) stored the day's figures while these
            # were computed: theirs are the first run; without a reason there is no correction
            existing = latest(on)
            assert existing is not None
            return existing
        Snapshot.objects.filter(on=on, provisional=True).delete()
        snapshot = Snapshot.objects.create(
            on=on,
            edition=edition,
            taken_by=by,
            reason=reason.strip(),
            provisional=provisional,
            persons=len(pop.rows),
            taken_at=moment_of(today),
        )
        SnapshotRow.objects.bulk_create(
            (
                SnapshotRow(
                    snapshot=snapshot,
                    person_id=r.pk,
                    household_id=r.household_id,
                    unit_code=r.unit_code,
                    sex=r.sex,
                    age=max(r.age, 0),
                    step_code=r.step_code,
                    af_programme=r.af_programme,
                    target_group=r.target_group,
                    covered=r.covered,
                    covered_from=r.covered_from,
                    exemption=r.exemption,
                    weekly_hours=r.weekly_hours,
                    assessed_on=r.assessed_on,
                    plan_on=r.plan_on,
                    first_activity_on=r.first_activity_on,
                    last_follow_up_on=r.last_follow_up_on,
                    next_follow_up_on=r.next_follow_up_on,
                    health=r.health,
                    requested_step_id=r.requested_step_id,
                    plan_hours=r.plan_hours,
                    has_ongoing=r.has_ongoing,
                    reason_code=r.reason_code,
                )
                for r in pop.rows
            ),
            batch_size=BATCH,
        )
    return snapshot


def for_day(on: date, *, today: date) -> Snapshot | None:
    """The snapshot the figures of ``on`` come from, taken now when there is none yet (or the
    provisional one is stale, or the day is over since it was taken). None for a day after
    today: that is computed live and never stored."""
    if on > today:
        return None
    current = latest(on)
    if current is not None and not current.provisional:
        return current
    if current is not None and on >= today and moment_of(today) - current.taken_at < max_age():
        return current
    try:
        return take(on, today=today)
    except IntegrityError:  # another request took it at the same moment: use theirs
        return latest(on)


def population(snapshot: Snapshot, f: InsightFilter) -> metrics.Population:
    """The snapshot's rows matching ``f``'s unit, sex, age group and step. One query."""
    rows = SnapshotRow.objects.filter(snapshot=snapshot)
    if f.unit:
        rows = rows.filter(unit_code=f.unit)
    if f.sex:
        rows = rows.filter(sex=f.sex)
    if f.age_group:
        span = age_span(f.age_group)
        if span is None:
            return metrics.Population(on=snapshot.on, rows=())
        rows = rows.filter(age__range=span)
    if f.step:
        rows = rows.filter(step_code=f.step)
    facts = tuple(metrics.PersonFacts(*values) for values in rows.values_list(*FIELDS))
    return metrics.Population(on=snapshot.on, rows=facts)


def requested_steps(snapshot: Snapshot) -> Counter[int]:
    """Covered persons per requested next step, over the whole snapshot. One query."""
    rows = (
        SnapshotRow.objects.filter(snapshot=snapshot, covered=True, requested_step_id__isnull=False)
        .values_list("requested_step_id")
        .annotate(n=Count("pk"))
        .values_list("requested_step_id", "n")
    )
    return Counter({step_id: n for step_id, n in rows if step_id is not None})


@dataclass(frozen=True)
class Basis:
    """What one page or report computes its figures from."""

    filter: InsightFilter  # with ``known_at`` when the snapshot is final
    base: metrics.Population
    snapshot: Snapshot | None  # None: computed live (a day after today)
    requested: Counter[int] | None  # requested steps over everyone, for capacity

    def capacity(self, *, today: date) -> metrics.CapacityVsDemand:
        on = min(self.filter.end, today)
        if self.snapshot is not None and self.snapshot.on == on:
            return metrics.capacity_vs_demand(on, requested=self.requested)
        return metrics.capacity_vs_demand(on)


def basis(f: InsightFilter, *, today: date) -> Basis:
    """The stored population of ``f.end`` (taken now if needed) filtered by ``f``."""
    snapshot = for_day(f.end, today=today)
    if snapshot is None:
        return Basis(filter=f, base=metrics.population(f), snapshot=None, requested=None)
    if not snapshot.provisional:
        f = replace(f, known_at=snapshot.taken_at)
    return Basis(
        filter=f,
        base=population(snapshot, f),
        snapshot=snapshot,
        requested=requested_steps(snapshot),
    )


def describe(snapshot: Snapshot | None) -> str:
    """Which figures these are, in a sentence or three: the day, when they were stored, and
    every dated correction with its reason."""
    if snapshot is None:
        return _("The figures are computed from the registers as they are now.")

    def when(s: Snapshot) -> str:
        return date_format(timezone.localtime(s.taken_at), "Y-m-d H:i")

    if snapshot.provisional:
        return _(
            "The figures for %(day)s are preliminary: computed %(when)s, and updated at most "
            "once an hour until the day is over."
        ) % {"day": snapshot.on.isoformat(), "when": when(snapshot)}
    earlier = [e for e in editions(snapshot.on) if e.edition <= snapshot.edition]
    first = earlier[0] if earlier else snapshot
    parts = [
        _(
            "The figures for %(day)s were stored %(when)s and are the same every time the "
            "report is made."
        )
        % {"day": snapshot.on.isoformat(), "when": when(first)}
    ]
    parts += [
        _("Corrected %(when)s: %(reason)s") % {"when": when(e), "reason": e.reason}
        for e in earlier[1:]
    ]
    return " ".join(parts)
