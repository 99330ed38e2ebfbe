from __future__ import annotations

from django.urls import path

from heltid.insights import views_scenarios, views_wages

urlpatterns = [
    path("", views_scenarios.scenario_list, name="scenario_list"),
    path("ny/", views_scenarios.scenario_ready, name="scenario_ready"),
    path("jamfor/", views_scenarios.scenario_compare, name="scenario_compare"),
    path("<int:pk>/", views_scenarios.scenario_detail, name="scenario_detail"),
    path("<int:pk>/kopiera/", views_scenarios.scenario_copy, name="scenario_copy"),
    path("<int:pk>/excel/", views_scenarios.scenario_excel, name="scenario_excel"),
    path("lon-mot-bistand/", views_wages.support_versus_wages, name="support_versus_wages"),
]
