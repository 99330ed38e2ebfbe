from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Step(models.Model):
    """A step of the staircase (Trappan). Interventions point at the step row, never at its
    position or name, so renaming, adding or reordering steps keeps history intact; a step in
    use cannot be deleted (PROTECT), only retired."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("staircase step")
        verbose_name_plural = _("staircase steps")

    def __str__(self) -> str:
        return self.name
