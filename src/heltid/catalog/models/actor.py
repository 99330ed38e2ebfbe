from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Unit


class ActorKind(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipal department")
    EMPLOYMENT_SERVICE = "af", _("Arbetsförmedlingen")
    REGION = "region", _("Region")
    SOCIAL_INSURANCE = "fk", _("Försäkringskassan")
    COORDINATION = "samordningsforbund", _("Coordination association")
    CIVIL_SOCIETY = "civil_society", _("Civil society / IOP partner")
    BUSINESS = "business", _("Business")
    OTHER_AUTHORITY = "authority", _("Other authority")


class Actor(models.Model):
    """An organisation that provides interventions or affects the work (aktör/intressent).

    ``rank``: 1 = affected to a larger extent by full-time activation, 2 = to a smaller one.
    ``unit``: the organisational unit whose provider staff may edit this actor's interventions.
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=30, choices=ActorKind.choices)
    rank = models.PositiveSmallIntegerField(
        _("rank"), choices=[(1, _("1 – more affected")), (2, _("2 – less affected"))]
    )
    rank_note = models.CharField(_("note on the rank"), max_length=200, blank=True)
    affects = models.TextField(_("how it affects full-time activation"), blank=True)
    affected = models.TextField(_("how it is affected"), blank=True)
    conflicts = models.TextField(_("known conflicts"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit in Heltid"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actors",
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("actor")
        verbose_name_plural = _("actors")
        constraints = [
            models.CheckConstraint(condition=models.Q(rank__in=[1, 2]), name="actor_rank_1_or_2")
        ]

    def __str__(self) -> str:
        return self.name


class AgreementKind(models.TextChoices):
    ATTACHED = "hangavtal", _("Attached agreement (hängavtal)")
    IOP = "iop", _("Civil-society partnership (IOP)")
    INTERNAL = "internal", _("Internal assignment")
    PROCUREMENT = "procurement", _("Procurement")
    OTHER = "other", _("Other agreement")


class Agreement(models.Model):
    """An agreement with an actor under which places exist, with its dates."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    actor = models.ForeignKey(
        Actor, verbose_name=_("actor"), on_delete=models.CASCADE, related_name="agreements"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AgreementKind.choices)
    title = models.CharField(_("title"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["actor__name", "valid_from"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="agreement_dates_in_order",
            )
        ]

    def __str__(self) -> str:
        return self.title
