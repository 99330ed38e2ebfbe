from __future__ import annotations

from django.urls import path

from heltid.insights import views, views_dashboard, views_equality, views_export, views_report

urlpatterns = [
    path("", views.statistics, name="statistics"),
    path("oversikt/", views_dashboard.dashboard, name="dashboard"),
    path("jamstalldhet/", views_equality.equality, name="equality"),
    path("namndrapport/", views_report.board_report, name="board_report"),
    path("analysunderlag/", views_export.analyst_export_page, name="analyst_export"),
]
