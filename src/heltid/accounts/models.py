"""Users, organisational units and roles."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BENEFIT_OFFICER = "benefit_officer", _("Benefit officer")
    CASE_MANAGER = "case_manager", _("Case manager")
    PROVIDER = "provider", _("Provider staff")
    ANALYST = "analyst", _("Analyst")
    ADMIN = "admin", _("Administrator")


class UnitKind(models.TextChoices):
    BENEFIT = "benefit", _("Financial assistance")
    LABOUR_MARKET = "labour_market", _("Labour market")
    PROVIDER = "provider", _("Provider")
    MANAGEMENT = "management", _("Management")


class Unit(models.Model):
    """An organisational unit: recipients and users belong to one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=UnitKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, null=True, blank=True
    )
    protected_identity_access = models.BooleanField(
        _("may see protected identities"),
        default=False,
        help_text=_("Shows name and address of persons with protected identity."),
    )
    unit_read_access = models.BooleanField(
        _("may read the whole unit"),
        default=False,
        help_text=_(
            "A case manager with this sees every recipient of the unit, not only the caseload."
        ),
    )

    REQUIRED_FIELDS = ["email", "role"]  # createsuperuser asks for the role (answer: admin)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=[r.value for r in Role]) | models.Q(is_superuser=True),
                name="user_role_valid",
            )
        ]
