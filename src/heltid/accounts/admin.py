"""The administrator's site: users, units and configuration. Only the admin role gets in."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from heltid.accounts.models import Role, Unit, User


class HeltidAdminSite(admin.AdminSite):
    site_header = _("Heltid administration")
    site_title = _("Heltid administration")

    def has_permission(self, request: HttpRequest) -> bool:
        user = request.user
        return bool(
            user.is_active and user.is_authenticated and getattr(user, "role", "") == Role.ADMIN
        )


site = HeltidAdminSite(name="admin")


class AdminRoleOnly:
    """Model admins open to the administrator role; nothing is ever deleted from here."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return site.has_permission(request)

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return site.has_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return site.has_permission(request)

    def has_add_permission(self, request: HttpRequest, *args: object) -> bool:
        return site.has_permission(request)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class UserAdmin(AdminRoleOnly, BaseUserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "first_name", "last_name", "role", "unit", "is_active")
    list_filter = ("role", "unit", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Heltid"),
            {"fields": ("role", "unit", "protected_identity_access", "unit_read_access")},
        ),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Heltid"), {"fields": ("role", "unit")}),
    )


class UnitAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind")


site.register(User, UserAdmin)
site.register(Unit, UnitAdmin)
