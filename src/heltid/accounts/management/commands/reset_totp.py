"""heltid reset_totp USERNAME: remove a user's TOTP device; they enrol anew at next sign-in."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from heltid.accounts.models import User
from heltid.accounts.second_factor import reset_second_factor


class Command(BaseCommand):
    help = "Reset a user's two-step verification (TOTP device); logged in the access log."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError(f"no user {options['username']!r}") from None
        count = reset_second_factor(user, actor="cli")
        self.stdout.write(
            f"{user.get_username()}: {count} device(s) removed; enrols anew at the next sign-in"
        )
