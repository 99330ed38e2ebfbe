from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from heltid.registry.models.person import Person
from heltid.rules.exemptions import ExemptionGroup, exemption_label

EXEMPTION_CHOICES = [(g.value, exemption_label(g.value)) for g in ExemptionGroup]


class Exemption(models.Model):
    """A decided, reviewable exemption from full-time activation."""

    person = models.ForeignKey(
        Person, related_name="exemptions", on_delete=models.CASCADE, verbose_name=_("person")
    )
    group = models.CharField(_("exemption group"), max_length=40, choices=EXEMPTION_CHOICES)
    decided_on = models.DateField(_("decided on"))
    review_on = models.DateField(_("review by"))
    note = models.TextField(_("note"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        ordering = ["-decided_on"]
        verbose_name = _("exemption")
        verbose_name_plural = _("exemptions")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(ended_on__isnull=True),
                name="exemption_one_active",
            ),
            models.CheckConstraint(
                condition=models.Q(review_on__gte=models.F("decided_on")),
                name="exemption_review_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return exemption_label(self.group)
