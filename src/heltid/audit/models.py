"""The access log: who saw or changed which person's data, append-only and hash-chained.

The log is several chains ("lanes", decision 0021) so that no single row is locked by every
writer: an appender takes the first lane head nobody holds. A bulk operation is one chained
entry; the persons it names are in :class:`AccessLogPerson`, covered by the entry's hash.
Periodic :class:`Seal` rows fix every lane's head in a chain of their own."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64  # the "previous hash" of every chain's first link

# Lane 0 holds the entries written before there were lanes (one chain, decision 0003), with
# their original numbers and hashes; nothing is appended to it any more.
LEGACY_LANE = 0
LANES = 16  # lanes 1..16 take new entries


class Action(models.TextChoices):
    VIEW = "view", _("Viewed")
    SEARCH = "search", _("Searched")
    CREATE = "create", _("Created")
    CHANGE = "change", _("Changed")
    IMPORT = "import", _("Imported")
    EXPORT = "export", _("Exported")
    DENIED = "denied", _("Refused")
    # a bulk operation whose persons were treated differently (each person's own action is in
    # AccessLogPerson) and that has no entry of its own to name the operation
    SEVERAL = "several", _("Several actions")


class AppendOnlyError(RuntimeError):
    """The access log is never updated or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet[Any]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log is append-only")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("the access log is append-only")


class AppendOnly(models.Model):
    """Rows are inserted, never saved again or deleted (the database refuses it too)."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("the access log is append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("the access log is append-only")


class AccessLog(AppendOnly):
    """One chained entry: one access, or one bulk operation naming many persons.

    ``id`` is the global order (newest first on the log pages); ``lane`` and ``number`` place
    the entry in its chain. A single access names its person in ``person``; a bulk operation
    leaves it empty and names ``persons`` persons in :class:`AccessLogPerson`."""

    lane = models.PositiveSmallIntegerField(_("lane"))
    number = models.BigIntegerField(_("number in the lane"))
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
    persons = models.PositiveIntegerField(_("persons named"), default=0)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        constraints = [
            models.UniqueConstraint(fields=["lane", "number"], name="accesslog_lane_number")
        ]
        indexes = [
            models.Index(fields=["person", "-id"], name="accesslog_person_id_idx"),
            models.Index(fields=["user", "-id"], name="accesslog_user_id_idx"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} ({self.lane}:{self.number}) {self.actor} {self.action}"


class AccessLogPerson(AppendOnly):
    """A person named by a bulk operation's entry, with what was done to them."""

    entry = models.ForeignKey(
        AccessLog, verbose_name=_("entry"), on_delete=models.PROTECT, related_name="named"
    )
    position = models.PositiveIntegerField(_("position"))
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("person"),
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("person in an access log entry")
        verbose_name_plural = _("persons in access log entries")
        constraints = [
            models.UniqueConstraint(fields=["entry", "position"], name="accesslogperson_position")
        ]
        indexes = [models.Index(fields=["person", "-entry"], name="accesslogperson_person_idx")]

    def __str__(self) -> str:
        return f"#{self.entry_id}.{self.position} {self.action}"


class LaneHead(models.Model):
    """The number and hash of a lane's newest entry, so a cut-off tail is noticed. Updated by
    every append to the lane, under its row lock; the database refuses moving it backwards and
    deleting it."""

    lane = models.PositiveSmallIntegerField(primary_key=True)
    number = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS)

    def __str__(self) -> str:
        return f"lane {self.lane} head #{self.number}"


class Seal(AppendOnly):
    """A hash-chained record of the lanes' heads at one moment (``heltid audit seal``).

    It lists the heads of the lanes that moved since the previous seal; with the seals before
    it, to which its hash is linked, it fixes every lane's head."""

    number = models.BigIntegerField(_("number"), primary_key=True)
    at = models.DateTimeField(_("time"))
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("access log seal")
        verbose_name_plural = _("access log seals")

    def __str__(self) -> str:
        return f"seal #{self.number}"


class SealHead(AppendOnly):
    """One lane's head as a seal recorded it."""

    seal = models.ForeignKey(Seal, on_delete=models.PROTECT, related_name="heads")
    lane = models.PositiveSmallIntegerField()
    number = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["seal", "lane"], name="sealhead_lane")]
        indexes = [models.Index(fields=["lane", "number"], name="sealhead_lane_number_idx")]

    def __str__(self) -> str:
        return f"seal #{self.seal_id} lane {self.lane} #{self.number}"
