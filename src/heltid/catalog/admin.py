"""Catalogue configuration on the administrator's site: the staircase's steps and the actor
register with its agreements. Interventions are edited on the catalogue's own pages, where a
change of places is dated (a capacity change) and provider staff edit their own."""

from __future__ import annotations

from django.contrib import admin

from heltid.accounts.admin import AdminRoleOnly, site
from heltid.catalog.models import Actor, Agreement, Step


class StepAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("position", "name", "code", "active")
    list_display_links = ("code",)
    list_editable = ("position", "name", "active")
    ordering = ("position", "pk")


class AgreementInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Agreement
    extra = 0
    fields = ("code", "kind", "title", "valid_from", "valid_to", "note")

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


class ActorAdmin(AdminRoleOnly, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("name", "code", "kind", "rank", "unit")
    list_filter = ("rank", "kind")
    search_fields = ("name", "code")
    inlines = (AgreementInline,)


site.register(Step, StepAdmin)
site.register(Actor, ActorAdmin)
