"""Statistics snapshots (statistikuttag): the population on one day, explained by the rules, as
first computed — so a report on a past period gives the same numbers every time it is run, and
the dashboard reads a table instead of explaining every recipient on every request.

A snapshot is never changed. A correction is a new edition of the same day, with the date it was
taken and a reason; reports say which edition they used. See docs/decisions/0009.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Snapshot(models.Model):
    """One edition of the statistics for the day ``on``."""

    on = models.DateField(_("day"))
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    taken_at = models.DateTimeField(_("taken"), default=timezone.now)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("taken by"),
    )
    reason = models.TextField(_("reason for the correction"), blank=True)
    # Taken on or before its day: the figures of a day not yet over, replaced when stale.
    provisional = models.BooleanField(_("provisional"), default=False)
    persons = models.PositiveIntegerField(_("persons"), default=0)

    class Meta:
        verbose_name = _("statistics snapshot")
        verbose_name_plural = _("statistics snapshots")
        constraints = [
            models.UniqueConstraint(fields=["on", "edition"], name="snapshot_one_edition_number")
        ]
        ordering = ["-on", "-edition"]

    def __str__(self) -> str:
        return f"{self.on.isoformat()} #{self.edition}"


class SnapshotRow(models.Model):
    """One recipient on support on the snapshot's day, with the facts the figures need — no name,
    no personnummer. ``person_id`` is kept without a constraint: statistics outlive a deleted
    person record, and an erasure deletes the rows by it."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    person_id = models.BigIntegerField()
    household_id = models.BigIntegerField()
    unit_code = models.CharField(max_length=40, blank=True)
    sex = models.CharField(max_length=1)
    age = models.PositiveSmallIntegerField()
    step_code = models.CharField(max_length=60, blank=True)
    af_programme = models.CharField(max_length=20, blank=True)
    target_group = models.BooleanField()
    covered = models.BooleanField()
    covered_from = models.DateField(null=True)
    exemption = models.CharField(max_length=40, null=True)  # noqa: DJ001 — as PersonFacts
    weekly_hours = models.DecimalField(max_digits=4, decimal_places=1)
    assessed_on = models.DateField(null=True)
    plan_on = models.DateField(null=True)
    first_activity_on = models.DateField(null=True)
    last_follow_up_on = models.DateField(null=True)
    next_follow_up_on = models.DateField(null=True)
    health = models.CharField(max_length=20, null=True)  # noqa: DJ001 — as PersonFacts
    requested_step_id = models.BigIntegerField(null=True)
    plan_hours = models.DecimalField(max_digits=6, decimal_places=1)
    has_ongoing = models.BooleanField()
    reason_code = models.CharField(max_length=200, blank=True)

    class Meta:
        indexes = [models.Index(fields=["snapshot", "unit_code"], name="snapshotrow_unit")]

    def __str__(self) -> str:
        return f"{self.snapshot} · {self.person_id}"


class SavedScenario(models.Model):
    """A planning scenario (heltid.planning.scenario.Scenario as a dict), kept to run again, copy
    and compare. Parameters only: the results are recomputed (same seed, same figures)."""

    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    params = models.JSONField(_("parameters"))
    ready_made = models.BooleanField(
        _("made from today's data"),
        default=False,
        help_text=_("Estimated from the history, the catalogue and the households on support."),
    )
    copied_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        verbose_name=_("copied from"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")
        ordering = ["-updated_at", "-pk"]

    def __str__(self) -> str:
        return self.name
