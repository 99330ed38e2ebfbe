from __future__ import annotations

from django.urls import path

from heltid.accounts import views

urlpatterns = [
    path("logga-in/", views.LoginView.as_view(), name="login"),
    path("tvastegsverifiering/", views.second_factor, name="second_factor"),
    path("tvastegsverifiering/aktivera/", views.second_factor_enrol, name="second_factor_enrol"),
    path("logga-ut/", views.LogoutView.as_view(), name="logout"),
    path("sprak/", views.set_language, name="set_language"),
]
