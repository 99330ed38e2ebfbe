"""Login, logout and language choice."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.views.i18n import set_language as django_set_language

from heltid.accounts.permissions import PUBLIC, public


class LoginView(auth_views.LoginView):
    heltid_permission = PUBLIC
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    heltid_permission = PUBLIC


set_language = public(django_set_language)
