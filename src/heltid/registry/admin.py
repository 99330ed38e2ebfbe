"""The configurable list of reason codes (försörjningshinder) on the administrator's site."""

from __future__ import annotations

from django.contrib import admin

from heltid.accounts.admin import AdminRoleOnly, site
from heltid.registry.models import ReasonCode


class ReasonCodeAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("label", "group", "active", "sort_order")
    list_editable = ("group", "active", "sort_order")
    list_filter = ("group", "active")
    search_fields = ("label",)


site.register(ReasonCode, ReasonCodeAdmin)
