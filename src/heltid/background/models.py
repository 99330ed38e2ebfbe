"""Stored results of background work (decision 0022): one row per kind, key and day, claimed
before its task is enqueued, so that a computation is asked for once however many requests
want it at the same moment.

A row keeps the last finished payload while a fresh one is being made: pages show it with its
age until the new one replaces it.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class StoredResult(models.Model):
    """The result of one computation: what (``kind``), for which filter or period (``key``) and
    which day's figures (``day``). ``params`` is what the builder needs to make it again."""

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("key"), max_length=255, blank=True)
    day = models.DateField(_("day"))
    params = models.JSONField(_("parameters"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    # when the current computation was asked for (a request's claim)
    claimed_at = models.DateTimeField(_("claimed"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # when ``payload`` was computed; kept while a newer computation is queued or running
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    payload = models.JSONField(_("payload"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("stored result")
        verbose_name_plural = _("stored results")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "day"], name="storedresult_one_per_kind_key_day"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]),
                name="storedresult_status_known",
            ),
        ]
        indexes = [models.Index(fields=["kind", "computed_at"], name="storedresult_kind_age")]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.day.isoformat()} ({self.status})"


class StoredFile(models.Model):
    """A file a result made (a report as PDF and as Excel, an export as CSV and as Excel),
    downloaded when done. Kept apart from the result so reading a result never loads files."""

    result = models.ForeignKey(StoredResult, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(_("format"), max_length=20)
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    content = models.BinaryField(_("content"))

    class Meta:
        verbose_name = _("stored file")
        verbose_name_plural = _("stored files")
        constraints = [
            models.UniqueConstraint(fields=["result", "name"], name="storedfile_one_per_format")
        ]

    def __str__(self) -> str:
        return self.filename
