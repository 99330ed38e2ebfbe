from __future__ import annotations

from django.urls import path

from heltid.registry import views

urlpatterns = [
    path("", views.person_list, name="person_list"),
    path("ny/", views.person_register, name="person_register"),
    path("import/", views.recipient_import, name="recipient_import"),
    path("<int:person_id>/", views.person_page, name="person_detail"),
    path("<int:person_id>/timmar/", views.weekly_hours_edit, name="weekly_hours_edit"),
    path("<int:person_id>/undantag/", views.exemption_add, name="exemption_add"),
    path("<int:person_id>/undantag/avsluta/", views.exemption_end, name="exemption_end"),
    path("<int:person_id>/uppgifter/ny/", views.fact_add, name="fact_add"),
    path("<int:person_id>/uppgifter/<int:fact_id>/avsluta/", views.fact_end, name="fact_end"),
]
