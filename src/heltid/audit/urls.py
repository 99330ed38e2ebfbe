from __future__ import annotations

from django.urls import path

from heltid.audit import views

urlpatterns = [path("", views.audit_search, name="audit_search")]
