"""The access log: who saw or changed which person's data, append-only and hash-chained."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    IMPORT = "import", _("Imported")
    EXPORT = "export", _("Exported")
    DENIED = "denied", _("Refused")


class AppendOnlyError(RuntimeError):
    """The access log is never updated or deleted through the application."""


class AccessLogQuerySet(models.QuerySet["AccessLog"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the access log is append-only")


class AccessLog(models.Model):
    seq = models.BigIntegerField(_("number"), unique=True)
    at = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    page = models.CharField(_("page"), max_length=300, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        ordering = ["-seq"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [
            models.Index(fields=["person", "-seq"], name="accesslog_person_idx"),
            models.Index(fields=["user", "-seq"], name="accesslog_user_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.actor} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log is append-only")


class ChainHead(models.Model):
    """One row: the number and hash of the newest log entry, so a cut-off tail is noticed."""

    singleton = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=models.Q(singleton=1), name="chain_head_single")
        ]

    def __str__(self) -> str:
        return f"head #{self.seq}"
