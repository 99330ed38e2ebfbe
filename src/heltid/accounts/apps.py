from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "heltid.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from heltid.accounts import lockout  # noqa: F401  (access-log receivers for sign-ins)
