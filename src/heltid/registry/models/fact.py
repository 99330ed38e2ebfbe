from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from heltid.registry.models.person import Person


class FactKind(models.TextChoices):
    PROGRAMME = "programme", _("Arbetsförmedlingen programme")
    AF_ASSESSMENT = "af_assessment", _("Arbetsförmedlingen: activity not enough")
    OCCUPATION = "occupation", _("Occupation")
    BENEFIT = "benefit", _("Social-insurance benefit")
    SCHOOLING = "schooling", _("School")
    REASON_CODE = "reason_code", _("Reason code")
    HOUSEHOLD = "household", _("Household")
    CHILD = "child", _("Child in the household")


class FactSource(models.TextChoices):
    IMPORT = "import", _("Import")
    FORM = "form", _("Form")
    MIGRATION = "migration", _("Earlier data")
    DEMO = "demo", _("Demo")


class PersonFact(models.Model):
    """A dated fact about a person, never rewritten (decision record 0015).

    Valid time: ``starts_on``–``ends_on`` (inclusive; None = open). Record time:
    ``recorded_on`` (the business day it was recorded) until ``superseded_on`` (the day a
    later record replaced it). The facts known on a day K are those recorded on or before K
    and not superseded on or before K, so an answer for a past day never changes.
    """

    person = models.ForeignKey(
        Person, related_name="facts", on_delete=models.CASCADE, verbose_name=_("person")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=FactKind.choices)
    value = models.CharField(_("value"), max_length=200)
    hours = models.DecimalField(
        _("hours per week"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("to"), null=True, blank=True)
    recorded_on = models.DateField(_("recorded"))
    superseded_on = models.DateField(_("replaced"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=FactSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["kind", "starts_on", "recorded_on", "pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        indexes = [models.Index(fields=["person", "kind"], name="fact_person_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=models.F("starts_on")),
                name="fact_dates_in_order",
            ),
            models.CheckConstraint(
                condition=Q(superseded_on__isnull=True)
                | Q(superseded_on__gte=models.F("recorded_on")),
                name="fact_superseded_after_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"

    @property
    def may_end_by_hand(self) -> bool:
        """Whether staff may end the fact on the person page: not a replaced or ended fact,
        and not the household, which only the benefit system's file changes."""
        open_fact = self.superseded_on is None and self.ends_on is None
        return open_fact and self.kind != FactKind.HOUSEHOLD

    def known_on(self, day: object) -> bool:
        return self.recorded_on <= day and (  # type: ignore[operator]
            self.superseded_on is None or self.superseded_on > day  # type: ignore[operator]
        )
