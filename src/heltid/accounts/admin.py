"""The administrator's site: users, units and configuration. Only the admin role gets in."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from heltid.accounts.lockout import unlock
from heltid.accounts.models import Role, Unit, User
from heltid.accounts.second_factor import reset_second_factor
from heltid.audit.models import Action
from heltid.audit.services import log_access


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
    actions = ["reset_two_step_verification", "unlock_sign_in"]

    @admin.action(description=_("Reset two-step verification (enrols anew at next sign-in)"))
    def reset_two_step_verification(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            reset_second_factor(user, by=request.user)
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Two-step verification was reset for %(count)d user.",
                "Two-step verification was reset for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )

    @admin.action(description=_("Unlock sign-in after failed attempts"))
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            unlock(user.get_username())
            log_access(
                user=request.user,
                action=Action.CHANGE,
                page="admin:unlock_sign_in",
                detail={"event": "sign_in_unlocked", "account": user.get_username()},
            )
        count = queryset.count()
        self.message_user(
            request,
            ngettext(
                "Sign-in was unlocked for %(count)d user.",
                "Sign-in was unlocked for %(count)d users.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


class UnitAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "name", "kind")


site.register(User, UserAdmin)
site.register(Unit, UnitAdmin)
