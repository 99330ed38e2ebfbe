"""The moment a write on a given business day is stamped with.

Services take the business day as ``today`` (the views pass ``timezone.localdate()``); the
moments they record — when a referral was sent, accepted or ended, when a signal was closed —
must fall on that day, never on a different real date."""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone


def moment_of(day: date | None = None) -> datetime:
    """A moment on ``day`` in the current time zone (Europe/Stockholm): now when ``day`` is
    today's date or None, otherwise ``day`` at the current local time of day. Timezone-aware."""
    now = timezone.localtime()
    if day is None or day == now.date():
        return now
    return timezone.make_aware(datetime.combine(day, now.time()))
