"""heltid demo_logins: one demo login per role (only those that exist)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import translation

from heltid.accounts.models import Role, User
from heltid.demo.staff import DEMO_PASSWORD, primary_logins


class Command(BaseCommand):
    help = "Visar demokommunens inloggningar: roll, användarnamn, lösenord och enhet."

    def handle(self, *args: Any, **options: Any) -> None:
        logins = primary_logins()
        users = {
            u.username: u
            for u in User.objects.select_related("unit").filter(
                username__in=[spec.username for spec in logins]
            )
        }
        with translation.override("sv"):
            rows = [
                (
                    str(Role(spec.role).label),
                    spec.username,
                    DEMO_PASSWORD,
                    _unit_name(users[spec.username]),
                )
                for spec in logins
                if spec.username in users
            ]
        if not rows:
            self.stdout.write("Det finns inga demoinloggningar. Kör `heltid demo` först.")
            return
        widths = [max(len(row[column]) for row in rows) for column in range(3)]
        for row in rows:
            cells = [cell.ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, row[3]]))


def _unit_name(user: User) -> str:
    return user.unit.name if user.unit is not None else "(ingen enhet)"
