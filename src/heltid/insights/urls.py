from __future__ import annotations

from django.urls import path

from heltid.insights import views

urlpatterns = [path("", views.statistics, name="statistics")]
