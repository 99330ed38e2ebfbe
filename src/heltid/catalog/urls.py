"""The intervention catalogue's pages (Swedish paths). The public page is in heltid.urls."""

from __future__ import annotations

from django.urls import path

from heltid.catalog import transfer_views, views

urlpatterns = [
    path("", views.catalogue_list, name="catalogue_list"),
    path("ny/", views.intervention_create, name="intervention_create"),
    path("<int:intervention_id>/", views.intervention_detail, name="intervention_detail"),
    path("<int:intervention_id>/andra/", views.intervention_edit, name="intervention_edit"),
    path("trappan/", views.staircase_page, name="staircase"),
    path("aktorer/", views.actor_list, name="actor_list"),
    path("aktorer/<int:actor_id>/", views.actor_detail, name="actor_detail"),
    path("export/", transfer_views.catalogue_export, name="catalogue_export"),
    path("import/", transfer_views.catalogue_import, name="catalogue_import"),
]
